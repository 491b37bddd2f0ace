"""Training scale data: the numbers asked for, and every constraint holding."""

import random

import pytest
from django.db.models import Count, Q

from partnership.training.models import Booking, Session
from partnership.training.scale import scale_training

pytestmark = pytest.mark.django_db


def test_scale_data_has_the_sessions_and_bookings_asked_for_and_never_overbooks():
    counts = scale_training(0.01, random.Random(1))
    assert counts["training sessions"] == 20
    assert counts["training bookings"] == 1000
    assert Booking.objects.count() == 1000
    held = Count("bookings", filter=Q(bookings__status__in=["confirmed", "offered"]))
    for session in Session.objects.annotate(held=held):
        assert session.places_taken == session.held <= session.capacity
    duplicates = (
        Booking.objects.filter(status__in=["confirmed", "waiting", "offered"])
        .values("session", "email")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()
    assert counts["evaluations"] > 0 and counts["impact follow-ups"] > 0
