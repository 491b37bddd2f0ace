"""Absolute addresses for links that leave the site: emails, calendar files, API responses."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` on the public address (settings.SITE_URL); the bare path if none is known."""
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{path}" if base else path
