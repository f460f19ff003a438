"""Exporters of the gathered programme: iCalendar (ical) and frab XML/JSON (frab), one module per format."""
