"""What the learning core holds about a person: the account, the profile, H5P results and
statements, resume state, certificates and workshop lists."""

from allauth.account.models import EmailAddress
from django.utils import timezone

from learning.models import (
    ActivityProgress,
    Certificate,
    H5PUserData,
    Profile,
    TrainerAssignment,
    WorkshopParticipant,
    XAPIStatement,
)
from learning.privacy.registry import rows


class LearningPersonalData:
    key = "account"

    def export(self, user):
        profile = Profile.objects.filter(user=user).first()
        return {
            "username": user.get_username(),
            "email": user.email,
            "email_addresses": list(
                EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
            ),
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "profile": rows([profile], exclude={"erased_at"})[0] if profile else None,
            "activity_results": rows(
                ActivityProgress.objects.filter(user=user).select_related("content"),
                extra=lambda p: {"content": p.content.title},
            ),
            "xapi_statements": [s.raw for s in XAPIStatement.objects.filter(user=user)],
            "h5p_saved_state": rows(H5PUserData.objects.filter(user=user)),
            "certificates": rows(
                Certificate.objects.filter(user=user), exclude={"revoked_by", "source_object_id"}
            ),
            "workshop_participations": rows(
                WorkshopParticipant.objects.filter(user=user).select_related("workshop"),
                exclude={"added_by"},
                extra=lambda p: {"workshop": p.workshop.title},
            ),
            "trainer_regions": [a.region.name for a in TrainerAssignment.objects.filter(user=user)],
        }

    def erase(self, user):
        H5PUserData.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        TrainerAssignment.objects.filter(user=user).delete()
        WorkshopParticipant.objects.filter(user=user).update(email="", user=None)
        Certificate.objects.filter(user=user).update(recipient_name="")
        Profile.objects.filter(user=user).update(
            full_name="", time_zone="", erased_at=timezone.now()
        )
        # The account stays as an anonymous row, so that what was counted still counts.
        user.username = f"erased-{user.pk}"
        user.email = ""
        user.first_name = user.last_name = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
