"""Counts by country grouped into the platform's regions (``Region.countries``)."""

from django.utils.translation import gettext as _
from django_countries import countries

from learning.models import Region


def country_name(code):
    return (countries.name(code) or code) if code else _("Unknown")


def by_country_and_region(counts):
    """``counts`` maps country codes to numbers. Returns ``(country_rows, region_rows)``
    of ``(name, count)``: countries most first, then every region (countries in none
    count under "Other")."""
    country_rows = sorted(
        ((country_name(code), count) for code, count in counts.items() if count),
        key=lambda row: (-row[1], str(row[0])),
    )
    region_rows = []
    assigned = set()
    for region in Region.objects.all():
        codes = {str(code) for code in region.countries}
        assigned |= codes
        region_rows.append((region.name, sum(n for code, n in counts.items() if code in codes)))
    region_rows.append((_("Other"), sum(n for code, n in counts.items() if code not in assigned)))
    return country_rows, region_rows
