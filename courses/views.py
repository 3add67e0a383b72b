"""Enrolment and lesson completion endpoints (POST only), the lesson gate, and the lesson
state a learner's lesson page follows while they play its activities."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from courses import permissions, services, syllabus
from courses.models import CompletionRule, CoursePage, Enrolment, LessonPage
from learning.translations import canonical


def _live_course(course_id):
    return get_object_or_404(CoursePage.objects.live(), pk=course_id)


@require_POST
@login_required
def enrol(request, course_id):
    course = _live_course(course_id)
    try:
        enrolment = services.enrol(course, request.user)
    except services.EnrolmentError as error:
        messages.error(request, str(error))
        return redirect(course.url)
    if enrolment.status == Enrolment.Status.PENDING:
        messages.info(request, _("Your request has been sent. We will email you the decision."))
        return redirect(course.url)
    messages.success(request, _("You are enrolled. Welcome to the course!"))
    state_next = syllabus.course_state(course, request.user).next_lesson
    return redirect(state_next.lesson.url if state_next else course.url)


@require_POST
@login_required
def unenrol(request, course_id):
    course = _live_course(course_id)
    enrolment = get_object_or_404(Enrolment, course=canonical(course), user=request.user)
    services.unenrol(enrolment, user=request.user)
    messages.success(
        request, _("You have left the course. Your completed lessons are kept if you return.")
    )
    return redirect(course.url)


@require_POST
@login_required
def complete_lesson(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    course = lesson.get_course()
    completed_before = services.has_completed(course, request.user)
    try:
        services.complete_lesson(lesson, request.user, via=CompletionRule.MANUAL)
    except services.LessonAccessDenied as error:
        raise PermissionDenied(str(error)) from error
    except services.EnrolmentError as error:
        messages.error(request, str(error))
        return redirect(lesson.url)
    if not completed_before and services.has_completed(course, request.user):
        messages.success(request, _("Congratulations! You completed this course."))
        return redirect(course.url)
    messages.success(request, _("Lesson marked as done."))
    following = syllabus.lesson_context(lesson, request.user)["next_lesson"]
    return redirect(following.lesson.url if following else course.url)


def serve_lesson(lesson, request, render, *args, **kwargs):
    """A lesson page: learners see it when enrolled and it is unlocked (opening it may
    complete it, ``services.open_lesson``); course editors and Wagtail previews see it as a
    learner would, and nothing is recorded."""
    if getattr(request, "is_preview", False):
        return render(request, *args, **kwargs)
    course = lesson.get_course()
    user = request.user
    if permissions.sees_lessons_as_editor(user, course):
        request.learning_editor_view = True
        return render(request, *args, **kwargs)
    try:
        lesson.learner_state = services.open_lesson(lesson, user, course=course)
    except services.LessonAccessDenied as error:
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        messages.warning(request, str(error))
        return redirect(course.url)
    return render(request, *args, **kwargs)


# The parts of a lesson page that change when the lesson is completed, by the element that
# holds them (``data-lesson-status`` ...); the page renders the same templates.
LESSON_STATE_FRAGMENTS = {
    "status": "courses/includes_lesson_status.html",
    "nav": "courses/includes_lesson_nav.html",
    "syllabus": "courses/includes_lesson_progress.html",
}


@never_cache
@require_GET
def lesson_state(request, lesson_id):
    """The requesting learner's state in a lesson, as JSON: whether it is done, the
    course progress, the next lesson, and the page fragments showing them. The lesson
    page fetches it when one of its H5P activities reports a finished attempt, so the
    learner sees the lesson complete and the next lesson open without reloading."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Log in to see your progress.")}, status=403)
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    context = syllabus.lesson_context(lesson, request.user)
    current = context["lesson_state"]
    if current is None:
        raise Http404
    context["page"] = lesson
    state, following = context["state"], context["next_lesson"]
    progress = state.progress
    return JsonResponse(
        {
            "lesson": lesson.pk,
            "done": current.done,
            "locked": current.locked,
            "course_complete": state.completion is not None,
            "progress": {
                "done": progress.done,
                "total": progress.total,
                "percent": progress.percent,
            },
            "next_lesson": (
                {
                    "id": following.lesson.pk,
                    "title": following.lesson.title,
                    "url": following.lesson.get_url(request),
                    "locked": following.locked,
                }
                if following
                else None
            ),
            "html": {
                key: render_to_string(template, context, request)
                for key, template in LESSON_STATE_FRAGMENTS.items()
            },
        }
    )
