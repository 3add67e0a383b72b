"""Shared H5P files (installed libraries, the player's scripts and styles): one origin for
every activity, immutable URLs, no token; compressed text on the content origin."""

import gzip
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from learning.h5p import assets, player
from tests.learning.test_views_h5p_player import on_content_host, player_path

pytestmark = pytest.mark.django_db

SHARED_HOST = "h5p.testserver"
LIBRARY_FILE = "H5P.CBQuickCheck-1.0/cbquickcheck.js"


def library_path(relative=LIBRARY_FILE):
    return urlsplit(player.libraries_url()).path + "/" + relative


def shared_get(client, path, **extra):
    client.cookies.clear()
    return client.get(path, HTTP_HOST=SHARED_HOST, **extra)


def test_library_files_are_public_immutable_and_readable_from_every_activity_origin(
    client, quick_check_content
):
    response = shared_get(client, library_path())
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.cookies


def test_player_assets_are_immutable_and_fonts_load_cross_origin(client):
    for asset in ("main.bundle.js", "styles/h5p.css", "fonts/h5p-core-30.woff2"):
        response = shared_get(client, urlsplit(player.player_asset_url(asset)).path)
        assert response.status_code == 200, asset
        assert response["Cache-Control"] == assets.IMMUTABLE
        assert response["Access-Control-Allow-Origin"] == "*"


def test_shared_files_are_served_by_one_origin_only(client, quick_check_content):
    """Not on an activity origin: every activity and a CDN share the one cached copy."""
    version = quick_check_content.current_version_id
    for path in (library_path(), urlsplit(player.player_asset_url("main.bundle.js")).path):
        client.cookies.clear()
        assert client.get(path, HTTP_HOST=f"v{version}.{SHARED_HOST}").status_code == 404
        assert client.get(path).status_code == 404  # nor on the site


def test_library_url_changes_when_a_library_is_upgraded(client, quick_check_content, h5p_upload):
    from learning.h5p.services import import_h5p
    from learning.storage import private_storage

    # A patch version of its own: files of an installed patch are never rewritten.
    shutil.rmtree(
        Path(private_storage().location) / "h5p" / "libraries" / "H5P.CBQuickCheck-1.0.99",
        ignore_errors=True,
    )
    before = player.libraries_url()
    import_h5p(h5p_upload(library_version="1.0.99"), user=None, allow_libraries=True)
    after = player.libraries_url()
    assert after != before
    # The old URL still answers (a page rendered just before) but is not kept for long.
    old = shared_get(client, urlsplit(before).path + "/" + LIBRARY_FILE)
    assert old.status_code == 200
    assert old["Cache-Control"] == assets.STALE
    assert shared_get(client, library_path())["Cache-Control"] == assets.IMMUTABLE


@pytest.mark.parametrize(
    "relative",
    [
        "H5P.Unknown-1.0/library.json",
        "H5P.CBQuickCheck-9.9/cbquickcheck.js",
        "H5P.CBQuickCheck/cbquickcheck.js",
        "H5P.CBQuickCheck-1.0/missing.js",
        "H5P.CBQuickCheck-1.0/../../content/content.json",
        "H5P.CBQuickCheck-1.0/.hidden",
        "H5P.CBQuickCheck-1.0/%2e%2e/x.js",
    ],
)
def test_unknown_libraries_and_paths_outside_a_library_are_not_found(
    client, quick_check_content, relative
):
    assert shared_get(client, library_path(relative)).status_code == 404


def test_content_files_keep_their_token(learner_client, activity_page, quick_check_content):
    token = player_path(learner_client.get(activity_page.url)).split("/")[2]
    version = quick_check_content.current_version_id
    own = f"/h5p/{token}/{version}/content/content.json"
    assert on_content_host(learner_client, own).status_code == 200
    learner_client.cookies.clear()
    # The bare content host serves the shared files, never anything a token guards.
    assert learner_client.get(own, HTTP_HOST=SHARED_HOST).status_code == 404
    assert shared_get(learner_client, f"/h5p/libraries/x/{version}/h5p.json").status_code == 404


def test_text_is_gzipped_on_the_content_origin_and_varies_on_accept_encoding(
    client, quick_check_content
):
    path = urlsplit(player.player_asset_url("main.bundle.js")).path
    plain = shared_get(client, path)
    raw = b"".join(plain.streaming_content)
    zipped = shared_get(client, path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    body = b"".join(zipped.streaming_content)
    assert gzip.decompress(body) == raw
    assert len(body) < len(raw) / 2
    font = shared_get(
        client,
        urlsplit(player.player_asset_url("fonts/h5p-core-30.woff2")).path,
        HTTP_ACCEPT_ENCODING="gzip",
    )
    assert not font.has_header("Content-Encoding")  # already compressed


def test_site_pages_are_not_gzipped(learner_client, activity_page):
    response = learner_client.get(activity_page.url, HTTP_ACCEPT_ENCODING="gzip")
    assert not response.has_header("Content-Encoding")
