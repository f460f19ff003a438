"""The site's home page and plain information pages."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from conference.blocks import BodyBlock
from conference.models import ConferencePage
from conference.page_caching import KeptRouteMixin, ShareablePageMixin


class HomePage(KeptRouteMixin, ShareablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["conference.ConferencePage", "home.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Route within this language's tree; where a page has no translation, serve the default language's
        page at the same /ru/ address, so the visitor keeps their language's menus (base.html says the content
        is untranslated) instead of meeting a 404."""
        try:
            return super().route(request, path_components)
        except Http404:
            default_home = self.get_translation_or_none(Locale.get_default())
            if default_home is None or default_home.pk == self.pk:
                raise
            return default_home.specific.route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Every conference is listed in every language, in its translation where one exists.
        default_home = self.get_translation_or_none(Locale.get_default()) or self
        conferences = ConferencePage.objects.child_of(default_home).live().public().order_by("-start_date")
        context["conferences"] = [conference.localized for conference in conferences.select_related("venue")]
        return context


class StandardPage(KeptRouteMixin, ShareablePageMixin, Page):
    """Travel and visas, venue accessibility, code of conduct, the privacy notice, and the like."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "conference.ConferencePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
