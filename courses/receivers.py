"""Signal receivers of courses, connected in ``CoursesConfig.ready``."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from courses import services
from courses.models import CompletionRule, CoursePage, LessonPage, ModulePage
from courses.tasks import recompute_course_completions
from learning.signals import activity_completed

logger = logging.getLogger(__name__)


@receiver(activity_completed)
def complete_lesson_after_activity(sender, user, content, page, progress, **kwargs):
    """An H5P activity on a lesson finished: the lesson may now be complete."""
    if page.specific_class is not LessonPage:
        return
    lesson = page if isinstance(page, LessonPage) else page.specific
    if lesson.completion_rule != CompletionRule.ACTIVITIES:
        return
    try:
        services.complete_lesson(lesson, user, via=CompletionRule.ACTIVITIES)
    except services.EnrolmentError as error:
        logger.info("Lesson %s not completed for user %s: %s", lesson.pk, user.pk, error)


def _schedule_recompute(page):
    # By path, so it also works for a page being deleted.
    ancestors = [page.path[: page.steplen * depth] for depth in range(1, page.depth)]
    course = CoursePage.objects.filter(path__in=ancestors).first()
    if course is not None:
        course_id = course.pk
        transaction.on_commit(lambda: recompute_course_completions.enqueue(course_id))


@receiver(page_published)
@receiver(page_unpublished)
def recompute_after_publishing(sender, instance, **kwargs):
    """Editors added, removed or changed lessons: learners may now have completed."""
    if isinstance(instance, LessonPage | ModulePage):
        _schedule_recompute(instance)


@receiver(post_delete, sender=LessonPage)
@receiver(post_delete, sender=ModulePage)
def recompute_after_delete(sender, instance, **kwargs):
    _schedule_recompute(instance)
