"""Building blocks of the demo site, used by `load_demo_data`.

Apps add their own demo content with the ``learning_demo_data`` hook:

    @hooks.register("learning_demo_data")
    def build_demo(context):
        ...  # context.home_page, context.users["organizer"], context.log(...)

Every builder must be idempotent: running the command twice leaves the same database.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from learning.factories import DEMO_PASSWORD, UserFactory
from learning.migration_utils import (
    GROUP_COURSE_EDITORS,
    GROUP_LEARNERS,
    GROUP_ORGANIZERS,
    GROUP_TRAINERS,
)
from learning.models import HomePage

DEMO_USERS = {
    # key: (email, full name, groups, is_superuser)
    "admin": ("admin@example.org", "Site Administrator", [], True),
    "learner": ("learner@example.org", "Amina Diallo", [GROUP_LEARNERS], False),
    "learner_ar": ("learner-ar@example.org", "ليلى حسن", [GROUP_LEARNERS], False),
    "learner_zh": ("learner-zh@example.org", "王芳", [GROUP_LEARNERS], False),
    "organizer": ("organizer@example.org", "Olivia Organizer", [GROUP_ORGANIZERS], False),
    "editor": ("editor@example.org", "Eduardo Editor", [GROUP_COURSE_EDITORS], False),
    "trainer_africa": ("trainer-africa@example.org", "Kwame Mensah", [GROUP_TRAINERS], False),
    "trainer_asia": ("trainer-asia@example.org", "Priya Raman", [GROUP_TRAINERS], False),
    "trainer_lac": ("trainer-lac@example.org", "Lucía Fernández", [GROUP_TRAINERS], False),
    "trainer_cee": ("trainer-cee@example.org", "Jana Novák", [GROUP_TRAINERS], False),
}


@dataclass
class DemoContext:
    home_page: HomePage
    users: dict
    messages: list = field(default_factory=list)

    def log(self, message):
        self.messages.append(message)


def build_users():
    users = {}
    for key, (email, full_name, groups, is_superuser) in DEMO_USERS.items():
        first, _, last = full_name.partition(" ")
        user = UserFactory(
            username=email,
            email=email,
            first_name=first,
            last_name=last,
            profile__full_name=full_name,
        )
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])
        if user.is_superuser != is_superuser or user.is_staff != is_superuser:
            user.is_superuser = user.is_staff = is_superuser
            user.save(update_fields=["is_superuser", "is_staff"])
        users[key] = user
    return users


def build_home_page():
    """The site's root becomes our HomePage (replacing Wagtail's welcome page once)."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="Capacity Building for Biodiversity",
                slug="home-cb",
                intro=(
                    "<p>Self-paced courses, the KM4B webinar series and regional training "
                    "workshops on knowledge management for biodiversity and on synergies "
                    "between the Rio conventions.</p>"
                ),
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Capacity Building Platform"
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()
    return home


def demo_password():
    return DEMO_PASSWORD


# The demo learners who read the site in Arabic and in Chinese: their language (the
# interface, and their emails), country and time zone, as they would give them at sign-up.
DEMO_LEARNER_PREFERENCES = {
    "learner_ar": {"preferred_language": "ar", "country": "EG", "time_zone": "Africa/Cairo"},
    "learner_zh": {
        "preferred_language": "zh-hans",
        "country": "CN",
        "time_zone": "Asia/Shanghai",
    },
}


def set_demo_learner_preferences(context):
    """Idempotent: sets the Arabic and Chinese demo learners' profile preferences."""
    for key, preferences in DEMO_LEARNER_PREFERENCES.items():
        user = context.users.get(key)
        if user is None:
            continue
        profile = user.profile
        for name, value in preferences.items():
            setattr(profile, name, value)
        profile.save(update_fields=list(preferences))
