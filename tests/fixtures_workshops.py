"""Fixtures for the regional workshop tests: two regions, a workshop in each, a trainer
assigned to each, a participant of the African workshop and a plain learner."""

import pytest


@pytest.fixture
def africa(db):
    from learning.models import Region

    return Region.objects.get(slug="africa")


@pytest.fixture
def asia(db):
    from learning.models import Region

    return Region.objects.get(slug="asia-pacific")


@pytest.fixture
def workshop_index(db):
    from wagtail.models import Site

    from learning.factories import WorkshopIndexPageFactory

    # Wagtail caches the sites' root paths; a test that moved the site's root leaves a stale
    # entry behind its rolled-back transaction, and page URLs would come out as None.
    Site.clear_site_root_paths_cache()
    return WorkshopIndexPageFactory()


@pytest.fixture
def africa_workshop(workshop_index, africa):
    from learning.factories import WorkshopPageFactory

    return WorkshopPageFactory(
        parent=workshop_index, region=africa, title="Nairobi KM workshop", slug="nairobi"
    )


@pytest.fixture
def asia_workshop(workshop_index, asia):
    from learning.factories import WorkshopPageFactory

    return WorkshopPageFactory(
        parent=workshop_index,
        region=asia,
        title="Bangkok KM workshop",
        slug="bangkok",
        venue_city="Bangkok",
        venue_country="TH",
    )


def _trainer(region, email):
    from learning.factories import TrainerAssignmentFactory, UserFactory
    from learning.migration_utils import GROUP_TRAINERS

    user = UserFactory(email=email, username=email, groups=[GROUP_TRAINERS])
    TrainerAssignmentFactory(user=user, region=region)
    return user


@pytest.fixture
def trainer_africa(africa):
    return _trainer(africa, "trainer-a@example.org")


@pytest.fixture
def trainer_asia(asia):
    return _trainer(asia, "trainer-b@example.org")


@pytest.fixture
def learner(db):
    from learning.factories import UserFactory

    return UserFactory(email="learner-w@example.org", username="learner-w@example.org")


@pytest.fixture
def participant(africa_workshop):
    from learning.factories import UserFactory, WorkshopParticipantFactory

    user = UserFactory(email="participant@example.org", username="participant@example.org")
    WorkshopParticipantFactory(workshop=africa_workshop, user=user, email=user.email)
    return user


def make_upload(name, data, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def pdf_bytes():
    from learning.factories import MINIMAL_PDF

    return MINIMAL_PDF


@pytest.fixture
def asia_materials(asia_workshop):
    """One material of each visibility in the Asia-Pacific workshop."""
    from learning.factories import WorkshopMaterialFactory

    return {
        visibility: WorkshopMaterialFactory(
            workshop=asia_workshop, title=f"Asia {visibility} handout", visibility=visibility
        )
        for visibility in ("public", "participants", "trainers")
    }


@pytest.fixture
def africa_materials(africa_workshop):
    from learning.factories import WorkshopMaterialFactory

    return {
        visibility: WorkshopMaterialFactory(
            workshop=africa_workshop, title=f"Africa {visibility} handout", visibility=visibility
        )
        for visibility in ("public", "participants", "trainers")
    }


@pytest.fixture
def site_root_paths_cleared():
    """For tests that move the site's root page: no stale cached root paths before or after
    (the cache outlives the test's rolled-back transaction)."""
    from wagtail.models import Site

    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()
