"""The audit log in the Wagtail admin (Settings › Audit log): read-only, for
administrators (and anyone given "Can view audit log entry")."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from learning.models import AuditEntry


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Entries are written by the services only; nobody adds, edits or deletes them."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


class AuditLogViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    add_to_settings_menu = True
    url_prefix = "audit-log"
    name = "audit_log"
    list_display = ["at", "action", "summary", "actor", "subject"]
    list_filter = ["action"]
    search_fields = ["summary"]
    inspect_view_enabled = True
    form_fields = ["summary"]


register_permission_policy(AuditEntry, ReadOnlyPolicy(AuditEntry))
audit_log_viewset = AuditLogViewSet()
