"""factory_boy factories shared by the tests and the `load_demo_data` command."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from learning.models import Certificate, Profile, Region, TrainerAssignment

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - documented demo credential, DEBUG only


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can log in: verified primary email, a profile, optional groups."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"learner{n}@example.org")
    username = factory.LazyAttribute(lambda o: o.email)
    first_name = "Ada"
    last_name = factory.Sequence(lambda n: f"Learner {n}")
    password = factory.django.Password(DEMO_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def profile(self, create, extracted, **kwargs):
        if create:
            defaults = {"full_name": f"{self.first_name} {self.last_name}".strip()}
            defaults.update(kwargs)
            Profile.objects.update_or_create(user=self, defaults=defaults)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class TrainerAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainerAssignment
        django_get_or_create = ("user", "region")

    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(RegionFactory)


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate; its ``source`` defaults to the learner (any model instance works)."""

    class Meta:
        model = Certificate
        exclude = ["source"]

    user = factory.SubFactory(UserFactory)
    kind = Certificate.Kind.COURSE
    recipient_name = factory.LazyAttribute(lambda o: o.user.profile.full_name)
    title = "Knowledge management for biodiversity"
    issuer = "Capacity Building Platform"
    achieved_at = factory.LazyFunction(timezone.now)
    source = factory.SelfAttribute("user")
    source_content_type = factory.LazyAttribute(
        lambda o: ContentType.objects.get_for_model(o.source)
    )
    source_object_id = factory.LazyAttribute(lambda o: o.source.pk)
