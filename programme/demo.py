"""Demo programme for load_demo (rooms, tracks, sessions, speakers)."""


def load_programme(conference):
    """Create or update the demo programme of `conference`."""
