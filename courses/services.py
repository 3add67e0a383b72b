"""Domain rules of courses: enrolment, lesson and course completion.

Plain functions, one transaction each; mail, tasks and signals go out after commit.
A course, module or lesson may be any of its language versions: records are kept against
the canonical version (``learning.translations.canonical``), so the versions share them.
"""

import logging
from contextlib import suppress
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import syllabus
from courses.certificates import COURSE_COMPLETED, CourseCompleted
from courses.models import (
    CompletionRule,
    CourseCompletion,
    CoursePage,
    Enrolment,
    EnrolmentMode,
    LessonCompletion,
    LessonPage,
)
from courses.permissions import can_manage_enrolments, lesson_access
from courses.signals import course_completed, lesson_completed
from learning import certificate_rules, personal_page_cache
from learning.h5p.access import page_activities
from learning.h5p.services import activity_done
from learning.models import ActivityProgress, AuditEntry
from learning.privacy.services import record as audit
from learning.translations import canonical, canonical_map

logger = logging.getLogger(__name__)

Status = Enrolment.Status


class EnrolmentError(Exception):
    """An enrolment or completion is not allowed; the message is shown to the learner."""


class LessonAccessDenied(EnrolmentError):
    """The learner may not take this lesson (not enrolled, or the lesson is locked)."""


def progress(course, user):
    """``Progress(done, total)`` of ``user`` in ``course`` (``.percent``, ``.complete``)."""
    return syllabus.course_state(course, user).progress


def prerequisite_status(course, user):
    """``[(prerequisite course, completed by user), ...]`` for the live prerequisites."""
    prerequisites = list(course.prerequisites.live().order_by("title"))
    if not prerequisites or user is None or not user.is_authenticated:
        return [(prerequisite, False) for prerequisite in prerequisites]
    sources = canonical_map(prerequisites)
    done = set(
        CourseCompletion.objects.filter(
            user=user, course__in=[source.pk for source in sources.values()]
        ).values_list("course_id", flat=True)
    )
    return [(prerequisite, sources[prerequisite.pk].pk in done) for prerequisite in prerequisites]


def has_completed(course, user):
    """Whether ``user`` completed ``course``."""
    return CourseCompletion.objects.filter(course=canonical(course), user=user).exists()


def next_courses(course):
    """Live courses that list ``course`` as a prerequisite: where to go after it."""
    return list(CoursePage.objects.live().filter(prerequisites=canonical(course)).order_by("title"))


def missing_prerequisites(course, user):
    """Prerequisite courses ``user`` has not completed yet (all of them when anonymous)."""
    return [prerequisite for prerequisite, done in prerequisite_status(course, user) if not done]


@dataclass(frozen=True)
class EnrolmentOptions:
    """Where ``user`` stands with a course and what they may do about it now. The course
    page renders it and ``enrol`` obeys it, so the two cannot disagree."""

    enrolled: bool
    pending: bool  # a request awaits a course editor
    declined: bool  # a course editor turned the request down
    missing_prerequisites: list  # courses to complete first
    closed: bool  # the course takes no new enrolments
    needs_approval: bool  # enrolling files a request
    needs_login: bool
    refusal: str  # why enrolling is refused now, "" when it is not
    completed: bool = False  # the learner completed the course: nothing to leave

    @property
    def may_ask(self):
        """Enrolling is the question: neither enrolled, pending nor declined."""
        return not (self.enrolled or self.pending or self.declined)

    @property
    def can_enrol(self):
        return self.may_ask and not self.refusal

    @property
    def can_leave(self):
        """Leave the course, or withdraw the request (not once the course is completed)."""
        return (self.enrolled or self.pending) and not self.completed


def enrolment_options(course, user, enrolment, missing=None, *, completed=False):
    """The ``EnrolmentOptions`` of ``user`` (who holds ``enrolment``, or None) in
    ``course``; ``missing`` is their ``missing_prerequisites`` when already known;
    ``completed`` whether they completed the course."""
    status = enrolment.status if enrolment is not None else None
    if missing is None:
        asking = status in (None, Status.WITHDRAWN)
        missing = missing_prerequisites(course, user) if asking else []
    closed = course.enrolment_mode == EnrolmentMode.CLOSED
    authenticated = user is not None and user.is_authenticated
    if status == Status.REJECTED:
        refusal = _("Your request to join this course was declined. Contact the course team.")
    elif closed:
        refusal = _("This course does not accept new enrolments.")
    elif missing:
        refusal = _("Complete these courses first: %(courses)s.") % {
            "courses": ", ".join(prerequisite.title for prerequisite in missing)
        }
    elif not authenticated:
        refusal = _("Log in to enrol in a course.")
    else:
        refusal = ""
    return EnrolmentOptions(
        enrolled=status == Status.ACTIVE,
        pending=status == Status.PENDING,
        declined=status == Status.REJECTED,
        missing_prerequisites=missing,
        closed=closed,
        needs_approval=course.enrolment_mode == EnrolmentMode.APPROVAL,
        needs_login=not authenticated,
        refusal=refusal,
        completed=completed,
    )


def enrol(course, user):
    """Enrol ``user`` in ``course`` (or file their request when the course needs approval).
    Idempotent, also when two requests race: enrolling again returns the same enrolment.
    Raises ``EnrolmentError``."""
    if user is None or not user.is_authenticated:
        raise EnrolmentError(_("Log in to enrol in a course."))
    course = canonical(CoursePage.objects.filter(pk=course.pk).first())
    if course is None or not course.live or course.expired:
        raise EnrolmentError(_("This course is not open for enrolment."))
    try:
        with transaction.atomic():
            return _enrol(course, user)
    except IntegrityError:
        # A concurrent request created the enrolment first.
        return Enrolment.objects.get(course=course, user=user)


def _enrol(course, user):
    enrolment = Enrolment.objects.select_for_update().filter(course=course, user=user).first()
    options = enrolment_options(course, user, enrolment)
    if options.enrolled or options.pending:
        return enrolment
    if not options.can_enrol:
        raise EnrolmentError(options.refusal)
    now = timezone.now()
    approval = options.needs_approval
    if enrolment is None:
        enrolment = Enrolment(course=course, user=user)
    enrolment.status = Status.PENDING if approval else Status.ACTIVE
    enrolment.requested_at = now
    enrolment.enrolled_at = None if approval else now
    enrolment.withdrawn_at = None
    enrolment.decided_at = None
    enrolment.decided_by = None
    enrolment.decision_note = ""
    enrolment.save()
    if not approval:
        # Lessons completed before unenrolling count again; the course may be done.
        _complete_course_if_done(course, user)
    return enrolment


@transaction.atomic
def unenrol(enrolment, *, user):
    """Leave a course. The enrolment row and completed lessons are kept as history."""
    if user is None or (
        user.pk != enrolment.user_id and not can_manage_enrolments(user, enrolment.course)
    ):
        raise PermissionDenied
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status in (Status.ACTIVE, Status.PENDING):
        enrolment.status = Status.WITHDRAWN
        enrolment.withdrawn_at = timezone.now()
        enrolment.save(update_fields=["status", "withdrawn_at"])
    return enrolment


def _decide(enrolment, *, user, approve, note=""):
    if not can_manage_enrolments(user, enrolment.course):
        raise PermissionDenied
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .select_related("course", "user")
            .get(pk=enrolment.pk)
        )
        if enrolment.status != Status.PENDING:
            raise EnrolmentError(_("This request has already been decided."))
        now = timezone.now()
        enrolment.status = Status.ACTIVE if approve else Status.REJECTED
        enrolment.decided_at = now
        enrolment.decided_by = user
        enrolment.decision_note = note.strip()
        if approve:
            enrolment.enrolled_at = now
        enrolment.save()
        if approve:
            _complete_course_if_done(enrolment.course, enrolment.user)
        action = AuditEntry.Action.APPROVE if approve else AuditEntry.Action.REJECT
        audit(user, action, subject=enrolment.user, summary=enrolment.course.title)
        transaction.on_commit(lambda: _send_decision_mail(enrolment.pk))
    return enrolment


def approve_enrolment(enrolment, *, user, note=""):
    """A course editor accepts a pending request; the learner is emailed."""
    return _decide(enrolment, user=user, approve=True, note=note)


def reject_enrolment(enrolment, *, user, note=""):
    """A course editor declines a pending request; the learner is emailed."""
    return _decide(enrolment, user=user, approve=False, note=note)


def activities_done(lesson, user):
    """Whether ``user`` completed every required H5P activity of ``lesson`` on that lesson,
    each with its block's pass mark (a lesson without required activities: True)."""
    required = [activity for activity in page_activities(lesson) if activity.required]
    if not required:
        return True
    rows = {
        row.content_id: row
        for row in ActivityProgress.objects.filter(
            user=user, page=lesson, content_id__in=[a.content_id for a in required]
        )
    }
    return all(
        activity_done(rows.get(activity.content_id), activity.pass_mark) for activity in required
    )


def complete_lesson(lesson, user, *, via=CompletionRule.MANUAL):
    """Record that ``user`` finished ``lesson`` by the lesson's rule (``via`` says which
    trigger asks: the "mark as done" button, opening the lesson, or an H5P activity).
    Idempotent. Completes the course when this was the last required lesson.
    Raises ``EnrolmentError`` when the learner may not take the lesson or the rule is
    not met."""
    played = LessonPage.objects.filter(pk=lesson.pk).first()
    if played is None:
        raise LessonAccessDenied(_("This lesson is not available."))
    if via != played.completion_rule:
        raise EnrolmentError(_("This lesson is not completed this way."))
    # The learner takes ``played`` (in their language); its activities were played there,
    # and the completion is recorded against the canonical lesson and course.
    lesson = canonical(played)
    course = canonical(played.get_course())
    with transaction.atomic():
        if user is not None and user.is_authenticated:
            Enrolment.objects.select_for_update().filter(course=course, user=user).first()
        allowed, reason = lesson_access(lesson, user, course)
        if not allowed:
            raise LessonAccessDenied(reason)
        if via == CompletionRule.ACTIVITIES and not activities_done(played, user):
            raise EnrolmentError(_("Complete the lesson's activities first."))
        completion, created = LessonCompletion.objects.get_or_create(
            lesson=lesson,
            user=user,
            defaults={"course": course, "completed_at": timezone.now()},
        )
        Enrolment.objects.filter(course=course, user=user).update(
            last_lesson=lesson, last_seen_at=timezone.now()
        )
        if created:
            transaction.on_commit(
                lambda: lesson_completed.send(
                    sender=LessonCompletion, completion=completion, user=user, lesson=lesson
                )
            )
        _complete_course_if_done(course, user)
    return completion


def record_visit(lesson, user):
    """Remember the lesson a learner opened last ("continue where you left off")."""
    course = canonical(lesson.get_course())
    Enrolment.objects.filter(course=course, user=user, status=Status.ACTIVE).update(
        last_lesson=canonical(lesson), last_seen_at=timezone.now()
    )
    # An update sends no signal: the pages kept for the learner show where they left off.
    personal_page_cache.forget_viewer(user.pk)


# Rules by which opening a lesson may complete it: "viewed" always; "activities" when the
# activities were finished before (e.g. under another rule the editor has since changed).
COMPLETED_ON_VIEW = (CompletionRule.VIEWED, CompletionRule.ACTIVITIES)


def open_lesson(lesson, user, *, course=None):
    """A learner opens ``lesson``: check they may take it (``LessonAccessDenied`` if not),
    remember it as the lesson they opened last, and complete it when its rule says
    viewing completes it. Returns their ``CourseState`` for the page. Nothing else is
    written on a view (course editors and previews are not learners: they do not come
    here)."""
    course = course or lesson.get_course()
    state = syllabus.course_state(course, user)
    allowed, reason = lesson_access(lesson, user, course, state=state)
    if not allowed:
        raise LessonAccessDenied(reason)
    record_visit(lesson, user)
    if lesson.completion_rule in COMPLETED_ON_VIEW and not state.by_id[lesson.pk].done:
        # Activities not finished yet: the page says what remains.
        with suppress(EnrolmentError):
            complete_lesson(lesson, user, via=lesson.completion_rule)
            state = syllabus.course_state(course, user)
    return state


def _complete_course_if_done(course, user):
    """Inside the caller's transaction: record the course completion and issue the
    certificate once every required lesson is done. Returns the completion or None."""
    state = syllabus.course_state(course, user)
    if state.completion is not None:
        return state.completion
    if state.enrolment is None or not state.enrolment.is_active or not state.progress.complete:
        return None
    finished = [s.key for s in state.lessons if s.lesson.required]
    last = (
        LessonCompletion.objects.filter(user=user, lesson_id__in=finished)
        .order_by("-completed_at")
        .values_list("completed_at", flat=True)
        .first()
    )
    completed_at = last or timezone.now()
    try:
        with transaction.atomic():
            completion = CourseCompletion.objects.create(
                course=course,
                user=user,
                started_at=state.enrolment.enrolled_at or state.enrolment.requested_at,
                completed_at=completed_at,
            )
    except IntegrityError:
        return CourseCompletion.objects.get(course=course, user=user)
    issued = certificate_rules.issue_due(
        COURSE_COMPLETED, user, course=course, completed_at=completed_at
    )
    completion.certificate = issued.get(CourseCompleted.key)
    completion.save(update_fields=["certificate"])
    transaction.on_commit(
        lambda: course_completed.send(
            sender=CourseCompletion, completion=completion, user=user, course=course
        )
    )
    transaction.on_commit(lambda: _send_congratulations(completion.pk))
    return completion


def recompute_course(course):
    """After editors add, remove, publish or unpublish lessons: learners who now have every
    required lesson done complete the course. Existing completions are never removed, and a
    completion is never recorded twice. Returns the number of new completions."""
    course = canonical(CoursePage.objects.get(pk=course.pk))
    learners = (
        Enrolment.objects.filter(course=course, status=Status.ACTIVE)
        .exclude(user__course_completions__course=course)
        .select_related("user")
    )
    created = 0
    for enrolment in learners:
        with transaction.atomic():
            if _complete_course_if_done(course, enrolment.user) is not None:
                created += 1
    return created


def _send_congratulations(completion_id):
    from courses.tasks import send_course_completed_email

    send_course_completed_email.enqueue(completion_id)


def _send_decision_mail(enrolment_id):
    from courses.tasks import send_enrolment_decision_email

    send_enrolment_decision_email.enqueue(enrolment_id)
