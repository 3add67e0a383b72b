"""Signal receivers of the learning core; connected in ``LearningConfig.ready``."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from learning.backends import forget_user
from learning.models import Profile


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
