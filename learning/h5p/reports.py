"""Figures of the per-content H5P report: who started, who finished, how well, and how
each question inside the activity was answered (from the child statements)."""

from dataclasses import dataclass

from django.db.models import Avg, Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from learning.h5p.xapi import VERB_ANSWERED
from learning.models import ActivityProgress, H5PContent, XAPIStatement


@dataclass
class Summary:
    learners: int  # learners who sent any statement
    completed: int  # learners who finished at least one attempt
    attempts: int
    average_score: float | None  # mean of learners' best scores, 0..1

    @property
    def completion_rate(self):
        return self.completed / self.learners if self.learners else None


def _per_content(queryset, **aggregate):
    """A subquery of one aggregate over ``queryset`` rows of the outer content."""
    ((name, expression),) = aggregate.items()
    return Subquery(
        queryset.filter(content=OuterRef("pk"))
        .order_by()
        .values("content")
        .annotate(**{name: expression})
        .values(name)[:1]
    )


def contents_with_figures():
    """Every H5P content with its learners, finishers, attempts and average best score,
    in one query."""
    progress = ActivityProgress.objects.all()
    return H5PContent.objects.annotate(
        learner_count=Coalesce(
            _per_content(XAPIStatement.objects.all(), n=Count("user", distinct=True)), 0
        ),
        completed_count=Coalesce(
            _per_content(progress.filter(completed=True), n=Count("user", distinct=True)),
            0,
        ),
        attempt_count=Coalesce(_per_content(progress, n=Sum("attempts")), 0),
        average_best_score=_per_content(progress, n=Avg("best_score")),
    ).order_by("title", "pk")


def summary(content):
    progress = ActivityProgress.objects.filter(content=content).aggregate(
        completed=Count("user", filter=Q(completed=True), distinct=True),
        attempts=Sum("attempts"),
        average=Avg("best_score"),
    )
    learners = XAPIStatement.objects.filter(content=content).values("user").distinct().count()
    return Summary(
        learners=learners,
        completed=progress["completed"] or 0,
        attempts=progress["attempts"] or 0,
        average_score=progress["average"],
    )


def per_page(content):
    """Figures per page embedding the content (the same content on two lessons is two
    activities)."""
    return (
        ActivityProgress.objects.filter(content=content)
        .values("page_id", "page__title")
        .annotate(
            learners=Count("user", distinct=True),
            completed=Count("pk", filter=Q(completed=True)),
            attempts=Sum("attempts"),
            average=Avg("best_score"),
        )
        .order_by("page__title", "page_id")
    )


def per_question(content):
    """Answers and correct answers per sub-question, from child ``answered`` statements."""
    rows = (
        XAPIStatement.objects.filter(content=content, is_child=True, verb=VERB_ANSWERED)
        .values("sub_content_id")
        .annotate(
            question=Max("question"),
            answers=Count("pk"),
            correct=Count("pk", filter=Q(success=True)),
            learners=Count("user", distinct=True),
        )
        .order_by("sub_content_id")
    )
    for row in rows:
        row["correct_rate"] = row["correct"] / row["answers"] if row["answers"] else None
        yield row


def learner_rows(content):
    return (
        ActivityProgress.objects.filter(content=content)
        .select_related("user", "user__profile", "page", "last_version")
        .order_by("page__title", "user__last_name", "user__first_name", "user__pk")
    )
