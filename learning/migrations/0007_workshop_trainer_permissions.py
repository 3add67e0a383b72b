from django.db import migrations

from learning.migration_utils import GROUP_TRAINERS, grant, revoke

# Trainers maintain materials and participant lists; which workshops they may touch is
# decided per region by TrainerAssignment (checked in learning.services.workshops).
# Trainer assignments themselves are managed by superusers only.
TRAINER_PERMISSIONS = [
    "learning.add_workshopmaterial",
    "learning.change_workshopmaterial",
    "learning.delete_workshopmaterial",
    "learning.view_workshopmaterial",
    "learning.add_workshopparticipant",
    "learning.delete_workshopparticipant",
    "learning.view_workshopparticipant",
]


def grant_trainer_permissions(apps, schema_editor):
    grant(apps, GROUP_TRAINERS, TRAINER_PERMISSIONS)


def revoke_trainer_permissions(apps, schema_editor):
    revoke(apps, GROUP_TRAINERS, TRAINER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0006_workshops"),
        ("learning", "0003_create_groups"),
    ]

    operations = [migrations.RunPython(grant_trainer_permissions, revoke_trainer_permissions)]
