"""Consent, export, erasure, retention and the audit log: the write side of privacy."""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from learning.models import AuditEntry, Profile
from learning.privacy.registry import providers

EXPORT_FORMAT = "capacity-building-personal-data/1"


def notice_version():
    return getattr(settings, "LEARNING_PRIVACY_NOTICE_VERSION", "2026-11")


def retention_days():
    return getattr(settings, "LEARNING_RETENTION_DAYS", 365)


def record(actor, action, *, subject=None, summary=""):
    """Write an audit entry for a staff action on someone's data."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor, action=action, subject=subject, summary=str(summary)[:255]
    )


def record_consent(user, version=None):
    Profile.objects.filter(user=user).update(
        privacy_notice_version=version or notice_version(), privacy_consented_at=timezone.now()
    )


def personal_data(user):
    """Everything the platform holds about ``user``, by section."""
    data = {"format": EXPORT_FORMAT, "exported_at": timezone.now()}
    for provider in providers():
        data[provider.key] = provider.export(user)
    return data


def personal_data_json(user, *, by):
    """The export as JSON bytes; the export is written to the audit log when ``by`` is
    someone other than the person."""
    body = json.dumps(personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    if by is not None and by.pk != user.pk:
        record(by, AuditEntry.Action.EXPORT, subject=user, summary=f"#{user.pk}")
    return body.encode()


def erase_account(user, *, by):
    """Remove or anonymise ``user``'s personal data everywhere, in one transaction.

    What is counted (seats taken at past events, completions, attendance minutes, the
    country and language behind regional reports) stays, attached to an account that no
    longer says who it was; certificates stay verifiable as issued to an erased account.
    Seats at events still to come are given up, so the next person on the waitlist gets
    them."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        # Apps that build on the core first (they may still need the email to find
        # unmatched attendance rows), the core and the account itself last.
        for provider in reversed(providers()):
            provider.erase(user)
        AuditEntry.objects.filter(subject=user).update(subject=None)
        record(
            by if by is not None and by.pk != user.pk else None,
            AuditEntry.Action.ERASE,
            summary=f"#{user.pk}",
        )
    return user


def apply_retention(*, now=None, days=None):
    """Delete registration answers and attendance details of events that ended more than
    ``LEARNING_RETENTION_DAYS`` ago. Returns {provider key: rows changed}."""
    days = days if days is not None else retention_days()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    changed = {}
    for provider in providers():
        expire = getattr(provider, "expire", None)
        if expire is not None:
            changed[provider.key] = expire(cutoff)
    return changed
