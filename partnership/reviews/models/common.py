"""Shared by the review models: today's date in the partnership's time zone."""

from django.utils import timezone


def today():
    return timezone.localdate()
