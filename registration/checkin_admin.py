"""Organisers' check-in dashboard and attendance report in the Wagtail admin."""
