"""Sections that other apps contribute to pages owned by `learning`.

`learning` never imports `courses` or `webinars`. They register panel classes with
Wagtail hooks instead:

    @hooks.register("learning_home_panels")
    def upcoming_webinars_panel():
        return UpcomingWebinarsPanel

Hooks in use: ``learning_home_panels`` (the home page) and ``learning_dashboard_panels``
("My learning"). Panels are rendered in ascending ``order``.
"""

from django.template.loader import render_to_string
from wagtail import hooks


class Panel:
    """A block of a page, rendered from a template with its own context."""

    order = 100
    template_name = None
    # True for a panel that shows the same to everyone who sees it in a host, language and
    # time zone: nothing of the viewer, no message, no form. Its HTML is then kept as a
    # shared fragment until the pages change (``learning.page_cache.shared_fragment``).
    shared = False

    def __init__(self, request):
        self.request = request

    def is_shown(self):
        return True

    def get_context_data(self):
        return {}

    def render(self):
        if self.shared:
            from learning.page_cache import shared_fragment

            name = f"panel:{type(self).__module__}.{type(self).__qualname__}"
            return shared_fragment(self.request, name, self._render)
        return self._render()

    def _render(self):
        context = {"panel": self, **self.get_context_data()}
        return render_to_string(self.template_name, context, request=self.request)


def collect_panels(hook_name, request):
    """Instantiate every panel registered under ``hook_name`` that wants to be shown."""
    panels = []
    for hook in hooks.get_hooks(hook_name):
        for panel_class in _as_list(hook()):
            panel = panel_class(request)
            if panel.is_shown():
                panels.append(panel)
    return sorted(panels, key=lambda panel: panel.order)


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]
