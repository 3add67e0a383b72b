from django.db import migrations

from learning.migration_utils import (
    ALL_GROUPS,
    GROUP_COURSE_EDITORS,
    GROUP_ORGANIZERS,
    GROUP_TRAINERS,
    grant,
)

ADMIN_ACCESS = ["wagtailadmin.access_admin"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ALL_GROUPS:
        Group.objects.get_or_create(name=name)
    for name in (GROUP_ORGANIZERS, GROUP_TRAINERS, GROUP_COURSE_EDITORS):
        grant(apps, name, ADMIN_ACCESS)
    grant(apps, GROUP_COURSE_EDITORS, ["learning.view_certificate", "learning.change_certificate"])
    grant(apps, GROUP_ORGANIZERS, ["learning.view_certificate", "learning.change_certificate"])


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ALL_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_seed_regions"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
