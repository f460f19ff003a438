"""What /my/ shows: the attendee's registrations with their answers, workshop sign-ups and agenda, read once per
request in the same number of queries for one registration, star or sign-up as for many. Conference and session
titles and addresses in the visitor's language come from the gathered programmes in the shared cache."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language

from programme import agenda
from programme.gathering import published_sessions
from proposals.models import Proposal

from . import questions, workshops
from .enums import RegistrationStatus
from .models import Registration, add_waitlist_positions


def my_page_context(request):
    """The template context of /my/ for the signed-in `request.user`."""
    user = request.user
    registrations = list(
        Registration.objects.filter(user=user)
        .select_related("conference", "registration_type", "visa_letter")
        .prefetch_related(Prefetch("answers", queryset=questions.answers_in_form_order()))
        .order_by("-conference__start_date", "-created_at")
    )
    add_waitlist_positions(registrations)
    signups = workshops.signups_of(user)
    rows = agenda.agenda_rows(user)
    # Every conference and session the page names, in one read of the shared cache.
    wanted = agenda.starred_by_conference(rows)
    for registration in registrations:
        wanted.setdefault(registration.conference_id, [])
    for signup in signups:
        wanted.setdefault(signup.conference_id, []).append(signup.session_id)
    proposals = list(Proposal.objects.of(user))
    for proposal in proposals:
        wanted.setdefault(proposal.call.conference_id, [])
    published = published_sessions(wanted, get_language())
    add_conference_links(registrations, published)
    add_proposal_links(proposals, published)
    add_register_again(registrations)
    for signup in signups:
        # None for a session no longer in the programme: the page shows its title without a link.
        part = published.get(signup.conference_id)
        signup.session_entry = next((s for s in part.sessions if s.id == signup.session_id), None) if part else None
    return {
        "registrations": registrations,
        "workshop_signups": signups,
        "proposals": proposals,
        "agenda": agenda.my_agenda(request, rows=rows, published=published),
    }


def add_conference_links(registrations, published):
    """Set `conference_title` and `conference_url` of each registration: its conference in the visitor's language."""
    for registration in registrations:
        part = published.get(registration.conference_id)
        if part is not None and part.schedule.conference_path:
            registration.conference_title = part.schedule.conference_title
            registration.conference_url = part.schedule.conference_path
        else:
            registration.conference_title = registration.conference.title
            registration.conference_url = registration.conference.url


def add_proposal_links(proposals, published, now=None):
    """Set `conference_title`, `conference_url` and `editable` of each proposal, in the visitor's language."""
    now = now or timezone.now()
    for proposal in proposals:
        conference = proposal.call.conference
        part = published.get(conference.pk)
        if part is not None and part.schedule.conference_path:
            proposal.conference_title = part.schedule.conference_title
            proposal.conference_url = part.schedule.conference_path
        else:
            proposal.conference_title = conference.title
            proposal.conference_url = conference.url
        proposal.is_editable = proposal.editable(now)


def add_register_again(registrations, now=None):
    """Set `editable` and `can_register_again` of each registration (newest first): after a cancellation the
    attendee may register again, once, while registration is open."""
    now = now or timezone.now()
    active_conferences = {r.conference_id for r in registrations if r.is_active}
    for registration in registrations:
        registration.editable = registration.is_editable(now)
        registration.can_register_again = (
            registration.status == RegistrationStatus.CANCELLED
            and registration.conference_id not in active_conferences
            and registration.conference.registration_is_open(now)
        )
        if registration.can_register_again:
            active_conferences.add(registration.conference_id)
