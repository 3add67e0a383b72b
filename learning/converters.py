"""URL converter for database ids.

``<id:pk>`` is Django's ``<int:pk>`` bounded to 18 digits: a longer number cannot be a row
id (ids are signed 64-bit), and on SQLite a lookup with one (through a page's parent link,
which Django does not range-check) raised OverflowError, a 500 page. Such URLs are now a
plain 404. Registered when the learning app is ready (before any URLconf loads).
"""

from django.urls import register_converter
from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    regex = "[0-9]{1,18}"


register_converter(IdConverter, "id")
