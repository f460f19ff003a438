"""The organisers' view of the mail queue in the Wagtail admin (Reports → Outgoing emails): messages that
failed after every retry, with a Resend button, and the ones still waiting."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .admin_views import PermissionAdminView
from .mail import OutboundEmail, queue_state, resend

VIEW_PERMISSION = "conference.view_outboundemail"
RESEND_PERMISSION = "conference.change_outboundemail"
# Enough rows to act on; older sent mail is of no use to an organiser.
LISTED = 200


class OutgoingEmailView(PermissionAdminView):
    permissions_required = (VIEW_PERMISSION,)
    page_title = _("Outgoing emails")
    header_icon = "mail"
    template_name = "conference/admin/outgoing_email.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            failed=OutboundEmail.objects.filter(status=OutboundEmail.FAILED)[:LISTED],
            waiting=OutboundEmail.objects.unsent().order_by("created_at")[:LISTED],
            state=queue_state(),
            can_resend=self.request.user.has_perm(RESEND_PERMISSION),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(RESEND_PERMISSION):
            raise PermissionDenied
        email = get_object_or_404(OutboundEmail, pk=request.POST.get("resend") or 0)
        if resend(email):
            messages.success(request, _("The email to %(to)s will be sent again.") % {"to": email.recipients})
        else:
            messages.info(request, _("This email is not in the failed state any more."))
        return redirect("outgoing_email")


@hooks.register("register_admin_urls")
def register_outgoing_email_url():
    return [path("outgoing-email/", OutgoingEmailView.as_view(), name="outgoing_email")]


@hooks.register("register_reports_menu_item")
def register_outgoing_email_menu_item():
    return OutgoingEmailView.menu_item("outgoing_email", name="outgoing-email", order=900)
