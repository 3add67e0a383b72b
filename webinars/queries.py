"""The read side of webinars: what the webinar page shows a visitor about registering,
and the figures of the organizers' registration screen. Nothing here writes, builds
forms or HTML."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from learning.models import Region
from learning.translations import canonical
from webinars import attendance, services
from webinars.models import Registration


@dataclass(frozen=True)
class RegistrationState:
    """Where a visitor stands with a webinar and what its page offers them."""

    registration: Registration | None  # theirs, unless cancelled
    confirmed_count: int
    capacity: int | None
    can_register: bool  # registration is open and they are signed in, not registered
    joins_waitlist: bool  # every seat is taken: registering puts them on the waitlist
    needs_login: bool  # registration is open, but they are not signed in
    can_cancel: bool
    can_open_join_page: bool
    join_state: str | None  # ``services.join_state`` of their confirmed registration
    waitlist_position: int | None  # 1: theirs is the next seat that frees up


def registration_state(webinar, user):
    """Where ``user`` stands with ``webinar`` (any of its language versions: seats and
    registrations are the canonical version's)."""
    webinar = canonical(webinar)
    registration = None
    if user.is_authenticated:
        registration = Registration.objects.filter(webinar=webinar, user=user).first()
        if registration is not None and registration.status == Registration.Status.CANCELLED:
            registration = None
    confirmed = Registration.objects.filter(
        webinar=webinar, status=Registration.Status.CONFIRMED
    ).count()
    is_open = registration is None and webinar.registration_is_open()
    upcoming = not webinar.is_past
    confirmed_upcoming = (
        registration is not None
        and registration.status == Registration.Status.CONFIRMED
        and upcoming
    )
    if registration is not None:
        registration.webinar = webinar  # join_state reads it: no second query
    return RegistrationState(
        registration=registration,
        confirmed_count=confirmed,
        capacity=webinar.capacity,
        can_register=is_open and user.is_authenticated,
        # With approval, registering asks the organizers whatever the seats.
        joins_waitlist=(
            not webinar.approval_required
            and bool(webinar.capacity)
            and confirmed >= webinar.capacity
        ),
        needs_login=is_open and not user.is_authenticated,
        can_cancel=registration is not None and upcoming,
        can_open_join_page=confirmed_upcoming,
        join_state=services.join_state(registration) if confirmed_upcoming else None,
        waitlist_position=(
            waitlist_position(registration)
            if registration is not None and registration.status == Registration.Status.WAITLISTED
            else None
        ),
    )


def waitlist_position(registration):
    """Where a waitlisted registration stands: 1 gets the next free seat (seats go by
    the time people joined the waitlist, as ``services.promote_waitlisted`` gives them)."""
    ahead = Registration.objects.filter(
        Q(status_changed_at__lt=registration.status_changed_at)
        | Q(status_changed_at=registration.status_changed_at, pk__lt=registration.pk),
        webinar_id=registration.webinar_id,
        status=Registration.Status.WAITLISTED,
    ).count()
    return ahead + 1


def status_counts(webinar):
    """``[(label, count)]`` of the webinar's registrations by status, then attendance."""
    counts = Registration.objects.filter(webinar=webinar).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Registration.Status.values},
        attended=Count("pk", filter=Q(attended=True)),
    )
    return [(label, counts[value]) for value, label in Registration.Status.choices] + [
        (_("Attended"), counts["attended"])
    ]


def country_summary(webinar):
    """Active registrations by country (most first) and by region (``Region.countries``;
    "Other" for countries in none): ``(country_rows, region_rows)`` of ``(name, count)``."""
    by_country = dict(
        Registration.objects.filter(webinar=webinar)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("country")
        .annotate(count=Count("pk"))
        .values_list("country", "count")
    )
    country_rows = sorted(
        (
            (dict(countries).get(code, _("Unknown")) if code else _("Unknown"), count)
            for code, count in by_country.items()
        ),
        key=lambda row: (-row[1], str(row[0])),
    )
    region_rows = []
    assigned = set()
    for region in Region.objects.all():
        codes = {str(code) for code in region.countries}
        count = sum(n for code, n in by_country.items() if code in codes)
        assigned |= codes
        region_rows.append((region.name, count))
    region_rows.append(
        (_("Other"), sum(n for code, n in by_country.items() if code not in assigned))
    )
    return country_rows, region_rows


REPORT_FIELDS = [
    ("name", gettext_lazy("Name")),
    ("email", gettext_lazy("Email")),
    ("join", gettext_lazy("Join time")),
    ("leave", gettext_lazy("Leave time")),
    ("duration", gettext_lazy("Duration")),
]


def report_columns():
    """The headers read from each platform's report, for the import screen:
    ``[(platform label, [(field label, [header, ...]), ...]), ...]``, "Other" left out (it
    reads every platform's headers)."""
    platforms = []
    for key, label in attendance.platform_choices():
        if key == "other":
            continue
        columns = attendance.get_parser(key).columns
        platforms.append((label, [(name, columns.get(field, [])) for field, name in REPORT_FIELDS]))
    return platforms
