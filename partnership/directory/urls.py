from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.organisation_list, name="organisations"),
    path("new/", views.organisation_create, name="organisation-create"),
    path("api-tokens/", views.token_list, name="tokens"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("roles/", views.role_holders, name="role-holders"),
    path("people/import/", views.people_import_new, name="people-import-new"),
    path(
        "people/import/template.<str:extension>",
        views.people_import_template,
        name="people-import-template",
    ),
    path("people/import/<int:pk>/", views.people_import, name="people-import"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/end/", views.person_end, name="person-end"),
    path("people/<int:pk>/invite/", views.person_invite, name="person-invite"),
    path("people/<int:pk>/invitation/resend/", views.invitation_resend, name="invitation-resend"),
    path(
        "people/<int:pk>/invitation/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("people/<int:pk>/roles/new/", views.role_grant, name="role-grant"),
    path("people/<int:pk>/roles/<int:grant_pk>/remove/", views.role_remove, name="role-remove"),
    path("people/<int:pk>/deactivate/", views.account_deactivate, name="account-deactivate"),
    path("people/<int:pk>/reactivate/", views.account_reactivate, name="account-reactivate"),
    path("<slug:slug>/", views.organisation_detail, name="organisation"),
    path("<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path("<slug:slug>/rename/", views.organisation_rename, name="organisation-rename"),
    path("<slug:slug>/people/new/", views.person_add, name="person-add"),
    path("<slug:slug>/people/invite/", views.person_invite_new, name="person-invite-new"),
    path("<slug:slug>/api-tokens/new/", views.token_issue, name="token-issue"),
]
