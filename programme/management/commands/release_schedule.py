"""manage.py release_schedule --conference SLUG --note TEXT [--note-ru TEXT]: release the published programme."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from conference.models import ConferencePage
from programme.releases import ReleaseError, release_schedule


class Command(BaseCommand):
    help = "Record the published programme of a conference as a new release, with what changed since the last one."

    def add_arguments(self, parser):
        parser.add_argument("--conference", required=True, help="the conference's slug, e.g. vilnius-2017")
        parser.add_argument("--note", default="", help="a short note for the changelog")
        parser.add_argument("--note-ru", default="", help="the note in Russian (default: Russian readers get --note)")
        parser.add_argument("--name", default="", help="the version's name (default: the next number)")

    def handle(self, *args, conference, note, note_ru, name, **options):
        page = ConferencePage.objects.filter(slug=conference, locale=Locale.get_default()).first()
        if page is None:
            raise CommandError(f"There is no conference with the slug {conference!r}.")
        try:
            release = release_schedule(conference=page, note=note, note_ru=note_ru, name=name)
        except ReleaseError as error:
            raise CommandError(error.message) from error
        count = release.changes.count()
        self.stdout.write(f"Released version {release.name} of {page.title} ({count} changes since the last release).")
