"""The content origin's player cannot send the learner's data to a third party (issue 18,
item 3): every fetch directive, form-action and base-uri of its Content-Security-Policy
name only the content origin (the activity's own, and the bare content host that serves
the libraries every activity shares)."""

import pytest

from learning.h5p import player
from tests.fixtures_h5p_play import content_host
from tests.learning.test_views_h5p_player import on_content_host, player_path

pytestmark = pytest.mark.django_db

# What a package could use to send data out; each must be set (not left to a default that
# a later edit could widen) and allow nothing but the content origin.
OUTBOUND = [
    "default-src",
    "connect-src",
    "img-src",
    "media-src",
    "font-src",
    "style-src",
    "script-src",
    "frame-src",
    "child-src",
    "worker-src",
    "manifest-src",
    "object-src",
    "form-action",
    "base-uri",
]
# Keywords that name no place: 'unsafe-eval' lets scripts already in the page compile
# strings (some H5P libraries need it), it loads nothing from anywhere.
LOCAL_SOURCES = {"'self'", "'none'", "data:", "blob:", "'unsafe-inline'", "'unsafe-eval'"}


def directives(header):
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def test_every_outbound_directive_names_only_the_content_origin(learner_client, activity_page):
    path = player_path(learner_client.get(activity_page.url))
    response = on_content_host(learner_client, path)
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    hash_source = f"'{player.H5P_INLINE_BOOTSTRAP_HASH}'"
    shared = player.shared_origin()
    assert shared == "http://h5p.testserver"  # the content host: no site, no cookies
    for name in OUTBOUND:
        assert name in csp, name
        others = set(csp[name]) - LOCAL_SOURCES - {hash_source, shared}
        assert not others, (name, others)
    assert csp["connect-src"] == ["'self'", shared]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    # 'self' is the content origin: another host than the site, which never gets cookies.
    assert response.wsgi_request.get_host() == content_host(path)
    assert csp["frame-ancestors"] == ["http://testserver"]
    assert response["X-DNS-Prefetch-Control"] == "off"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_expired_player_page_has_the_same_policy(client):
    response = client.get("/h5p/not-a-token/play/", HTTP_HOST="h5p.testserver")
    assert response.status_code == 403
    assert response["Content-Security-Policy"] == player.player_csp()


def test_package_files_opened_on_their_own_run_nothing_and_load_nothing(
    learner_client, activity_page, quick_check_content
):
    path = player_path(learner_client.get(activity_page.url))
    token = path.split("/")[2]
    version = quick_check_content.current_version
    response = on_content_host(learner_client, f"/h5p/{token}/{version.pk}/h5p.json")
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"] and "sandbox" in csp
