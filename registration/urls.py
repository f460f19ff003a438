"""URLs of the registration app that are not under a conference page: /my/ and /checkin/."""
from django.urls import include, path

from . import views

urlpatterns = [
    path("my/", views.my_registrations, name="my_registrations"),
    path("checkin/", include("registration.checkin_urls")),
]
