"""Change notices: after a schedule release, one email per attendee interested in a changed session (starred it,
or whatever other app registers, such as workshop sign-ups), in their language, unless they turned them off; and
the marks on /my/ that stay until the attendee has seen the change.

Other apps plug in without programme importing them (call these from their AppConfig.ready):

    register_interest_source(lambda session_ids: [(user_id, session_id), ...])
    register_language_source(lambda user_ids: {user_id: "ru", ...})
"""

import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from conference.mail import queue_built_email

from .models import AgendaItem, NotificationPreference, SessionPage
from .release_models import ChangeKind, ScheduleChange, ScheduleRelease
from .releases import changed_sessions

_interest_sources = []
_language_sources = []


def register_interest_source(source):
    """Add a callable(session_ids) -> iterable of (user_id, session_id): who else cares about a session."""
    if source not in _interest_sources:
        _interest_sources.append(source)


def register_language_source(source):
    """Add a callable(user_ids) -> {user_id: language code}: what language to write to someone in."""
    if source not in _language_sources:
        _language_sources.append(source)


def starred_by(session_ids):
    return AgendaItem.objects.filter(session_id__in=session_ids).values_list("user_id", "session_id")


def interested_users(session_ids):
    """{user id: {session ids}} of everyone interested in any of `session_ids`, by every source."""
    interested = {}
    for source in [starred_by, *_interest_sources]:
        for user_id, session_id in source(session_ids):
            interested.setdefault(user_id, set()).add(session_id)
    return interested


def user_language(user_id):
    """The user's language: the one they last used on /my/, then what other apps know, then the default."""
    preference = NotificationPreference.objects.filter(user_id=user_id).values_list("language", flat=True).first()
    if preference:
        return preference
    for source in _language_sources:
        language = source([user_id]).get(user_id)
        if language:
            return language
    return settings.LANGUAGE_CODE


def notify_release(release):
    """Mark the changed sessions in the agendas that star them and, after the commit, send each interested
    attendee who has not opted out one email for this release. Returns the number of emails to send."""
    changes = changed_sessions(release)
    if not changes:
        return 0
    AgendaItem.objects.filter(session_id__in=changes).update(changed_in=release)
    interested = interested_users(changes.keys())
    opted_out = set(
        NotificationPreference.objects.filter(user_id__in=interested, schedule_changes=False).values_list(
            "user_id", flat=True
        )
    )
    recipients = list(
        get_user_model()
        .objects.filter(pk__in=interested.keys() - opted_out, is_active=True)
        .exclude(email="")
        .values_list("pk", "email")
    )
    for user_id, email in recipients:
        deliver(
            user_id=user_id,
            email=email,
            release_id=release.pk,
            session_ids=sorted(interested[user_id]),
            conference=release.conference,
        )
    return len(recipients)


def deliver(*, user_id, email, release_id, session_ids, conference=None):
    """The one way a change notice leaves: queued in the release's transaction (conference/mail.py) and built by
    a worker when it sends it, so the arguments are plain values; `email` is the address the mail log shows
    until then."""
    queue_built_email(
        "programme.change_notices.build_queued_change_notice",
        recipients=email,
        keep_text=True,
        conference=conference,
        subject=_("Programme changes (release %(release)s)") % {"release": release_id},
        user_id=user_id,
        release_id=release_id,
        session_ids=sorted(session_ids),
    )


def build_queued_change_notice(*, user_id, release_id, session_ids):
    """One attendee's notice for one release, built at send time; None if the account or release is gone."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    release = ScheduleRelease.objects.select_related("conference").filter(pk=release_id).first()
    if user is None or release is None:
        return None
    return build_change_notice(user=user, release=release, session_ids=session_ids)


def _when(moment, tzinfo):
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment, tzinfo), "D j E, H:i")


def _room(room, name):
    return room.localized_name if room is not None else name


def changed_entries(release, session_ids, language):
    """One entry per changed session of `session_ids` in `release`: title in `language`, what changed, and the
    old and new time and room (call with `language` active, for the labels and dates)."""
    tzinfo = release.conference.tzinfo
    by_session = changed_sessions(release)
    locale = Locale.objects.filter(language_code=language).first()
    keys = [changes[0].translation_key for session_id, changes in by_session.items() if session_id in session_ids]
    titles = (
        dict(
            SessionPage.objects.filter(translation_key__in=keys, locale=locale).values_list("translation_key", "title")
        )
        if locale is not None
        else {}
    )
    entries = []
    for session_id in session_ids:
        changes = by_session.get(session_id)
        if not changes:
            continue
        first = changes[0]
        kinds = [change.kind for change in changes]
        entries.append(
            {
                "title": titles.get(first.translation_key, first.title),
                "what": ", ".join(str(ChangeKind(kind).label) for kind in kinds),
                "cancelled": ChangeKind.CANCELLED in kinds,
                "removed": ChangeKind.REMOVED in kinds,
                "old_when": f"{_when(first.old_start, tzinfo)}–{_time(first.old_end, tzinfo)}",
                "old_room": _room(first.old_room, first.old_room_name),
                "new_when": f"{_when(first.new_start, tzinfo)}–{_time(first.new_end, tzinfo)}",
                "new_room": _room(first.new_room, first.new_room_name),
                "sort": first.new_start or first.old_start,
            }
        )
    entries.sort(key=lambda entry: entry["sort"])
    return entries


def _time(moment, tzinfo):
    return timezone.localtime(moment, tzinfo).strftime("%H:%M") if moment else ""


def build_change_notice(*, user, release, session_ids):
    """The EmailMultiAlternatives telling `user`, in their language, what changed in their sessions."""
    language = user_language(user.pk)
    with translation.override(language):
        conference = release.conference
        locale = Locale.objects.filter(language_code=language).first()
        translated = conference.get_translation_or_none(locale) if locale is not None else None
        conference_page = translated or conference
        context = {
            "conference": conference_page,
            "release": release,
            "note": release.note_in(language),
            "entries": changed_entries(release, session_ids, language),
            "my_url": settings.SITE_URL + reverse("my_registrations"),
            "changes_url": settings.SITE_URL + (conference_page.url or "") + "programme/changes/",
            "time_zone": conference.time_zone,
        }
        subject = _("Changes to your sessions at %(conference)s") % {"conference": conference_page.title}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("programme/emails/schedule_changes.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        message.attach_alternative(render_to_string("programme/emails/schedule_changes.html", context), "text/html")
    return message


def unseen_changes(changed):
    """{session id: {version, what, was}} for the marks on /my/, from `changed`: {session id: pk of the release
    that changed it since the attendee last marked it seen} (programme.agenda.agenda_rows). One query, none when
    nothing changed (call with the reader's language active)."""
    if not changed:
        return {}
    found = {}
    for change in (
        ScheduleChange.objects.filter(release_id__in=set(changed.values()), session_id__in=list(changed))
        .select_related("release", "old_room")
        .annotate(time_zone=F("release__conference__time_zone"))
    ):
        if changed[change.session_id] == change.release_id:
            found.setdefault(change.session_id, []).append(change)
    marks = {}
    for session_id, changes in found.items():
        first = changes[0]
        release, tzinfo = first.release, zoneinfo.ZoneInfo(first.time_zone)
        was = f"{_when(first.old_start, tzinfo)}–{_time(first.old_end, tzinfo)}"
        if first.old_room_name:
            was += f", {_room(first.old_room, first.old_room_name)}"
        marks[session_id] = {
            "version": release.name,
            "what": ", ".join(str(ChangeKind(change.kind).label) for change in changes),
            "was": was if first.old_start else "",
        }
    return marks


def mark_seen(*, user):
    """The attendee has seen the changes of their starred sessions: /my/ stops marking them."""
    return AgendaItem.objects.filter(user=user, changed_in__isnull=False).update(changed_in=None)


def set_schedule_change_emails(*, user, enabled, language=""):
    """Turn the attendee's change notices on or off (and remember the language they use)."""
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"schedule_changes": enabled, **({"language": language} if language else {})}
    )
    return preference


def wants_schedule_change_emails(user):
    return NotificationPreference.objects.filter(user=user, schedule_changes=False).first() is None


def export_notification_preferences(user):
    """The personal-data export's part for notification settings."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "schedule_change_emails": preference.schedule_changes if preference else True,
        "language": preference.language if preference else "",
    }
