"""factory_boy factories shared by the tests and the `load_demo_data` command."""

import datetime

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


# --- regional workshops ----------------------------------------------------------------

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def default_parent_page():
    """The default site's root page (the home page on the demo site)."""
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page


class _ChildPageFactory(factory.django.DjangoModelFactory):
    """Pages must be added to the tree: ``parent`` (default: the site's root page)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        parent = parent or cls.default_parent()
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        return page

    @classmethod
    def default_parent(cls):
        return default_parent_page()


class WorkshopIndexPageFactory(_ChildPageFactory):
    class Meta:
        model = "learning.WorkshopIndexPage"

    title = "Regional training workshops"
    slug = "workshops"
    show_in_menus = True


class WorkshopPageFactory(_ChildPageFactory):
    class Meta:
        model = "learning.WorkshopPage"

    title = factory.Sequence(lambda n: f"KM training workshop {n}")
    slug = factory.Sequence(lambda n: f"km-training-workshop-{n}")
    region = factory.LazyFunction(lambda: Region.objects.order_by("sort_order").first())
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=2))
    venue_city = "Nairobi"
    venue_country = "KE"
    languages = factory.LazyFunction(lambda: ["en", "fr"])
    description = "<p>Three days on knowledge management for biodiversity.</p>"

    @classmethod
    def default_parent(cls):
        from learning.models import WorkshopIndexPage

        return WorkshopIndexPage.objects.first() or WorkshopIndexPageFactory()


class WorkshopMaterialFactory(factory.django.DjangoModelFactory):
    """A material with a small, valid PDF file (pass ``file=ContentFile(...)`` to vary)."""

    class Meta:
        model = "learning.WorkshopMaterial"

    workshop = factory.SubFactory(WorkshopPageFactory)
    title = factory.Sequence(lambda n: f"Handout {n}")
    kind = "handout"
    language = "en"
    description = "Exercises on mapping who knows what."
    visibility = "public"
    file = factory.django.FileField(filename="handout.pdf", data=MINIMAL_PDF)
    original_filename = "handout.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: o.file.size)
    uploaded_by = None
    uploaded_at = factory.LazyFunction(timezone.now)


class WorkshopParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learning.WorkshopParticipant"

    workshop = factory.SubFactory(WorkshopPageFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.user.email.lower() if o.user else "")


def translate_page(page, language_code, *, update=True, **fields):
    """The live version of ``page`` in ``language_code``, made as an editor's "Translate"
    makes it (untranslated ancestors become aliases of theirs), with ``fields`` set
    (an existing version is left as it is with ``update=False``: demo builders run twice).
    Translate parents before their children."""
    from wagtail.models import Locale

    locale = Locale.objects.get_for_language(language_code)
    version = page.get_translation_or_none(locale)
    if version is not None and not update:
        return version.specific
    if version is None:
        version = page.copy_for_translation(locale, copy_parents=True)
    version = version.specific
    for name, value in fields.items():
        setattr(version, name, value)
    version.save_revision().publish()
    return type(version).objects.get(pk=version.pk)
