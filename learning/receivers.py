"""Signal receivers of the learning core; connected in ``LearningConfig.ready``."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    PageViewRestriction,
    Site,
)

from learning import page_cache, personal_page_cache
from learning.backends import forget_user
from learning.models import (
    AuditEntry,
    MaterialDownload,
    Profile,
    Region,
    TaggedWorkshopMaterial,
    WorkshopMaterial,
    WorkshopParticipant,
    WorkshopRelatedLink,
    WorkshopTrainer,
    XAPIStatement,
)

# What anonymous pages show, besides the pages themselves (learning.page_cache).
page_cache.connect_page_signals()
page_cache.invalidate_on_change(
    get_image_model(),
    get_document_model(),
    PageViewRestriction,
    Site,
    Locale,
    Region,
    WorkshopMaterial,
    TaggedWorkshopMaterial,
    WorkshopParticipant,
    WorkshopRelatedLink,
    WorkshopTrainer,
    # What editors' pages show (the admin link, "edit this page"):
    GroupPagePermission,
    GroupCollectionPermission,
)
# Signed-in pages kept for their viewer: dropped when a row naming the viewer changes.
personal_page_cache.connect_signals()
personal_page_cache.not_shown_on_pages(XAPIStatement, AuditEntry, MaterialDownload)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="learning_user_saved")
@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="learning_user_deleted")
def forget_cached_user(sender, instance, **kwargs):
    forget_user(instance.pk)


@receiver(post_save, sender=Profile, dispatch_uid="learning_profile_saved")
@receiver(post_delete, sender=Profile, dispatch_uid="learning_profile_deleted")
def forget_cached_profile(sender, instance, **kwargs):
    forget_user(instance.user_id)


@receiver(post_save, sender="wagtailcore.Locale", dispatch_uid="learning_locale_saved")
@receiver(post_delete, sender="wagtailcore.Locale", dispatch_uid="learning_locale_deleted")
def forget_cached_locales(sender, instance, **kwargs):
    from learning.translations import forget_locales

    forget_locales()
