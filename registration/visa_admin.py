"""Organisers' visa letter pages in the Wagtail admin: the requests of a conference with approve (one or many),
refuse with a reason and withdraw, and the letter's settings (signatory, text) as a snippet.

Registered from RegistrationConfig.ready(), so that it stays out of the shared wagtail_hooks module."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from conference.admin_views import PermissionAdminView
from conference.models import ConferencePage

from . import visa, widgets
from .models import VisaLetterRequest, VisaLetterSettings
from .widgets import country_name

lazy_country_names = lazy(lambda: list(widgets.country_names()), list)

CHANGE_VISA_LETTERS = "registration.change_visaletterrequest"


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the attendee reads it)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PassportDetailsForm(forms.Form):
    """The details printed on the letter, as an organiser corrects them; the nationality chosen by name."""

    passport_name = forms.CharField(label=_("Name as in the passport"), max_length=200)
    passport_number = forms.CharField(label=_("Passport number"), max_length=40)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=lazy_country_names, widget=widgets.Select)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class VisaLetterRequestsView(PermissionAdminView):
    """GET lists a conference's requests; POST approves the ticked ones, or acts on one (approve, refuse, withdraw)."""

    page_title = _("Visa letters")
    header_icon = "doc-full"
    template_name = "registration/admin/visa_letters.html"
    permissions_required = (CHANGE_VISA_LETTERS,)

    def _conference(self):
        conferences = list(ConferencePage.objects.filter(locale=Locale.get_default()).order_by("-start_date"))
        slug = self.request.GET.get("conference") or self.request.POST.get("conference")
        chosen = next((c for c in conferences if c.slug == slug), conferences[0] if conferences else None)
        return conferences, chosen

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conferences, conference = self._conference()
        status = self.request.GET.get("status", "")
        requests = VisaLetterRequest.objects.filter(registration__conference=conference).select_related(
            "registration__registration_type"
        )
        if status in dict(VisaLetterRequest.STATUS_CHOICES):
            requests = requests.filter(status=status)
        requests = list(requests.order_by("requested_at", "pk"))
        for visa_request in requests:
            visa_request.nationality_name = country_name(visa_request.nationality)
        context.update(
            conferences=conferences,
            conference=conference,
            status=status,
            statuses=VisaLetterRequest.STATUS_CHOICES,
            requests=requests,
            refuse_form=kwargs.get("refuse_form") or RefuseForm(),
            refusing=kwargs.get("refusing"),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "approve_selected":
            ids = [value for value in request.POST.getlist("selected") if value.isdigit()]
            self._approve_many(VisaLetterRequest.objects.filter(pk__in=ids))
        else:
            pk = request.POST.get("request", "")
            if not pk.isdigit():
                return self.render_to_response(self.get_context_data(), status=400)
            refused = self._act_on_one(action, get_object_or_404(VisaLetterRequest, pk=pk))
            if refused is not None:
                return refused
        back = request.POST.get("next", "")
        if back.startswith(reverse("wagtailadmin_home")) and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
            return redirect(back)  # the registration's page, where the organiser acted
        query = f"?conference={request.POST.get('conference', '')}"
        return redirect(reverse("visa_letters_admin:requests") + query)

    def _act_on_one(self, action, visa_request):
        """Approve, refuse, correct or withdraw one request; a response only for a form to show again."""
        if action == "approve":
            self._approve_many([visa_request])
        elif action == "refuse":
            form = RefuseForm(self.request.POST)
            if not form.is_valid():
                return self.render_to_response(
                    self.get_context_data(refuse_form=form, refusing=visa_request.pk), status=400
                )
            self._apply(visa.refuse, visa_request, reason=form.cleaned_data["reason"], done=_("Refused."))
        elif action == "correct":
            self._correct(visa_request)
        elif action == "withdraw":
            self._apply(visa.withdraw, visa_request, done=_("Withdrawn: /verify/ now says so."))
        else:
            return self.render_to_response(self.get_context_data(), status=400)
        return None

    def _correct(self, visa_request):
        form = PassportDetailsForm(self.request.POST)
        if form.is_valid():
            self._apply(visa.correct_details, visa_request, done=_("Passport details saved."), **form.cleaned_data)
            return
        for name, errors in form.errors.items():
            messages.error(self.request, f"{form.fields[name].label}: {' '.join(errors)}")

    def _apply(self, action, visa_request, *, done, **kwargs):
        try:
            action(visa_request=visa_request, by=self.request.user, **kwargs)
        except visa.VisaLetterError as error:
            messages.error(self.request, error.message)
        else:
            messages.success(self.request, done)

    def _approve_many(self, visa_requests):
        approved, skipped = 0, 0
        for visa_request in visa_requests:
            try:
                visa.approve(visa_request=visa_request, by=self.request.user)
            except visa.VisaLetterError:
                skipped += 1
            else:
                approved += 1
        if approved:
            messages.success(
                self.request,
                ngettext("%(count)d letter approved.", "%(count)d letters approved.", approved) % {"count": approved},
            )
        if skipped:
            messages.warning(
                self.request,
                ngettext(
                    "%(count)d request was not waiting for a decision and was skipped.",
                    "%(count)d requests were not waiting for a decision and were skipped.",
                    skipped,
                )
                % {"count": skipped},
            )


class VisaLetterSettingsViewSet(SnippetViewSet):
    model = VisaLetterSettings
    icon = "doc-full"
    menu_label = _("Visa letter text")
    add_to_admin_menu = False
    list_display = ["conference", "signatory_name"]


register_snippet(VisaLetterSettingsViewSet)


@hooks.register("register_admin_urls")
def register_visa_admin_urls():
    urls = [path("", VisaLetterRequestsView.as_view(), name="requests")]
    return [path("visa-letters/", (urls, "visa_letters_admin", "visa_letters_admin"))]


@hooks.register("register_admin_menu_item")
def register_visa_menu():
    return VisaLetterRequestsView.menu_item("visa_letters_admin:requests", order=310)
