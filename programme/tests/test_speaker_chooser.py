"""The speaker panel of a session's edit form chooses among the session's own conference's speakers: the chooser
opens at that conference's speaker list, and a speaker of another conference is refused."""

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from programme.models import SessionPage, SpeakerIndexPage, SpeakerPage

from .helpers import demo_session, make_scale

pytestmark = pytest.mark.django_db


def speaker_index(conference):
    return SpeakerIndexPage.objects.child_of(conference).get()


def test_speaker_chooser_opens_at_the_conference_speakers(organiser, conference):
    session = demo_session(conference, "opening")
    html = organiser.get(reverse("wagtailadmin_pages:edit", args=[session.pk])).content.decode()
    expected = reverse("wagtailadmin_choose_page_child", args=[speaker_index(conference).pk])
    # Every speaker row, the template for new rows included, opens there; none at the tree root.
    assert html.count(expected) >= 2
    assert f'"{reverse("wagtailadmin_choose_page")}"' not in html


def test_speaker_chooser_of_a_new_session_opens_at_the_conference_speakers(organiser, conference):
    programme = SessionPage.objects.filter(locale=Locale.get_default()).first().get_parent()
    html = organiser.get(
        reverse("wagtailadmin_pages:add", args=["programme", "sessionpage", programme.pk])
    ).content.decode()
    assert reverse("wagtailadmin_choose_page_child", args=[speaker_index(conference).pk]) in html


def test_speaker_of_another_conference_is_refused(organiser, conference):
    make_scale("scale1", 1)
    stranger = (
        SpeakerPage.objects.filter(locale=Locale.get_default())
        .exclude(pk__in=SpeakerPage.objects.descendant_of(speaker_index(conference)))
        .first()
    )
    session = demo_session(conference, "naloxone-in-every-pocket")
    url = reverse("wagtailadmin_pages:edit", args=[session.pk])
    data = querydict_from_html(organiser.get(url).content.decode(), form_id="page-edit-form")
    for name, value in nested_form_data(
        {"abstract": streamfield([("paragraph", rich_text("<p>Practise giving naloxone.</p>"))])}
    ).items():
        data[name] = value
    data["speaker_links-0-speaker"] = str(stranger.pk)
    data["action-publish"] = "action-publish"
    response = organiser.post(url, data, follow=True)
    assert "Choose a speaker of this conference." in response.content.decode()
    assert stranger.pk not in SessionPage.objects.get(pk=session.pk).speaker_links.values_list("speaker", flat=True)
