"""The call for proposals in the Wagtail admin: organisers edit each conference's call (the Organisers group
holds the proposals app's permissions; door staff hold none, so nothing of it shows in their admin)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CallForProposals


class CallForProposalsViewSet(SnippetViewSet):
    model = CallForProposals
    icon = "doc-full-inverse"
    menu_label = _("Call for proposals")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["conference", "opens_at", "closes_at"]


register_snippet(CallForProposalsViewSet)
