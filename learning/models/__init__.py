"""Models of the shared learning core, one module per concern."""

from .accounts import Profile
from .activities import ActivityPage
from .certificate_design import (
    CertificateDesign,
    CertificateDesignOverride,
    CertificateOverrideSignatory,
    CertificateSignatory,
)
from .certificates import Certificate
from .deliveries import TaskDelivery
from .h5p import H5PContent, H5PContentVersion, H5PLibrary
from .pages import HomePage
from .privacy import AuditEntry
from .regions import Region, TrainerAssignment
from .workshop_materials import (
    MaterialDownload,
    TaggedWorkshopMaterial,
    WorkshopMaterial,
    WorkshopMaterialVersion,
)
from .workshops import (
    WorkshopIndexPage,
    WorkshopPage,
    WorkshopParticipant,
    WorkshopRelatedLink,
    WorkshopTrainer,
)
from .xapi import ActivityProgress, H5PUserData, XAPIStatement

__all__ = [
    "AuditEntry",
    "ActivityPage",
    "ActivityProgress",
    "H5PUserData",
    "XAPIStatement",
    "Certificate",
    "CertificateDesign",
    "CertificateDesignOverride",
    "CertificateOverrideSignatory",
    "CertificateSignatory",
    "H5PContent",
    "H5PContentVersion",
    "H5PLibrary",
    "HomePage",
    "Profile",
    "Region",
    "MaterialDownload",
    "TaskDelivery",
    "TaggedWorkshopMaterial",
    "TrainerAssignment",
    "WorkshopIndexPage",
    "WorkshopMaterial",
    "WorkshopMaterialVersion",
    "WorkshopPage",
    "WorkshopParticipant",
    "WorkshopRelatedLink",
    "WorkshopTrainer",
]
