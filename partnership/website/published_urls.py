"""The public pages for published case reviews (owned with the reviews module's work)."""

from django.urls import path

from . import published_views

app_name = "published"
urlpatterns = [
    path("", published_views.review_list, name="reviews"),
    path("<slug:slug>/", published_views.review_detail, name="review"),
    path("<slug:slug>/<str:which>/", published_views.document, name="document"),
]
