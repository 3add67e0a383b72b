"""H5P library approvals on the Wagtail admin home: packages awaiting a decision for the
people who may install libraries, and the outcome of their own uploads for editors."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from learning.h5p.services import INSTALL_PERMISSION, awaiting_approval
from learning.models import H5PContentVersion

RECENT_DECISIONS = timedelta(days=30)


class H5PApprovalsPanel(Component):
    name = "h5p_approvals"
    order = 120
    template_name = "learning/admin_home/h5p_approvals.html"

    def __init__(self, awaiting, own):
        self.awaiting = awaiting
        self.own = own

    def get_context_data(self, parent_context):
        return {"awaiting": self.awaiting, "own": self.own}


def add_panel(request, panels):
    user = request.user
    awaiting = list(awaiting_approval()[:10]) if user.has_perm(INSTALL_PERMISSION) else []
    own = list(
        H5PContentVersion.objects.filter(uploaded_by=user)
        .filter(
            Q(status=H5PContentVersion.Status.AWAITING_APPROVAL)
            | Q(decided_at__gte=timezone.now() - RECENT_DECISIONS)
        )
        .select_related("content")
        .order_by("-uploaded_at")[:10]
    )
    if awaiting or own:
        panels.append(H5PApprovalsPanel(awaiting, own))
