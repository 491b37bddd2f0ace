"""Emails accounts sends. Services call these inside their transaction; the message goes
when the transaction commits, so a rolled-back invitation never emails a dead link.

The partnership's outbox (`partnership.outbox`) will take over the sending; this is the one
place to change when it does.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from partnership.outputs.links import absolute_url


def invitation_link(raw_token: str) -> str:
    """The absolute address of the page where the invited person sets their password."""
    return absolute_url(reverse("accounts:invitation", kwargs={"token": raw_token}))


def invitation_send(*, user, raw_token: str, invited_by: str, expires_at) -> None:
    """Email `user` the link to set a password, once the transaction commits."""
    context = {
        "full_name": user.full_name,
        "invited_by": invited_by,
        "link": invitation_link(raw_token),
        "expires_at": expires_at,
        "partnership": settings.PARTNERSHIP_NAME,
        "sign_in": absolute_url(reverse("accounts:sign-in")),
    }
    text = render_to_string("accounts/invitation_email.txt", context)
    subject = f"Set up your {settings.PARTNERSHIP_NAME} account"
    email = user.email
    transaction.on_commit(
        lambda: send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
    )
