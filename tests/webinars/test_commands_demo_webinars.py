"""The KM4B demo looks like a real season: its reports have something to show."""

import pytest
from django.utils import timezone

from learning import demo as learning_demo
from learning.models import Region
from webinars import demo
from webinars.models import Registration, WebinarSeriesPage

pytestmark = pytest.mark.django_db


def test_demo_season_is_varied(client):
    context = learning_demo.DemoContext(
        home_page=learning_demo.build_home_page(), users=learning_demo.build_users()
    )
    logged = []
    context.log = logged.append
    demo.build_demo_webinars(context)

    series = WebinarSeriesPage.objects.get(slug=demo.SERIES_SLUG, locale__language_code="en")
    sessions = list(series.sessions().select_related("moderator"))
    assert len({session.abstract for session in sessions}) == len(sessions)
    for session in sessions:
        speakers = {link.speaker_id for link in session.speaker_links.all()}
        assert session.moderator_id and session.moderator_id not in speakers

    registrations = list(
        Registration.objects.filter(webinar__in=sessions).select_related("webinar")
    )
    assert all(r.created_at < r.webinar.start for r in registrations)
    assert len({r.created_at.date() for r in registrations}) >= 20
    answers = {value for r in registrations for value in r.answers.values()}
    assert len(answers) >= 5 and "Government" in answers

    now = timezone.now()
    past = [r for r in registrations if r.webinar.end < now]
    minutes = {r.attended_minutes for r in past if r.attended}
    assert len(minutes) >= 10 and min(minutes) >= 20 and max(minutes) <= 90
    assert any(r.attended is False for r in past)

    countries = {str(r.country) for r in registrations}
    for region in Region.objects.all():
        assert countries & {str(code) for code in region.countries}, region.name
    assert countries - {str(c) for region in Region.objects.all() for c in region.countries}

    # The printed address is the series' real one, not its tree path.
    assert "/km4b/" in logged[-1] and "home-cb" not in logged[-1]
    assert client.get("/km4b/").status_code == 200
