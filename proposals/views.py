"""The submitter's pages: the call with its form at /<conference>/call/, the emailed-code screens for a visitor,
and editing or withdrawing a proposal from /my/. Thin: the form validates, `services` saves."""

from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from conference import email_proof
from conference.accounts import account_for_proven_email

from . import services
from .emails import send_proposal_code
from .forms import ProposalForm, VisitorProposalForm
from .models import CallForProposals, PendingProposal, Proposal

SESSION_KEY = "proposal_pending_id"


def call_of(conference):
    call = (
        CallForProposals.objects.select_related("conference")
        .prefetch_related("formats", "tracks")
        .filter(conference=conference.canonical)
        .first()
    )
    if call is None:
        raise Http404("This conference has no call for proposals.")
    return call


def _render_call(request, conference, call, form, *, status=200, error=None):
    return render(
        request,
        "proposals/call.html",
        {
            "page": conference,
            "conference": conference,
            "call": call,
            "form": form,
            "error": error,
            "is_open": call.is_open(),
            "has_closed": call.has_closed(),
            "tracks": call.track_choices(),
            "user_email": request.user.email if request.user.is_authenticated else "",
        },
        status=status,
    )


def _form_class(request):
    return ProposalForm if request.user.is_authenticated else VisitorProposalForm


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def call_page(request, *, conference):
    """/<conference>/call/: what the call asks for, and while it is open the form (with an email field for a
    visitor, who confirms the address with an emailed code before anything becomes a proposal)."""
    call = call_of(conference)
    form_class = _form_class(request)
    if request.method != "POST":
        form = form_class(call=call) if call.is_open() else None
        return _render_call(request, conference, call, form)
    if not call.is_open():
        error = services.ProposalError("closed" if call.has_closed() else "not_open").message
        return _render_call(request, conference, call, None, status=403, error=error)
    # A body over Django's limit (a 10 MB abstract) never gets here: conference.views.bad_request says so.
    data = request.POST
    form = form_class(data, call=call)
    if not form.is_valid():
        return _render_call(request, conference, call, form, status=400)
    if request.user.is_authenticated:
        return _save_new(request, call, form)
    email = email_proof.normalise_email(form.cleaned_data["email"])
    if not email_proof.may_send_code(request, email):
        return email_proof.too_many_attempts()
    form_data = {name: data.getlist(name) for name in form.fields if name in data and name != "email"}
    # The button pressed and the form's key are kept with the form, so the proposal made after the code is the
    # draft or submission the visitor asked for, and made once.
    form_data["intent"] = [form.cleaned_data["intent"]]
    form_data["form_key"] = [form.cleaned_data["form_key"]]
    pending, code, token = email_proof.start(
        PendingProposal,
        email=email,
        language=get_language(),
        replace={"call": call, "email": email},
        call=call,
        form_data=form_data,
    )
    _email_code(pending, code, token)
    request.session[SESSION_KEY] = pending.pk
    return redirect("proposal_confirm")


def _save_new(request, call, form):
    try:
        proposal, _created = services.create_proposal(
            call=call,
            user=request.user,
            fields=form.proposal_fields(),
            submit=form.submits,
            form_key=form.cleaned_data["form_key"],
            language=get_language(),
        )
    except services.ProposalError as error:
        return _render_call(request, call.conference.localized, call, None, status=403, error=error.message)
    if form.submits:
        messages.success(request, _("Your proposal “%(title)s” is sent for review.") % {"title": proposal.title})
    else:
        messages.success(request, _("Your draft “%(title)s” is saved.") % {"title": proposal.title})
    return redirect(reverse("my_registrations") + "#my-proposals")


def _email_code(pending, code, token):
    transaction.on_commit(
        lambda: send_proposal_code(
            email=pending.email, code=code, token=token, conference=pending.call.conference, language=pending.language
        ),
        robust=True,
    )


def _complete(request, pending):
    """The address is proven: sign in its account and make the proposal from the stored form, checked again now
    (the call may have closed in between)."""
    user = account_for_proven_email(pending.email, request=request)
    request.session.pop(SESSION_KEY, None)
    response = perform_login(request, user, redirect_url=reverse("my_registrations"))
    if not request.user.is_authenticated:
        return response  # a login stage (e.g. an inactive account) answers instead
    call = call_of(pending.call.conference)
    conference = call.conference.localized
    if not call.is_open():
        error = services.ProposalError("closed" if call.has_closed() else "not_open").message
        return _render_call(request, conference, call, None, status=403, error=error)
    form = ProposalForm(MultiValueDict(pending.form_data), call=call)
    if form.is_valid():
        return _save_new(request, call, form)
    messages.info(request, _("Your email address is confirmed. Please check the form once more."))
    return _render_call(request, conference, call, form, status=400)


def _pending_in_session(request):
    pending_id = request.session.get(SESSION_KEY)
    if not pending_id:
        return None
    return PendingProposal.objects.select_related("call__conference").filter(pk=pending_id).first()


def _resend(request, pending):
    def form_expired():
        request.session.pop(SESSION_KEY, None)
        messages.error(request, _("This form has expired. Please fill it in again."))
        return redirect("proposal_confirm")

    return email_proof.resend_code(request, pending, send=_email_code, then="proposal_confirm", on_gone=form_expired)


def _use_another_address(request, pending):
    conference = pending.call.conference
    pending.delete()
    request.session.pop(SESSION_KEY, None)
    return redirect(conference.localized.url + "call/")


OTHER_ACTIONS = {"resend": _resend, "change_address": _use_another_address}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_proposal(request):
    """/call/confirm/: type the emailed code (or ask for a new one, or use another address)."""
    pending = _pending_in_session(request)
    if pending is None:
        request.session.pop(SESSION_KEY, None)
    other_action = OTHER_ACTIONS.get(request.POST.get("action"))
    if request.method == "POST" and pending is not None and other_action is not None:
        return other_action(request, pending)
    form = email_proof.CodeForm(request.POST or None)
    if request.method == "POST" and pending is not None and form.is_valid():
        if not email_proof.may_check_code(request):
            return email_proof.too_many_attempts()
        proven, pending = email_proof.try_typed_code(PendingProposal, request, pending=pending, form=form)
        if proven is not None:
            return _complete(request, proven)
        if pending is None:
            request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "proposals/confirm_code.html",
        {"form": form, "has_pending": pending is not None, "email": pending.email if pending else ""},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_proposal_link(request, token):
    """/call/confirm/<token>/: the emailed link. GET only shows a button, so that mail scanners opening links
    do not confirm on the visitor's behalf."""
    error = None
    try:
        if request.method == "POST":
            if not email_proof.may_check_code(request):
                return email_proof.too_many_attempts()
            return _complete(request, email_proof.confirm_token(PendingProposal, token=token))
        email_proof.find_by_token(PendingProposal, token)
    except email_proof.ConfirmationError as exc:
        error = exc
    return render(
        request,
        "proposals/confirm_link.html",
        {"error": error and error.message},
        status=404 if error and error.code == "unknown" else 400 if error else 200,
    )


def _own(request, pk):
    return get_object_or_404(Proposal.objects.of(request.user), pk=pk)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_proposal(request, pk):
    """/my/proposals/<pk>/edit/: change a draft or a submitted proposal until the call closes."""
    proposal = _own(request, pk)
    call = call_of(proposal.call.conference)
    context = {"proposal": proposal, "call": call, "conference": call.conference.localized}
    if not proposal.editable():
        context["error"] = services.ProposalError("not_editable").message
        return render(request, "proposals/edit.html", context, status=403 if request.method == "POST" else 200)
    data = request.POST if request.method == "POST" else None
    form = ProposalForm(data, initial=_initial(proposal), call=call)
    if data is not None and form.is_valid():
        try:
            proposal = services.update_proposal(
                proposal_id=proposal.pk, user=request.user, fields=form.proposal_fields(), submit=form.submits
            )
        except services.ProposalError as error:
            context["error"] = error.message
            return render(request, "proposals/edit.html", context, status=403)
        messages.success(request, _("Your proposal “%(title)s” is saved.") % {"title": proposal.title})
        return redirect(reverse("my_registrations") + "#my-proposals")
    context["form"] = form
    return render(request, "proposals/edit.html", context, status=400 if data is not None else 200)


def _initial(proposal):
    return {
        "title": proposal.title,
        "abstract": proposal.abstract,
        "session_format": proposal.session_format_id,
        "track": proposal.track.slug if proposal.track else "",
        "language": proposal.language,
        "travel_support_requested": proposal.travel_support_requested,
        "travel_support_note": proposal.travel_support_note,
        "form_key": proposal.form_key,
    }


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw_proposal(request, pk):
    """/my/proposals/<pk>/withdraw/: a page that asks, and a POST that withdraws."""
    proposal = _own(request, pk)
    if request.method == "POST":
        try:
            services.withdraw_proposal(proposal_id=proposal.pk, user=request.user)
        except services.ProposalError as error:
            return render(
                request, "proposals/withdraw.html", {"proposal": proposal, "error": error.message}, status=403
            )
        messages.success(request, _("Your proposal “%(title)s” is withdrawn.") % {"title": proposal.title})
        return redirect(reverse("my_registrations") + "#my-proposals")
    return render(request, "proposals/withdraw.html", {"proposal": proposal})
