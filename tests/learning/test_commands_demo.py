import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db(transaction=False)


# Bookkeeping tables that legitimately change on every run (task results, search index,
# reference index, page revisions' log) are left out: they record activity, not content.
VOLATILE_APPS = {"sessions", "django_tasks_db", "wagtailsearch", "modelsearch", "admin"}


def _snapshot():
    """The primary keys of every content table: equal snapshots mean the second run neither
    added, nor deleted and re-created, anything."""
    return {
        model._meta.label: sorted(model.objects.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in VOLATILE_APPS
    }


@override_settings(DEBUG=True)
def test_load_demo_data_twice_gives_the_same_database_and_serves_the_home_page(client):
    call_command("load_demo_data", verbosity=0)
    first = _snapshot()
    call_command("load_demo_data", verbosity=0)
    assert _snapshot() == first
    # One home page, and its French and Spanish translations (the demo course's).
    assert len(first["learning.HomePage"]) == 3
    from learning.models import HomePage

    assert sorted(HomePage.objects.values_list("locale__language_code", flat=True)) == [
        "en",
        "es",
        "fr",
    ]
    response = client.get("/")
    assert response.status_code == 200
    assert "Capacity Building for Biodiversity" in response.content.decode()


@override_settings(DEBUG=False)
def test_load_demo_data_refuses_without_debug():
    with pytest.raises(CommandError, match="DEBUG=False"):
        call_command("load_demo_data")
