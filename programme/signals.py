"""Keeps the cached programme and pages honest: bumps the conference's cache generation on every change that shows
in its programme, the site's on every change to any public page or to what menus and lists show, and counts
SEQUENCE when a publish changes a session's time, room or status."""

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from conference.models import ConferencePage, Organisation, Venue

from .cache import invalidate_programme, invalidate_site
from .models import ProgrammePage, Room, SessionPage, SpeakerIndexPage, SpeakerPage, Track
from .page_cache import remember_admin_access


def conference_id_for_page(page):
    """The default-language conference a page belongs to (or is), or None outside every conference."""
    conference = ConferencePage.for_page(page)
    return conference.canonical.pk if conference else None


def invalidate_for_page(page):
    conference_id = conference_id_for_page(page)
    # Invalidate now and again after the commit, so that a request racing the transaction cannot cache the
    # old programme under the new generation.
    invalidate_programme(conference_id)
    transaction.on_commit(lambda: invalidate_programme(conference_id))


def invalidate_site_pages(*args, **kwargs):
    """Retire every stored page (now, and again after the commit as above): any page can be in a menu or list."""
    invalidate_site()
    transaction.on_commit(invalidate_site)


def is_programme_page(page):
    return isinstance(page, (SessionPage, SpeakerPage, ProgrammePage, SpeakerIndexPage, ConferencePage))


def count_sequence(session):
    """On publish of a default-language session: SEQUENCE + 1 when start, end, room or status changed since the
    previous publish (the first publish keeps 0)."""
    if session.locale_id != Locale.get_default().pk:
        return
    fingerprint = session.facts_fingerprint()
    if fingerprint == session.published_facts:
        return
    now = timezone.now()
    increment = 1 if session.published_facts else 0
    SessionPage.objects.filter(pk=session.pk).update(
        sequence=F("sequence") + increment, published_facts=fingerprint, facts_changed_at=now
    )
    session.sequence += increment
    session.published_facts = fingerprint
    session.facts_changed_at = now


def on_page_published(sender, instance, **kwargs):
    if isinstance(instance, SessionPage):
        count_sequence(instance)
    if is_programme_page(instance):
        invalidate_for_page(instance)
    else:
        invalidate_site_pages()


def on_page_unpublished(sender, instance, **kwargs):
    if is_programme_page(instance.specific_deferred):
        invalidate_for_page(instance)
    else:
        invalidate_site_pages()


def on_page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    for parent in (parent_page_before, parent_page_after):
        conference_id = conference_id_for_page(parent)
        if conference_id:
            invalidate_programme(conference_id)
    invalidate_site_pages()


def on_page_deleted(sender, instance, **kwargs):
    if is_programme_page(instance):
        # The page is gone from the tree already for some deletes: retire everything to be safe.
        invalidate_programme(None)
        transaction.on_commit(lambda: invalidate_programme(None))


def on_snippet_changed(sender, instance, **kwargs):
    conference_id = getattr(instance, "conference_id", None)
    invalidate_programme(conference_id)
    transaction.on_commit(lambda: invalidate_programme(conference_id))


def on_restriction_changed(sender, instance, **kwargs):
    invalidate_programme(None)


def connect():
    user_logged_in.connect(remember_admin_access, dispatch_uid="page_cache_admin_access")
    page_published.connect(on_page_published, dispatch_uid="programme_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="programme_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="programme_moved")
    page_slug_changed.connect(on_page_unpublished, dispatch_uid="programme_slug_changed")
    for model in (SessionPage, SpeakerPage, ProgrammePage, SpeakerIndexPage, ConferencePage):
        post_delete.connect(on_page_deleted, sender=model, dispatch_uid=f"programme_deleted_{model.__name__}")
    # Every public page shows menus, the conference list or the footer's organisations: these retire them all.
    # (A page's delete also deletes its Page row, so any page type arrives here.) RegistrationType by name:
    # programme may not import registration; the menu shows "Register" once a type exists, and the registration
    # form's empty fields, questions included, are kept as a fragment.
    for model in (
        Page,
        Organisation,
        Site,
        Locale,
        "registration.RegistrationType",
        "registration.RegistrationQuestion",
    ):
        for signal in (post_save, post_delete):
            if model is Page and signal is post_save:
                continue  # drafts save pages too; publishing is what counts (page_published)
            signal.connect(invalidate_site_pages, sender=model, weak=False, dispatch_uid=f"site_{model}_{id(signal)}")
    for model in (Room, Track):
        post_save.connect(on_snippet_changed, sender=model, dispatch_uid=f"programme_saved_{model.__name__}")
        post_delete.connect(on_snippet_changed, sender=model, dispatch_uid=f"programme_deleted_{model.__name__}")
    # A venue's name is in every calendar's LOCATION.
    post_save.connect(
        lambda sender, instance, **kwargs: invalidate_programme(None),
        sender=Venue,
        weak=False,
        dispatch_uid="programme_venue_saved",
    )
    for signal in (post_save, post_delete):
        signal.connect(
            on_restriction_changed, sender=PageViewRestriction, dispatch_uid=f"programme_restriction_{id(signal)}"
        )
