"""Signal receivers of regional workshops; connected in ``LearningConfig.ready``."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from learning.models import WorkshopMaterial, WorkshopMaterialVersion


@receiver(post_delete, sender=WorkshopMaterial, dispatch_uid="workshop_material_deleted")
@receiver(
    post_delete, sender=WorkshopMaterialVersion, dispatch_uid="workshop_material_version_deleted"
)
def delete_material_file(sender, instance, **kwargs):
    """Remove a deleted material's (or version's) file once the deletion is committed,
    whichever way it was deleted: by a trainer, or with its workshop page."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
