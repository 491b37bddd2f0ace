import time
from urllib.parse import urlsplit

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import Resolver404, resolve, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login

from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record
from partnership.web.actors import actor_for, client_ip
from partnership.web.forms import posted
from partnership.web.refusals import refusal_record

from . import services
from .decorators import permission_required, public
from .forms import (
    ChangePasswordForm,
    NewPasswordForm,
    ResetRequestForm,
    SignInForm,
    TokenForm,
)
from .limits import reset_rate_limited
from .middleware import SESSION_STARTED_KEY


def _safe_next(request, default="work:home"):
    """Where to go after signing in: the `next` asked for if it is a path on this site that
    exists, else `default` (a URL name, or "" for none)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and _resolves(target)
    ):
        return target
    return resolve_url(default) if default else ""


def _resolves(target: str) -> bool:
    try:
        resolve(urlsplit(target).path)
    except Resolver404:
        return False
    return True


def _signed_in(request, user, summary: str) -> None:
    """Sign-in has truly completed (password and, where needed, second factor): a new
    session key, the session's absolute lifetime starts, and the trail says so."""
    request.session.cycle_key()
    request.session[SESSION_STARTED_KEY] = int(time.time())
    audit_record(actor=actor_for(request), action=Action.SIGN_IN, obj=user, summary=summary)


@public
@sensitive_post_parameters("password")
@never_cache
def sign_in(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = SignInForm(request, data=posted(request))
    if request.method == "POST" and form.is_valid():
        user = form.user
        target = _safe_next(request)
        with transaction.atomic():
            login(request, user)
            if user.needs_two_factor:
                # Not signed in yet: the trail's entry waits for the second factor.
                request.session["next"] = target
                return redirect("accounts:two-factor")
            _signed_in(request, user, "Signed in with a password")
        return redirect(target)
    if request.method == "POST" and form.has_error(NON_FIELD_ERRORS, "invalid_login"):
        email = (form.cleaned_data.get("email") or "").lower()
        refusal_record(
            request,
            action=Action.SIGN_IN_FAILED,
            summary=f"Wrong email address or password for {email}",
            what=f"sign-in {email}",
            object_type="accounts.user",
            object_label=email,
        )
    return render(request, "accounts/sign_in.html", {"form": form, "next": _safe_next(request, "")})


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """What django-axes shows after too many failures for one email address from one place."""
    email = str((credentials or {}).get("email") or request.POST.get("email") or "")[:254].lower()
    refusal_record(
        request,
        action=Action.SIGN_IN_FAILED,
        summary=f"Locked out after too many failed sign-ins for {email}",
        what=f"locked out {email}",
        object_type="accounts.user",
        object_label=email,
    )
    return render(request, "accounts/locked_out.html", status=429)


@permission_required("accounts.view_own_account")
@never_cache
def two_factor(request):
    user = request.user
    if user.is_verified():
        return redirect(request.session.pop("next", "work:home"))
    devices = list(devices_for_user(user))
    if not devices:
        return redirect("accounts:two-factor-setup")
    form = TokenForm(devices, data=posted(request))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            otp_login(request, form.device)
            _signed_in(
                request,
                user,
                f"Signed in with a password and passed two-factor check ({form.device.name})",
            )
        return redirect(request.session.pop("next", "work:home"))
    if request.method == "POST" and (
        form.has_error("token", "invalid") or form.has_error("token", "throttled")
    ):
        refusal_record(
            request,
            action=Action.SIGN_IN_FAILED,
            summary="Entered a wrong two-factor code",
            what="two-factor",
            obj=user,
        )
    return render(request, "accounts/two_factor.html", {"form": form})


@permission_required("accounts.view_own_account")
@never_cache
def two_factor_setup(request):
    user = request.user
    if not user.is_verified() and list(devices_for_user(user)):
        # Replacing an authenticator needs the current one (or a recovery code) checked first.
        return redirect("accounts:two-factor")
    device = services.two_factor_pending_device(user=user)
    form = TokenForm([device], data=posted(request))
    if request.method == "POST" and form.is_valid():
        was_verified = user.is_verified()
        codes = services.two_factor_confirm(device=device, actor=actor_for(request))
        otp_login(request, device)
        if user.needs_two_factor and not was_verified:
            # A first authenticator completes signing in.
            with transaction.atomic():
                _signed_in(request, user, "Signed in with a password and a new authenticator")
        request.session["recovery_codes"] = codes
        return redirect("accounts:recovery-codes")
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_data_uri(scale=5, border=2),
            "secret": _spaced(device_secret(device)),
        },
    )


def device_secret(device) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode().rstrip("=")


def _spaced(text: str) -> str:
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@permission_required("accounts.view_own_account")
@never_cache
def recovery_codes(request):
    if request.method == "POST":
        if not request.user.is_verified():
            return redirect("accounts:two-factor")
        request.session["recovery_codes"] = services.recovery_codes_issue(actor=actor_for(request))
        return redirect("accounts:recovery-codes")
    codes = request.session.pop("recovery_codes", None)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@permission_required("accounts.view_own_account")
@never_cache
def account(request):
    user = request.user
    return render(request, "accounts/account.html", {"account": user})


@permission_required("accounts.view_own_account")
@sensitive_post_parameters()
@never_cache
def change_password(request):
    form = ChangePasswordForm(request.user, data=posted(request))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            audit_record(
                actor=actor_for(request),
                action=Action.UPDATE,
                obj=request.user,
                summary="Changed their password",
            )
        update_session_auth_hash(request, form.user)
        messages.success(request, "Your password has been changed")
        return redirect("accounts:account")
    return render(request, "accounts/change_password.html", {"form": form})


@permission_required("accounts.view_own_account")
@require_POST
def sign_out(request):
    user = request.user
    audit_record(actor=actor_for(request), action=Action.SIGN_OUT, obj=user)
    logout(request)
    messages.success(request, "You have signed out")
    return redirect("website:home")


# Password reset: Django's views, which never say whether an account exists; the email is
# queued (ResetRequestForm.save) and the requests are rate limited (limits.py).
password_reset = public(
    reset_rate_limited(
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=ResetRequestForm,
            success_url=reverse_lazy("accounts:password-reset-sent"),
        )
    )
)
password_reset_sent = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html")
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        form_class=NewPasswordForm,
        success_url=reverse_lazy("accounts:password-reset-complete"),
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


# Invitations: the emailed link opens a page to set a password -------------------------
# The token leaves the address at once (kept in the session, as Django's password reset
# does), so it is not sent on in the Referer header of anything the page loads.

INVITATION_SESSION_KEY = "invitation_token"


@public
@never_cache
def invitation(request, token):
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("accounts:invitation-accept")


@public
@sensitive_post_parameters()
@never_cache
def invitation_accept(request):
    found = services.invitation_find(request.session.get(INVITATION_SESSION_KEY, ""))
    if found is None or not found.is_open or not found.user.is_active:
        # Why it no longer works, in words; nothing says whether an address has an account.
        reason = "unknown" if found is None or not found.user.is_active else found.status.lower()
        return render(request, "accounts/invitation_closed.html", {"reason": reason}, status=410)
    user = found.user
    form = NewPasswordForm(user, data=posted(request))
    if request.method == "POST" and form.is_valid():
        actor = Actor.for_user(user, client_ip=client_ip(request))
        # The account as saved, with its new password, so the session's hash matches it.
        user = services.invitation_accept(
            invitation=found, password=form.cleaned_data["new_password1"], actor=actor
        )
        request.session.pop(INVITATION_SESSION_KEY, None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if user.needs_two_factor:
            messages.success(
                request, "Your password is set. Now set up your authenticator app to finish"
            )
            return redirect("accounts:two-factor-setup")
        messages.success(request, "Your password is set and you are signed in")
        return redirect("website:home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invited": user})
