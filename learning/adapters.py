from allauth.account.adapter import DefaultAccountAdapter

from learning.services import add_to_learners


class AccountAdapter(DefaultAccountAdapter):
    """New accounts join the Learners group; their username is derived from the email."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            add_to_learners(user)
        return user
