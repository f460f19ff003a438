"""The mail log in the Wagtail admin (Reports → Outgoing emails): every email still kept (sent ones for
MAIL_KEEP_SENT_DAYS, failed and waiting ones until they go), searchable by recipient and filtered by status or
conference, each with its attempts and last error, its attachments and, for attendee emails, the text that went;
failed ones can be sent again."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Locale

from .admin_views import PermissionAdminView
from .mail import OutboundEmail, queue_state, resend
from .models import ConferencePage

VIEW_PERMISSION = "conference.view_outboundemail"
RESEND_PERMISSION = "conference.change_outboundemail"
PER_PAGE = 50
WAITING = "waiting"


class MailLogFilter(forms.Form):
    q = forms.CharField(label=_("Recipient or subject"), required=False, max_length=254)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            (OutboundEmail.SENT, _("Sent")),
            (OutboundEmail.FAILED, _("Failed")),
            (WAITING, _("Waiting to be sent")),
        ],
    )
    conference = forms.ModelChoiceField(label=_("Conference"), required=False, queryset=ConferencePage.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = ConferencePage.objects.filter(locale=Locale.get_default()).order_by(
            "-start_date"
        )
        self.fields["conference"].empty_label = _("All")

    def filter(self, emails):
        """`emails` narrowed to the form's choices (all of them when the form is not valid)."""
        if not self.is_valid():
            return emails
        data = self.cleaned_data
        if data["q"]:
            emails = emails.filter(Q(recipients__icontains=data["q"]) | Q(subject__icontains=data["q"]))
        if data["status"] == WAITING:
            emails = emails.unsent()
        elif data["status"]:
            emails = emails.filter(status=data["status"])
        if data["conference"] is not None:
            emails = emails.filter(conference=data["conference"])
        return emails


def log_url(**query):
    """The mail log with `query` (q, status, conference) applied."""
    return reverse("outgoing_email") + (f"?{urlencode(query)}" if query else "")


class OutgoingEmailView(PermissionAdminView):
    permissions_required = (VIEW_PERMISSION,)
    page_title = _("Outgoing emails")
    header_icon = "mail"
    template_name = "conference/admin/outgoing_email.html"

    def get_context_data(self, **kwargs):
        form = MailLogFilter(self.request.GET or None)
        emails = form.filter(OutboundEmail.objects.all()).order_by("-created_at", "-pk")
        page = Paginator(emails, PER_PAGE).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        return super().get_context_data(
            form=form,
            page=page,
            query=query.urlencode(),
            state=queue_state(),
            keep_days=settings.MAIL_KEEP_SENT_DAYS,
            can_resend=self.request.user.has_perm(RESEND_PERMISSION),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        return resend_view(request)


def resend_view(request):
    """POST `resend`: a failed message gets a fresh set of attempts; back to `next` (a page of the log)."""
    if not request.user.has_perm(RESEND_PERMISSION):
        raise PermissionDenied
    chosen = request.POST.get("resend", "")
    email = get_object_or_404(OutboundEmail, pk=chosen if chosen.isdigit() else 0)
    if resend(email):
        messages.success(request, _("The email to %(to)s will be sent again.") % {"to": email.recipients})
    else:
        messages.info(request, _("This email is not in the failed state any more."))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith(reverse("outgoing_email")) else "outgoing_email")


class OutgoingEmailDetailView(PermissionAdminView):
    """One email of the log: where and when it went, its attempts, its attachments and the text kept."""

    permissions_required = (VIEW_PERMISSION,)
    header_icon = "mail"
    template_name = "conference/admin/outgoing_email_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.email = get_object_or_404(OutboundEmail, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.email.subject

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("outgoing_email"), "label": _("Outgoing emails")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            email=self.email,
            person_url=log_url(q=self.email.recipients),
            can_resend=self.request.user.has_perm(RESEND_PERMISSION),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        return resend_view(request)


@hooks.register("register_admin_urls")
def register_outgoing_email_url():
    return [
        path("outgoing-email/", OutgoingEmailView.as_view(), name="outgoing_email"),
        path("outgoing-email/<int:pk>/", OutgoingEmailDetailView.as_view(), name="outgoing_email_detail"),
    ]


@hooks.register("register_reports_menu_item")
def register_outgoing_email_menu_item():
    return OutgoingEmailView.menu_item("outgoing_email", name="outgoing-email", order=900)
