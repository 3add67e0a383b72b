"""H5P in a real browser: the player runs on the content origin inside the site's sandboxed
frame, statements reach the server and become progress, and package scripts get nothing of
the site."""

import logging
import shutil
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from learning.h5p import player, samples
from learning.models import ActivityProgress, XAPIStatement
from learning.storage import private_storage
from tests.fixtures_h5p_play import add_activity_page

# serialized_rollback: Wagtail's root page, site and locale come from migrations, which a
# transactional test's flush would otherwise remove for the next test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def hosts(live_server, settings):
    """The site on 127.0.0.1 and the content origin on localhost, one live server."""
    port = live_server.url.rsplit(":", 1)[1]
    site = f"http://127.0.0.1:{port}"
    content = f"http://localhost:{port}"
    settings.WAGTAILADMIN_BASE_URL = site
    settings.LEARNING_H5P_ORIGIN = content
    return {"site": site, "content": content}


def logged_in_context(browser, user, site):
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}]
    )
    return context, client.cookies["sessionid"].value


def wait_for(predicate, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    return predicate()


def open_activity(page):
    """Open every activity on the page as a learner does (the player loads only then)."""
    opener = page.locator("[data-h5p-open]")
    while opener.count():
        opener.first.click()
    page.locator("iframe.h5p-activity-frame").first.scroll_into_view_if_needed()


def h5p_frame(page):
    """The H5P content frame: site page > player page (content origin) > H5P's own frame."""
    return page.frame_locator("iframe.h5p-activity-frame").frame_locator("iframe.h5p-iframe")


def test_learner_plays_quick_check_and_completion_and_score_are_recorded(
    browser, hosts, user, quick_check_content
):
    activity_page = add_activity_page(quick_check_content, pass_mark=50)
    context, _session = logged_in_context(browser, user, hosts["site"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(hosts["site"] + activity_page.url)
        open_activity(page)
        frame = h5p_frame(page)
        frame.get_by_label(samples.DEFAULT_ANSWERS[0]).check()
        frame.get_by_role("button", name="Check").click()
        progress = wait_for(
            lambda: ActivityProgress.objects.filter(
                user=user, content=quick_check_content, page=activity_page, completed=True
            ).first()
        )
        assert progress is not None, f"no progress recorded; page errors: {errors}"
        assert progress.best_score == 1.0
        assert progress.success is True
        assert progress.attempts == 1
        assert progress.last_version == quick_check_content.current_version
        statement = XAPIStatement.objects.get(user=user, is_terminal=True)
        assert statement.raw["actor"]["account"]["name"] == str(user.pk)
        status = page.locator("[data-h5p-status]")
        status.filter(has_text="100%").wait_for()
        assert "passed" in status.inner_text()
        assert errors == []  # H5P set the content up completely (resizing, state saving)
    finally:
        context.close()


SNOOPING_LIBRARY = r"""
var H5P = H5P || {};
H5P.CBQuickCheck = (function () {
  function Snoop(params, contentId) { this.params = params; this.contentId = contentId; }
  Snoop.prototype.attach = function ($container) {
    var root = $container.get ? $container.get(0) : $container;
    var report = {origin: window.location.origin, cookie: document.cookie};
    function attempt(name, read) {
      try { report[name] = read(); } catch (error) { report[name] = "threw " + error.name; }
    }
    attempt("topCookie", function () { return window.top.document.cookie; });
    attempt("topHtml", function () { return window.top.document.documentElement.outerHTML; });
    attempt("playerCookie", function () { return window.parent.document.cookie; });
    attempt("csrf", function () {
      return window.top.document.querySelector("[data-csrf]").getAttribute("data-csrf");
    });
    function done() {
      var out = document.createElement("pre");
      out.id = "snoop-report";
      out.textContent = JSON.stringify(report);
      root.appendChild(out);
    }
    fetch(this.params.question + "/accounts/profile/", {credentials: "include"})
      .then(function (response) { return response.text(); })
      .then(function (text) { report.fetch = text; done(); })
      .catch(function (error) { report.fetch = "failed " + error.name; done(); });
  };
  return Snoop;
})();
"""


def test_package_script_gets_nothing_of_the_site(browser, hosts, user):
    import json

    from django.core.files.base import ContentFile

    from learning.h5p.services import import_h5p

    # A patch version of its own: library files of an installed patch are never rewritten.
    shutil.rmtree(
        Path(private_storage().location) / "h5p" / "libraries" / "H5P.CBQuickCheck-1.0.66",
        ignore_errors=True,
    )
    package = samples.build_package(
        title="Snooping package",
        library_version="1.0.66",
        question=hosts["site"],
        extra_files={"H5P.CBQuickCheck-1.0/cbquickcheck.js": SNOOPING_LIBRARY.encode()},
    )
    version = import_h5p(ContentFile(package, "snoop.h5p"), user=None, allow_libraries=True)
    activity_page = add_activity_page(version.content)
    context, session = logged_in_context(browser, user, hosts["site"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(hosts["site"] + activity_page.url)
        assert page.locator("[data-csrf]").get_attribute("data-csrf")  # there is one to steal
        open_activity(page)
        report = json.loads(h5p_frame(page).locator("#snoop-report").inner_text())
    finally:
        context.close()
    assert report["origin"] == player.activity_origin(version.pk)  # its own origin
    assert session not in json.dumps(report)
    assert report["cookie"] == ""
    assert report["playerCookie"] == ""
    assert report["topCookie"] == "threw SecurityError"
    assert report["topHtml"] == "threw SecurityError"
    assert report["csrf"] == "threw SecurityError"
    assert report["fetch"] == "failed TypeError"  # CORS: the site's answer is unreadable


def test_player_framed_by_another_origin_is_refused(browser, hosts, user, quick_check_content):
    from django.urls import reverse

    from learning.h5p import tokens

    activity_page = add_activity_page(quick_check_content)
    token = tokens.issue_token(
        user_id=user.pk,
        version_id=quick_check_content.current_version_id,
        page_id=activity_page.pk,
    )
    player_url = player.activity_origin(quick_check_content.current_version_id) + reverse(
        "learning:h5p_player", args=[token]
    )
    context, _session = logged_in_context(browser, user, hosts["site"])
    page = context.new_page()
    page.route(
        "http://attacker.test/",
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<iframe id="victim" src="{player_url}" width="600" height="400"></iframe>',
        ),
    )
    try:
        # Control: the same URL loads when the site frames it.
        page.goto(hosts["site"] + activity_page.url)
        open_activity(page)
        h5p_frame(page).locator(".h5p-cbquickcheck").wait_for()
        # Fetched directly (Node's resolver knows no *.localhost: ask 127.0.0.1 with the
        # activity's Host header).
        parts = urlsplit(player_url)
        direct = urllib.request.urlopen(
            urllib.request.Request(
                f"http://127.0.0.1:{parts.port}{parts.path}", headers={"Host": parts.netloc}
            )
        )
        assert direct.status == 200
        assert "frame-ancestors " + hosts["site"] in direct.headers["Content-Security-Policy"]
        page.goto("http://attacker.test/")
        page.wait_for_load_state("load")
        wait_for(lambda: any(f.url.startswith("chrome-error://") for f in page.frames), 10)
        victim = page.frame_locator("#victim")
        assert victim.locator("#h5p-container").count() == 0
        frame_urls = [frame.url for frame in page.frames]
        assert player_url not in frame_urls
        assert any(url.startswith("chrome-error://") for url in frame_urls)
    finally:
        context.close()


def import_sample(samples_dir, name):
    from django.core.files.base import ContentFile

    from learning.h5p.services import import_h5p

    data = (samples_dir / name).read_bytes()
    return import_h5p(ContentFile(data, name), user=None, allow_libraries=True).content


# The real packages that must import and play (the XSS one is refused; see H5P.md).
PLAYABLE_SAMPLES = [
    "agamotto__lumi-valid3-3-images.h5p",
    "column-mixed-questions__dthies-contenttype_repurpose.h5p",
    "column-video-dragquestion__lumi-interactive-content-2260.h5p",
    "dragtext__edly-h5pxblock.h5p",
    "greetingcard-minimal__lumi-valid2.h5p",
    "questionset-multichoice__justineuro-h5p-mcq-maker.h5p",
    "truefalse__tunapanda-h5p-standalone.h5p",
]


@pytest.mark.samples
@pytest.mark.parametrize("name", PLAYABLE_SAMPLES)
def test_sample_appears_with_every_file_it_asks_for(
    browser, hosts, user, samples_dir, caplog, name
):
    """Each real package appears: its content type draws itself, and the server answered
    every request of the page and its frames, so no file the player asks for is missing
    (the live server logs each 4xx/5xx on django.request; the content frames run in
    another renderer process, whose requests the browser context does not report)."""
    activity_page = add_activity_page(import_sample(samples_dir, name))
    context, _session = logged_in_context(browser, user, hosts["site"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    caplog.set_level(logging.WARNING, logger="django.request")
    try:
        page.goto(hosts["site"] + activity_page.url)
        open_activity(page)
        h5p_frame(page).locator(".h5p-content > *").first.wait_for()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    refused = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert refused == []


@pytest.mark.samples
def test_true_false_sample_plays_to_a_recorded_completion(browser, hosts, user, samples_dir):
    content = import_sample(samples_dir, "truefalse__tunapanda-h5p-standalone.h5p")
    activity_page = add_activity_page(content)
    context, _session = logged_in_context(browser, user, hosts["site"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(hosts["site"] + activity_page.url)
        open_activity(page)
        frame = h5p_frame(page)
        frame.locator(".h5p-true-false-answer").first.click()
        frame.locator("button.h5p-question-check-answer").click()
        progress = wait_for(
            lambda: ActivityProgress.objects.filter(user=user, completed=True).first()
        )
    finally:
        context.close()
    assert progress is not None
    assert progress.attempts == 1
    assert progress.best_score in (0.0, 1.0)
    terminal = XAPIStatement.objects.get(user=user, is_terminal=True)
    assert terminal.verb == "http://adlnet.gov/expapi/verbs/answered"
    assert not terminal.is_child


@pytest.mark.samples
def test_question_set_sample_stores_children_and_completes_once(browser, hosts, user, samples_dir):
    content = import_sample(samples_dir, "questionset-multichoice__justineuro-h5p-mcq-maker.h5p")
    activity_page = add_activity_page(content)
    context, _session = logged_in_context(browser, user, hosts["site"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(hosts["site"] + activity_page.url)
        open_activity(page)
        frame = h5p_frame(page)
        frame.get_by_role("button", name="Start Quiz").click()
        for number in range(5):  # poolSize 5
            question = frame.locator(".question-container:visible")
            question.locator(".h5p-answer").first.click()
            question.locator("button.h5p-question-check-answer").click()
            assert not ActivityProgress.objects.filter(user=user, completed=True).exists()
            if number < 4:
                question.locator(".h5p-question-next").click()
            else:
                question.locator(".h5p-question-finish").click()
        progress = wait_for(
            lambda: ActivityProgress.objects.filter(user=user, completed=True).first()
        )
        children = wait_for(
            lambda: (
                XAPIStatement.objects.filter(
                    user=user, is_child=True, verb__endswith="answered"
                ).count()
                >= 5
            )
        )
    finally:
        context.close()
    assert progress is not None and progress.attempts == 1
    assert children
    terminal = XAPIStatement.objects.get(user=user, is_terminal=True)
    assert terminal.verb == "http://adlnet.gov/expapi/verbs/completed"
    assert not XAPIStatement.objects.filter(is_child=True, is_terminal=True).exists()
    assert (
        XAPIStatement.objects.filter(user=user, is_child=True)
        .exclude(sub_content_id="")
        .values("sub_content_id")
        .distinct()
        .count()
        >= 5
    )


def test_learner_resumes_where_they_left_off(browser, hosts, user, quick_check_content, settings):
    from learning.models import H5PUserData

    settings.LEARNING_H5P_SAVE_FREQUENCY = 1
    activity_page = add_activity_page(quick_check_content)
    context, _session = logged_in_context(browser, user, hosts["site"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(hosts["site"] + activity_page.url)
        open_activity(page)
        h5p_frame(page).get_by_label(samples.DEFAULT_ANSWERS[2]).check()
        saved = wait_for(
            lambda: H5PUserData.objects.filter(
                user=user, page=activity_page, data__contains='"selected":2'
            ).exists()
        )
        assert saved, "the player never saved its state"
        page.reload()
        open_activity(page)
        option = h5p_frame(page).get_by_label(samples.DEFAULT_ANSWERS[2])
        option.wait_for()
        assert option.is_checked()
    finally:
        context.close()
