"""Two packages on one page, in Chromium (issue 18, item 2): each activity plays on its own
origin (``v<version>.<content host>``), so one package's frame cannot script the other's,
and the site page's relay takes a statement only about the activity of the frame that
sent it, so a package cannot record results for another activity."""

import json
import shutil
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from learning.h5p import player, samples
from learning.models import ActivityPage, ActivityProgress, XAPIStatement
from learning.storage import private_storage
from tests.fixtures_h5p_play import default_site_root
from tests.learning.test_browser_h5p import open_activity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# A package that, once told to, tries to read the other activity's frame and records a
# full score for the other activity through H5P's own xAPI path (player.js relays it),
# next to an honest statement about itself.
ATTACKING_LIBRARY = r"""
var H5P = H5P || {};
H5P.CBQuickCheck = (function (EventDispatcher) {
  function Attack(params, contentId) {
    EventDispatcher.call(this);
    this.params = params;
    this.contentId = contentId;
  }
  Attack.prototype = Object.create(EventDispatcher.prototype);
  Attack.prototype.constructor = Attack;
  Attack.prototype.getScore = function () { return 1; };
  Attack.prototype.getMaxScore = function () { return 1; };
  Attack.prototype.attach = function ($container) {
    var self = this;
    var root = $container.get ? $container.get(0) : $container;
    var button = document.createElement("button");
    button.textContent = "Attack";
    button.addEventListener("click", function () {
      var report = {origin: window.location.origin, frames: []};
      for (var i = 0; i < window.top.frames.length; i++) {
        var frame = window.top.frames[i];
        if (frame === window.parent) { continue; }
        try {
          report.frames.push(frame.document.documentElement.outerHTML.length);
        } catch (error) {
          report.frames.push("threw " + error.name);
        }
      }
      var honest = self.createXAPIEventTemplate("answered");
      honest.setScoredResult(1, 1, self, true, true);
      self.trigger(honest);
      var forged = self.createXAPIEventTemplate("answered");
      forged.setScoredResult(1, 1, self, true, true);
      forged.data.statement.object.id = forged.data.statement.object.id.replace(
        /\/[0-9]+$/, "/" + self.params.question);
      self.trigger(forged);
      var out = document.createElement("pre");
      out.id = "attack-report";
      out.textContent = JSON.stringify(report);
      root.appendChild(out);
    });
    root.appendChild(button);
  };
  return Attack;
})(H5P.EventDispatcher);
"""


@pytest.fixture
def hosts(live_server, settings):
    port = live_server.url.rsplit(":", 1)[1]
    settings.WAGTAILADMIN_BASE_URL = f"http://127.0.0.1:{port}"
    settings.LEARNING_H5P_ORIGIN = f"http://localhost:{port}"
    return {"site": f"http://127.0.0.1:{port}"}


def _import(package, name):
    from learning.h5p.services import import_h5p

    return import_h5p(ContentFile(package, name), user=None, allow_libraries=True)


def test_one_package_can_neither_script_nor_score_another(page_as, hosts, user):
    victim = _import(samples.build_package(title="Victim quiz"), "victim.h5p")
    shutil.rmtree(  # a patch version of its own for the attacking library
        Path(private_storage().location) / "h5p" / "libraries" / "H5P.CBQuickCheck-1.0.77",
        ignore_errors=True,
    )
    attacker = _import(
        samples.build_package(
            title="Attacking quiz",
            library_version="1.0.77",
            question=str(victim.content_id),
            extra_files={"H5P.CBQuickCheck-1.0/cbquickcheck.js": ATTACKING_LIBRARY.encode()},
        ),
        "attacker.h5p",
    )
    lesson = ActivityPage(
        title="Two activities",
        body=[
            {"type": "h5p", "value": {"content": victim.content_id, "required": True}},
            {"type": "h5p", "value": {"content": attacker.content_id, "required": True}},
        ],
    )
    default_site_root().add_child(instance=lesson)
    lesson.save_revision().publish()

    page = page_as(user, site=hosts["site"], viewport={"width": 1000, "height": 3000})
    page.set_default_timeout(20_000)
    page.goto(hosts["site"] + lesson.url)
    open_activity(page)
    frames = page.locator("iframe.h5p-activity-frame")
    assert frames.nth(0).get_attribute("src").startswith(player.activity_origin(victim.pk))
    assert frames.nth(1).get_attribute("src").startswith(player.activity_origin(attacker.pk))
    inner = [
        page.frame_locator(f"iframe.h5p-activity-frame >> nth={n}").frame_locator(
            "iframe.h5p-iframe"
        )
        for n in (0, 1)
    ]
    # The victim has loaded (installing the attacker's patch upgraded the library for both
    # contents, so it shows the same button; only the attacker's is clicked).
    inner[0].get_by_role("button", name="Attack").wait_for()
    inner[1].get_by_role("button", name="Attack").click()
    report = json.loads(inner[1].locator("#attack-report").inner_text())

    assert report["origin"] == player.activity_origin(attacker.pk)
    assert report["frames"] == ["threw SecurityError"]
    deadline = time.monotonic() + 15
    while (
        time.monotonic() < deadline
        and not ActivityProgress.objects.filter(user=user, content=attacker.content).exists()
    ):
        time.sleep(0.2)
    # The honest statement about itself is recorded; the forged one never left the page.
    assert ActivityProgress.objects.filter(user=user, content=attacker.content).exists()
    assert not ActivityProgress.objects.filter(user=user, content=victim.content).exists()
    recorded = [row.raw["object"]["id"] for row in XAPIStatement.objects.filter(user=user)]
    assert recorded and all(iri.endswith(f"/{attacker.content_id}") for iri in recorded)
