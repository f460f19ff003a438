"""Workshop sign-up (CONTRACT.md "Workshop sign-up"): confirmed attendees take a place in a session with a
sign-up capacity, or queue for one; cancelling promotes the queue in order.

Places are counted under a row lock on the session (select_for_update of the SessionPage row only), so
concurrent sign-ups on PostgreSQL never exceed the capacity. Sign-ups belong to the session in the default
language, whichever translation the attendee used.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from programme.models import SessionPage

from .attendee_emails import send_workshop_promoted
from .enums import RegistrationStatus
from .errors import CodedError
from .models import Registration, WorkshopSignup


class SignupError(CodedError):
    MESSAGES = {
        "no_signup": _("This session has no sign-up."),
        "not_confirmed": _("Only attendees with a confirmed registration can sign up for workshops."),
        "not_signed_up": _("You are not signed up for this session."),
    }


def canonical_session(session):
    """The session page in the default language: sign-ups and places are counted on that one."""
    default = Locale.get_default()
    if session.locale_id == default.pk:
        return session
    return session.get_translation_or_none(default) or session


def confirmed_registration(*, user, session):
    """The user's confirmed registration for the conference the session belongs to, or None. Registrations
    belong to the conference in the default language, so the session's own tree is not compared: its
    default-language page is (the Russian tree has other paths)."""
    if not user.is_authenticated:
        return None
    session = canonical_session(session)
    steplen = session.steplen
    ancestor_paths = [session.path[:end] for end in range(steplen, len(session.path), steplen)]
    return (
        Registration.objects.filter(user=user, status=RegistrationStatus.CONFIRMED, conference__path__in=ancestor_paths)
        .select_related("conference")
        .first()
    )


def _lock_session(session_id):
    return SessionPage.objects.select_for_update(of=("self",)).get(pk=session_id)


def _confirmed_count(session):
    return WorkshopSignup.objects.filter(session=session, status=WorkshopSignup.CONFIRMED).count()


def places_left(session):
    if session.signup_capacity is None:
        return None
    return max(session.signup_capacity - _confirmed_count(session), 0)


def active_signup(*, registration, session):
    return WorkshopSignup.objects.filter(
        registration=registration, session=session, status__in=WorkshopSignup.ACTIVE_STATUSES
    ).first()


def sign_up(*, registration, session):
    """Take a place, or join the queue when none is left; signing up twice returns the existing sign-up."""
    session = canonical_session(session)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise SignupError("not_confirmed")
    try:
        with transaction.atomic():
            locked = _lock_session(session.pk)
            if locked.signup_capacity is None:
                raise SignupError("no_signup")
            existing = active_signup(registration=registration, session=locked)
            if existing is not None:
                return existing
            full = _confirmed_count(locked) >= locked.signup_capacity
            status = WorkshopSignup.WAITLISTED if full else WorkshopSignup.CONFIRMED
            return WorkshopSignup.objects.create(registration=registration, session=locked, status=status)
    except IntegrityError:
        # A double submit slipped past the check; the partial unique constraint kept one.
        return active_signup(registration=registration, session=session)


def cancel(*, registration, session):
    """Leave the session (or its queue); a freed place goes to the oldest waiting sign-up, who is emailed."""
    session = canonical_session(session)
    with transaction.atomic():
        locked = _lock_session(session.pk)
        signup = active_signup(registration=registration, session=locked)
        if signup is None:
            raise SignupError("not_signed_up")
        signup.status = WorkshopSignup.CANCELLED
        signup.save(update_fields=["status", "updated_at"])
        return signup, _promote(locked)


def release_registration(registration):
    """Every place or queue spot of a registration that stops counting (cancelled, rejected, its account deleted)
    is left, each freed place going to its session's queue. Run inside the caller's transaction; the sessions are
    locked in primary-key order, so two registrations released at once cannot deadlock. Returns the promoted."""
    promoted = []
    session_ids = (
        WorkshopSignup.objects.filter(registration=registration, status__in=WorkshopSignup.ACTIVE_STATUSES)
        .order_by("session_id")
        .values_list("session_id", flat=True)
    )
    for session_id in list(session_ids):
        locked = _lock_session(session_id)
        for signup in WorkshopSignup.objects.filter(
            registration=registration, session=locked, status__in=WorkshopSignup.ACTIVE_STATUSES
        ):
            signup.status = WorkshopSignup.CANCELLED
            signup.save(update_fields=["status", "updated_at"])
        promoted += _promote(locked)
    return promoted


def _promote(locked_session):
    promoted = []
    free = (locked_session.signup_capacity or 0) - _confirmed_count(locked_session)
    if free <= 0:
        return promoted
    queue = WorkshopSignup.objects.filter(session=locked_session, status=WorkshopSignup.WAITLISTED).order_by(
        "created_at", "pk"
    )[:free]
    for signup in queue:
        signup.status = WorkshopSignup.CONFIRMED
        signup.save(update_fields=["status", "updated_at"])
        signup_id = signup.pk
        transaction.on_commit(lambda signup_id=signup_id: send_workshop_promoted(signup_id=signup_id), robust=True)
        promoted.append(signup)
    return promoted


def signups_of(user):
    """The user's active sign-ups, for /my/, each with its registration's `conference_id` and the session's own
    `session_title` (no page instances: /my/ takes titles and addresses from the gathered programme)."""
    return list(
        WorkshopSignup.objects.filter(registration__user=user, status__in=WorkshopSignup.ACTIVE_STATUSES)
        .annotate(conference_id=F("registration__conference_id"), session_title=F("session__title"))
        .order_by("session__start", "pk")
    )


def signed_up_users(session_ids):
    """(user id, session id) of everyone signed up or waiting for these sessions: change notices reach them too."""
    return (
        WorkshopSignup.objects.filter(
            session_id__in=session_ids,
            status__in=WorkshopSignup.ACTIVE_STATUSES,
            registration__user__isnull=False,
        )
        .values_list("registration__user_id", "session_id")
        .distinct()
    )
