"""Every admin page of ours renders, and none shows template syntax: a `{# … #}` comment that runs over two lines
is printed by Django as text, as an unclosed tag would be. The pages are found in the URL configuration (views
defined in our apps, and the snippet views of our models), so a new page is checked without being listed here."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Locale

from conference.worker import drain
from programme.models import SessionPage
from registration.models import Registration

from .admin_page_data import rich_registration

pytestmark = pytest.mark.django_db

OUR_APPS = ("conference", "registration", "programme", "home")
# Snippet views that render a page on GET; the others act (publish, lock, …) or need a revision.
SNIPPET_PAGES = {"list", "list_results", "add", "edit", "inspect", "history", "usage", "delete", "copy"}
# Not pages: they redirect, take only POST, or answer a file (checked for their content type instead).
NOT_PAGES = {"wagtailadmin_login", "wagtailadmin_logout", "programme_board_move"}
# Registrations are never added or deleted in the admin (registration/admin/permissions.py): those answer a redirect.
REFUSED = {"/admin/snippets/registration/registration/add/", "/admin/snippets/registration/registration/delete/"}
TEMPLATE_SYNTAX = ("{#", "#}", "{%", "%}")


def admin_patterns(patterns=None, prefix="", namespace=""):
    """(path, full url name, view module, model, pattern) of every URL under /admin/."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from admin_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and prefix.startswith("admin/"):
            view = pattern.callback
            module = getattr(getattr(view, "view_class", None), "__module__", None) or view.__module__
            name = ":".join(part for part in (namespace, pattern.name) if part)
            model = getattr(view, "view_initkwargs", {}).get("model")
            if isinstance(model, str):  # some of Wagtail's views name their model by "app_label.Model"
                model = apps.get_model(model)
            yield prefix + str(pattern.pattern), name, module, model, pattern


def ours(module, model):
    return module.split(".")[0] in OUR_APPS or (model is not None and model._meta.app_label in OUR_APPS)


def url_for(path, name, model, pattern):
    """The URL of one admin page with real objects for its arguments, or None when it needs others."""
    arguments = set(pattern.pattern.converters)
    if not arguments:
        return "/" + path
    if arguments != {"pk"}:
        return None
    if name.endswith("programme_board_place"):
        pk = SessionPage.objects.filter(locale=Locale.get_default()).first().pk
    elif name.endswith("registration_registration:" + name.rsplit(":", 1)[-1]):
        pk = rich_registration().pk
    elif model is not None and model._default_manager.exists():
        pk = model._default_manager.order_by("pk").first().pk
    else:
        return None
    return "/" + path.replace("<int:pk>", str(pk)).replace("<str:pk>", str(pk))


def our_admin_pages():
    pages = ["/admin/"]  # the dashboard, with the conferences' panels
    for path, name, module, model, pattern in admin_patterns():
        if not ours(module, model) or name.split(":")[-1] in NOT_PAGES or name in NOT_PAGES:
            continue
        if module.startswith("wagtail.") and name.split(":")[-1] not in SNIPPET_PAGES:
            continue
        url = url_for(path, name, model, pattern)
        if url is not None and not any(url.startswith(refused) for refused in REFUSED):
            pages.append(url)
    return pages


def test_every_admin_page_of_ours_renders_without_template_syntax(client, conference):
    rich_registration()
    drain()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    pages = our_admin_pages()
    # The finder finds pages: the ones every release has, at least.
    assert {"/admin/programme/releases/", "/admin/checkin/door-staff/", "/admin/outgoing-email/"} <= set(pages)
    assert any(page.startswith("/admin/snippets/registration/registration/inspect/") for page in pages)
    problems = []
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = b"".join(response.streaming_content) if response.streaming else response.content
        text = html.decode()
        shown = [syntax for syntax in TEMPLATE_SYNTAX if syntax in text]
        if shown:
            at = text.index(shown[0])
            problems.append(f"{url}: {shown} in …{text[max(0, at - 80) : at + 120]}…")
    assert not problems, "\n".join(problems)
    assert Registration.objects.exists()
