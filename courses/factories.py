"""factory_boy factories for courses, shared by the tests and the demo data."""

import factory
from django.utils import timezone

from courses.models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    Level,
    ModulePage,
    Topic,
)
from learning.factories import UserFactory


class PageFactory(factory.django.DjangoModelFactory):
    """Creates the page in the tree under ``parent`` (default: ``default_parent()``)."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    live = True

    @classmethod
    def default_parent(cls):
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        (parent or cls.default_parent()).add_child(instance=page)
        if not page.live:
            page.save_revision()
        return page


class CourseIndexPageFactory(PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Courses"
    slug = factory.Sequence(lambda n: f"courses-{n}")
    show_in_menus = True

    @classmethod
    def default_parent(cls):
        from learning.demo import build_home_page

        return build_home_page()


class CoursePageFactory(PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "A short course."
    overview = "<p>What the course covers.</p>"
    topic = Topic.KNOWLEDGE_MANAGEMENT
    language = "en"
    level = Level.BEGINNER
    effort_hours = 2

    @classmethod
    def default_parent(cls):
        return CourseIndexPage.objects.first() or CourseIndexPageFactory()


class ModulePageFactory(PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")

    @classmethod
    def default_parent(cls):
        return CoursePageFactory()


class LessonPageFactory(PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    body = factory.LazyFunction(lambda: [("text", "<p>Lesson text.</p>")])

    @classmethod
    def default_parent(cls):
        return ModulePageFactory()


def build_course(*, modules=2, lessons_per_module=2, parent=None, **course_fields):
    """A live course with ``modules`` modules of ``lessons_per_module`` lessons each.
    Returns ``(course, [lesson, ...])`` with the lessons in syllabus order."""
    course = CoursePageFactory(parent=parent, **course_fields)
    lessons = []
    for _m in range(modules):
        module = ModulePageFactory(parent=course)
        lessons.extend(LessonPageFactory(parent=module) for _l in range(lessons_per_module))
    return course, lessons


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    course = factory.SubFactory(CoursePageFactory)
    user = factory.SubFactory(UserFactory)
    status = Enrolment.Status.ACTIVE
    enrolled_at = factory.LazyFunction(timezone.now)


def grant_page_permissions(page, group_name, actions=("add", "change", "publish")):
    """Give a group Wagtail page permissions on ``page`` and its subtree (editors' rights)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group, _created = Group.objects.get_or_create(name=group_name)
    for action in actions:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=f"{action}_page"
            ),
        )
