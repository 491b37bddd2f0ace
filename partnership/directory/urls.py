from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.organisation_list, name="organisations"),
    path("new/", views.organisation_create, name="organisation-create"),
    path("api-tokens/", views.token_list, name="tokens"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("<slug:slug>/", views.organisation_detail, name="organisation"),
    path("<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path("<slug:slug>/rename/", views.organisation_rename, name="organisation-rename"),
    path("<slug:slug>/api-tokens/new/", views.token_issue, name="token-issue"),
]
