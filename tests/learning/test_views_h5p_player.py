"""The activity block, the player page and package files on the content origin."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse

from learning.h5p import player, tokens
from tests.fixtures_h5p_play import add_activity_page, content_host

pytestmark = pytest.mark.django_db


def player_path(response):
    match = re.search(r'<iframe class="h5p-activity-frame" src="([^"]+)"', response.text)
    assert match, "the page has no player frame"
    url = match.group(1).replace("&amp;", "&")
    assert re.match(r"^http://v[0-9]+\.h5p\.testserver/h5p/", url), url
    return urlsplit(url).path


def on_content_host(client, path, **extra):
    client.cookies.clear()
    return client.get(path, HTTP_HOST=content_host(path), **extra)


def test_block_frames_the_player_from_the_content_origin_in_a_sandbox(
    learner_client, activity_page
):
    response = learner_client.get(activity_page.url)
    assert response.status_code == 200
    assert 'sandbox="allow-scripts allow-same-origin allow-forms allow-popups"' in response.text
    assert "allow-top-navigation" not in response.text
    version = activity_page.body[0].value["content"].current_version_id
    assert f'data-h5p-origin="http://v{version}.h5p.testserver"' in response.text
    player_path(response)


def test_player_loads_only_when_the_learner_opens_the_activity(learner_client, activity_page):
    content = activity_page.body[0].value["content"]
    closed = learner_client.get(activity_page.url).text
    # The frame waits, inert, in a <template>; a link opens it (scripts on or off).
    assert closed.count("<iframe") == closed.count("<template data-h5p-frame><iframe") == 1
    link = re.search(
        r'<a class="button" href="([^"]+)" data-h5p-open>Open the activity</a>', closed
    )
    assert link, "no control to open the activity"
    assert link.group(1) == f"?activity={content.pk}#h5p-activity-{content.pk}"
    opened = learner_client.get(activity_page.url + f"?activity={content.pk}").text
    assert "<template data-h5p-frame>" not in opened and "data-h5p-open" not in opened
    assert opened.count('<iframe class="h5p-activity-frame"') == 1


def test_anonymous_visitor_is_asked_to_log_in_and_gets_no_player(client, activity_page):
    response = client.get(activity_page.url)
    assert response.status_code == 200
    assert "h5p-activity-frame" not in response.text
    assert "Log in to do this activity" in response.text


def test_player_page_headers_restrict_framing_scripts_and_sniffing(learner_client, activity_page):
    path = player_path(learner_client.get(activity_page.url))
    response = on_content_host(learner_client, path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors http://testserver" in csp
    assert (
        f"script-src 'self' http://h5p.testserver '{player.H5P_INLINE_BOOTSTRAP_HASH}' "
        "'unsafe-eval'"
    ) in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert "X-Frame-Options" not in response
    assert "<script>" not in response.text  # no inline script of our own
    assert not response.cookies


def test_inline_bootstrap_hash_matches_the_installed_h5p_standalone():
    from django.contrib.staticfiles import finders

    frame_bundle = finders.find("h5p-standalone/frame.bundle.js")
    assert frame_bundle, "h5p-standalone is not installed (npm ci)"
    with open(frame_bundle, encoding="utf-8") as handle:
        assert player.H5P_INLINE_BOOTSTRAP in handle.read()


def test_package_and_library_files_have_exact_types(
    learner_client, activity_page, quick_check_content
):
    token = player_path(learner_client.get(activity_page.url)).split("/")[2]
    version = quick_check_content.current_version
    manifest = on_content_host(learner_client, f"/h5p/{token}/{version.pk}/h5p.json")
    assert manifest.status_code == 200
    assert manifest["Content-Type"] == "application/json"
    assert manifest["X-Content-Type-Options"] == "nosniff"
    assert b"H5P.CBQuickCheck" in b"".join(manifest.streaming_content)
    content = on_content_host(learner_client, f"/h5p/{token}/{version.pk}/content/content.json")
    assert content.status_code == 200
    libraries = player.libraries_url().removeprefix("http://h5p.testserver")
    script = on_content_host(learner_client, f"{libraries}/H5P.CBQuickCheck-1.0/cbquickcheck.js")
    assert script.status_code == 200
    assert script["Content-Type"] == "text/javascript; charset=utf-8"
    css = on_content_host(learner_client, f"{libraries}/H5P.CBQuickCheck-1.0/cbquickcheck.css")
    assert css["Content-Type"] == "text/css; charset=utf-8"
    asset = on_content_host(learner_client, shared_path("main.bundle.js"))
    assert asset.status_code == 200
    assert asset["Content-Type"] == "text/javascript; charset=utf-8"
    bootstrap = on_content_host(learner_client, shared_path("player.js"))
    assert bootstrap.status_code == 200


def shared_path(asset):
    return urlsplit(player.player_asset_url(asset)).path


@pytest.mark.parametrize(
    "suffix",
    ["../../etc/passwd", "content/../h5p.json", ".hidden", "content/%2e%2e/x", "other.txt"],
)
def test_package_paths_cannot_leave_the_version(
    learner_client, activity_page, quick_check_content, suffix
):
    token = player_path(learner_client.get(activity_page.url)).split("/")[2]
    version = quick_check_content.current_version
    response = on_content_host(learner_client, f"/h5p/{token}/{version.pk}/{suffix}")
    assert response.status_code == 404


def test_token_is_bound_to_its_version(
    learner_client, activity_page, quick_check_content, h5p_upload
):
    from learning.h5p.services import import_h5p

    other = import_h5p(h5p_upload(title="Other"), user=None, allow_libraries=True)
    token = player_path(learner_client.get(activity_page.url)).split("/")[2]
    response = on_content_host(learner_client, f"/h5p/{token}/{other.pk}/h5p.json")
    assert response.status_code == 404


def test_forged_or_expired_token_is_refused(
    learner_client, activity_page, quick_check_content, user
):
    version = quick_check_content.current_version
    forged = tokens.issue_token(user_id=user.pk, version_id=version.pk, page_id=activity_page.pk)
    forged = forged[:-2] + ("AA" if not forged.endswith("AA") else "BB")
    assert (
        on_content_host(learner_client, f"/h5p/{forged}/{version.pk}/h5p.json").status_code == 403
    )
    assert on_content_host(learner_client, f"/h5p/{forged}/play/").status_code == 403
    valid = tokens.issue_token(user_id=user.pk, version_id=version.pk, page_id=activity_page.pk)
    with override_settings(LEARNING_H5P_TOKEN_TTL=-1):
        assert (
            on_content_host(learner_client, f"/h5p/{valid}/{version.pk}/h5p.json").status_code
            == 403
        )


def test_site_pages_are_not_served_on_the_content_host(learner_client, activity_page):
    assert on_content_host(learner_client, activity_page.url).status_code == 404
    assert on_content_host(learner_client, "/admin/").status_code == 404
    assert on_content_host(learner_client, "/accounts/login/").status_code == 404


def test_h5p_files_are_not_served_on_the_site_host(
    learner_client, activity_page, quick_check_content
):
    token = player_path(learner_client.get(activity_page.url)).split("/")[2]
    version = quick_check_content.current_version
    assert learner_client.get(f"/h5p/{token}/{version.pk}/h5p.json").status_code == 404
    assert learner_client.get(f"/h5p/{token}/play/").status_code == 404
    assert learner_client.get(shared_path("main.bundle.js")).status_code == 404
    library = urlsplit(player.libraries_url()).path + "/H5P.CBQuickCheck-1.0/cbquickcheck.js"
    assert learner_client.get(library).status_code == 404


def test_content_host_ignores_and_never_sets_cookies(
    learner_client, activity_page, quick_check_content
):
    path = player_path(learner_client.get(activity_page.url))
    session_cookie = learner_client.cookies["sessionid"].value
    # Even if a session cookie reached the content host, it would not authenticate anything.
    response = learner_client.get(
        path, HTTP_HOST=content_host(path), HTTP_COOKIE=f"sessionid={session_cookie}"
    )
    assert response.status_code == 200
    assert not response.cookies
    assert session_cookie not in response.text


def test_player_is_refused_once_the_page_stops_embedding_the_content(learner_client, activity_page):
    path = player_path(learner_client.get(activity_page.url))
    activity_page.body = []
    activity_page.save_revision().publish()
    assert on_content_host(learner_client, path).status_code == 403


def test_player_options_point_everything_at_the_content_origin(learner_client, activity_page):
    path = player_path(learner_client.get(activity_page.url))
    response = on_content_host(learner_client, path)
    config = response.context["config"]
    options = config["options"]
    for key in ("h5pJsonPath", "contentJsonPath"):
        assert options[key].startswith(f"http://{content_host(path)}/h5p/"), key
    # What every activity shares comes from the bare content host, without a token.
    token = path.split("/")[2]
    for key in ("librariesPath", "frameJs", "frameCss"):
        assert options[key].startswith("http://h5p.testserver/h5p/"), key
        assert token not in options[key], key
    assert options["ajax"]["contentUserDataUrl"].startswith(f"http://{content_host(path)}/h5p/")
    assert options["xAPIObjectIRI"].endswith(
        f"/learning/h5p/activity/{activity_page.pk}/{activity_page.body[0].value['content'].pk}"
    )
    assert config["siteOrigin"] == "http://testserver"


def test_resume_state_round_trip(learner_client, activity_page, quick_check_content):
    path = player_path(learner_client.get(activity_page.url))
    token = path.split("/")[2]
    version = quick_check_content.current_version
    url = f"/h5p/{token}/state/{version.pk}/state/0/"
    empty = on_content_host(learner_client, url)
    assert empty.json() == {"success": True}
    saved = learner_client.post(
        url,
        {"data": '{"selected": 1}', "preload": "1", "invalidate": "0"},
        HTTP_HOST=content_host(url),
    )
    assert saved.json() == {"success": True}
    assert on_content_host(learner_client, url).json() == {
        "success": True,
        "data": '{"selected": 1}',
    }
    learner_client.post(url, {"data": "0"}, HTTP_HOST=content_host(url))
    assert on_content_host(learner_client, url).json() == {"success": True}


def test_resume_state_is_per_learner(client, activity_page, quick_check_content, user, other_user):
    version = quick_check_content.current_version
    mine = tokens.issue_token(user_id=user.pk, version_id=version.pk, page_id=activity_page.pk)
    theirs = tokens.issue_token(
        user_id=other_user.pk, version_id=version.pk, page_id=activity_page.pk
    )
    client.post(
        f"/h5p/{mine}/state/{version.pk}/state/0/",
        {"data": '{"a": 1}'},
        HTTP_HOST=content_host(f"/h5p/{mine}/"),
    )
    assert client.get(
        f"/h5p/{theirs}/state/{version.pk}/state/0/", HTTP_HOST=content_host(f"/h5p/{theirs}/")
    ).json() == {"success": True}


def test_oversized_resume_state_is_refused(client, activity_page, quick_check_content, user):
    version = quick_check_content.current_version
    token = tokens.issue_token(user_id=user.pk, version_id=version.pk, page_id=activity_page.pk)
    with override_settings(LEARNING_H5P_STATE_MAX_SIZE=10):
        response = client.post(
            f"/h5p/{token}/state/{version.pk}/state/0/",
            {"data": '{"x": "' + "a" * 20 + '"}'},
            HTTP_HOST=content_host(f"/h5p/{token}/"),
        )
    assert response.status_code == 413
    assert client.get(
        f"/h5p/{token}/state/{version.pk}/state/0/", HTTP_HOST=content_host(f"/h5p/{token}/")
    ).json() == {"success": True}


def test_activity_iri_resolves_to_its_page(client, activity_page, quick_check_content):
    from learning.h5p.xapi import activity_iri

    path = urlsplit(activity_iri(activity_page.pk, quick_check_content.pk)).path
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == activity_page.url


def test_page_listing_two_activities_renders_in_bounded_queries(
    learner_client, quick_check_content, django_assert_max_num_queries
):
    from learning.models import ActivityPage

    page = add_activity_page(quick_check_content, title="Two quizzes")
    page.body = [
        {
            "type": "h5p",
            "value": {"content": quick_check_content.pk, "pass_mark": None, "required": True},
        },
        {
            "type": "h5p",
            "value": {"content": quick_check_content.pk, "pass_mark": 80, "required": True},
        },
    ]
    page.save_revision().publish()
    page = ActivityPage.objects.get(pk=page.pk)
    learner_client.get(page.url)  # warm caches (site root, content types)
    with django_assert_max_num_queries(20):
        response = learner_client.get(page.url)
    assert response.text.count("h5p-activity-frame") == 2


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, []),
        ({"LEARNING_H5P_ORIGIN": ""}, ["learning.E101"]),
        ({"LEARNING_H5P_ORIGIN": "http://testserver:8000"}, ["learning.E102"]),
        (
            {
                "LEARNING_H5P_ORIGIN": "https://h5p.example.org",
                "SESSION_COOKIE_DOMAIN": ".example.org",
            },
            ["learning.W103"],
        ),
        (
            {"LEARNING_H5P_ORIGIN": "https://h5p.example.net", "ALLOWED_HOSTS": ["example.org"]},
            ["learning.W105"],
        ),
        (
            {
                "LEARNING_H5P_ORIGIN": "https://h5p.example.net",
                "ALLOWED_HOSTS": ["h5p.example.net"],
            },
            ["learning.W105"],
        ),
        (
            {
                "LEARNING_H5P_ORIGIN": "https://h5p.example.net",
                "ALLOWED_HOSTS": [".h5p.example.net"],
            },
            [],
        ),
        (
            {
                "LEARNING_H5P_ORIGIN": "https://h5p.example.net",
                "ALLOWED_HOSTS": ["example.org"],
                "LEARNING_H5P_ORIGIN_PER_ACTIVITY": False,
            },
            ["learning.W104"],
        ),
    ],
)
def test_system_check_refuses_a_content_origin_sharing_the_site_origin_or_cookies(
    overrides, expected
):
    from learning.h5p.checks import check_content_origin

    with override_settings(**overrides):
        assert [message.id for message in check_content_origin(None)] == expected


def test_my_learning_lists_activity_results_in_bounded_queries(
    learner_client, user, quick_check_content, django_assert_max_num_queries
):
    from learning.h5p.services import record_statements
    from tests.fixtures_h5p_play import statement

    for index in range(3):
        page = add_activity_page(quick_check_content, title=f"Practice {index}")
        record_statements(user, statement(page, quick_check_content, raw=1, success=True))
    learner_client.get("/dashboard/")
    with django_assert_max_num_queries(25):
        response = learner_client.get("/dashboard/")
    assert response.status_code == 200
    assert response.text.count(quick_check_content.title) >= 3
    assert "Practice 2" in response.text
    assert "100%" in response.text
    assert "UTC" in response.text


def test_editors_choose_h5p_content_in_the_block_chooser(client, admin_user, quick_check_content):
    client.force_login(admin_user)
    response = client.get(reverse("h5p_content_chooser:choose"))
    assert response.status_code == 200
    assert quick_check_content.title in response.json()["html"]
    chosen = client.get(reverse("h5p_content_chooser:chosen", args=[quick_check_content.pk]))
    assert chosen.json()["result"]["title"] == quick_check_content.title


def test_activity_page_editor_form_renders(client, admin_user, activity_page):
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[activity_page.pk]))
    assert response.status_code == 200
    assert "H5P activity" in response.text


def test_a_token_works_only_on_its_own_activity_origin(learner_client, activity_page):
    """Each version plays on v<id>.<content host>: the same token on the bare content host
    or on another version's host is not found, so one package's origin never holds
    another's player, files or saved state."""
    path = player_path(learner_client.get(activity_page.url))
    token = path.split("/")[2]
    version = activity_page.body[0].value["content"].current_version_id
    own = content_host(path)
    assert own == f"v{version}.h5p.testserver"
    state = f"/h5p/{token}/state/{version}/state/0/"
    files = f"/h5p/{token}/{version}/h5p.json"
    for url in (path, state, files):
        assert on_content_host(learner_client, url).status_code == 200, url
        for host in ("h5p.testserver", f"v{version + 1}.h5p.testserver"):
            learner_client.cookies.clear()
            assert learner_client.get(url, HTTP_HOST=host).status_code == 404, (url, host)
    # Hosts that only look like activity hosts are not the content origin at all.
    for host in ("v01.h5p.testserver", "x1.h5p.testserver", "v1.v1.h5p.testserver"):
        assert player.content_host_version(host) is None, host
    assert player.content_host_version("V7.H5P.testserver:8000") == 7


def test_one_shared_content_origin_when_per_activity_origins_are_off(
    learner_client, activity_page, settings
):
    settings.LEARNING_H5P_ORIGIN_PER_ACTIVITY = False
    page = learner_client.get(activity_page.url).text
    match = re.search(r'class="h5p-activity-frame" src="http://h5p\.testserver(/h5p/[^"]+)"', page)
    assert match, "the player is not on the shared content origin"
    learner_client.cookies.clear()
    assert learner_client.get(match.group(1), HTTP_HOST="h5p.testserver").status_code == 200
