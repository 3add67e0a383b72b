"""Domain rules of the shared learning core (plain functions, one transaction each).

Grouped by concern in submodules and re-exported here, so callers write
``from learning import services`` and ``services.issue_certificate(...)``.
"""

from .accounts import LEARNERS_GROUP, save_profile
from .certificates import CertificateError, issue_certificate, revoke_certificate
from .h5p_import import import_h5p
from .h5p_tracking import StatementConflict, activity_done, record_statements

__all__ = [
    "LEARNERS_GROUP",
    "CertificateError",
    "import_h5p",
    "StatementConflict",
    "activity_done",
    "record_statements",
    "issue_certificate",
    "revoke_certificate",
    "save_profile",
]
