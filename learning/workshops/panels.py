"""The section regional workshops contribute to the home page."""

from learning.panels import Panel
from learning.workshops.queries import regions_with_workshops


class RegionsPanel(Panel):
    order = 300
    shared = True  # the same for everyone: regions and public pages only
    template_name = "learning/panels/regions.html"

    def get_context_data(self):
        return regions_with_workshops()
