"""Domain rules of the shared learning core (plain functions, one transaction each).

Grouped by concern in submodules and re-exported here, so callers write
``from learning import services`` and ``services.issue_certificate(...)``.
"""

from .accounts import LEARNERS_GROUP, save_profile
from .certificates import CertificateError, issue_certificate, revoke_certificate

__all__ = [
    "LEARNERS_GROUP",
    "CertificateError",
    "issue_certificate",
    "revoke_certificate",
    "save_profile",
]
