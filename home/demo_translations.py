"""Russian translations of the demo pages, for load_demo."""


def load_translations(conference):
    """Create or update the Russian versions of the demo conference's pages."""
