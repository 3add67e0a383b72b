"""Fixtures for H5P play/track tests: a page embedding an activity, statements as H5P
sends them, and a logged-in learner."""

import uuid

import pytest
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from learning.h5p.xapi import activity_iri


def default_site_root():
    """The default site's root page; rebuilt (as migrations make it) when a transactional
    test's flush removed it."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root"))
    home = root.add_child(instance=Page(title="Welcome", slug="home"))
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return home


def add_activity_page(content, *, title="Practice quiz", pass_mark=None, parent=None, **extra):
    """A live ActivityPage under the default site's root with one H5P activity block."""
    from learning.models import ActivityPage

    parent = parent or default_site_root()
    body = [
        {
            "type": "h5p",
            "value": {"content": content.pk, "pass_mark": pass_mark, "required": True},
        }
    ]
    page = ActivityPage(title=title, body=body, **extra)
    parent.add_child(instance=page)
    page.save_revision().publish()  # as editors do: the page has a live revision
    page.refresh_from_db()
    return page


def statement(
    page,
    content,
    *,
    verb="answered",
    raw=None,
    max_score=1,
    success=None,
    child=None,
    statement_id=None,
    version=None,
    **extra,
):
    """An xAPI statement shaped like those H5P sends (actor deliberately someone else)."""
    iri = activity_iri(page.pk, content.pk)
    data = {
        "id": str(statement_id or uuid.uuid4()),
        "actor": {"name": "Someone Else", "mbox": "mailto:forged@example.org"},
        "verb": {
            "id": verb if verb.startswith("http") else f"http://adlnet.gov/expapi/verbs/{verb}",
            "display": {"en-US": verb},
        },
        "object": {
            "id": iri if child is None else f"{iri}?subContentId={child}",
            "objectType": "Activity",
            "definition": {
                "extensions": {
                    "http://h5p.org/x-api/h5p-local-content-id": (
                        version or content.current_version
                    ).pk
                },
                "name": {"en-US": content.title},
            },
        },
        "context": {
            "contextActivities": {"category": [{"id": "http://h5p.org/libraries/H5P.X-1.0"}]}
        },
    }
    if raw is not None:
        data["result"] = {"score": {"raw": raw, "max": max_score, "min": 0}}
        if success is not None:
            data["result"]["success"] = success
    if child is not None:
        data["context"]["contextActivities"]["parent"] = [{"id": iri, "objectType": "Activity"}]
    data.update(extra)
    return data


@pytest.fixture
def activity_page(quick_check_content):
    return add_activity_page(quick_check_content)


@pytest.fixture
def learner_client(client, user):
    client.force_login(user)
    return client


def content_host(path):
    """The host a content-origin request for ``path`` (``/h5p/<token>/...``) goes to: the
    activity host of the token's version (``v<id>.h5p.testserver``)."""
    from urllib.parse import urlsplit

    from learning.h5p import player, tokens

    parts = path.split("/")
    try:
        version_id = tokens.read_token(parts[2] if len(parts) > 2 else "").version_id
    except tokens.InvalidToken:  # no token, or a forged one: the content host itself
        return urlsplit(player.content_origin()).netloc
    return urlsplit(player.activity_origin(version_id)).netloc
