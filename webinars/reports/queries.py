"""The read side of the webinar reports. Every function takes the sessions in scope (a
queryset already limited to what the viewer manages and to the filters) and runs a fixed
number of queries, whatever the number of registrations.

Definitions (the README's "Reports" section repeats them):
- registered: every registration made, including those cancelled later;
- confirmed, waitlisted, pending, cancelled: registrations by their current status (a
  promotion from the waitlist counts as confirmed only);
- attended: the latest attendance (an organizer's correction replaces an import);
- attendance rate: attended / confirmed; average minutes: over those who attended;
- participants: people with a registration that is not cancelled, counted once however
  many sessions they registered for; returning: registered for an earlier session in
  scope; speakers: speakers and moderators, each counted once.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncWeek

from learning.translations import canonical, canonical_only
from webinars.models import Registration, RegistrationQuestion, Speaker, WebinarSpeaker
from webinars.services import managed_webinars

Status = Registration.Status
ACTIVE = ~Q(status=Status.CANCELLED)


def sessions_in_scope(user, *, start=None, end=None, series=None, language=""):
    """The sessions ``user`` may report on, starting in ``[start, end)``."""
    webinars = canonical_only(managed_webinars(user))
    if start is not None:
        webinars = webinars.filter(start__gte=start)
    if end is not None:
        webinars = webinars.filter(start__lt=end)
    if series is not None:
        webinars = webinars.descendant_of(canonical(series))
    if language:
        webinars = webinars.filter(language=language)
    return webinars.order_by("start", "pk")


def registrations_of(webinars, country=""):
    registrations = Registration.objects.filter(webinar__in=webinars.values("pk"))
    if country:
        registrations = registrations.filter(country=country)
    return registrations


@dataclass
class SessionFigures:
    webinar: object
    registered: int
    confirmed: int
    waitlisted: int
    pending: int
    cancelled: int
    attended: int
    average_minutes: float | None
    speakers: list

    @property
    def attendance_rate(self):
        return round(100 * self.attended / self.confirmed) if self.confirmed else None


def session_figures(webinars, country=""):
    """One ``SessionFigures`` per session (three queries)."""
    within = Q(registrations__country=country) if country else Q()
    annotated = webinars.select_related("moderator").annotate(
        registered=Count("registrations", filter=within),
        **{
            f"n_{status}": Count("registrations", filter=within & Q(registrations__status=status))
            for status in Status.values
        },
        n_attended=Count("registrations", filter=within & Q(registrations__attended=True)),
        average_minutes=Avg(
            "registrations__attended_minutes", filter=within & Q(registrations__attended=True)
        ),
    )
    speakers = defaultdict(list)
    for link in (
        WebinarSpeaker.objects.filter(page__in=webinars.values("pk"))
        .select_related("speaker")
        .order_by("page_id", "sort_order")
    ):
        speakers[link.page_id].append(link.speaker.name)
    rows = []
    for webinar in annotated:
        names = list(speakers[webinar.pk])
        if webinar.moderator and webinar.moderator.name not in names:
            names.append(webinar.moderator.name)
        rows.append(
            SessionFigures(
                webinar=webinar,
                registered=webinar.registered,
                confirmed=webinar.n_confirmed,
                waitlisted=webinar.n_waitlisted,
                pending=webinar.n_pending,
                cancelled=webinar.n_cancelled,
                attended=webinar.n_attended,
                average_minutes=(
                    round(webinar.average_minutes, 1)
                    if webinar.average_minutes is not None
                    else None
                ),
                speakers=names,
            )
        )
    return rows


@dataclass
class Headline:
    sessions: int
    registrations: int
    participants: int
    attendees: int
    speakers: int
    people: int  # participants and speakers, a speaker who also registered counted once
    countries: int


def headline(webinars, country=""):
    registrations = registrations_of(webinars, country)
    figures = registrations.aggregate(
        registrations=Count("pk"),
        participants=Count("user", filter=ACTIVE, distinct=True),
        attendees=Count("user", filter=Q(attended=True), distinct=True),
        countries=Count("country", filter=ACTIVE & ~Q(country=""), distinct=True),
    )
    speaker_ids = Speaker.objects.filter(
        Q(webinar_links__page__in=webinars.values("pk")) | Q(pk__in=webinars.values("moderator"))
    ).distinct()
    names = list(speaker_ids.values_list("name", flat=True))
    both = (
        registrations.filter(ACTIVE, user__profile__full_name__in=names)
        .values("user__profile__full_name")
        .distinct()
        .count()
        if names
        else 0
    )
    return Headline(
        sessions=webinars.count(),
        registrations=figures["registrations"],
        participants=figures["participants"],
        attendees=figures["attendees"],
        speakers=len(names),
        people=figures["participants"] + len(names) - both,
        countries=figures["countries"],
    )


def by_country(webinars, country=""):
    """``{country code: participants}``: people with a registration not cancelled, each
    counted once per country."""
    return dict(
        registrations_of(webinars, country)
        .filter(ACTIVE)
        .values_list("country")
        .annotate(count=Count("user", distinct=True))
        .values_list("country", "count")
    )


def registrations_per_week(webinars, zone, country=""):
    """``[(monday, registrations)]``: when people registered (cancelled ones included),
    weeks starting on Monday in ``zone``."""
    return list(
        registrations_of(webinars, country)
        .annotate(week=TruncWeek("created_at", tzinfo=zone))
        .values_list("week")
        .annotate(count=Count("pk"))
        .values_list("week", "count")
        .order_by("week")
    )


def new_and_returning(webinars, country=""):
    """``[(webinar, new, returning)]`` in session order: a participant is returning when
    they registered for an earlier session in scope."""
    order = {pk: index for index, pk in enumerate(webinars.values_list("pk", flat=True))}
    seen = set()
    counts = defaultdict(lambda: [0, 0])
    pairs = registrations_of(webinars, country).filter(ACTIVE).values_list("webinar_id", "user_id")
    for webinar_id, user_id in sorted(pairs.iterator(), key=lambda pair: order[pair[0]]):
        counts[webinar_id][user_id in seen] += 1
        seen.add(user_id)
    return [(pk, *counts[pk]) for pk in order]


def answers(webinars, country=""):
    """``[(question label, [(choice, count)])]`` for the choice questions of the sessions
    in scope, questions of the same label counted together (e.g. "Sector" asked at every
    session of a series); registrations not cancelled."""
    questions = RegistrationQuestion.objects.filter(
        page__in=webinars.values("pk"),
        kind__in=[RegistrationQuestion.Kind.SINGLE, RegistrationQuestion.Kind.MULTIPLE],
    ).order_by("label", "pk")
    labels = {}
    choices = defaultdict(dict)
    for question in questions:
        labels[question.key] = question.label
        for choice in question.choice_list:
            choices[question.label].setdefault(choice, 0)
    if not labels:
        return []
    tally = defaultdict(Counter)
    for answers_given in (
        registrations_of(webinars, country).filter(ACTIVE).values_list("answers", flat=True)
    ).iterator():
        for key, value in (answers_given or {}).items():
            if key in labels:
                for choice in value if isinstance(value, list) else [value]:
                    tally[labels[key]][choice] += 1
    result = []
    for label in dict.fromkeys(labels.values()):
        counted = {**choices[label], **tally[label]}
        result.append((label, sorted(counted.items(), key=lambda item: (-item[1], item[0]))))
    return result


PEOPLE_FIELDS = (
    "webinar__title",
    "user__profile__full_name",
    "user__email",
    "country",
    "status",
    "created_at",
    "attended",
    "attended_minutes",
)


def people(webinars, country=""):
    """The registrations behind the figures, as tuples of ``PEOPLE_FIELDS`` (iterate them:
    an export of 100,000 rows never holds them all)."""
    return (
        registrations_of(webinars, country)
        .order_by("webinar__start", "webinar_id", "pk")
        .values_list(*PEOPLE_FIELDS)
    )
