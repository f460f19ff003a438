"""make_scale_conference: a synthetic conference for benchmarks, built with bulk inserts (docs/contract.md)."""

import time as clock
import uuid
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from conference.models import ConferencePage
from demo.content import get_home_page
from programme.cache import invalidate_programme
from programme.models import ProgrammePage, Room, SessionPage, SessionSpeaker, SpeakerIndexPage, SpeakerPage, Track
from registration.enums import RegistrationStatus
from registration.models import Registration, RegistrationType

ROOM_COUNT = 10
TRACK_NAMES = ["Community", "Policy", "Health", "Funding", "Research"]
FIRST_DAY = date(2030, 5, 6)
DAYS = 3


class Command(BaseCommand):
    help = "Create (or re-create) a synthetic conference with many sessions, speakers and registrations."

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="scale")
        parser.add_argument("--sessions", type=int, default=600)
        parser.add_argument("--speakers", type=int, default=200)
        parser.add_argument("--registrations", type=int, default=0)

    def handle(self, *args, **options):
        slug, sessions, speakers, registrations = (
            options["slug"],
            options["sessions"],
            options["speakers"],
            options["registrations"],
        )
        if min(sessions, speakers, registrations) < 0 or sessions > 20000 or speakers > 20000:
            raise CommandError("Use 0–20000 sessions and speakers and a non-negative number of registrations.")
        started = clock.monotonic()
        with transaction.atomic():
            conference = self.make_conference(slug)
            rooms, tracks = self.make_rooms_and_tracks(conference)
            programme = self.add_page(
                conference, ProgrammePage(title="Programme", slug="programme", show_in_menus=True)
            )
            speaker_index = self.add_page(
                conference, SpeakerIndexPage(title="Speakers", slug="speakers", show_in_menus=True)
            )
            speaker_pages = self.bulk_pages(
                speaker_index,
                SpeakerPage,
                [
                    {"title": f"Speaker {n}", "slug": f"speaker-{n}", "organisation": "Scale test", "country": "LT"}
                    for n in range(1, speakers + 1)
                ],
            )
            session_pages = self.bulk_pages(
                programme, SessionPage, list(self.session_fields(conference, rooms, tracks, sessions))
            )
            if speaker_pages:
                SessionSpeaker.objects.bulk_create(
                    [
                        SessionSpeaker(
                            session_id=session.pk,
                            speaker_id=speaker_pages[(n * 2 + k) % len(speaker_pages)].pk,
                            role="speaker",
                            sort_order=k,
                        )
                        for n, session in enumerate(session_pages)
                        for k in range(2)
                    ],
                    batch_size=1000,
                )
            self.make_registrations(conference, registrations)
        invalidate_programme(None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Conference {conference.url_path} with {sessions} sessions, {speakers} speakers and {registrations} "
                f"registrations in {clock.monotonic() - started:.1f} s"
            )
        )

    def make_conference(self, slug):
        home = get_home_page()
        existing = ConferencePage.objects.filter(slug=slug).first()
        if existing is not None:
            Registration.objects.filter(conference=existing).delete()
            RegistrationType.objects.filter(conference=existing).delete()
            existing.delete()
            home.refresh_from_db()
        conference = ConferencePage(
            title=f"Scale test conference ({slug})",
            slug=slug,
            start_date=FIRST_DAY,
            end_date=FIRST_DAY + timedelta(days=DAYS - 1),
            time_zone="Europe/Vilnius",
            city="Vilnius",
        )
        return self.add_page(home, conference)

    def add_page(self, parent, page):
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def make_rooms_and_tracks(self, conference):
        Room.objects.bulk_create(
            [
                Room(conference=conference, name=f"Room {n}", slug=f"room-{n}", sort_order=n)
                for n in range(1, ROOM_COUNT + 1)
            ]
        )
        Track.objects.bulk_create(
            [
                Track(conference=conference, name=name, slug=name.lower(), sort_order=n)
                for n, name in enumerate(TRACK_NAMES)
            ]
        )
        return list(Room.objects.filter(conference=conference)), list(Track.objects.filter(conference=conference))

    def session_fields(self, conference, rooms, tracks, count):
        slots_per_day = max(1, -(-count // (DAYS * len(rooms))))
        minutes = max(15, min(90, (10 * 60) // slots_per_day))
        for n in range(count):
            room = rooms[n % len(rooms)]
            slot = n // len(rooms)
            day = FIRST_DAY + timedelta(days=(slot // slots_per_day) % DAYS)
            start = datetime.combine(day, time(8, 0), tzinfo=conference.tzinfo) + timedelta(
                minutes=(slot % slots_per_day) * minutes
            )
            yield {
                "title": f"Session {n + 1}",
                "slug": f"session-{n + 1}",
                "kind": "panel",
                "start": start,
                "end": start + timedelta(minutes=minutes),
                "room_id": room.pk,
                "track_id": tracks[n % len(tracks)].pk,
                "abstract": [("paragraph", f"<p>Abstract of session {n + 1}.</p>")],
                "language": "en",
                "published_facts": "bulk",
            }

    def bulk_pages(self, parent, model, rows):
        """Insert child pages of `parent` in bulk: the base Page rows with their tree paths, then each model row."""
        if not rows:
            return []
        now = timezone.now()
        locale = Locale.get_default()
        content_type = ContentType.objects.get_for_model(model)
        base_rows = []
        for index, fields in enumerate(rows, start=parent.numchild + 1):
            base_rows.append(
                Page(
                    title=fields["title"],
                    draft_title=fields["title"],
                    slug=fields["slug"],
                    content_type=content_type,
                    path=Page._get_path(parent.path, parent.depth + 1, index),
                    depth=parent.depth + 1,
                    numchild=0,
                    url_path=f"{parent.url_path}{fields['slug']}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    live_revision=None,
                    locale=locale,
                    translation_key=uuid.uuid4(),
                )
            )
        created = Page.objects.bulk_create(base_rows, batch_size=500)
        pages = []
        for base, fields in zip(created, rows, strict=True):
            page = model(
                page_ptr_id=base.pk, **{name: getattr(base, name) for name in ("title", "slug", "path", "depth")}
            )
            for name, value in fields.items():
                setattr(page, name, value)
            page.__dict__.update({f.attname: getattr(base, f.attname) for f in Page._meta.concrete_fields})
            # raw=True writes only the model's own table: the Page row is already there.
            page.save_base(raw=True)
            pages.append(page)
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(rows))
        parent.numchild += len(rows)
        return pages

    def make_registrations(self, conference, count):
        if not count:
            return
        registration_type = RegistrationType.objects.create(
            conference=conference, name="Participant", slug="participant", capacity=count + 100
        )

        def registration(n):
            made = Registration(
                conference=conference,
                registration_type=registration_type,
                status=RegistrationStatus.CONFIRMED,
                full_name=f"Participant {n}",
                badge_name=f"Participant {n}",
                organisation="Scale test",
                country="LT",
            )
            made.fill_search_name()  # bulk_create skips save()
            return made

        Registration.objects.bulk_create((registration(n) for n in range(1, count + 1)), batch_size=2000)
        RegistrationType.objects.filter(pk=registration_type.pk).recount_seats()
