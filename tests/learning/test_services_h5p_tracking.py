"""The H5P.md mapping table: which statements finish an attempt, and the progress kept."""

import pytest

from learning.h5p.services import activity_done, record_statements
from learning.h5p.xapi import outcome, parse_statement
from learning.models import ActivityProgress, XAPIStatement
from tests.concurrency import run_concurrently
from tests.fixtures_h5p_play import add_activity_page, statement

pytestmark = pytest.mark.django_db


def progress_of(user, page):
    return ActivityProgress.objects.filter(user=user, page=page).first()


@pytest.mark.parametrize("verb", ["answered", "completed"])
def test_top_level_answered_or_completed_finishes_with_raw_over_max(
    user, activity_page, quick_check_content, verb
):
    record_statements(
        user, statement(activity_page, quick_check_content, verb=verb, raw=3, max_score=4)
    )
    progress = progress_of(user, activity_page)
    assert progress.completed and progress.best_score == 0.75 and progress.last_score == 0.75


def test_success_comes_from_the_statement_when_there_is_no_pass_mark(user, quick_check_content):
    page = add_activity_page(quick_check_content)
    record_statements(user, statement(page, quick_check_content, raw=1, max_score=2, success=True))
    assert progress_of(user, page).success is True


def test_with_a_pass_mark_the_statement_success_is_ignored(user, quick_check_content):
    page = add_activity_page(quick_check_content, pass_mark=90)
    record_statements(user, statement(page, quick_check_content, raw=1, max_score=2, success=True))
    assert progress_of(user, page).success is False
    record_statements(user, statement(page, quick_check_content, raw=2, max_score=2, success=False))
    assert progress_of(user, page).success is True


def test_without_success_the_block_pass_mark_decides(user, quick_check_content):
    page = add_activity_page(quick_check_content, pass_mark=80)
    record_statements(user, statement(page, quick_check_content, raw=3, max_score=4))
    progress = progress_of(user, page)
    assert progress.completed is True and progress.success is False
    record_statements(user, statement(page, quick_check_content, raw=4, max_score=4))
    progress.refresh_from_db()
    assert progress.success is True


@pytest.mark.parametrize(
    ("verb", "success"), [("passed", True), ("failed", False), ("mastered", True)]
)
def test_passed_failed_mastered_finish_with_their_verdict(
    user, activity_page, quick_check_content, verb, success
):
    record_statements(user, statement(activity_page, quick_check_content, verb=verb))
    progress = progress_of(user, activity_page)
    assert progress.completed is True and progress.success is success


def test_consumed_completes_without_score(user, activity_page, quick_check_content):
    record_statements(
        user,
        statement(
            activity_page, quick_check_content, verb="http://activitystrea.ms/schema/1.0/consume"
        ),
    )
    progress = progress_of(user, activity_page)
    assert progress.completed is True and progress.best_score is None


def test_completion_true_without_score_completes(user, activity_page, quick_check_content):
    record_statements(
        user,
        statement(
            activity_page, quick_check_content, verb="progressed", result={"completion": True}
        ),
    )
    assert progress_of(user, activity_page).completed is True


@pytest.mark.parametrize("verb", ["attempted", "interacted", "progressed", "experienced"])
def test_other_verbs_are_stored_without_completion(user, activity_page, quick_check_content, verb):
    record_statements(user, statement(activity_page, quick_check_content, verb=verb))
    assert XAPIStatement.objects.filter(verb__endswith=verb).exists()
    assert progress_of(user, activity_page) is None


def test_child_statements_are_stored_for_reports_and_never_complete(
    user, activity_page, quick_check_content
):
    record_statements(
        user,
        [
            statement(activity_page, quick_check_content, raw=1, success=True, child="q-1"),
            statement(activity_page, quick_check_content, verb="completed", raw=1, child="q-2"),
        ],
    )
    children = XAPIStatement.objects.filter(is_child=True).order_by("sub_content_id")
    assert [row.sub_content_id for row in children] == ["q-1", "q-2"]
    assert not any(row.is_terminal for row in children)
    assert progress_of(user, activity_page) is None


def test_question_set_flow_children_then_top_level_completed(
    user, activity_page, quick_check_content
):
    children = [
        statement(activity_page, quick_check_content, raw=score, success=bool(score), child=f"q{n}")
        for n, score in enumerate([1, 0, 1])
    ]
    record_statements(user, children)
    assert progress_of(user, activity_page) is None
    record_statements(
        user, statement(activity_page, quick_check_content, verb="completed", raw=2, max_score=3)
    )
    progress = progress_of(user, activity_page)
    assert progress.completed and progress.attempts == 1 and round(progress.best_score, 3) == 0.667


def test_best_score_kept_last_score_updated_attempts_counted(
    user, activity_page, quick_check_content
):
    for raw in (1, 0):
        record_statements(
            user, statement(activity_page, quick_check_content, raw=raw, success=bool(raw))
        )
    progress = progress_of(user, activity_page)
    assert (progress.best_score, progress.last_score, progress.attempts) == (1.0, 0.0, 2)
    assert progress.success is True  # a later failed attempt does not undo a pass
    first_completed = progress.completed_at
    record_statements(user, statement(activity_page, quick_check_content, raw=1))
    progress.refresh_from_db()
    assert progress.completed_at == first_completed


def test_several_attempts_in_one_batch_count_like_one_by_one(user, quick_check_content):
    one_by_one = add_activity_page(quick_check_content, title="One by one", pass_mark=80)
    batched = add_activity_page(quick_check_content, title="Batched", pass_mark=80)
    for page, send in (
        (one_by_one, lambda items: [record_statements(user, s) for s in items]),
        (batched, lambda items: record_statements(user, items)),
    ):
        send(
            [
                statement(page, quick_check_content, raw=2, max_score=5),
                statement(page, quick_check_content, raw=9, max_score=10),
                statement(page, quick_check_content, raw=1, max_score=10, success=False),
                statement(page, quick_check_content, raw=3, max_score=4, child="q1"),
            ]
        )
    fields = ("completed", "success", "best_score", "last_score", "attempts")
    first, second = (
        ActivityProgress.objects.filter(user=user, page=page).values(*fields).get()
        for page in (one_by_one, batched)
    )
    assert (
        first
        == second
        == {
            "completed": True,
            "success": True,
            "best_score": 0.9,
            "last_score": 0.1,
            "attempts": 3,
        }
    )


def test_first_failed_verdict_is_kept_until_a_pass(user, activity_page, quick_check_content):
    record_statements(user, statement(activity_page, quick_check_content, verb="failed"))
    assert progress_of(user, activity_page).success is False
    record_statements(user, statement(activity_page, quick_check_content, verb="completed"))
    assert progress_of(user, activity_page).success is False
    record_statements(user, statement(activity_page, quick_check_content, verb="passed"))
    record_statements(user, statement(activity_page, quick_check_content, verb="failed"))
    progress = progress_of(user, activity_page)
    assert (progress.success, progress.attempts) == (True, 4)


def test_negative_scaled_scores_count_as_zero(user, activity_page, quick_check_content):
    data = statement(activity_page, quick_check_content)
    data["result"] = {"score": {"scaled": -0.5}}
    record_statements(user, data)
    assert progress_of(user, activity_page).best_score == 0.0


def test_attempt_remembers_the_version_played(user, activity_page, quick_check_content, h5p_upload):
    from learning.h5p.services import import_h5p

    first = quick_check_content.current_version
    import_h5p(h5p_upload(title="v2"), user=None, content=quick_check_content, allow_libraries=True)
    quick_check_content.refresh_from_db()
    assert quick_check_content.current_version != first
    record_statements(user, statement(activity_page, quick_check_content, raw=1, version=first))
    assert progress_of(user, activity_page).last_version == first
    assert XAPIStatement.objects.get().version == first


def test_same_content_on_two_pages_is_two_activities(user, quick_check_content):
    one = add_activity_page(quick_check_content, title="One")
    two = add_activity_page(quick_check_content, title="Two")
    record_statements(user, statement(one, quick_check_content, raw=1))
    assert progress_of(user, one).completed
    assert progress_of(user, two) is None


@pytest.mark.parametrize(
    ("completed", "success", "best", "pass_mark", "done"),
    [
        (False, None, None, None, False),
        (True, None, None, None, True),
        (True, None, 0.5, 60, False),
        (True, None, 0.6, 60, True),
        (True, True, 0.2, 60, False),
        (True, None, 0.29, 29, True),
        (True, False, 0.9, 60, True),
    ],
)
def test_activity_done(completed, success, best, pass_mark, done):
    progress = ActivityProgress(completed=completed, success=success, best_score=best)
    assert activity_done(progress, pass_mark) is done


def test_activity_done_without_progress_is_false():
    assert activity_done(None, None) is False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("earlier_attempt", [False, True], ids=["first", "later"])
def test_concurrent_finished_attempts_are_all_counted(user, quick_check_content, earlier_attempt):
    # Two requests finishing the same activity at once (the row new, or already there) must
    # neither lose an attempt nor the best score, nor fail.
    page = add_activity_page(quick_check_content)
    if earlier_attempt:
        record_statements(user, statement(page, quick_check_content, raw=1, max_score=10))
    scores = [3, 9, 5, 7, 2, 8]
    _results, errors = run_concurrently(
        lambda item: record_statements(user, item),
        [statement(page, quick_check_content, raw=raw, max_score=10) for raw in scores],
    )
    assert errors == []
    progress = progress_of(user, page)
    assert progress.attempts == len(scores) + earlier_attempt
    assert (progress.best_score, progress.completed) == (0.9, True)
    assert XAPIStatement.objects.filter(user=user, page=page).count() == progress.attempts


def test_outcome_is_pure_and_ignores_children(activity_page, quick_check_content):
    parsed = parse_statement(statement(activity_page, quick_check_content, raw=1, child="x"))
    assert outcome(parsed, 50).finishes_attempt is False


def test_recording_one_statement_uses_bounded_queries(
    user, activity_page, quick_check_content, django_assert_num_queries
):
    record_statements(user, statement(activity_page, quick_check_content, raw=1))
    # With the activity cached: an answer is one INSERT, a finished attempt an INSERT and
    # the progress upsert (in a transaction: here a savepoint pair in the test's one).
    with django_assert_num_queries(3):
        record_statements(user, statement(activity_page, quick_check_content, raw=0, child="q"))
    with django_assert_num_queries(4):
        record_statements(user, statement(activity_page, quick_check_content, raw=0))


def test_status_line_names_score_attempts_and_pass_mark():
    from learning.h5p.services import status_text

    assert status_text(None) == "Not attempted yet."
    progress = ActivityProgress(completed=True, attempts=1, best_score=0.5)
    assert status_text(progress, 80) == "Not passed yet — try again · best score 50% · 1 attempt"
    progress.attempts, progress.best_score = 2, 0.9
    assert status_text(progress, 80) == "Completed · best score 90% · 2 attempts · passed"
