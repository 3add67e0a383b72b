"""The webinars section of the programme summary (``learning.reports.summary``): the
sessions held in the period in the series the viewer organizes (administrators: all),
their participants and speakers, each person counted once, and where they came from."""

from django.utils import timezone
from django.utils.translation import gettext as _

from learning.reports.charts import bar_chart
from learning.reports.geography import by_country_and_region
from learning.reports.summary import Section
from webinars.reports import queries
from webinars.services import manages_any_series


class WebinarSummary:
    order = 10

    def in_scope(self, user):
        return manages_any_series(user)

    def section(self, user, start, end, zone):
        held = queries.sessions_in_scope(user, start=start, end=end).filter(
            start__lt=timezone.now()
        )
        headline = queries.headline(held)
        countries = queries.by_country(held)
        _country_rows, region_rows = by_country_and_region(countries)
        return Section(
            "webinars",
            _("Webinars"),
            [
                (_("Webinar sessions held"), headline.sessions),
                (_("Participants (each person once)"), headline.participants),
                (_("Attended (each person once)"), headline.attendees),
                (_("Speakers and moderators"), headline.speakers),
                (
                    _("People reached (participants and speakers, each once)"),
                    headline.people,
                ),
                (_("Countries"), headline.countries),
            ],
            charts=[
                bar_chart(
                    "webinars-regions",
                    _("Webinar participants by region"),
                    region_rows,
                    [_("Region"), _("Participants")],
                )
            ],
            countries={code for code, count in countries.items() if code and count},
        )
