from django.db import migrations

from learning.migration_utils import GROUP_COURSE_EDITORS, grant, revoke

# Course editors upload and replace H5P content and may see which libraries are installed.
# Installing or upgrading libraries (executable JavaScript) is left to superusers; grant
# "learning.install_h5p_library" to a group deliberately if a site needs it.
COURSE_EDITOR_PERMISSIONS = [
    "learning.add_h5pcontent",
    "learning.change_h5pcontent",
    "learning.view_h5pcontent",
    "learning.view_h5plibrary",
]


def grant_h5p_permissions(apps, schema_editor):
    grant(apps, GROUP_COURSE_EDITORS, COURSE_EDITOR_PERMISSIONS)


def revoke_h5p_permissions(apps, schema_editor):
    revoke(apps, GROUP_COURSE_EDITORS, COURSE_EDITOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_h5p_content"),
        ("learning", "0003_create_groups"),
    ]

    operations = [migrations.RunPython(grant_h5p_permissions, revoke_h5p_permissions)]
