"""Shared fixtures. Factories live in each app (`<app>/factories.py`) and are reused by the
demo-data command; fixtures here only wire them up."""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

pytest_plugins = [
    "tests.fixtures_workshops",
    "tests.fixtures_h5p_import",
    "tests.fixtures_h5p_play",
    "tests.fixtures_courses",
    "tests.fixtures_s3",
    "tests.fixtures_redis",
    "tests.fixtures_smtp",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
SAMPLES_DIR = Path(
    os.environ.get("H5P_SAMPLES_DIR", Path(settings.BASE_DIR).parent / "shared" / "h5p-samples")
)


def pytest_collection_modifyitems(items):
    """Tests that drive Chromium or need a live server are marked ``browser`` (``make
    test`` runs them in a pytest process of their own: Playwright's greenlets swap Django's
    connection objects, which other transactional tests must not inherit).

    Every transactional test restores the data that migrations created (groups, regions,
    Wagtail's root page...). Mixing transactional tests with and without serialized
    rollback breaks the restore (post_migrate re-creates content types under new ids), so
    all of them use it."""
    for item in items:
        if {"browser", "live_server"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if not marker.kwargs.get("serialized_rollback"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The locmem cache outlives tests: Wagtail's cached site root paths, rate-limit
    counters and the like must not leak from one test into the next, nor the cached H5P
    activity targets (SQLite reuses the ids of rolled-back rows)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language_and_zone():
    """Each test starts in English and UTC: a request through the test client (or a
    service) may leave another language active in this thread for the next test."""
    from django.utils import timezone, translation

    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()
    yield
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()


@pytest.fixture
def page_cache_on(settings):
    """The page cache and its shared fragments switched on (the test settings turn it
    off), on an empty cache."""
    from django.core.cache import cache

    settings.LEARNING_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The demo content of ``load_demo_data``, loaded once for a test module (it takes
    10-25 s): it stays in a transaction that is rolled back after the module's last test,
    and each test runs in a savepoint of its own inside it, as with Django's
    ``setUpTestData``. Ask for ``db`` beside it."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):
            call_command("load_demo_data", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True, scope="session")
def _clean_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(settings.STORAGES["learning_private"]["OPTIONS"]["location"], ignore_errors=True)


@pytest.fixture
def user(db):
    from learning.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user(db):
    from learning.factories import UserFactory

    return UserFactory()


@pytest.fixture
def admin_user(db):
    from learning.factories import UserFactory

    user = UserFactory(email="root@example.org", username="root@example.org")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright cannot download browsers here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Browser tests need Chromium at {CHROMIUM}: apt-get install -y chromium "
            "(or set CHROMIUM_PATH)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def page_as(browser, live_server):
    """``page_as(user, **context_options)``: a Chromium page already signed in as ``user``
    (a real session made by Django's test client, handed over as the session cookie), so a
    browser test starts at the step it is about. Every context is closed after the test."""
    from django.test import Client

    contexts = []

    def open_page(user, *, site=None, **options):
        """``site``: the origin the session cookie is for (default: the live server's)."""
        client = Client()
        client.force_login(user)
        context = browser.new_context(**options)
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": site or live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def xlsx_download_rows():
    """``xlsx_download_rows(link)``: click ``link`` (a Playwright locator, on a page opened
    with ``accept_downloads=True``), check that the file it downloads is an .xlsx, and
    return the rows of its first sheet as tuples of cell values."""
    import openpyxl

    def download_rows(link):
        with link.page.expect_download() as download_info:
            link.click()
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
        # From the bytes: openpyxl goes by the file name's extension, and the saved
        # download's path has none.
        content = Path(download.path()).read_bytes()
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return list(sheet.iter_rows(values_only=True))

    return download_rows


@pytest.fixture
def samples_dir():
    if not SAMPLES_DIR.is_dir():
        message = f"real H5P samples not present at {SAMPLES_DIR}"
        if os.environ.get("CI"):
            # CI always has ../shared beside the clone: a missing folder is a broken set-up.
            pytest.fail(message)
        pytest.skip(message)
    return SAMPLES_DIR
