"""Admin registration for registration types, registrations and check-ins."""
from . import checkin_admin  # noqa: F401  (check-in dashboard and reports register their own hooks)
