"""What each app holds about a person.

An app registers a function with the ``learning_personal_data`` hook that returns a
provider: an object with

- ``key``: the name of its section in the export;
- ``export(user)``: that section, JSON-serialisable (datetimes are fine);
- ``erase(user)``: remove or anonymise what it holds (called inside the erasure's
  transaction, before the account itself is anonymised);
- ``expire(cutoff)`` (optional): delete details older than ``cutoff`` (retention).
"""

from django.forms.models import model_to_dict
from wagtail import hooks

HOOK = "learning_personal_data"

# Never exported: secrets that act as keys (join links, feed tokens) and internal hashes.
SECRET_FIELDS = {"token", "password", "body_sha256"}


def providers():
    return [make() for make in hooks.get_hooks(HOOK)]


def rows(queryset, *, exclude=(), extra=None):
    """The rows of ``queryset`` as dicts of their own fields (no secrets, no ids of the
    person), each completed by ``extra(obj)`` when given."""
    skip = SECRET_FIELDS | {"id", "user"} | set(exclude)
    result = []
    for obj in queryset:
        fields = [f.name for f in obj._meta.concrete_fields if f.name not in skip]
        row = model_to_dict(obj, fields=fields)
        for name, value in list(row.items()):
            if hasattr(value, "code") and hasattr(value, "name"):  # a django-countries Country
                row[name] = value.code
        if extra:
            row.update(extra(obj))
        result.append(row)
    return result
