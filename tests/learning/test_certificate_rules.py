"""The certificate-rule registry (``learning.certificate_rules``): a rule registered for
an occasion issues its certificate once per achievement; the apps register theirs."""

import pytest

from learning import certificate_rules
from learning.certificate_rules import Award, CertificateRule
from learning.factories import RegionFactory
from learning.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry, so rules registered by a test vanish after it."""
    monkeypatch.setattr(certificate_rules, "_rules", dict(certificate_rules._rules))


def _region_rule(key="region-trained", occasion="region-trained", earned=True):
    class RegionTrained(CertificateRule):
        def award(self, user, *, region):
            if not earned:
                return None
            return Award(
                kind=Certificate.Kind.COURSE, source=region, title=region.name, issuer="Us"
            )

    RegionTrained.key, RegionTrained.occasion = key, occasion
    return certificate_rules.register(RegionTrained)


def test_a_registered_rule_issues_its_certificate_once_per_achievement(registry, user):
    _region_rule()
    region = RegionFactory(name="Oceania", slug="oceania")
    first = certificate_rules.issue_due("region-trained", user, region=region)
    again = certificate_rules.issue_due("region-trained", user, region=region)
    assert list(first) == ["region-trained"]
    assert first == again
    certificate = Certificate.objects.get(user=user)
    assert certificate.title == "Oceania" and certificate.issuer == "Us"


def test_only_the_rules_of_the_occasion_are_checked_and_none_means_not_earned(registry, user):
    _region_rule()
    _region_rule(key="never", earned=False)
    region = RegionFactory(name="Oceania", slug="oceania")
    assert certificate_rules.issue_due("something-else", user, region=region) == {}
    assert list(certificate_rules.issue_due("region-trained", user, region=region)) == [
        "region-trained"
    ]
    assert Certificate.objects.count() == 1


def test_two_rules_cannot_share_a_key(registry):
    _region_rule()
    with pytest.raises(ValueError, match="region-trained"):
        _region_rule()


def test_courses_and_webinars_register_their_rules():
    assert [rule.key for rule in certificate_rules.rules_for("course-completed")] == [
        "course-completed"
    ]
    assert [rule.key for rule in certificate_rules.rules_for("webinar-attended")] == [
        "webinar-attended",
        "series-attended",
    ]
