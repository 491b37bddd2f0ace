from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("", views.account, name="account"),
    path("password/", views.change_password, name="change-password"),
    path("password/reset/", views.password_reset, name="password-reset"),
    path("password/reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("invitation/", views.invitation_accept, name="invitation-accept"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path(
        "password/reset/complete/",
        views.password_reset_complete,
        name="password-reset-complete",
    ),
]
