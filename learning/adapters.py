from allauth.account.adapter import DefaultAccountAdapter

from learning.network import client_address
from learning.services import add_to_learners


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
