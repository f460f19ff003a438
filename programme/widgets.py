"""Admin widgets of the programme: the speaker chooser that opens at the session's own conference's speakers."""

from django.urls import reverse
from wagtail.admin.widgets import AdminPageChooser


class SpeakerChooser(AdminPageChooser):
    """A page chooser for SpeakerPages whose modal opens at `start_page_id` (the conference's speaker list)
    rather than at the common ancestor of every speaker of every conference (the tree root)."""

    def __init__(self, start_page_id=None, **kwargs):
        kwargs.setdefault("target_models", ["programme.SpeakerPage"])
        super().__init__(**kwargs)
        self.start_page_id = start_page_id

    def get_chooser_modal_url(self):
        if self.start_page_id:
            return reverse("wagtailadmin_choose_page_child", args=[self.start_page_id])
        return super().get_chooser_modal_url()

    def get_value_data_from_instance(self, instance):
        data = super().get_value_data_from_instance(instance)
        if self.start_page_id:
            # The modal script appends a chosen page's parent id to the chooser URL; ours already names it.
            data.pop("parent_id", None)
        return data
