"""Counts per week for a report's charts, with the weeks that have none."""

from datetime import datetime, timedelta

from django.utils import timezone


def monday_of(day):
    return day - timedelta(days=day.weekday())


def _day(week, zone):
    if not isinstance(week, datetime):
        return week
    return (timezone.localtime(week, zone) if timezone.is_aware(week) else week).date()


def every_week(counts, zone, start=None, end=None):
    """``[(monday, count)]`` for every week of the period, 0 where ``counts`` has none.

    ``counts``: ``[(week, count)]`` as ``TruncWeek(..., tzinfo=zone)`` gives them (aware
    datetimes, naive ones in ``zone``, or dates); ``[start, end)``: the report's period as
    instants, ``None`` for an open side, where the first (or last) week with a count
    bounds it instead. Weeks start on Monday in ``zone``."""
    found = {}
    for week, count in counts:
        day = _day(week, zone)
        found[day] = found.get(day, 0) + count
    firsts = [*found, *([start.astimezone(zone).date()] if start is not None else [])]
    # ``end`` is the midnight after the period's last day.
    lasts = [
        *found,
        *([end.astimezone(zone).date() - timedelta(days=1)] if end is not None else []),
    ]
    if not firsts or not lasts:
        return []
    week, last = monday_of(min(firsts)), monday_of(max(lasts))
    weeks = []
    while week <= last:
        weeks.append((week, found.get(week, 0)))
        week += timedelta(days=7)
    return weeks
