"""Door check-in: perform_checkin (one per attendee and conference day, idempotent, audited), the door-staff
search, who may work the door, what a door device needs offline, and the organisers' check-in figures."""

import base64
import hashlib
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from wagtail.models import Locale

from conference.models import ConferencePage
from conference.permissions import ORGANISERS, is_door_staff
from conference.search_keys import search_words
from conference.text_input import is_storable_text

from .badge_tokens import MAX_CODE_LENGTH, InvalidToken, public_key_bytes, verify_badge_token
from .enums import RegistrationStatus, ScanResult
from .models import CheckIn, DoorAssignment, Registration, ScanAttempt

# How far a door device's own clock is believed for queued offline scans; outside it, the server's time counts.
OFFLINE_SCAN_MAX_AGE = timedelta(days=2)
CLOCK_SKEW_ALLOWED = timedelta(minutes=5)
MIN_SEARCH_LENGTH = 3
SEARCH_LIMIT = 20


class DoorNotAssigned(Exception):
    """The account may not work the door of the conference it scans for (the door API answers 403)."""


class CheckInError(Exception):
    """A scan that checks nobody in. `code` is one of the contract's results; `registration` is set when the
    badge itself was genuine (the door may show its name and type)."""

    def __init__(self, code, *, registration=None, checkin=None):
        super().__init__(code)
        self.code = code
        self.registration = registration
        self.checkin = checkin


@dataclass(frozen=True)
class CheckInOutcome:
    """What the door is told: `result` plus the registration and the day's (first) check-in."""

    result: str
    registration: Registration | None
    checkin: CheckIn | None

    def as_door_json(self):
        """Only what door staff may see (CONTRACT.md): never email, country or other answers."""
        data = {"result": self.result}
        if self.registration is not None:
            data["badge_name"] = self.registration.badge_name
            data["registration_type"] = self.registration.registration_type.name
            data["registration_id"] = self.registration.pk
        if self.checkin is not None:
            data["checked_in_at"] = self.checkin.checked_in_at.astimezone(self.checkin.conference.tzinfo).isoformat()
        return data


# Door devices name their conference in every scan; looking the page up each time was the most expensive
# part of a scan, so the shared cache keeps it for a minute (a changed time zone shows within a minute).
CONFERENCE_CACHE_SECONDS = 60


def get_conference(slug):
    """The default-language conference with this slug (badges and check-ins belong to it), or None."""
    if not isinstance(slug, str) or not slug or len(slug) > 255 or not is_storable_text(slug):
        return None
    cache_key = f"checkin:conference:{hashlib.sha256(slug.encode()).hexdigest()[:32]}"
    conference = cache.get(cache_key)
    if conference is not None:
        return conference
    conference = ConferencePage.objects.filter(slug=slug, locale=Locale.get_default()).first()
    if conference is None:
        conference = ConferencePage.objects.filter(slug=slug).first()
    conference = conference.canonical if conference is not None else None
    if conference is not None:
        cache.set(cache_key, conference, CONFERENCE_CACHE_SECONDS)
    return conference


# --- who may work the door --------------------------------------------------------------------------------

# What an account may do at the door is looked up once and kept in the shared cache (it spares every scan a
# database round trip). Every change of door rights forgets it at once (forget_door_rights, called by
# registration/door_rights_signals.py on assignments, group membership and accounts). The expiry is only a
# backstop for an invalidation the cache itself lost (a Redis restart mid-delete), never how changes apply.
ALL_CONFERENCES = "all"
NO_DOOR_RIGHTS = "none"
DOOR_RIGHTS_BACKSTOP_SECONDS = 600


def _door_rights_cache_key(user_id):
    return f"checkin:door-scope:{user_id}"


def _door_scope(user):
    """None (no door rights), ALL_CONFERENCES (organisers) or the sorted ids of the conferences assigned (an
    empty list for door staff not assigned anywhere yet: they open an empty scanner)."""
    if not user.is_authenticated:
        return None
    key = _door_rights_cache_key(user.pk)
    scope = cache.get(key)
    if scope is None:
        if not is_door_staff(user):
            scope = NO_DOOR_RIGHTS
        elif user.is_superuser or user.groups.filter(name=ORGANISERS).exists():
            scope = ALL_CONFERENCES
        else:
            scope = sorted(DoorAssignment.objects.filter(user=user).values_list("conference_id", flat=True))
        cache.set(key, scope, DOOR_RIGHTS_BACKSTOP_SECONDS)
    return None if scope == NO_DOOR_RIGHTS else scope


def has_door_rights(user):
    """Door staff and organisers may open the scanner and call the door API (for which conference: may_work_door)."""
    return _door_scope(user) is not None


def may_work_door(user, conference):
    """Whether `user` may scan, search and download the door data of `conference` (the default-language page,
    as get_conference returns it): organisers every conference, door staff the ones an organiser assigned them
    to (CONTRACT.md, "Check-in API")."""
    scope = _door_scope(user)
    if scope is None or conference is None:
        return False
    return scope == ALL_CONFERENCES or conference.pk in scope


def forget_door_rights(*users_or_ids):
    """Call after giving or taking away door rights, so that the next request asks the database again."""
    cache.delete_many([_door_rights_cache_key(getattr(user, "pk", user)) for user in users_or_ids])


def set_door_conferences(*, user, conferences):
    """Let door-staff `user` work exactly the doors of `conferences` (default-language pages). Saving and
    deleting the assignments forgets the account's cached rights (door_rights_signals)."""
    wanted = {conference.pk for conference in conferences}
    with transaction.atomic():
        current = set(DoorAssignment.objects.filter(user=user).values_list("conference_id", flat=True))
        # Deleted one by one and created one by one (not in bulk) so that each sends its signal.
        for assignment in DoorAssignment.objects.filter(user=user).exclude(conference_id__in=wanted):
            assignment.delete()
        for conference_id in sorted(wanted - current):
            DoorAssignment.objects.create(user=user, conference_id=conference_id)


def door_conferences(user):
    """Conferences in the default language whose door `user` may work, the ones happening now or next first."""
    today = timezone.now().date()
    conferences = [
        conference
        for conference in ConferencePage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE)
        if may_work_door(user, conference)
    ]
    conferences.sort(key=lambda c: (c.end_date < today, abs((c.start_date - today).days)))
    return conferences


# --- the scan -----------------------------------------------------------------------------------------------


def _code_excerpt(code):
    """The start of the code for the audit log: printable ASCII only, whatever was sent."""
    text = code if isinstance(code, str) else repr(type(code))
    return "".join(c if " " <= c <= "~" else "?" for c in text[:60])


def _believable_scan_time(scanned_at, now):
    if scanned_at is None:
        return now
    if timezone.is_naive(scanned_at) or not (now - OFFLINE_SCAN_MAX_AGE <= scanned_at <= now + CLOCK_SKEW_ALLOWED):
        return now
    return min(scanned_at, now)


def _outcome_of_attempt(attempt):
    """The answer an earlier attempt with the same nonce got, rebuilt from the audit log."""
    registration = attempt.registration
    checkin = attempt.checkin
    if attempt.result in (ScanResult.CHECKED_IN, ScanResult.ALREADY_CHECKED_IN):
        return CheckInOutcome(attempt.result, registration, checkin)
    raise CheckInError(attempt.result, registration=registration)


def perform_checkin(
    *,
    code,
    conference_slug,
    staff,
    gate="",
    device="",
    nonce=None,
    scanned_at=None,
    registration_id=None,
    offline=False,
):
    """Check in the badge `code` (or, for a manual check-in, `registration_id`) at the door of the
    conference `conference_slug`.

    Raises DoorNotAssigned (nothing audited) when `staff` may not work that conference's door. Returns a
    CheckInOutcome for checked_in and already_checked_in; raises CheckInError for the other results. Every
    other call writes one ScanAttempt; a retry with the same nonce writes nothing and answers as the first
    time. One CheckIn per registration and conference day (a unique constraint backs the row lock), so
    concurrent scans of one badge count once."""
    conference = get_conference(conference_slug)
    # An unknown conference is answered `invalid` below (and audited); a known one needs the right.
    if conference is not None and not may_work_door(staff, conference):
        raise DoorNotAssigned
    now = timezone.now()
    scanned_at = _believable_scan_time(scanned_at, now)
    gate, device = (gate or "")[:60], (device or "")[:100]  # code points, as the columns count them
    audit = {"staff": staff, "gate": gate, "device": device, "scanned_at": scanned_at, "offline": offline}
    audit["code_excerpt"] = _code_excerpt(code) if registration_id is None else f"manual:{registration_id}"
    audit["conference"] = conference

    # The signature is checked before the database is asked anything about the badge.
    token = None
    if registration_id is None:
        try:
            token = verify_badge_token(code) if isinstance(code, str) and len(code) <= MAX_CODE_LENGTH else None
        except InvalidToken:
            token = None

    for attempt_number in range(2):
        try:
            try:
                locked_id = _registration_to_lock(conference=conference, token=token, registration_id=registration_id)
            except CheckInError as error:
                # Refused without a lock (forged, unknown conference, another conference's badge): the audit
                # row is the only write, so it needs no transaction (two round trips fewer, BEGIN and COMMIT).
                with _savepoint_if_nested():
                    outcome = _audited(error, nonce=nonce, audit=audit)
            else:
                with transaction.atomic():
                    try:
                        outcome = _check_in_locked(
                            conference=conference,
                            registration_id=locked_id,
                            signed=token is not None,
                            staff=staff,
                            gate=gate,
                            device=device,
                            scanned_at=scanned_at,
                        )
                    except CheckInError as error:
                        outcome = error
                    _audited(outcome, nonce=nonce, audit=audit)
            break
        except IntegrityError:
            # Either a retry of a scan already recorded under this nonce (answer as then: everything here
            # was rolled back), or a concurrent twin won the day's check-in (SQLite has no row locks, and on
            # PostgreSQL the day's check-in is read in the locking statement's snapshot, taken before it waited
            # for the twin's lock): a second pass sees what the twin committed.
            if nonce:
                earlier = (
                    ScanAttempt.objects.select_related("registration__registration_type", "checkin__conference")
                    .filter(nonce=nonce)
                    .first()
                )
                if earlier is not None:
                    return _outcome_of_attempt(earlier)
            if attempt_number:
                raise
    if isinstance(outcome, CheckInError):
        raise outcome
    return outcome


def _savepoint_if_nested():
    """Nothing in autocommit (a single insert needs no transaction); inside a caller's transaction a savepoint,
    so that a nonce's IntegrityError leaves the caller's transaction usable for the lookup that follows."""
    return transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext()


def _audited(outcome, *, nonce, audit):
    """Write the ScanAttempt of `outcome` (a CheckInOutcome or CheckInError) and return `outcome`.
    The nonce's unique constraint tells a retry apart; no lookup first, retries are rare."""
    refused = isinstance(outcome, CheckInError)
    ScanAttempt.objects.create(
        registration=outcome.registration,
        checkin=outcome.checkin,
        result=outcome.code if refused else outcome.result,
        nonce=nonce or None,
        **audit,
    )
    return outcome


# What the door answer shows of a registration, and what deciding the scan needs: nothing else is read.
DOOR_REGISTRATION_FIELDS = ("status", "anonymised_at", "badge_name", "registration_type", "registration_type__name")


def _registration_to_lock(*, conference, token, registration_id):
    """The id of the registration the scan is about, or CheckInError for a scan refused before any lock."""
    if conference is None:
        # The door names no conference we know: nothing to compare the badge with.
        raise CheckInError(ScanResult.INVALID)
    if registration_id is not None:
        return registration_id
    if token is None:
        raise CheckInError(ScanResult.INVALID)
    if token.conference_id != conference.pk:
        registration = (
            Registration.objects.select_related("registration_type")
            .only(*DOOR_REGISTRATION_FIELDS)
            .filter(pk=token.registration_id, conference_id=token.conference_id)
            .first()
        )
        if registration is None or registration.anonymised_at is not None:
            # A badge we signed whose registration is gone or anonymised is void at every door.
            raise CheckInError(ScanResult.CANCELLED)
        raise CheckInError(ScanResult.WRONG_CONFERENCE, registration=registration)
    return token.registration_id


def _check_in_locked(*, conference, registration_id, signed, staff, gate, device, scanned_at):
    day = scanned_at.astimezone(conference.tzinfo).date()
    # One round trip: the registration, locked, with its type and the day's check-in (if any).
    day_checkin = CheckIn.objects.filter(registration=OuterRef("pk"), day=day)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("registration_type")
        .only(*DOOR_REGISTRATION_FIELDS)
        .annotate(
            day_checkin_id=Subquery(day_checkin.values("pk")),
            day_checked_in_at=Subquery(day_checkin.values("checked_in_at")),
        )
        .filter(pk=registration_id, conference_id=conference.pk)
        .first()
    )
    if registration is None:
        # The signature proves we issued the badge: its registration was deleted since, so the badge is void.
        # A manual check-in's number proves nothing: an unknown one is just invalid.
        raise CheckInError(ScanResult.CANCELLED if signed else ScanResult.INVALID)
    refusal = refusal_for(registration.status, anonymised=registration.anonymised_at is not None)
    if refusal is not None:
        raise CheckInError(refusal, registration=registration)

    if registration.day_checkin_id is not None:
        # The row as read above; gate, device and staff load only if someone asks for them.
        existing = CheckIn.from_db(
            registration._state.db,
            ["id", "registration_id", "conference_id", "day", "checked_in_at"],
            [registration.day_checkin_id, registration.pk, conference.pk, day, registration.day_checked_in_at],
        )
        existing.registration, existing.conference = registration, conference
        if scanned_at < existing.checked_in_at:
            # A scan queued offline reached us after a later online one: the day's first check-in is its time.
            existing.checked_in_at = scanned_at
            existing.save(update_fields=["checked_in_at"])
        return CheckInOutcome(ScanResult.ALREADY_CHECKED_IN, registration, existing)
    checkin = CheckIn.objects.create(
        registration=registration,
        conference=conference,
        day=day,
        checked_in_at=scanned_at,
        gate=gate,
        device=device,
        staff=staff,
    )
    return CheckInOutcome(ScanResult.CHECKED_IN, registration, checkin)


def search_registrations(*, conference, query, limit=SEARCH_LIMIT):
    """Registrations of `conference` whose full name or badge name holds every word of `query` (at least three
    characters), in either script and whatever the case or diacritics (conference/search_keys.py), as the door
    may see them: id, badge name, organisation, type, status and today's check-in."""
    query = (query or "").strip()
    if len(query) < MIN_SEARCH_LENGTH:
        return []
    words = search_words(query[:100])
    if not words:  # only punctuation
        return []
    today = conference.today()
    registrations = Registration.objects.filter(conference=conference)
    for word in words:
        registrations = registrations.filter(search_name__contains=word)
    registrations = registrations.select_related("registration_type").order_by("badge_name", "pk")[:limit]
    checkins = {
        checkin.registration_id: checkin
        for checkin in CheckIn.objects.filter(registration__in=[r.pk for r in registrations], day=today)
    }
    results = []
    for registration in registrations:
        checkin = checkins.get(registration.pk)
        results.append(
            {
                "registration_id": registration.pk,
                "badge_name": registration.badge_name,
                "organisation": registration.organisation,
                "registration_type": registration.registration_type.name,
                "status": registration.status,
                "checked_in_at": (
                    checkin.checked_in_at.astimezone(conference.tzinfo).isoformat() if checkin is not None else None
                ),
            }
        )
    return results


def door_counts(*, conference, day):
    """The door's counters for one day: attendees checked in and registrations confirmed."""
    confirmed = Registration.objects.filter(conference=conference, status=RegistrationStatus.CONFIRMED).count()
    return {"checked_in": CheckIn.objects.filter(conference=conference, day=day).count(), "confirmed": confirmed}


# Why a door device offline refuses a badge: the same results an online scan would give.
REFUSED_STATUSES = {RegistrationStatus.CANCELLED: ScanResult.CANCELLED}


def refusal_for(status, *, anonymised=False):
    """The scan result for a registration in `status` that is not let in, or None for a confirmed one.
    An anonymised registration (its account deleted, or purged after the conference) keeps its status for
    the reports, but its badge no longer belongs to anyone: it is cancelled whatever the status says."""
    if anonymised:
        return ScanResult.CANCELLED
    if status == RegistrationStatus.CONFIRMED:
        return None
    return REFUSED_STATUSES.get(status, ScanResult.NOT_CONFIRMED)


def offline_data(*, conference):
    """What a door device needs to answer on its own while the network is down: the conference's public key,
    which badges are refused and why, who is already in today, and the badge name and type of each
    registration (what the door sees online too)."""
    today = conference.today()
    registrations = Registration.objects.filter(conference=conference).values_list(
        "pk", "status", "badge_name", "registration_type__name", "anonymised_at"
    )
    badges, refused = {}, {}
    for pk, status, badge_name, type_name, anonymised_at in registrations.iterator(chunk_size=2000):
        badges[pk] = [badge_name, type_name]
        refusal = refusal_for(status, anonymised=anonymised_at is not None)
        if refusal is not None:
            refused[pk] = refusal
    checked_in = {
        registration_id: at.astimezone(conference.tzinfo).isoformat()
        for registration_id, at in CheckIn.objects.filter(conference=conference, day=today).values_list(
            "registration_id", "checked_in_at"
        )
    }
    return {
        "conference": {
            "id": conference.pk,
            "slug": conference.slug,
            "title": conference.title,
            "time_zone": conference.time_zone,
        },
        "public_key": base64.urlsafe_b64encode(public_key_bytes(conference)).decode().rstrip("="),
        "day": today.isoformat(),
        "counts": door_counts(conference=conference, day=today),
        "badges": badges,
        "refused": refused,
        "checked_in": checked_in,
        "generated_at": timezone.now().isoformat(),
    }


# --- figures for organisers (dashboard and attendance report) ---------------------------------------------


def checkins_by_type(*, conference, day):
    """[(registration type name, check-ins)] for one day, every type of the conference listed."""
    counts = dict(
        CheckIn.objects.filter(conference=conference, day=day)
        .values_list("registration__registration_type_id")
        .annotate(count=Count("pk"))
        .values_list("registration__registration_type_id", "count")
    )
    return [(t.name, counts.get(t.pk, 0)) for t in conference.registration_types.order_by("sort_order", "name")]


def checkins_by_hour(*, conference, day):
    """[(hour, check-ins)] for one day, hours in the conference's time zone, from the first to the last busy hour."""
    counts = {}
    for at in CheckIn.objects.filter(conference=conference, day=day).values_list("checked_in_at", flat=True):
        hour = at.astimezone(conference.tzinfo).hour
        counts[hour] = counts.get(hour, 0) + 1
    if not counts:
        return []
    return [(hour, counts.get(hour, 0)) for hour in range(min(counts), max(counts) + 1)]


def latest_scans(*, conference, limit=25):
    """The latest scan attempts, each with `result_label` for people."""
    scans = list(
        ScanAttempt.objects.filter(conference=conference)
        .select_related("registration__registration_type", "staff")
        .order_by("-scanned_at", "-pk")[:limit]
    )
    for scan in scans:
        scan.result_label = scan.get_result_display()
    return scans


def attendance_rows(*, conference):
    """Check-ins per conference day by registration type, country and role (what donors ask for): one row
    per combination that has any check-in, days in order, as (day, type, country code, role code, count).
    Holds counts only, no names."""
    rows = (
        CheckIn.objects.filter(conference=conference)
        .values_list("day", "registration__registration_type", "registration__country", "registration__role")
        .annotate(count=Count("pk"))
        .order_by(
            "day",
            "registration__registration_type__sort_order",
            "registration__registration_type__name",
            "registration__country",
            "registration__role",
        )
    )
    types = {registration_type.pk: registration_type for registration_type in conference.registration_types.all()}
    return [(day, types[type_id], country, role, count) for day, type_id, country, role, count in rows]


def attendance_days(*, conference):
    """[(day, people checked in)] for every conference day, and any other day someone was checked in."""
    counts = dict(
        CheckIn.objects.filter(conference=conference).values_list("day").annotate(count=Count("pk")).order_by()
    )
    return [(day, counts.get(day, 0)) for day in sorted(set(conference.days) | set(counts))]


def attendance_people(*, conference):
    """Everyone confirmed or checked in at least once (a cancelled one may have come before), in badge-name
    order, each with `checkins_by_day` {day: CheckIn}: the per-person attendance for the organisers' report."""
    registrations = (
        Registration.objects.filter(conference=conference)
        .filter(Q(status=RegistrationStatus.CONFIRMED) | Q(pk__in=CheckIn.objects.values("registration_id")))
        .select_related("registration_type")
        .prefetch_related("checkins")
        .order_by("badge_name", "full_name", "pk")
    )
    people = list(registrations)
    for registration in people:
        registration.checkins_by_day = {checkin.day: checkin for checkin in registration.checkins.all()}
    return people
