"""Counts per week for the reports' charts: every week of the period, 0 where none."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from learning.reports.weeks import every_week

PARIS = ZoneInfo("Europe/Paris")


def test_weeks_between_counts_are_zero_and_the_period_bounds_the_weeks():
    counts = [(datetime(2027, 3, 1, tzinfo=PARIS), 2), (datetime(2027, 3, 15, tzinfo=PARIS), 1)]
    start = datetime(2027, 2, 24, tzinfo=PARIS)  # a Wednesday
    end = datetime(2027, 4, 1, tzinfo=PARIS)  # the midnight after Wednesday 31 March
    assert every_week(counts, PARIS, start, end) == [
        (date(2027, 2, 22), 0),
        (date(2027, 3, 1), 2),
        (date(2027, 3, 8), 0),
        (date(2027, 3, 15), 1),
        (date(2027, 3, 22), 0),
        (date(2027, 3, 29), 0),  # across the change to summer time
    ]


def test_an_open_side_ends_at_the_first_or_last_week_with_a_count():
    counts = [(date(2027, 3, 1), 2), (date(2027, 3, 15), 1)]
    assert every_week(counts, PARIS) == [
        (date(2027, 3, 1), 2),
        (date(2027, 3, 8), 0),
        (date(2027, 3, 15), 1),
    ]
    start = datetime(2027, 2, 22, tzinfo=PARIS)
    assert every_week(counts, PARIS, start)[0] == (date(2027, 2, 22), 0)


def test_weeks_are_those_of_the_zone():
    # Sunday 28 February 2027, 23:30 in UTC is Monday 1 March in Paris.
    start = datetime(2027, 2, 28, 23, 30, tzinfo=UTC)
    end = datetime(2027, 3, 8, tzinfo=PARIS)
    assert every_week([], PARIS, start, end) == [(date(2027, 3, 1), 0)]


def test_nothing_and_no_period_is_no_weeks():
    assert every_week([], PARIS) == []
