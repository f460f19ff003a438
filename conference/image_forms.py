"""The image library's upload and edit form: an image's description is its alt text, so it is required."""

from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm


class DescribedImageForm(BaseImageForm):
    """Wagtail's image form with `description` required (WAGTAILIMAGES_IMAGE_FORM_BASE); templates use it as
    the alt text of every picture that has no contextual one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Some steps (the multiple uploader's first POST) build the form without the field.
        if "description" in self.fields:
            field = self.fields["description"]
            field.required = True
            field.label = _("Description (alt text)")
            field.help_text = _("What the picture shows, for people who cannot see it. Shown as its alt text.")
