"""What our own Wagtail admin pages share: a page that only some permissions open, a menu item shown to the
same people, and which conference a page shows first."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class PermissionAdminView(WagtailAdminTemplateMixin, TemplateView):
    """An admin page for users who hold every one of `permissions_required`; its breadcrumbs end with its title."""

    permissions_required = ()

    def dispatch(self, request, *args, **kwargs):
        if not all(request.user.has_perm(permission) for permission in self.permissions_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    @classmethod
    def menu_item(cls, url_name, **options):
        """The menu item that opens this page: its title and icon, shown to those who may open it."""
        return PermissionMenuItem(
            cls.page_title,
            reverse(url_name),
            icon_name=cls.header_icon,
            permissions=cls.permissions_required,
            **options,
        )


class PermissionMenuItem(MenuItem):
    """A menu item shown to users who hold every one of `permissions`."""

    def __init__(self, *args, permissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request):
        return all(request.user.has_perm(permission) for permission in self.permissions)


def current_conference(conferences, today=None):
    """Of `conferences` (default-language pages), the one an organiser most likely works on now: the one
    running, else the next to start, else the one that started last; None without conferences."""
    today = today or timezone.now().date()
    running = [conference for conference in conferences if conference.start_date <= today <= conference.end_date]
    coming = sorted((c for c in conferences if c.start_date > today), key=lambda conference: conference.start_date)
    past = sorted(conferences, key=lambda conference: conference.start_date, reverse=True)
    return (running or coming or past or [None])[0]
