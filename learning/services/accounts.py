from django.contrib.auth.models import Group
from django.db import transaction

from learning.models import Profile

LEARNERS_GROUP = "Learners"


@transaction.atomic
def save_profile(user, *, full_name, country="", preferred_language="en", time_zone=""):
    """Create or update ``user``'s profile; the user's first/last name follow the full name
    so the Wagtail admin shows people by name."""
    profile, _ = Profile.objects.update_or_create(
        user=user,
        defaults={
            "full_name": full_name.strip(),
            "country": country,
            "preferred_language": preferred_language,
            "time_zone": time_zone,
        },
    )
    first, _, last = profile.full_name.partition(" ")
    user.first_name, user.last_name = first[:150], last[:150]
    user.save(update_fields=["first_name", "last_name"])
    return profile


def add_to_learners(user):
    group, _ = Group.objects.get_or_create(name=LEARNERS_GROUP)
    user.groups.add(group)
