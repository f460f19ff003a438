"""Helpers shared by the programme tests: publishing a changed session and reading the exports back."""

import icalendar
from django.core.management import call_command

from programme.models import ProgrammePage, SessionPage


def demo_session(conference, slug):
    programme = ProgrammePage.objects.child_of(conference).get()
    return SessionPage.objects.child_of(programme).get(slug=slug)


def publish_change(session, **fields):
    for name, value in fields.items():
        setattr(session, name, value)
    session.save_revision().publish()
    return SessionPage.objects.get(pk=session.pk)


def events_by_uid(content):
    calendar = icalendar.Calendar.from_ical(content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def make_scale(slug, sessions, speakers=20):
    call_command("make_scale_conference", slug=slug, sessions=sessions, speakers=speakers, registrations=0, verbosity=0)
