"""Helpers for data migrations that give the platform's groups their permissions.

Permissions are normally created by ``post_migrate``, i.e. after every migration has run;
data migrations that assign them must create them first.
"""

GROUP_LEARNERS = "Learners"
GROUP_ORGANIZERS = "Webinar organizers"
GROUP_TRAINERS = "Trainers"
GROUP_COURSE_EDITORS = "Course editors"
ALL_GROUPS = [GROUP_LEARNERS, GROUP_ORGANIZERS, GROUP_TRAINERS, GROUP_COURSE_EDITORS]


def ensure_permissions(apps):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, group_name, permissions):
    """Give ``group_name`` the permissions named "app_label.codename"."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group.permissions.add(permission)


def revoke(apps, group_name, permissions):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=group_name).first()
    if group is None:
        return
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )
