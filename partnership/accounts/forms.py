from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.template.loader import render_to_string
from django.urls import reverse

from partnership.outbox.services import email_queue
from partnership.outputs.links import absolute_url
from partnership.trail.actors import Actor
from partnership.web.actors import actor_for

# One message whether the account exists or not, so the form reveals nothing.
SIGN_IN_ERROR = "Enter a correct email address and password"


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            self.user = authenticate(self.request, email=email.lower(), password=password)
            if self.user is None:
                raise forms.ValidationError(SIGN_IN_ERROR, code="invalid_login")
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, devices, *args, **kwargs):
        self.devices = devices
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "").replace("-", "").strip().lower()
        throttled = False
        # A 6-digit code is for the authenticator; anything else is a recovery code. Trying
        # only the matching kind keeps a recovery code from counting as a wrong app code.
        is_app_code = token.isdigit() and len(token) == 6
        devices = [
            device
            for device in self.devices
            if (device.__class__.__name__ == "TOTPDevice") == is_app_code
        ]
        for device in devices:
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(token):
                self.device = device
                return token
        if throttled:
            # django-otp slows guessing down: each wrong code doubles the wait.
            raise forms.ValidationError(
                "You have entered a wrong code. Wait a few seconds, then try again",
                code="throttled",
            )
        raise forms.ValidationError(
            "The code is not right. Check your authenticator app and try again", code="invalid"
        )


class NewPasswordForm(SetPasswordForm):
    """Setting a password: one field with the rules shown, and a confirmation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 12 characters. A passphrase of three or more random words is good. "
            "Avoid common passwords."
        )
        self.fields["new_password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].widget.attrs["autocomplete"] = "new-password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"


class ChangePasswordForm(NewPasswordForm):
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not self.user.check_password(old_password):
            raise forms.ValidationError("Your current password is not right", code="wrong")
        return old_password


class ResetRequestForm(PasswordResetForm):
    """Django's reset form, with the email queued in the outbox (its link is a credential:
    the business unit's pages do not show it) and the link on the site's own address."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    def save(self, *, request=None, **options):
        self.actor = (
            actor_for(request, visitor_doing="password reset request")
            if request is not None
            else Actor.system("password reset")
        )
        return super().save(request=request, **options)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        path = reverse(
            "accounts:password-reset-confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        context = {
            **context,
            "reset_link": absolute_url(path),
            "site_address": absolute_url("/"),
            # Not the host name the request came in on: the partnership's own name.
            "site_name": settings.PARTNERSHIP_SHORT_NAME,
        }
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        email_queue(
            to=to_email,
            subject=subject,
            text=render_to_string(email_template_name, context),
            kind="accounts.password_reset",
            related=context["user"],
            secret=True,
            actor=self.actor,
        )


def password_help() -> str:
    return " ".join(password_validation.password_validators_help_texts())
