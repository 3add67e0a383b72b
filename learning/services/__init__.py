"""Domain rules of the shared learning core (plain functions, one transaction each).

Grouped by concern in submodules and re-exported here, so callers write
``from learning import services`` and ``services.issue_certificate(...)``.
"""

from .accounts import LEARNERS_GROUP, save_profile
from .certificates import CertificateError, issue_certificate, revoke_certificate
from .h5p_import import import_h5p
from .h5p_tracking import StatementConflict, activity_done, record_statements
from .workshops import (
    WorkshopError,
    add_material,
    add_participants,
    can_manage_workshop,
    delete_material,
    record_download,
    remove_participant,
    replace_material,
    update_material,
)

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
    "WorkshopError",
    "add_material",
    "add_participants",
    "can_manage_workshop",
    "delete_material",
    "record_download",
    "remove_participant",
    "replace_material",
    "update_material",
]
