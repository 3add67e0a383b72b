"""Authoring lessons in the admin: the H5P block's labels, a warning when a required
activity cannot decide completion, and lessons listed in syllabus order."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from courses.admin_views import warn_required_activities_not_counted
from courses.factories import build_course
from courses.models import CompletionRule
from learning.blocks import H5PActivityBlock

pytestmark = pytest.mark.django_db


def test_h5p_block_labels_are_capitalised():
    block = H5PActivityBlock()
    assert block.child_blocks["pass_mark"].label == "Pass mark (%)"
    assert block.child_blocks["required"].label == "Required for completion"


def _request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize(
    ("rule", "required", "warned"),
    [
        (CompletionRule.MANUAL, True, True),
        (CompletionRule.VIEWED, True, True),
        (CompletionRule.MANUAL, False, False),
        (CompletionRule.ACTIVITIES, True, False),
    ],
)
def test_saving_a_lesson_warns_when_a_required_activity_does_not_count(
    admin_user, quick_check_content, rule, required, warned
):
    _course, [lesson, *_rest] = build_course(modules=1, lessons_per_module=1)
    lesson.completion_rule = rule
    lesson.body = [
        ("h5p", {"content": quick_check_content, "pass_mark": None, "required": required})
    ]
    request = _request(admin_user)
    warn_required_activities_not_counted(request, lesson)
    texts = [str(message) for message in get_messages(request)]
    if warned:
        [text] = texts
        assert "All required H5P activities are completed" in text
        assert lesson.title in text
    else:
        assert texts == []


def test_admin_lists_lessons_in_syllabus_order_not_last_updated(client, admin_user):
    course, lessons = build_course(modules=1, lessons_per_module=3)
    first = lessons[0]
    first.title = "Lesson one, updated last"
    first.save_revision().publish()
    client.force_login(admin_user)
    html = client.get(f"/admin/pages/{first.get_parent().pk}/").content.decode()
    positions = [html.index(lesson.title if lesson != first else first.title) for lesson in lessons]
    assert positions == sorted(positions)
