"""A Wagtail locale for each of the six interface languages, so that pages can be
translated into any of them. Idempotent: existing locales are kept."""

from django.conf import settings
from django.db import migrations


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    # A host site that does not translate content may set neither: Wagtail then uses LANGUAGES.
    languages = getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None) or settings.LANGUAGES
    for code, _name in languages:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0019_certificate_reissue"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
