"""Test plumbing for courses (and any transactional test that follows a browser test)."""

import pytest

_serialized_contents = {}


def _reattach():
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            _serialized_contents[alias] = contents
        elif alias in _serialized_contents:
            connection._test_serialized_contents = _serialized_contents[alias]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Keep Django's serialized test data on the connection objects in use.

    Django keeps the data that ``serialized_rollback`` restores on the connection object
    that created the test database. Connection objects are context-local (asgiref), and
    Playwright's sync API switches contexts (greenlets), so a transactional test that runs
    after a browser test can get a fresh connection object without that data, and start
    on an empty database (or its flush re-creates content types that the data then
    collides with). Re-attach the data before each test's set-up and tear-down."""
    _reattach()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    _reattach()
