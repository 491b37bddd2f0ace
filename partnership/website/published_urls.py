"""The public pages for published case reviews (owned with the reviews module's work)."""

app_name = "published"
urlpatterns: list = []
