"""Demo data of H5P play and track: a practice page outside any course, with an
activity the demo learner has already passed once (so the report and "My learning" show
something). Idempotent."""

import uuid

from learning.h5p import samples
from learning.h5p.services import record_statements
from learning.h5p.xapi import VERB_ANSWERED, activity_iri
from learning.models import ActivityPage

PRACTICE_SLUG = "practice-rio-conventions"


def build_practice_page(context):
    content = samples.ensure_demo_content(
        "Practice: the three Rio conventions",
        "Which convention addresses desertification?",
        (
            "The United Nations Convention to Combat Desertification",
            "The Ramsar Convention on Wetlands",
            "The Convention on International Trade in Endangered Species",
        ),
        0,
    )
    page = ActivityPage.objects.filter(slug=PRACTICE_SLUG).first()
    if page is None:
        page = ActivityPage(
            title="Practice: the Rio conventions",
            slug=PRACTICE_SLUG,
            intro=(
                "<p>A short self-check, outside any course: try it as often as you like. "
                "Your best score appears under the activity and on “My learning”.</p>"
            ),
            body=[
                {"type": "h5p", "value": {"content": content.pk, "pass_mark": 100}},
            ],
        )
        context.home_page.add_child(instance=page)
        page.save_revision().publish()
        context.log(f"H5P: practice page {page.url_path}")
    # The demo learner answered once, correctly: recorded the way the player reports it
    # (a fixed statement id keeps a second run from recording a second attempt).
    iri = activity_iri(page.pk, content.pk)
    record_statements(
        context.users["learner"],
        {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, iri)),
            "verb": {"id": VERB_ANSWERED, "display": {"en-US": "answered"}},
            "object": {"id": iri, "objectType": "Activity"},
            "result": {"score": {"raw": 1, "max": 1, "min": 0}, "success": True},
        },
    )
