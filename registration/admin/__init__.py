"""The registration app's Wagtail admin: permission policy, snippet viewsets and their views, bulk actions and
the organisers' check-in pages. registration/wagtail_hooks.py registers them; nothing here registers itself."""
