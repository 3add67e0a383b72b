"""Certificate rules: which achievement earns which certificate, one rule per kind.

A rule is a ``CertificateRule`` subclass registered under its ``key`` with
``@register``. It names the ``occasion`` on which it is checked (e.g. "course-completed",
"webinar-attended") and, given the learner and the facts of that occasion, returns the
``Award`` due or None. ``issue_due(occasion, user, **facts)`` issues every award due on
an occasion, once per achievement (``learning.services.issue_certificate``). When the
facts are corrected, ``reconcile`` issues what is now due and revokes what no longer is
(a revoked certificate due again is a new one, unless an administrator revoked it); it
needs the rule's ``subject`` (which certificate the rule decides on).

The apps keep their rules in their ``certificates`` module (courses: a course
completed; webinars: a webinar attended, N sessions of a series attended), imported by
their ``AppConfig.ready``, so ``learning`` never imports them. A new rule is one class
there, plus its test.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models

from learning import services


@dataclass(frozen=True)
class Award:
    """What a certificate certifies: see ``learning.services.issue_certificate``."""

    kind: str  # a Certificate.Kind
    source: models.Model  # the course, webinar, series... achieved
    title: str
    issuer: str
    achieved_at: datetime | None = None  # now, when None
    source_url: str = ""
    minutes_attended: int | None = None  # a webinar: printed as "attended for N minutes"
    sessions_attended: int | None = None  # a series: "attended N of M sessions"
    sessions_total: int | None = None


class CertificateRule:
    key = ""
    occasion = ""

    def award(self, user, **facts):
        """The ``Award`` ``user`` has earned on this occasion, or None."""
        raise NotImplementedError

    def subject(self, user, **facts):
        """``(kind, source)`` of the certificate this rule decides on for these facts,
        earned or not; None when the rule does not apply (nothing to issue or revoke)."""
        return None


_rules = {}


def register(rule_class):
    """Class decorator: register a rule under its ``key`` (keys are unique)."""
    if not rule_class.key or not rule_class.occasion:
        raise ValueError(f"{rule_class.__name__} needs a key and an occasion.")
    existing = _rules.get(rule_class.key)
    if existing is not None and type(existing) is not rule_class:
        raise ValueError(f"Two certificate rules are registered as “{rule_class.key}”.")
    _rules[rule_class.key] = rule_class()
    return rule_class


def rules_for(occasion):
    """The rules checked on ``occasion``, in the order they were registered."""
    return [rule for rule in _rules.values() if rule.occasion == occasion]


def issue_due(occasion, user, **facts):
    """Issue (or find, when already issued) every certificate ``user`` has earned on
    ``occasion``; returns ``{rule key: Certificate}`` in the rules' order. Runs inside the
    caller's transaction."""
    issued = {}
    for rule in rules_for(occasion):
        award = rule.award(user, **facts)
        if award is None:
            continue
        issued[rule.key] = _issue(user, award)
    return issued


def reconcile(occasion, user, *, reason, revoked_by, issue=True, **facts):
    """Bring ``user``'s certificates of ``occasion`` in line with corrected facts: issue
    (when ``issue``) what is now due, revoke with ``reason`` what no longer is. A
    revocation is never undone: a certificate due again after a correction revoked it is a
    new one (new code, new place in the status list); one an administrator revoked blocks
    this, and is returned among the ``blocked``. Returns ``(issued, revoked, blocked)``.
    Runs inside the caller's transaction; the caller has checked that ``revoked_by`` may
    correct these facts."""
    from django.contrib.contenttypes.models import ContentType

    from learning.models import Certificate

    issued, revoked, blocked = [], [], []
    for rule in rules_for(occasion):
        subject = rule.subject(user, **facts)
        if subject is None:
            continue
        kind, source = subject
        certificates = list(
            Certificate.objects.filter(
                user=user,
                kind=kind,
                source_content_type=ContentType.objects.get_for_model(source),
                source_object_id=source.pk,
            ).order_by("-pk")
        )
        valid = next((c for c in certificates if not c.is_revoked), None)
        award = rule.award(user, **facts)
        if award is None:
            if valid is not None:
                revoked.append(
                    services.revoke_certificate(
                        valid, reason=reason, user=revoked_by, authorized=True, by_correction=True
                    )
                )
        elif issue and valid is None:
            by_administrator = next(
                (c for c in certificates if c.is_revoked and not c.revoked_by_correction), None
            )
            if by_administrator is not None:
                blocked.append(by_administrator)
            else:
                issued.append(_issue(user, award, reissue=bool(certificates)))
    return issued, revoked, blocked


def _issue(user, award, reissue=False):
    return services.issue_certificate(
        reissue=reissue,
        user=user,
        kind=award.kind,
        source=award.source,
        title=award.title,
        issuer=award.issuer,
        achieved_at=award.achieved_at,
        source_url=award.source_url,
        minutes_attended=award.minutes_attended,
        sessions_attended=award.sessions_attended,
        sessions_total=award.sessions_total,
    )
