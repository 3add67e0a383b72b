"""What a learner on a slow link downloads for a lesson with a real H5P question set, and
that a revisit takes the shared libraries from the browser's cache.

Bytes are counted by Chromium itself (DevTools protocol: ``Network.loadingFinished``'s
``encodedDataLength``, i.e. what crossed the network, headers included). Site isolation
is off in the measuring browser so that one DevTools session sees the requests of the
player's frames too (they are on other origins, normally other processes).

``bench/h5p_assets.py`` runs this test with ``H5P_BENCH_OUT`` set: it then also measures
the first visit and the revisit on emulated slow 3G and writes the figures there.
"""

import json
import os
import time

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.fixtures_h5p_play import add_activity_page
from tests.learning.test_browser_h5p import (
    h5p_frame,
    hosts,
    import_sample,
    logged_in_context,
    open_activity,
)

__all__ = ["hosts"]  # the fixture, used by name

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUESTION_SET = "questionset-multichoice__justineuro-h5p-mcq-maker.h5p"
REVISIT_BUDGET = 50 * 1024
# Emulated slow 3G: 400 kbit/s both ways, 400 ms round trip.
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1000 / 8,
    "uploadThroughput": 400 * 1000 / 8,
}


class NetworkLog:
    """Requests of one page load, as Chromium saw them."""

    def __init__(self, cdp):
        self.requests = {}
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.loadingFinished", self._finished)

    def _entry(self, request_id):
        return self.requests.setdefault(
            request_id, {"url": "", "bytes": 0, "cached": False, "status": None}
        )

    def _sent(self, event):
        self._entry(event["requestId"])["url"] = event["request"]["url"]

    def _received(self, event):
        entry = self._entry(event["requestId"])
        response = event["response"]
        entry["status"] = response["status"]
        entry["url"] = entry["url"] or response["url"]
        if response.get("fromDiskCache") or response.get("fromMemoryCache"):
            entry["cached"] = True

    def _from_cache(self, event):
        self._entry(event["requestId"])["cached"] = True

    def _finished(self, event):
        self._entry(event["requestId"])["bytes"] = event["encodedDataLength"]

    def reset(self):
        self.requests = {}

    @property
    def total_bytes(self):
        return sum(entry["bytes"] for entry in self.requests.values())

    def matching(self, fragment):
        return [entry for entry in self.requests.values() if fragment in entry["url"]]


@pytest.fixture
def measuring_browser(browser):
    """A second Chromium with site isolation off (see the module docstring)."""
    extra = [
        "--disable-site-isolation-trials",
        "--disable-features=IsolateOrigins,site-per-process",
    ]
    measuring = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + extra)
    yield measuring
    measuring.close()


def visit(page, log, url):
    """Open the lesson, open the activity, wait until the quiz can be started; returns the
    seconds from navigation to an interactive quiz."""
    log.reset()
    started = time.monotonic()
    page.goto(url)
    open_activity(page)
    h5p_frame(page).get_by_role("button", name="Start Quiz").wait_for(state="visible")
    interactive = time.monotonic() - started
    # Let late requests (resume state, fonts) finish before counting.
    page.wait_for_load_state("networkidle")
    time.sleep(1)
    return interactive


@pytest.mark.samples
def test_revisit_of_a_question_set_lesson_downloads_little_and_reuses_cached_libraries(
    measuring_browser, hosts, user, samples_dir
):
    content = import_sample(samples_dir, QUESTION_SET)
    lesson_url = hosts["site"] + add_activity_page(content).url
    bench_out = os.environ.get("H5P_BENCH_OUT")
    context, _session = logged_in_context(measuring_browser, user, hosts["site"])
    page = context.new_page()
    page.set_default_timeout(60_000 if bench_out else 30_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    log = NetworkLog(cdp)
    try:
        if bench_out:
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        first_seconds = visit(page, log, lesson_url)
        first_bytes = log.total_bytes
        first_libraries = log.matching("/libraries/")
        if bench_out:
            # The revisit is measured on slow 3G; in the plain test, at full speed.
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        revisit_seconds = visit(page, log, lesson_url)
        revisit_bytes = log.total_bytes
        revisit_libraries = log.matching("/libraries/")
        over_the_network = [
            (entry["url"], entry["bytes"]) for entry in log.requests.values() if entry["bytes"]
        ]
    finally:
        context.close()
    if bench_out:
        with open(bench_out, "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "first_visit_bytes": first_bytes,
                    "first_visit_seconds": first_seconds,
                    "revisit_bytes": revisit_bytes,
                    "revisit_seconds": revisit_seconds,
                    "library_requests": len(first_libraries),
                    "revisit_transfers": over_the_network,
                },
                handle,
                indent=1,
            )
    assert sum(entry["bytes"] for entry in first_libraries) > 100_000  # really downloaded
    assert revisit_libraries, "no library was asked for on the revisit"
    fetched_again = [entry["url"] for entry in revisit_libraries if not entry["cached"]]
    assert not fetched_again, fetched_again
    assert revisit_bytes <= REVISIT_BUDGET, over_the_network
