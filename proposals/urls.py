"""URLs of the call for proposals outside the conference page: the code screens and the submitter's own pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("call/confirm/", views.confirm_proposal, name="proposal_confirm"),
    path("call/confirm/<str:token>/", views.confirm_proposal_link, name="proposal_confirm_link"),
    path("my/proposals/<int:pk>/edit/", views.edit_proposal, name="edit_proposal"),
    path("my/proposals/<int:pk>/withdraw/", views.withdraw_proposal, name="withdraw_proposal"),
]
