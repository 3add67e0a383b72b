"""How django-allauth treats this site's accounts: who new accounts are, how people are
named, and what the site calls itself in account emails."""

from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from learning.network import client_address
from learning.services import add_to_learners


@dataclass(frozen=True)
class MailSite:
    """What account emails call the site (``current_site`` in allauth's templates): its
    name, not the host the request came to, and that host as its address."""

    name: str
    domain: str


def user_display(user):
    """How allauth names a person in emails and messages (``ACCOUNT_USER_DISPLAY``): the
    name they gave, else their email address, never the username derived for them."""
    profile = getattr(user, "profile", None) if user.pk else None
    name = getattr(profile, "full_name", "") or user.get_full_name()
    return name.strip() or user.email or user.get_username()


class AccountAdapter(DefaultAccountAdapter):
    """New accounts join the Learners group; their username is derived from the email.
    Rate limits key on the client's address as ``learning.network`` finds it behind the
    configured proxies."""

    def get_client_ip(self, request):
        return client_address(request)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            add_to_learners(user)
        return user

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        domain = request.get_host() if request is not None else ""
        site = MailSite(name=settings.WAGTAIL_SITE_NAME, domain=domain)
        super().send_mail(template_prefix, email, {"current_site": site, **context})
