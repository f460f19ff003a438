"""The door: scanner page and check-in API (CONTRACT.md, "Check-in API")."""
urlpatterns = []
