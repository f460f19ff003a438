"""The filters of the registrations listing: Wagtail's for the plain fields, countries by name in the admin's
language, the day someone was checked in and the workshop they hold or wait for a place in (the dashboard and the
attendance page link to these)."""

import django_filters
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput

from programme.models import SessionPage
from registration.models import Registration, WorkshopSignup
from registration.widgets import country_names

lazy_country_names = lazy(lambda: list(country_names()), list)


class RegistrationFilterSet(WagtailFilterSet):
    country = django_filters.ChoiceFilter(label=_("Country"), choices=lazy_country_names, empty_label=_("All"))
    # One check-in per registration and day (a unique constraint), so the join never repeats a registration.
    checked_in_on = django_filters.DateFilter(
        label=_("Checked in on"), field_name="checkins__day", widget=AdminDateInput
    )

    workshop = django_filters.ModelChoiceFilter(
        label=_("Workshop"),
        queryset=SessionPage.objects.filter(
            signup_capacity__isnull=False, locale__language_code=settings.LANGUAGE_CODE
        ).order_by("start", "pk"),
        method="signed_up_for",
    )

    def signed_up_for(self, queryset, name, session):
        # In one filter(): the same join row, so "signed up" is the place in this session (never repeated).
        return queryset.filter(
            workshop_signups__session=session, workshop_signups__status__in=WorkshopSignup.ACTIVE_STATUSES
        )

    class Meta:
        model = Registration
        fields = ["conference", "registration_type", "status", "country", "role", "interpretation_language"]
