"""Programme URLs outside the page tree (the page routes live on the page models)."""

urlpatterns = []
