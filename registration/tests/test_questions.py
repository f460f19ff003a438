"""Questions per registration type: added by organisers in the admin, asked on the form for the chosen type only,
answers in the admin export, the data download and editable on /my/."""

import csv
import io
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from conference.permissions import ORGANISERS
from registration.models import Registration, RegistrationAnswer, RegistrationQuestion

from .registration_factories import make_type, make_user

pytestmark = pytest.mark.django_db

URL = "/vilnius-2017/register/"
TYPES = "/admin/snippets/registration/registrationtype/"
REGISTRATIONS = "/admin/snippets/registration/registration/"


@pytest.fixture
def scholarship(conference):
    chosen = make_type(conference, slug="scholarship-test", capacity=5)
    RegistrationQuestion.objects.create(
        registration_type=chosen,
        text="Why do you need a scholarship?",
        text_ru="Зачем вам стипендия?",
        kind=RegistrationQuestion.LONG_TEXT,
        required=True,
        sort_order=0,
    )
    RegistrationQuestion.objects.create(
        registration_type=chosen,
        text="Sessions you want",
        kind=RegistrationQuestion.SEVERAL_CHOICES,
        choices="Naloxone\nHousing",
        choices_ru="Налоксон\nЖильё",
        sort_order=1,
    )
    return chosen


@pytest.fixture
def attendee_client():
    client = Client()
    client.force_login(make_user("asker@example.org"))
    return client


def base_post(chosen, **extra):
    return {
        "full_name": "Asel",
        "badge_name": "Asel",
        "registration_type": chosen.slug,
        "consent_privacy": "on",
        **extra,
    }


def field(question):
    return f"q_{question.pk}"


def test_organiser_adds_a_question_in_the_admin(client, conference):
    organiser = make_user("organiser@example.org")
    organiser.groups.add(Group.objects.get(name=ORGANISERS))
    client.force_login(organiser)
    chosen = make_type(conference, capacity=3)
    response = client.post(
        f"{TYPES}edit/{chosen.pk}/",
        {
            "conference": conference.pk,
            "name": chosen.name,
            "slug": chosen.slug,
            "capacity": 3,
            "badge_colour": "#1f5f8b",
            "sort_order": 0,
            "questions-TOTAL_FORMS": 1,
            "questions-INITIAL_FORMS": 0,
            "questions-MIN_NUM_FORMS": 0,
            "questions-MAX_NUM_FORMS": 1000,
            "questions-0-text": "Do you need a quiet room?",
            "questions-0-text_ru": "Нужна ли вам тихая комната?",
            "questions-0-kind": "yes_no",
            "questions-0-required": "on",
            "questions-0-ORDER": 1,
        },
    )
    assert response.status_code == 302
    question = RegistrationQuestion.objects.get(registration_type=chosen)
    assert (question.text_ru, question.kind, question.required) == ("Нужна ли вам тихая комната?", "yes_no", True)


def test_form_shows_each_types_questions_labelled_and_in_russian(client, scholarship):
    html = client.get(URL).content.decode()
    question = scholarship.questions.first()
    assert 'data-registration-type="scholarship-test"' in html
    assert f'<label for="id_{field(question)}">Why do you need a scholarship?</label>' in html
    russian = client.get("/ru" + URL).content.decode()
    assert "Зачем вам стипендия?" in russian and "Налоксон" in russian


def test_required_question_is_enforced_for_its_type_only(attendee_client, conference, scholarship):
    response = attendee_client.post(URL, base_post(scholarship))
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    other = make_type(conference, capacity=5)
    assert attendee_client.post(URL, base_post(other)).status_code == 302


def test_answers_are_stored_exported_and_editable(attendee_client, conference, scholarship):
    why, sessions = scholarship.questions.order_by("sort_order")
    response = attendee_client.post(
        URL, base_post(scholarship, **{field(why): "No funding at home", field(sessions): ["Naloxone", "Housing"]})
    )
    assert response.status_code == 302
    registration = Registration.objects.get(user__email="asker@example.org")
    assert {a.question_id: a.value for a in RegistrationAnswer.objects.filter(registration=registration)} == {
        why.pk: "No funding at home",
        sessions.pk: ["Naloxone", "Housing"],
    }
    data = json.loads(attendee_client.get("/my/data.json").content)
    assert {item["question"]: item["answer"] for item in data["answers"]}["Sessions you want"] == [
        "Naloxone",
        "Housing",
    ]

    edit = f"/my/registrations/{registration.pk}/edit/"
    assert "No funding at home" in attendee_client.get(edit).content.decode()
    attendee_client.post(
        edit, {"full_name": "Asel", "badge_name": "Asel", field(why): "Changed", field(sessions): "Housing"}
    )
    assert RegistrationAnswer.objects.get(registration=registration, question=why).value == "Changed"
    assert attendee_client.post(edit, {"full_name": "Asel", "badge_name": "Asel", field(why): ""}).status_code == 400

    organiser = make_user("organiser@example.org")
    organiser.groups.add(Group.objects.get(name=ORGANISERS))
    admin = Client()
    admin.force_login(organiser)
    response = admin.get(REGISTRATIONS, {"export": "csv", "registration_type": scholarship.pk})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(body)))
    assert (row["Why do you need a scholarship?"], row["Sessions you want"]) == ("Changed", "Housing")
    inspect = admin.get(f"{REGISTRATIONS}inspect/{registration.pk}/").content.decode()
    assert '<th scope="row">Why do you need a scholarship?</th><td>Changed</td>' in inspect


def rendered_templates(response):
    return {template.name for template in response.templates}


def test_an_empty_form_keeps_its_fields_and_a_new_question_shows_on_the_next_request(attendee_client, scholarship):
    parts = {f"registration/includes/register_{part}.html" for part in ("about", "questions", "rest")}
    first = attendee_client.get(URL)
    assert parts <= rendered_templates(first)
    again = attendee_client.get(URL)
    # From the fragment cache: no field rendered again, the same form.
    assert not parts & rendered_templates(again)
    assert not [name for name in rendered_templates(again) if name.startswith("django/forms/widgets/")]
    assert again.content.decode().count('name="csrfmiddlewaretoken"') == 1
    link = re.search(r'<a href="[^"]+">Read the privacy notice</a>', first.content.decode())
    assert link and link.group(0) in again.content.decode()
    assert "Why do you need a scholarship?" in again.content.decode()
    RegistrationQuestion.objects.create(
        registration_type=scholarship, text="Which city do you work in?", text_ru="В каком городе вы работаете?"
    )
    assert "Which city do you work in?" in attendee_client.get(URL).content.decode()
    assert "В каком городе вы работаете?" in attendee_client.get("/ru" + URL).content.decode()


def test_a_visitor_and_a_signed_in_attendee_each_get_their_own_fields(client, attendee_client, scholarship):
    attendee_client.get(URL)  # keeps the signed-in attendee's fields: no email field
    assert 'name="email"' in client.get(URL).content.decode()
    assert 'name="email"' not in attendee_client.get(URL).content.decode()


def test_a_form_with_errors_shows_what_was_typed_not_the_empty_fields(attendee_client, scholarship):
    attendee_client.get(URL)
    response = attendee_client.post(URL, base_post(scholarship, full_name="Asel Typed"))  # the answer is missing
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Asel Typed"' in html and "field--error" in html
