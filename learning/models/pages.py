from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from learning.panels import collect_panels


class HomePage(Page):
    """The portal's front page: sections are contributed by the installed apps."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    # Created once; its translations (made with "Translate") are the roots of the other
    # languages' trees, which Wagtail serves at the same URLs in the visitor's language.
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        # A page not translated into the visitor's language is served in its source
        # language at the same URL, rather than a 404 (the page marks its content's lang).
        try:
            return super().route(request, path_components)
        except Http404:
            from learning.translations import canonical

            source = canonical(self)
            if source.pk == self.pk:
                raise
            return source.specific.route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["panels"] = collect_panels("learning_home_panels", request)
        return context
