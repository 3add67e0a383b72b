from django.db import migrations

from learning.migration_utils import GROUP_COURSE_EDITORS, grant, revoke

PERMISSIONS = [
    "courses.view_enrolment",
    "courses.change_enrolment",
    "courses.view_lessoncompletion",
    "courses.view_coursecompletion",
]


def grant_permissions(apps, schema_editor):
    grant(apps, GROUP_COURSE_EDITORS, PERMISSIONS)


def revoke_permissions(apps, schema_editor):
    revoke(apps, GROUP_COURSE_EDITORS, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("learning", "0003_create_groups"),
    ]

    operations = [migrations.RunPython(grant_permissions, revoke_permissions)]
