"""Who counts as a scoped admin user, and which of Wagtail's reports cross every scope."""

from learning.migration_utils import GROUP_COURSE_EDITORS, GROUP_ORGANIZERS, GROUP_TRAINERS

SCOPED_GROUPS = (GROUP_TRAINERS, GROUP_ORGANIZERS, GROUP_COURSE_EDITORS)

CROSS_CUTTING_REPORTS = frozenset(
    f"wagtailadmin_reports:{name}{suffix}"
    for name in (
        "site_history",
        "aging_pages",
        "locked_pages",
        "page_types_usage",
        "workflow",
        "workflow_tasks",
    )
    for suffix in ("", "_results")
)


def is_cross_cutting_report(view_name):
    return view_name in CROSS_CUTTING_REPORTS


def remembered(user, name, compute):
    """``compute()`` once per user object. Django loads a fresh user for each request, so
    this is once per request: the admin menu, the home panels and the page itself ask the
    same question (is this person an organizer, a trainer, a course editor?) many times."""
    attribute = f"_learning_{name}"
    if not hasattr(user, attribute):
        setattr(user, attribute, compute())
    return getattr(user, attribute)


def is_scoped(user):
    """A trainer, organizer or course editor who is not an administrator: the admin shows
    them their region, series or courses only."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return False
    if not hasattr(user, "_learning_is_scoped"):  # once per request's user object
        user._learning_is_scoped = user.groups.filter(name__in=SCOPED_GROUPS).exists()
    return user._learning_is_scoped
