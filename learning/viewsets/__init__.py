"""Wagtail admin viewsets of the learning core, one module per concern; registered in
``learning/wagtail_hooks.py``."""

from wagtail.admin.ui.tables import Column


class ZonedDateColumn(Column):
    """A date and time in the viewer's zone, with the zone named."""

    cell_template_name = "learning/admin/h5p/zoned_date_cell.html"
