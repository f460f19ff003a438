"""Admin registration for the conference's snippets."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organisation, Venue


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "short_name", "url"]
    search_fields = ["name", "short_name"]


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = _("Venues")
    list_display = ["name", "city", "country"]


register_snippet(OrganisationViewSet)
register_snippet(VenueViewSet)


# Organisers manage staff accounts, but Wagtail's user forms offer "Administrator" to anyone who may edit
# users: only an administrator may make or change an administrator.
def _refuse_administrator_rights(request, target=None):
    if request.user.is_superuser:
        return
    if (target is not None and target.is_superuser) or (request.method == "POST" and request.POST.get("is_superuser")):
        raise PermissionDenied(_("Only an administrator can grant or change administrator rights."))
    return


@hooks.register("before_create_user")
def refuse_administrator_creation(request):
    return _refuse_administrator_rights(request)


@hooks.register("before_edit_user")
def refuse_administrator_edit(request, user):
    return _refuse_administrator_rights(request, user)


@hooks.register("before_delete_user")
def refuse_administrator_deletion(request, user):
    return _refuse_administrator_rights(request, user)


from . import mail_admin  # noqa: E402,F401  (Reports → Outgoing emails registers its own hooks)
