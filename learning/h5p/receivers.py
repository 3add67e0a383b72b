"""Signal receivers of the H5P import; connected in ``LearningConfig.ready``."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from learning.h5p import access, storage
from learning.models import H5PContent, H5PContentVersion


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


@receiver(page_published, dispatch_uid="h5p_targets_page_published")
@receiver(page_unpublished, dispatch_uid="h5p_targets_page_unpublished")
@receiver(post_page_move, dispatch_uid="h5p_targets_page_moved")
@receiver(post_save, sender=H5PContent, dispatch_uid="h5p_targets_content_saved")
@receiver(post_delete, sender=H5PContent, dispatch_uid="h5p_targets_content_deleted")
def forget_activity_targets(sender, **kwargs):
    """Which pages are live and what they embed changed: statements resolve afresh."""
    access.forget_targets()


@receiver(post_delete, dispatch_uid="h5p_targets_page_deleted")
def forget_targets_of_deleted_page(sender, instance, **kwargs):
    if isinstance(instance, Page):
        access.forget_targets()
