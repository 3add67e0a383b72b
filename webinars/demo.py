"""The KM4B webinar series for ``load_demo_data``: past sessions with recordings and
attendance, upcoming ones with capacities and registrations of the demo learners.
Idempotent: pages are found by slug, registrations by person and session."""

from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from learning.factories import UserFactory
from learning.migration_utils import GROUP_LEARNERS, GROUP_ORGANIZERS
from webinars import services
from webinars.factories import (
    RegistrationFactory,
    RegistrationQuestionFactory,
    SpeakerFactory,
    WebinarPageFactory,
    WebinarSeriesPageFactory,
)
from webinars.models import RegistrationQuestion, WebinarPage, WebinarSeriesPage

SERIES_SLUG = "km4b"

SPEAKERS = [
    ("Amara Okafor", "Nigerian Conservation Foundation", "NG"),
    ("Sofía Ramírez", "Instituto Humboldt", "CO"),
    ("Tomasz Nowak", "Polish Academy of Sciences", "PL"),
    ("Mei Lin", "Chinese Research Academy of Environmental Sciences", "CN"),
    ("Fatima Al-Sayed", "League of Arab States", "EG"),
    ("Jean-Luc Tremblay", "Secretariat of the Convention on Biological Diversity", "CA"),
]

# (slug, title, days from now, hour UTC, zone, speakers, capacity)
SESSIONS = [
    (
        "km4b-1-why-km",
        "Why knowledge management matters for the GBF",
        -40,
        13,
        "America/Montreal",
        [0, 5],
        None,
    ),
    (
        "km4b-2-chm",
        "Clearing-house mechanisms that people use",
        -26,
        9,
        "Europe/Warsaw",
        [2, 3],
        None,
    ),
    (
        "km4b-3-communities",
        "Communities of practice across regions",
        -12,
        14,
        "America/Bogota",
        [1, 4],
        None,
    ),
    (
        "km4b-4-indigenous-knowledge",
        "Indigenous and local knowledge, with consent",
        9,
        13,
        "Africa/Lagos",
        [0, 1],
        300,
    ),
    (
        "km4b-5-data-to-decisions",
        "From biodiversity data to decisions",
        23,
        8,
        "Asia/Shanghai",
        [3, 2],
        200,
    ),
    (
        "km4b-6-after-action",
        "After-action reviews for national reports",
        37,
        15,
        "Africa/Cairo",
        [4, 5],
        8,
    ),
]


def build_demo_webinars(context):
    organizer = context.users["organizer"]
    series = WebinarSeriesPage.objects.filter(slug=SERIES_SLUG).first()
    if series is None:
        series = WebinarSeriesPageFactory(
            parent=context.home_page,
            title="KM4B: Knowledge Management for Biodiversity",
            slug=SERIES_SLUG,
            show_in_menus=True,
            intro=(
                "<p>A webinar series on the knowledge-management practices that help "
                "countries implement the Kunming-Montreal Global Biodiversity Framework. "
                "Its first season drew about 700 participants and speakers.</p>"
            ),
            languages="English, French, Spanish",
            organizers=[organizer],
            certificate_sessions_required=3,
        )
        context.log(f"Webinar series: {series.url}")
    _grant_editing(series)
    speakers = [
        SpeakerFactory(name=name, affiliation=affiliation, country=country)
        for name, affiliation, country in SPEAKERS
    ]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    learners = [context.users[key] for key in ("learner", "learner_ar", "learner_zh")]
    learners += _participants()
    for slug, title, days, hour, zone, speaker_indexes, capacity in SESSIONS:
        webinar = WebinarPage.objects.filter(slug=slug).first()
        if webinar is None:
            start = (now + timedelta(days=days)).replace(hour=hour)
            past = days < 0
            webinar = WebinarPageFactory(
                parent=series,
                title=title,
                slug=slug,
                start=start,
                end=start + timedelta(minutes=90),
                time_zone=zone,
                capacity=capacity,
                status=WebinarPage.Status.FINISHED if past else WebinarPage.Status.SCHEDULED,
                moderator=speakers[5],
                speakers=[speakers[i] for i in speaker_indexes],
                recording_url=f"https://video.example.org/km4b/{slug}" if past else "",
                summary=(
                    "<p>The speakers shared examples from their countries; the recording "
                    "and slides are below.</p>"
                    if past
                    else ""
                ),
            )
            if not past:
                RegistrationQuestionFactory(
                    page=webinar,
                    label="Which sector do you work in?",
                    kind=RegistrationQuestion.Kind.SINGLE,
                    choices="Government\nAcademia\nCivil society\nIndigenous peoples' "
                    "organisation\nPrivate sector\nOther",
                    required=True,
                )
        _register_demo_learners(webinar, learners, organizer)
    context.log(
        "KM4B webinars: 3 past sessions with recordings, 3 upcoming (one full, with a waitlist)."
    )


# Participants from several regions, so the organizers' country and region summaries
# have something to show.
PARTICIPANTS = [
    ("participant-ke@example.org", "Wanjiru Kamau", "KE"),
    ("participant-sn@example.org", "Awa Ndiaye", "SN"),
    ("participant-br@example.org", "João Silva", "BR"),
    ("participant-pe@example.org", "Rosa Quispe", "PE"),
    ("participant-in@example.org", "Arjun Mehta", "IN"),
    ("participant-fj@example.org", "Litia Vula", "FJ"),
    ("participant-ua@example.org", "Olena Shevchenko", "UA"),
    ("participant-de@example.org", "Jonas Weber", "DE"),
]


def _participants():
    return [
        UserFactory(
            username=email,
            email=email,
            first_name=name.split()[0],
            last_name=name.split()[-1],
            profile__full_name=name,
            profile__country=country,
            groups=[GROUP_LEARNERS],
        )
        for email, name, country in PARTICIPANTS
    ]


def _register_demo_learners(webinar, learners, organizer):
    if webinar.start < timezone.now():
        for index, learner in enumerate(learners):
            # Most participants attended each past session; every third one did not.
            RegistrationFactory(webinar=webinar, user=learner, attended=index % 3 != 2)
        services.send_follow_up(webinar, organizer)
        return
    question = webinar.questions.first()
    for learner in learners:
        answers = {question.key: "Government"} if question else {}
        services.register(webinar, learner, answers)


def _grant_editing(series):
    group = Group.objects.get(name=GROUP_ORGANIZERS)
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=series,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
