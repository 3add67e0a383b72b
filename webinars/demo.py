"""The KM4B webinar series for ``load_demo_data``: past sessions with recordings and
attendance, upcoming ones with capacities and registrations of the demo learners.
Idempotent: pages are found by slug, registrations by person and session."""

from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission, Locale

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
from webinars.models import Registration, RegistrationQuestion, WebinarPage, WebinarSeriesPage

SERIES_SLUG = "km4b"

SPEAKERS = [
    ("Amara Okafor", "Nigerian Conservation Foundation", "NG"),
    ("Sofía Ramírez", "Instituto Humboldt", "CO"),
    ("Tomasz Nowak", "Polish Academy of Sciences", "PL"),
    ("Mei Lin", "Chinese Research Academy of Environmental Sciences", "CN"),
    ("Fatima Al-Sayed", "League of Arab States", "EG"),
    ("Jean-Luc Tremblay", "Secretariat of the Convention on Biological Diversity", "CA"),
]
# Moderators chair the sessions; none of them speaks at the session they chair.
MODERATORS = [
    ("Ana Gómez", "Secretariat of the Convention on Biological Diversity", "MX"),
    ("Kwame Mensah", "Ghana Environmental Protection Agency", "GH"),
]

SECTORS = [
    "Government",
    "Academia",
    "Civil society",
    "Indigenous peoples' organisation",
    "Private sector",
    "Other",
]

# (slug, title, days from now, hour UTC, zone, speakers, moderator, capacity, abstract)
SESSIONS = [
    (
        "km4b-1-why-km",
        "Why knowledge management matters for the GBF",
        -40,
        13,
        "America/Montreal",
        [0, 5],
        0,
        None,
        "<p>The Kunming-Montreal Global Biodiversity Framework asks countries to share what "
        "works. This opening session shows how national focal points turn scattered reports, "
        "data and expertise into knowledge that decision-makers actually use, with examples "
        "from Nigeria and the Secretariat's own clearing-house.</p>",
    ),
    (
        "km4b-2-chm",
        "Clearing-house mechanisms that people use",
        -26,
        9,
        "Europe/Warsaw",
        [2, 3],
        1,
        None,
        "<p>Many national clearing-house mechanisms are websites nobody visits. Speakers from "
        "Poland and China explain how they redesigned theirs around the questions users ask, "
        "measured use, and kept content current with a small team.</p>",
    ),
    (
        "km4b-3-communities",
        "Communities of practice across regions",
        -12,
        14,
        "America/Bogota",
        [1, 4],
        0,
        None,
        "<p>How do practitioners in Colombia and the Arab region keep learning from each "
        "other between meetings? A practical look at running communities of practice: "
        "facilitation, languages, online tools and what to do when a community goes quiet.</p>",
    ),
    (
        "km4b-4-indigenous-knowledge",
        "Indigenous and local knowledge, with consent",
        9,
        13,
        "Africa/Lagos",
        [0, 1],
        1,
        300,
        "<p>Traditional knowledge is knowledge management's most sensitive case. This session "
        "covers free, prior and informed consent, community protocols and how to document "
        "knowledge so that its holders keep control over its use.</p>",
    ),
    (
        "km4b-5-data-to-decisions",
        "From biodiversity data to decisions",
        23,
        8,
        "Asia/Shanghai",
        [3, 2],
        0,
        200,
        "<p>Indicators, dashboards and spatial data are only useful when they reach a "
        "decision. Speakers walk through two national cases, from monitoring data to a "
        "ministerial briefing, and the knowledge products that made the difference.</p>",
    ),
    (
        "km4b-6-after-action",
        "After-action reviews for national reports",
        37,
        15,
        "Africa/Cairo",
        [4, 5],
        1,
        8,
        "<p>National reports are written every few years, often by new teams. An after-action "
        "review captures what the last team learned. A hands-on session with a template you "
        "can use after your next report; seats are limited to keep it interactive.</p>",
    ),
]


def build_demo_webinars(context):
    organizer = context.users["organizer"]
    series = WebinarSeriesPage.objects.filter(slug=SERIES_SLUG, locale=Locale.get_default()).first()
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
    _grant_editing(series)
    speakers = [
        SpeakerFactory(name=name, affiliation=affiliation, country=country)
        for name, affiliation, country in SPEAKERS
    ]
    moderators = [
        SpeakerFactory(name=name, affiliation=affiliation, country=country)
        for name, affiliation, country in MODERATORS
    ]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    learners = [context.users[key] for key in ("learner", "learner_ar", "learner_zh")]
    participants = _participants()
    for number, session in enumerate(SESSIONS):
        slug, title, days, hour, zone, speaker_indexes, moderator, capacity, abstract = session
        webinar = WebinarPage.objects.filter(slug=slug, locale=Locale.get_default()).first()
        if webinar is None:
            start = (now + timedelta(days=days)).replace(hour=hour)
            past = days < 0
            webinar = WebinarPageFactory(
                parent=series,
                title=title,
                slug=slug,
                abstract=abstract,
                start=start,
                end=start + timedelta(minutes=90),
                time_zone=zone,
                capacity=capacity,
                status=WebinarPage.Status.FINISHED if past else WebinarPage.Status.SCHEDULED,
                moderator=moderators[moderator],
                speakers=[speakers[i] for i in speaker_indexes],
                recording_url=f"https://video.example.org/km4b/{slug}" if past else "",
                summary=(
                    "<p>The speakers shared examples from their countries; the recording "
                    "and slides are below.</p>"
                    if past
                    else ""
                ),
            )
            RegistrationQuestionFactory(
                page=webinar,
                label="Which sector do you work in?",
                kind=RegistrationQuestion.Kind.SINGLE,
                choices="\n".join(SECTORS),
                required=True,
            )
        _register_demo_people(webinar, number, learners, participants, organizer)
    home_path = context.home_page.url_path
    context.log(
        f"KM4B webinars at /{series.url_path[len(home_path) :]}: 3 past sessions with "
        f"recordings and attendance, 3 upcoming (one full, with a waitlist), "
        f"{len(participants)} participants from every region; reports under Reports › Webinars."
    )


# Participants from every region (and the countries outside the four regions, "Other"),
# so that the organizers' reports look like a real season.
PARTICIPANTS = [
    ("participant-ke@example.org", "Wanjiru Kamau", "KE"),
    ("participant-sn@example.org", "Awa Ndiaye", "SN"),
    ("participant-br@example.org", "João Silva", "BR"),
    ("participant-pe@example.org", "Rosa Quispe", "PE"),
    ("participant-in@example.org", "Arjun Mehta", "IN"),
    ("participant-fj@example.org", "Litia Vula", "FJ"),
    ("participant-ua@example.org", "Olena Shevchenko", "UA"),
    ("participant-de@example.org", "Jonas Weber", "DE"),
    ("participant-ma@example.org", "Youssef El Amrani", "MA"),
    ("participant-cm@example.org", "Brigitte Nkoulou", "CM"),
    ("participant-et@example.org", "Hana Tesfaye", "ET"),
    ("participant-za@example.org", "Thandi Dlamini", "ZA"),
    ("participant-mg@example.org", "Hery Rakoto", "MG"),
    ("participant-vn@example.org", "Nguyễn Thị Lan", "VN"),
    ("participant-id@example.org", "Siti Rahayu", "ID"),
    ("participant-jo@example.org", "Rania Haddad", "JO"),
    ("participant-np@example.org", "Sunita Gurung", "NP"),
    ("participant-ph@example.org", "Maria Santos", "PH"),
    ("participant-cn@example.org", "Zhang Wei", "CN"),
    ("participant-mx@example.org", "Luis Hernández", "MX"),
    ("participant-co@example.org", "Valentina Rojas", "CO"),
    ("participant-jm@example.org", "Andre Campbell", "JM"),
    ("participant-ar@example.org", "Martina López", "AR"),
    ("participant-gt@example.org", "Ixchel Pop", "GT"),
    ("participant-pl@example.org", "Katarzyna Zielińska", "PL"),
    ("participant-ge@example.org", "Nino Beridze", "GE"),
    ("participant-ro@example.org", "Andrei Popescu", "RO"),
    ("participant-am@example.org", "Anahit Petrosyan", "AM"),
    ("participant-fr@example.org", "Claire Martin", "FR"),
    ("participant-ca@example.org", "Emily Thompson", "CA"),
    ("participant-no@example.org", "Ingrid Hansen", "NO"),
    ("participant-au@example.org", "Jack Wilson", "AU"),
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


def _register_demo_people(webinar, number, learners, participants, organizer):
    """The demo learners register for every session; each participant for most sessions
    (a varied pattern, the same on every run), days to weeks before the event, answering
    the sector question for their own sector. At past sessions most attended, for
    between 20 and 90 minutes."""
    question = webinar.questions.first()
    people = list(enumerate(learners)) + [
        (index, person)
        for index, person in enumerate(participants, start=len(learners))
        if (index + number) % 4 != 0
    ]
    # Earlier registrations first, so the waitlist order matches the dates.
    days_before = {index: 1 + (index * 7 + number * 3) % 28 for index, _person in people}
    people.sort(key=lambda item: -days_before[item[0]])
    past = webinar.start < timezone.now()
    for index, person in people:
        answers = {question.key: SECTORS[index % len(SECTORS)]} if question else {}
        registered_at = webinar.start - timedelta(days=days_before[index], hours=(index * 5) % 24)
        if past:
            attended = index < 2 or (index * (number + 2)) % 5 != 1
            RegistrationFactory(
                webinar=webinar,
                user=person,
                answers=answers,
                created_at=registered_at,
                status_changed_at=registered_at,
                attended=attended,
                attended_minutes=90 - (index * 13 + number * 7) % 70 if attended else None,
                attendance_source=Registration.AttendanceSource.IMPORT,
            )
            continue
        registration = services.register(webinar, person, answers)
        if registration.created_at > timezone.now() - timedelta(minutes=5):
            registered_at = min(registered_at, timezone.now() - timedelta(hours=1))
            Registration.objects.filter(pk=registration.pk).update(
                created_at=registered_at, status_changed_at=registered_at
            )
    if past:
        services.send_follow_up(webinar, organizer)


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
