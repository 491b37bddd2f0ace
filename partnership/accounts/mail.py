"""Accounts' emails: invitations and password resets, each through the outbox.

The password-reset request always queues one task, whether or not the address has an
account, and the task looks the address up: so the request takes the same time and leaves the
same trace (one queued task) either way, and the page cannot tell anyone who has an account.
Links use settings.SITE_URL, never the Host header the request came with.

The email goes through the outbox marked secret: its body (the link) is never shown on the
Sent email pages and is wiped once delivered.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from partnership.outbox.services import email_queue
from partnership.outputs.links import absolute_url
from partnership.trail.actors import Actor

from .models import User


def reset_candidates(email: str):
    """The accounts a reset for `email` goes to: active ones with a usable password (as
    Django's PasswordResetForm chooses them)."""
    users = User._default_manager.filter(email__iexact=email, is_active=True)
    return [user for user in users if user.has_usable_password() and user.email.lower() == email]


@task()
def send_password_reset(email: str) -> int:
    """Email a password-reset link to each account with this address; returns how many
    were sent (0 for an address with no account, which the requester never learns)."""
    email = email.strip().lower()
    sent = 0
    for user in reset_candidates(email):
        link = absolute_url(
            reverse(
                "accounts:password-reset-confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
        )
        context = {"site_name": settings.PARTNERSHIP_NAME, "link": link, "user": user}
        subject = "".join(
            render_to_string("accounts/password_reset_subject.txt", context).splitlines()
        )
        body = render_to_string("accounts/password_reset_email.txt", context)
        email_queue(
            to=user.email,
            subject=subject,
            text=body,
            kind="accounts.password_reset",
            related=user,
            secret=True,
            actor=Actor.system("password reset"),
        )
        sent += 1
    return sent


def invitation_link(raw_token: str) -> str:
    """The absolute address of the page where the invited person sets their password."""
    return absolute_url(reverse("accounts:invitation", kwargs={"token": raw_token}))


def invitation_send(*, user, raw_token: str, invited_by: str, expires_at, actor: Actor) -> None:
    """Queue the email with `user`'s link to set a password. It is queued in the caller's
    transaction, so a rolled-back invitation never emails a dead link; it is secret (the link
    is never shown on the Sent email pages and is wiped once delivered)."""
    context = {
        "full_name": user.full_name,
        "invited_by": invited_by,
        "link": invitation_link(raw_token),
        "expires_at": expires_at,
        "partnership": settings.PARTNERSHIP_NAME,
        "sign_in": absolute_url(reverse("accounts:sign-in")),
    }
    email_queue(
        to=user.email,
        subject=f"Set up your {settings.PARTNERSHIP_NAME} account",
        text=render_to_string("accounts/invitation_email.txt", context),
        kind="accounts.invitation",
        related=user,
        secret=True,
        actor=actor,
    )
