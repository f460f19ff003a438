"""Demo registration types and registrations for load_demo."""


def load_registrations(conference):
    """Create or update the demo registration types and registrations of `conference`."""
