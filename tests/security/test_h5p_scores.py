"""A learner cannot pass without passing (issue 18, item 1): where an H5P block sets a pass
mark, the server decides success from the score it keeps, and refuses scores whose parts
disagree."""

import json

import pytest

from learning.h5p.services import activity_done
from learning.models import ActivityProgress, XAPIStatement
from tests.fixtures_h5p_play import add_activity_page, statement

pytestmark = pytest.mark.django_db

URL = "/learning/xapi/statements/"


def post(client, payload):
    return client.post(URL, json.dumps(payload), content_type="application/json")


def progress_of(user, page):
    return ActivityProgress.objects.filter(user=user, page=page).first()


@pytest.mark.parametrize("verb", ["answered", "completed", "passed", "mastered"])
def test_zero_of_ten_with_success_true_does_not_pass_a_100_percent_pass_mark(
    learner_client, user, quick_check_content, verb
):
    page = add_activity_page(quick_check_content, pass_mark=100)
    data = statement(page, quick_check_content, verb=verb, raw=0, max_score=10, success=True)
    data["result"]["score"]["scaled"] = 0
    response = post(learner_client, data)
    assert response.status_code == 200
    progress = progress_of(user, page)
    assert progress.completed is True and progress.success is False
    assert not activity_done(progress, 100)
    assert "Not passed yet — try again" in response.json()["progress"][0]["status"]
    assert XAPIStatement.objects.get().success is False


def test_a_passed_verb_without_a_score_does_not_pass_a_pass_mark(
    learner_client, user, quick_check_content
):
    page = add_activity_page(quick_check_content, pass_mark=50)
    assert (
        post(learner_client, statement(page, quick_check_content, verb="passed")).status_code == 200
    )
    assert not activity_done(progress_of(user, page), 50)


def test_the_score_reaching_the_pass_mark_passes_even_if_the_browser_says_failed(
    learner_client, user, quick_check_content
):
    page = add_activity_page(quick_check_content, pass_mark=70)
    post(learner_client, statement(page, quick_check_content, raw=7, max_score=10, success=False))
    progress = progress_of(user, page)
    assert progress.success is True and activity_done(progress, 70)


def test_self_reported_success_counts_only_without_a_pass_mark(
    learner_client, user, quick_check_content
):
    page = add_activity_page(quick_check_content)
    post(learner_client, statement(page, quick_check_content, raw=0, max_score=10, success=True))
    assert progress_of(user, page).success is True


@pytest.mark.parametrize(
    ("score", "field"),
    [
        ({"raw": 0, "min": 0, "max": 10, "scaled": 1}, "result.score.scaled"),
        ({"raw": 10, "min": 0, "max": 2, "scaled": 1}, "result.score.raw"),
        ({"raw": 5, "min": 0, "max": 2}, "result.score.raw"),
        ({"raw": -1, "min": 0, "max": 2}, "result.score.raw"),
        ({"scaled": 5}, "result.score.scaled"),
        ({"scaled": -1.5}, "result.score.scaled"),
        ({"raw": 1, "min": 3, "max": 2}, "result.score.max"),
    ],
)
def test_a_score_whose_parts_disagree_is_refused_naming_the_field(
    learner_client, user, quick_check_content, score, field
):
    page = add_activity_page(quick_check_content, pass_mark=100)
    data = statement(page, quick_check_content)
    data["result"] = {"score": score, "success": True}
    response = post(learner_client, data)
    assert response.status_code == 400
    assert field in response.json()["error"]
    assert not XAPIStatement.objects.exists()
    assert progress_of(user, page) is None


def test_scaled_rounded_as_h5p_rounds_it_is_accepted(learner_client, user, quick_check_content):
    page = add_activity_page(quick_check_content, pass_mark=66)
    data = statement(page, quick_check_content, raw=2, max_score=3)
    data["result"]["score"]["scaled"] = 0.6667
    assert post(learner_client, data).status_code == 200
    assert activity_done(progress_of(user, page), 66)
