"""URLs of the registration app that are not under a conference page: /my/ and /checkin/."""

from django.urls import include, path, re_path

from . import account_deletion, signup_views, views, visa_views, workshop_views

urlpatterns = [
    path("my/", views.my_registrations, name="my_registrations"),
    path("my/registrations/<int:pk>/edit/", views.edit_registration, name="edit_registration"),
    path("my/registrations/<int:pk>/cancel/", views.cancel_registration, name="cancel_registration"),
    path("my/data.json", views.download_personal_data, name="download_personal_data"),
    path("my/delete-account/", account_deletion.delete_account, name="delete_account"),
    path("my/delete-account/code/", account_deletion.confirm_code, name="delete_account_confirm"),
    path("my/registrations/<int:pk>/visa-letter.pdf", visa_views.visa_letter_pdf, name="visa_letter_pdf"),
    path("verify/<str:reference>/", visa_views.verify_visa_letter, name="verify_visa_letter"),
    path("my/badges/", include("registration.badge_urls")),
    path("register/confirm/", signup_views.confirm_registration, name="confirm_registration"),
    path("register/confirm/<str:token>/", signup_views.confirm_registration_link, name="confirm_registration_link"),
    # <conference>/<programme>/<session>/signup/: before Wagtail's catch-all, so programme needs no view for it.
    re_path(r"^(?P<path>[\w-]+/[\w-]+/[\w-]+/)signup/$", workshop_views.session_signup, name="session_signup"),
    re_path(
        r"^(?P<path>[\w-]+/[\w-]+/[\w-]+/)signup/cancel/$",
        workshop_views.session_signup_cancel,
        name="session_signup_cancel",
    ),
    path("checkin/", include("registration.checkin_urls")),
]
