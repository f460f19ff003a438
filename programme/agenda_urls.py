"""URLs of the personal agenda (mounted in conference/urls.py inside i18n_patterns, so /ru/ works too)."""

from django.urls import path

from . import agenda_views

urlpatterns = [
    path("agenda/star/<int:session_id>/", agenda_views.star_session, name="agenda_star"),
    path("agenda/import/", agenda_views.import_stars, name="agenda_import"),
    path("agenda/feed/", agenda_views.issue_feed, name="agenda_feed_issue"),
    path("agenda/changes/seen/", agenda_views.mark_changes_seen, name="agenda_changes_seen"),
    path("agenda/notices/", agenda_views.change_notice_preference, name="agenda_notice_preference"),
    path("agenda/feed/revoke/", agenda_views.revoke_feed, name="agenda_feed_revoke"),
    # The private subscription: the token is the only key, so calendar apps need no session.
    path("agenda/<slug:token>.ics", agenda_views.agenda_feed, name="agenda_feed"),
]
