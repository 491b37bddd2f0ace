"""Every link in an email is on the address the site is served at (settings.SITE_URL, which
follows PORT in development)."""

import re

import pytest
from django.core import mail
from django.test import Client

from partnership.outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db

SERVED = "http://127.0.0.1:8801"  # what settings make of DEBUG=true PORT=8801


def links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def test_the_site_address_follows_port_in_development():
    from partnership.website.tests.test_pages import _site_url

    assert _site_url(DEBUG="true", PORT="8801") == SERVED


def test_the_password_reset_link_is_on_the_served_address(personas, settings):
    settings.SITE_URL = SERVED
    # Asked for from another host name: the link still uses the site's address.
    Client(HTTP_HOST="localhost").post(
        "/account/password/reset/", {"email": personas["practitioner"].email}
    )
    [message] = mail.outbox
    found = links(message.body)
    assert found and all(link.startswith(f"{SERVED}/") for link in found), found
    assert any(link.startswith(f"{SERVED}/account/password/reset/") for link in found)
    email = OutgoingEmail.objects.get(kind="accounts.password_reset")
    assert email.queued_by_label == "Visitor (not signed in): password reset request"


def test_a_training_booking_email_links_to_the_served_address(settings):
    from partnership.training.tests.factories import SessionFactory, book

    settings.SITE_URL = SERVED
    session = SessionFactory(capacity=5)
    booking = book(session, "Ann Lee")
    [message] = mail.outbox
    found = links(message.body)
    assert f"{SERVED}{booking.get_absolute_url()}" in found
    assert all(link.startswith(f"{SERVED}/") for link in found), found
