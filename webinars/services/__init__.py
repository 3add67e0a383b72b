"""Domain rules of webinars, one module per concern: ``registration`` (registering,
the waitlist and every status change), ``schedule`` (what a published change tells
registrants, reminders), ``attendance`` (reports, marks, after-event follow-up) and
``permissions`` (who manages which webinar). Plain functions, one transaction each; mail
and tasks go out only after commit.

Re-exported here, so callers write ``from webinars import services`` and
``services.register(...)``.
"""

from .attendance import (
    AttendanceChange,
    apply_attendance_import,
    attendance_changes,
    import_attendance,
    mark_attendance,
    match_attendance_record,
    read_attendance_report,
    registrant_name,
    send_follow_up,
)
from .permissions import can_manage, managed_series, managed_webinars, manages_any_series
from .registration import (
    RegistrationError,
    approve_registration,
    calendar_feed_for,
    cancel_registration,
    change_status,
    clean_answers,
    join_state,
    message_registrants,
    move_off_waitlist,
    record_join_click,
    register,
    reject_registration,
    replace_calendar_feed,
)
from .schedule import apply_published_changes, reschedule, schedule_reminders

__all__ = [
    "AttendanceChange",
    "RegistrationError",
    "apply_attendance_import",
    "attendance_changes",
    "read_attendance_report",
    "registrant_name",
    "apply_published_changes",
    "approve_registration",
    "calendar_feed_for",
    "can_manage",
    "manages_any_series",
    "cancel_registration",
    "change_status",
    "clean_answers",
    "import_attendance",
    "join_state",
    "managed_series",
    "managed_webinars",
    "mark_attendance",
    "match_attendance_record",
    "message_registrants",
    "move_off_waitlist",
    "record_join_click",
    "register",
    "reject_registration",
    "replace_calendar_feed",
    "reschedule",
    "schedule_reminders",
    "send_follow_up",
]
