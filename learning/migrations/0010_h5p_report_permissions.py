from django.db import migrations

from learning.migration_utils import GROUP_COURSE_EDITORS, grant, revoke

# Course editors read the H5P activity reports (Reports › H5P activities).
COURSE_EDITOR_PERMISSIONS = [
    "learning.view_activityprogress",
    "learning.view_xapistatement",
]


def grant_report_permissions(apps, schema_editor):
    grant(apps, GROUP_COURSE_EDITORS, COURSE_EDITOR_PERMISSIONS)


def revoke_report_permissions(apps, schema_editor):
    revoke(apps, GROUP_COURSE_EDITORS, COURSE_EDITOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0009_workshop_language_choices"),
    ]

    operations = [migrations.RunPython(grant_report_permissions, revoke_report_permissions)]
