"""Badges built once (issue 25): the badge PDF is rendered once for what it shows and stored privately; every
email and download after that reads the stored file, and a change of what the badge shows renders it again."""

from pathlib import Path

import pytest
from django.conf import settings

from registration import services
from registration.emails import build_registration_email
from registration.enums import EmailKind
from registration.models import Registration

from .checkin_factories import make_registration

pytestmark = pytest.mark.django_db


def stored(registration):
    return sorted(Path(settings.BADGE_STORE_DIR).glob(f"{registration.pk}-*.pdf"))


def attached_badge(registration):
    message = build_registration_email(Registration.objects.get(pk=registration.pk), EmailKind.BADGE)
    [pdf] = [content for _name, content, mimetype in message.attachments if mimetype == "application/pdf"]
    return pdf


def test_second_email_and_download_reuse_the_stored_badge(conference, client):
    registration = make_registration(conference)
    first = attached_badge(registration)
    [path] = stored(registration)
    written = path.stat()
    # reportlab stamps each rendering with its time and a random document id: equal bytes mean no new rendering
    assert attached_badge(registration) == first
    client.force_login(registration.user)
    assert client.get(f"/my/badges/{registration.pk}.pdf").content == first
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert not str(path).startswith(str(settings.MEDIA_ROOT))  # no public URL reaches it


def test_a_change_to_what_the_badge_shows_renders_it_again_and_drops_the_old_one(conference):
    registration = make_registration(conference)
    first = attached_badge(registration)
    [old_path] = stored(registration)
    services.update_details(registration=registration, details={"badge_name": "Nina K."}, by=None)
    second = attached_badge(registration)
    assert second != first
    [new_path] = stored(registration)
    assert new_path != old_path and not old_path.exists()
    registration.registration_type.badge_colour = "#aa3300"
    registration.registration_type.save()
    assert attached_badge(registration) != second


def test_anonymising_deletes_the_stored_badge(conference):
    registration = make_registration(conference)
    attached_badge(registration)
    assert stored(registration)
    services.anonymise(registrations=Registration.objects.filter(pk=registration.pk))
    assert stored(registration) == []
