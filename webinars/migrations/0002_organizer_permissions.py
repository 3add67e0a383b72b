from django.db import migrations

from learning.migration_utils import GROUP_ORGANIZERS, grant, revoke

PERMISSIONS = [
    "webinars.add_speaker",
    "webinars.change_speaker",
    "webinars.delete_speaker",
    "webinars.view_speaker",
    "webinars.view_registration",
    "webinars.change_registration",
    "webinars.view_attendanceimport",
    "webinars.add_attendanceimport",
    "wagtaildocs.add_document",
    "wagtaildocs.choose_document",
    "wagtailimages.add_image",
    "wagtailimages.choose_image",
]


def grant_organizers(apps, schema_editor):
    grant(apps, GROUP_ORGANIZERS, PERMISSIONS)


def revoke_organizers(apps, schema_editor):
    revoke(apps, GROUP_ORGANIZERS, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("webinars", "0001_initial"),
        ("learning", "0003_create_groups"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(grant_organizers, revoke_organizers)]
