"""The filters of the registrations listing: Wagtail's for the plain fields, countries by name in the admin's
language, and the day someone was checked in (the dashboard and the attendance page link to it)."""

import django_filters
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput

from registration.models import Registration
from registration.widgets import country_names

lazy_country_names = lazy(lambda: list(country_names()), list)


class RegistrationFilterSet(WagtailFilterSet):
    country = django_filters.ChoiceFilter(label=_("Country"), choices=lazy_country_names, empty_label=_("All"))
    # One check-in per registration and day (a unique constraint), so the join never repeats a registration.
    checked_in_on = django_filters.DateFilter(
        label=_("Checked in on"), field_name="checkins__day", widget=AdminDateInput
    )

    class Meta:
        model = Registration
        fields = ["conference", "registration_type", "status", "country", "role", "interpretation_language"]
