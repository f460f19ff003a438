"""Attendee-facing registration views: the form, /my/ with edit, cancel and the data download (deleting the
account: account_deletion.py)."""

import json

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import my_page, personal_data, questions, services, submission, visa
from .enums import ACTIVE_STATUSES, RegistrationStatus
from .forms import RegistrationDetailsForm, RegistrationEditForm, RegistrationForm
from .models import Registration, RegistrationType

STATUS_MESSAGES = {
    RegistrationStatus.CONFIRMED: gettext_lazy(
        "Your registration is confirmed. We will email you your badge in a moment."
    ),
    RegistrationStatus.WAITLISTED: gettext_lazy(
        "This registration type is full: you are on the waiting list. We email you when a seat frees."
    ),
    RegistrationStatus.PENDING: gettext_lazy(
        "Thank you. An organiser will review your registration; we email you the answer."
    ),
}


def open_registration_types(conference, now=None):
    """The conference's types open for registration now."""
    types = conference.registration_types.order_by("sort_order", "name")
    return [registration_type for registration_type in types if registration_type.is_open(now)]


def add_seats_left(registration_types):
    """Set `seats_left` (confirmed seats still free) on each type; only for showing the form, so that a
    successful POST does not count the whole conference's registrations."""
    seats_left = dict(
        RegistrationType.objects.filter(pk__in=[t.pk for t in registration_types])
        .with_seat_counts()
        .values_list("pk", "seats_left")
    )
    for registration_type in registration_types:
        registration_type.seats_left = seats_left[registration_type.pk]
    return registration_types


@never_cache
@verified_email_required
def _register(request, conference):
    canonical = conference.canonical
    context = {"page": conference, "conference": conference, "route_suffix": "register/"}
    existing = (
        Registration.objects.filter(user=request.user, conference=canonical, status__in=ACTIVE_STATUSES)
        .select_related("registration_type")
        .first()
    )
    if existing is not None:
        return render(request, "registration/register_existing.html", {**context, "registration": existing})
    if not canonical.registration_is_open():
        return render(request, "registration/register_closed.html", context)
    registration_types = open_registration_types(canonical)
    if not registration_types:
        return render(request, "registration/register_closed.html", context)
    form = RegistrationForm(request.POST or None, registration_types=registration_types)
    if request.method == "POST" and form.is_valid():
        response = submit_form(request, canonical, form, context)
        if response is not None:
            return response
    return render_form(request, canonical, form, registration_types, context)


def submit_form(request, canonical, form, context):
    """Register the signed-in user with a valid form; the response, or None when the form got an error."""
    try:
        registration = submission.submit(
            user=request.user,
            conference=canonical,
            cleaned_data=form.cleaned_data,
            language=get_language(),
            answers=form.chosen_answers(),
        )
    except services.RegistrationError as error:
        if error.code == "already_registered":
            return render(
                request, "registration/register_existing.html", {**context, "registration": error.registration}
            )
        form.add_error(None, error.message)
        return None
    messages.success(request, STATUS_MESSAGES[registration.status])
    return redirect("my_registrations")


def render_form(request, canonical, form, registration_types, context):
    add_seats_left(registration_types)
    if canonical.privacy_notice_id:
        # Looked up only if the fields are rendered: an empty form's come from the fragment cache.
        form.link_privacy_notice(lazy(lambda: canonical.privacy_notice.localized.url, str)())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "registration/register.html",
        {
            **context,
            "form": form,
            "registration_types": registration_types,
            # What an empty form's fields depend on besides the content and the language (register.html).
            "fields_key": f"{type(form).__name__}:{'-'.join(str(t.pk) for t in registration_types)}",
            "user_email": request.user.email if request.user.is_authenticated else "",
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def register(request, *, conference):
    """/<conference>/register/ for a signed-in user with a verified email (visitors: signup_views.register)."""
    return _register(request, conference)


@never_cache
@login_required
def my_registrations(request):
    """/my/: the attendee's registrations, badges, agenda, data download and account deletion."""
    return render(request, "registration/my_registrations.html", my_page.my_page_context(request))


def _own_registration(request, pk):
    """Only the signed-in user's own registration; any other id is a 404, never a 403 that confirms it exists."""
    return get_object_or_404(
        Registration.objects.select_related("conference", "registration_type"), pk=pk, user=request.user
    )


def _back_to_my_page(request, change, *, success, failure_level=messages.ERROR):
    """Make an attendee's `change` to their registration, tell them how it went, and send them back to /my/."""
    try:
        change()
    except services.RegistrationError as error:
        messages.add_message(request, failure_level, error.message)
    else:
        messages.success(request, success)
    return redirect("my_registrations")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_registration(request, pk):
    registration = _own_registration(request, pk)
    if not registration.is_editable():
        messages.error(request, _("This registration can no longer be changed."))
        return redirect("my_registrations")
    initial = {name: getattr(registration, name) for name in services.EDITABLE_FIELDS}
    visa_initial = visa.initial_for_form(registration)
    if visa_initial is None:  # a letter was issued: its passport details stay as printed
        form = RegistrationDetailsForm(request.POST or None, initial=initial)
    else:
        form = RegistrationEditForm(request.POST or None, initial={**initial, **visa_initial})
    type_questions = questions.questions_by_type([registration.registration_type])[registration.registration_type_id]
    questions.add_fields(form, type_questions, initial=questions.stored_answers(registration))
    if request.method == "POST" and form.is_valid():
        questions.require_answers(form, type_questions)
    if request.method == "POST" and form.is_valid():

        def save():
            services.update_details(registration=registration, details=form.cleaned_data, by=request.user)
            questions.save_answers(
                registration=registration, answers=questions.answers_from(form.cleaned_data, type_questions)
            )
            if visa_initial is not None:
                visa.update_from_form(registration=registration, cleaned_data=form.cleaned_data)

        return _back_to_my_page(request, save, success=_("Your details are saved."))
    return render(
        request,
        "registration/edit_registration.html",
        {"form": form, "registration": registration, "conference": registration.conference.localized},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cancel_registration(request, pk):
    registration = _own_registration(request, pk)
    if not registration.is_active:
        messages.info(request, _("This registration is already cancelled."))
        return redirect("my_registrations")
    if request.method == "POST":
        return _back_to_my_page(
            request,
            lambda: services.cancel(registration=registration, by=request.user),
            success=_("Your registration is cancelled. We will email you to confirm it."),
            failure_level=messages.INFO,
        )
    return render(
        request,
        "registration/cancel_registration.html",
        {"registration": registration, "conference": registration.conference.localized},
    )


@never_cache
@login_required
def download_personal_data(request):
    """/my/data.json: everything we hold about the signed-in person."""
    data = personal_data.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response
