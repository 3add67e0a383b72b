"""Imports made before previews existed were applied at upload, and their matched rows
were matched by email."""

from django.db import migrations
from django.db.models import F


def mark_applied(apps, schema_editor):
    AttendanceImport = apps.get_model("webinars", "AttendanceImport")
    AttendanceRecord = apps.get_model("webinars", "AttendanceRecord")
    AttendanceImport.objects.filter(applied_at__isnull=True).update(applied_at=F("uploaded_at"))
    AttendanceRecord.objects.filter(registration__isnull=False, matched_by="").update(
        matched_by="email"
    )


class Migration(migrations.Migration):
    dependencies = [("webinars", "0003_attendance_import_preview")]

    operations = [migrations.RunPython(mark_applied, migrations.RunPython.noop)]
