"""Background tasks of courses: emails, rendered in the recipient's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from learning.delivery import side_effect_task
from learning.timezones import language_for_user, zone_for_user


def _send(user, template, context):
    with translation.override(language_for_user(user)):
        context = {
            **context,
            "user": user,
            "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
            "zone": zone_for_user(user),
        }
        subject = render_to_string(f"courses/emails/{template}_subject.txt", context)
        body = render_to_string(f"courses/emails/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


@side_effect_task()
def send_course_completed_email(completion_id):
    from courses.models import CourseCompletion

    completion = (
        CourseCompletion.objects.select_related("user__profile", "course", "certificate")
        .filter(pk=completion_id)
        .first()
    )
    if completion is None:
        return
    _send(completion.user, "course_completed", {"completion": completion})


@side_effect_task()
def send_enrolment_decision_email(enrolment_id):
    from courses.models import Enrolment

    enrolment = (
        Enrolment.objects.select_related("user__profile", "course").filter(pk=enrolment_id).first()
    )
    if enrolment is None:
        return
    _send(enrolment.user, "enrolment_decision", {"enrolment": enrolment})


@task()
def recompute_course_completions(course_id):
    from courses import services
    from courses.models import CoursePage

    course = CoursePage.objects.filter(pk=course_id).first()
    if course is not None:
        services.recompute_course(course)
