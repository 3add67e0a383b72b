"""Settings › Background tasks: the database queue's failed and stalled tasks, for
administrators, each with "Run again" (``learning.task_queue``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from learning import task_queue
from learning.timezones import zone_for_user

LISTED = 100


def _administrator(request):
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied


def _error_line(row):
    lines = [line for line in row.traceback.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def task_list(request):
    _administrator(request)
    context = {
        "page_title": _("Background tasks"),
        "header_icon": "cogs",
        "database_queue": task_queue.uses_database_queue(),
        "zone": zone_for_user(request.user, request=request),
    }
    if context["database_queue"]:
        figures = task_queue.queue_figures()
        stalled = list(task_queue.stalled_tasks().order_by("started_at")[:LISTED])
        failed = list(task_queue.failed_tasks().order_by("-finished_at")[:LISTED])
        context.update(
            figures=[
                (_("Waiting to run"), figures["backlog"]),
                (_("Running"), figures["running"]),
                (_("Stalled (worker stopped)"), figures["stalled"]),
                (_("Failed"), figures["failed"]),
            ],
            rows=[(row, _("Stalled"), "") for row in stalled]
            + [(row, _("Failed"), _error_line(row)) for row in failed],
        )
    return TemplateResponse(request, "learning/admin/task_queue.html", context)


@require_POST
def task_run_again(request, task_id):
    _administrator(request)
    if task_queue.run_again(task_id):
        messages.success(request, _("The task is queued again."))
    else:
        messages.error(request, _("This task is neither failed nor stalled any more."))
    return redirect("task_queue:index")


class TaskQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


class TaskQueueViewSet(ViewSet):
    name = "task_queue"
    url_prefix = "background-tasks"
    icon = "cogs"
    menu_icon = "cogs"
    menu_label = gettext_lazy("Background tasks")
    menu_hook = "register_settings_menu_item"
    menu_item_class = TaskQueueMenuItem

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))

    def get_urlpatterns(self):
        return [
            path("", task_list, name="index"),
            path("<uuid:task_id>/run-again/", task_run_again, name="run_again"),
        ]
