"""Signal receivers of the H5P import; connected in ``LearningConfig.ready``."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from learning.h5p import storage
from learning.models import H5PContentVersion


@receiver(post_delete, sender=H5PContentVersion, dispatch_uid="h5p_delete_version_files")
def delete_version_files(sender, instance, **kwargs):
    """A deleted content version's files go too, once the deletion is committed (its
    storage prefix could otherwise be inherited by a later content that reuses the id).
    Libraries stay: other content may use them."""
    prefix, package = instance.storage_prefix, instance.package.name

    def delete_files():
        storage.delete_prefix(prefix)
        if package:
            instance.package.storage.delete(package)

    transaction.on_commit(delete_files)
