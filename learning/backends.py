"""Authentication backends that keep signed-in users' rows in the cache.

Django loads the user row on every request of a signed-in user, and the preferences
middleware their profile (time zone, language). The H5P player posts several xAPI
statements a minute per learner, so both are read from the cache instead, for
``USER_CACHE_SECONDS`` at most. ``forget_user`` drops them whenever the user or their
profile is saved or deleted (a password change, a deactivation, a new language), so any
change made through Django applies from the next request; the expiry bounds one made
behind Django's back (a queryset ``update()``). Permissions are not cached.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

USER_CACHE_SECONDS = 5 * 60


def _key(user_id):
    return f"learning:user:{user_id}"


def forget_user(user_id):
    """Drop the cached row, now and after commit (a request in between would cache it
    again from the old, still committed, row)."""
    cache.delete(_key(user_id))
    transaction.on_commit(lambda: cache.delete(_key(user_id)))


class CachedUserMixin:
    def get_user(self, user_id):
        user_model = get_user_model()
        key = _key(user_id)
        user = cache.get(key)
        if user is None:
            try:
                user = user_model._default_manager.select_related("profile").get(pk=user_id)
            except user_model.DoesNotExist:
                return None
            cache.set(key, user, USER_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None


class CachedModelBackend(CachedUserMixin, ModelBackend):
    """Django's ``ModelBackend`` (username and password, used by the Wagtail admin login)."""


class CachedAuthenticationBackend(CachedUserMixin, AuthenticationBackend):
    """allauth's backend (e-mail and password, the site's login)."""
