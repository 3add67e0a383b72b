"""One definition of a course editor (``courses.permissions``): who may edit the course's
page; the enrolment screens, decisions and the editor view of lessons add a model
permission each."""

import pytest
from django.contrib.auth.models import Group, Permission

from courses import permissions
from courses.factories import build_course, grant_page_permissions
from learning.factories import UserFactory
from learning.migration_utils import GROUP_COURSE_EDITORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses():
    mine, _lessons = build_course(title="Mine")
    other, _lessons = build_course(title="Other")
    grant_page_permissions(mine, GROUP_COURSE_EDITORS)
    return mine, other


def test_a_course_editor_is_who_may_edit_the_course_page(courses, user):
    mine, other = courses
    editor = UserFactory(groups=[GROUP_COURSE_EDITORS])
    assert permissions.is_course_editor(editor, mine)
    assert not permissions.is_course_editor(editor, other)
    assert list(permissions.editable_courses(editor)) == [mine]
    assert not permissions.is_course_editor(user, mine)
    assert not permissions.editable_courses(user).exists()
    editor.is_active = False
    assert not permissions.is_course_editor(editor, mine)


def test_what_a_course_editor_may_do_beyond_the_page_comes_from_model_permissions(courses):
    mine, _other = courses
    editor = UserFactory(groups=[GROUP_COURSE_EDITORS])
    assert permissions.may_review_enrolments(editor)
    assert permissions.can_manage_enrolments(editor, mine)
    assert permissions.sees_lessons_as_editor(editor, mine)

    # The page permission alone (e.g. Wagtail's own editors) makes none of these.
    page_only = Group.objects.create(name="Page editors")
    page_only.permissions.add(Permission.objects.get(codename="access_admin"))
    grant_page_permissions(mine, "Page editors")
    wagtail_editor = UserFactory(groups=["Page editors"])
    assert permissions.is_course_editor(wagtail_editor, mine)
    assert permissions.sees_lessons_as_editor(wagtail_editor, mine)
    assert not permissions.may_review_enrolments(wagtail_editor)
    assert not permissions.can_manage_enrolments(wagtail_editor, mine)
