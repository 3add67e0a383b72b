"""Domain rules of H5P: importing packages and tracking learners (plain functions).

``importing`` validates and stores packages; ``tracking`` turns xAPI statements into
progress and keeps resume state. Re-exported here, so callers write
``from learning.h5p import services`` and ``services.import_h5p(...)``.
"""

from .approval import approve_h5p_version, awaiting_approval, reject_h5p_version
from .importing import INSTALL_PERMISSION, import_h5p
from .tracking import (
    StatementConflict,
    UserDataError,
    activity_done,
    load_user_data,
    record_statements,
    save_user_data,
    status_text,
)

__all__ = [
    "INSTALL_PERMISSION",
    "StatementConflict",
    "UserDataError",
    "activity_done",
    "approve_h5p_version",
    "awaiting_approval",
    "reject_h5p_version",
    "import_h5p",
    "load_user_data",
    "record_statements",
    "save_user_data",
    "status_text",
]
