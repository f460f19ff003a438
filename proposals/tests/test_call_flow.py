"""Submitting to the call at /vilnius-2017/call/ (CONTRACT.md "Call for proposals"): a visitor proves the address
with the emailed code, a signed-in submitter sends directly; drafts, editing until the deadline, withdrawing,
and the closed call, in English and Russian."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from proposals.models import PendingProposal, Proposal

from .factories import make_call, make_user, proposal_post

pytestmark = pytest.mark.django_db

URL = "/vilnius-2017/call/"
EMAIL = "outreach.worker@example.org"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """client.post that runs the after-commit callbacks (the emails) as a real commit would."""

    def post(path, data=None, *, using=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return (using or client).post(path, data or {}, **kwargs)

    return post


@pytest.fixture
def call(conference):
    return make_call(conference, travel_support=True, travel_support_text="Up to 300 EUR for flights.")


@pytest.fixture
def submitter(client):
    user = make_user()
    client.force_login(user)
    return user


def code_from(message):
    return re.search(r"\b(\d{6})\b", message.subject).group(1)


def link_from(message):
    return re.search(r"https?://\S+/call/confirm/[\w-]+/", message.body).group(0)


def test_call_page_shows_formats_tracks_and_the_deadline_in_the_conference_zone(client, call):
    html = client.get(URL).content.decode()
    assert "Talk: 20 minutes" in html and "Workshop: 90 minutes" in html
    for track in call.track_choices():
        assert track.name in html
    local_close = timezone.localtime(call.closes_at, call.conference.tzinfo)
    assert f"{local_close:%H:%M} (Europe/Vilnius time)" in html
    assert 'name="email"' in html and 'name="abstract"' in html and "Up to 300 EUR for flights." in html


def test_russian_call_page_is_in_russian(client, call):
    html = client.get("/ru" + URL).content.decode()
    assert "Доклад: 20 минут" in html and "Мастер-класс: 90 минут" in html
    assert "Заявка" in html or "заявк" in html


def test_conference_without_a_call_answers_404(client, conference):
    assert client.get(URL).status_code == 404


def test_visitor_proposal_waits_for_the_code_then_is_submitted(client, post, call):
    response = post(URL, proposal_post(call, email=EMAIL))
    assert (response.status_code, response["Location"]) == (302, "/call/confirm/")
    assert not Proposal.objects.exists()
    assert mail.outbox[-1].to == [EMAIL]
    response = post("/call/confirm/", {"code": code_from(mail.outbox[-1])})
    assert (response.status_code, response["Location"]) == (302, "/my/#my-proposals")
    proposal = Proposal.objects.get()
    assert (proposal.submitter.email, proposal.status, proposal.title) == (
        EMAIL,
        "submitted",
        "Naloxone in every pocket",
    )
    assert proposal.session_format.name == "Talk" and proposal.language == "ru"
    html = client.get("/my/").content.decode()
    assert "Naloxone in every pocket" in html and "Submitted" in html


def test_russian_visitor_gets_a_russian_email_and_a_russian_my_page(client, post, call):
    post("/ru" + URL, proposal_post(call, email=EMAIL))
    message = mail.outbox[-1]
    assert "Ваша заявка" in message.subject and "код" in message.body
    post("/ru/call/confirm/", {"code": code_from(message)})
    proposal = Proposal.objects.get()
    assert proposal.language_of_emails == "ru"
    html = client.get("/ru/my/").content.decode()
    assert "Мои заявки" in html and "Отправлена" in html


def test_link_confirms_in_another_browser_once(client, post, call):
    post(URL, proposal_post(call, email=EMAIL))
    path = link_from(mail.outbox[-1]).split("/", 3)[3]
    other = Client()
    assert other.get("/" + path).status_code == 200
    assert Proposal.objects.count() == 0  # opening the link (a mail scanner) confirms nothing
    assert post("/" + path, using=other).status_code == 302
    assert post("/" + path, using=other).status_code == 404
    assert Proposal.objects.count() == 1


def test_wrong_code_stores_nothing(client, post, call):
    post(URL, proposal_post(call, email=EMAIL))
    right = code_from(mail.outbox[-1])
    response = post("/call/confirm/", {"code": "000000" if right != "000000" else "111111"})
    assert response.status_code == 400 and "This code is not right" in response.content.decode()
    assert not Proposal.objects.exists()


def test_signed_in_submitter_sends_directly(client, submitter, call):
    response = client.post(URL, proposal_post(call))
    assert (response.status_code, response["Location"]) == (302, "/my/#my-proposals")
    assert Proposal.objects.get().submitter == submitter
    assert not PendingProposal.objects.exists()


def test_same_form_sent_twice_makes_one_proposal(client, submitter, call):
    client.post(URL, proposal_post(call))
    response = client.post(URL, proposal_post(call))
    assert response.status_code == 302
    assert Proposal.objects.count() == 1


def test_code_and_link_both_used_make_one_proposal(client, post, call):
    post(URL, proposal_post(call, email=EMAIL))
    message = mail.outbox[-1]
    post("/call/confirm/", {"code": code_from(message)})
    path = link_from(message).split("/", 3)[3]
    assert post("/" + path).status_code == 404
    assert Proposal.objects.count() == 1


def test_draft_needs_only_a_title_and_can_be_finished_later(client, submitter, call):
    response = client.post(URL, {"title": "Half an idea", "intent": "draft", "form_key": "d1"})
    assert response.status_code == 302
    draft = Proposal.objects.get()
    assert (draft.status, draft.abstract, draft.submitted_at) == ("draft", "", None)
    assert "Finish and send" in client.get("/my/").content.decode()
    edit_url = f"/my/proposals/{draft.pk}/edit/"
    response = client.post(edit_url, proposal_post(call, title="A whole idea"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.title) == ("submitted", "A whole idea") and draft.submitted_at is not None


def test_submitting_without_the_needed_fields_says_which(client, submitter, call):
    response = client.post(URL, {"title": "Only a title", "intent": "submit", "form_key": "s1"})
    html = response.content.decode()
    assert response.status_code == 400
    for field in ("abstract", "session_format", "language", "track"):
        assert f'id="id_{field}_error"' in html
    assert not Proposal.objects.exists()


def test_edit_keeps_a_submitted_proposal_submitted(client, submitter, call):
    client.post(URL, proposal_post(call))
    proposal = Proposal.objects.get()
    response = client.post(f"/my/proposals/{proposal.pk}/edit/", proposal_post(call, abstract="Better words."))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.abstract) == ("submitted", "Better words.")


def test_nobody_else_can_edit_or_withdraw(client, submitter, call):
    client.post(URL, proposal_post(call))
    proposal = Proposal.objects.get()
    client.force_login(make_user())
    assert client.get(f"/my/proposals/{proposal.pk}/edit/").status_code == 404
    assert client.post(f"/my/proposals/{proposal.pk}/withdraw/").status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_withdraw_asks_then_withdraws(client, submitter, call):
    client.post(URL, proposal_post(call))
    proposal = Proposal.objects.get()
    url = f"/my/proposals/{proposal.pk}/withdraw/"
    assert "cannot be undone" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    html = client.get("/my/").content.decode()
    assert "Withdrawn" in html and f"/my/proposals/{proposal.pk}/edit/" not in html


def test_after_the_deadline_the_form_is_gone_and_nothing_is_stored(client, post, conference):
    make_call(conference, opens_in=timedelta(days=-30), closes_in=timedelta(seconds=-1))
    html = client.get(URL).content.decode()
    assert "The call for proposals is closed" in html and 'name="abstract"' not in html
    call = conference.call_for_proposals
    response = post(URL, proposal_post(call, email=EMAIL))
    assert response.status_code == 403
    assert "closed: nothing was saved" in response.content.decode()
    assert not PendingProposal.objects.exists() and not Proposal.objects.exists()
    assert not mail.outbox


def test_russian_closed_call_says_so_in_russian(client, conference):
    call = make_call(conference, opens_in=timedelta(days=-30), closes_in=timedelta(seconds=-1))
    response = client.post("/ru" + URL, proposal_post(call, email=EMAIL))
    assert response.status_code == 403 and "ничего не сохранено" in response.content.decode()


def test_call_closing_before_the_code_is_typed_stores_nothing(client, post, call):
    post(URL, proposal_post(call, email=EMAIL))
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.save()
    response = post("/call/confirm/", {"code": code_from(mail.outbox[-1])})
    assert response.status_code == 403 and "closed" in response.content.decode()
    assert not Proposal.objects.exists()


def test_no_editing_after_the_deadline(client, submitter, call):
    client.post(URL, proposal_post(call))
    proposal = Proposal.objects.get()
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.save()
    response = client.post(f"/my/proposals/{proposal.pk}/edit/", proposal_post(call, title="Changed late"))
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Naloxone in every pocket"
    assert f"/my/proposals/{proposal.pk}/edit/" not in client.get("/my/").content.decode()


def test_ten_megabyte_abstract_gets_a_clear_message(client, post, call):
    response = post(URL, proposal_post(call, email=EMAIL, abstract="x" * 10_000_000))
    assert response.status_code == 400
    assert "an abstract at most 5,000 characters" in response.content.decode()
    assert not PendingProposal.objects.exists() and not Proposal.objects.exists()


def test_russian_ten_megabyte_abstract_gets_a_russian_message(client, submitter, call):
    response = client.post("/ru" + URL, proposal_post(call, abstract="x" * 10_000_000))
    assert response.status_code == 400 and "5000 знаков" in response.content.decode()
    assert not Proposal.objects.exists()


def test_long_abstract_is_refused_at_the_field(client, submitter, call):
    response = client.post(URL, proposal_post(call, abstract="x" * 5001))
    assert response.status_code == 400 and 'id="id_abstract_error"' in response.content.decode()
    assert not Proposal.objects.exists()


def test_forged_choices_are_refused(client, submitter, call):
    response = client.post(URL, proposal_post(call, session_format="999999", track="no-such", language="xx"))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_session_format_error"' in html and 'id="id_track_error"' in html
    assert not Proposal.objects.exists()


def test_control_characters_are_refused_at_the_field(client, submitter, call):
    response = client.post(URL, proposal_post(call, title="Bad\x0btitle"))
    assert response.status_code == 400 and 'id="id_title_error"' in response.content.decode()
    assert not Proposal.objects.exists()
