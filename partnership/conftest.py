"""Fixtures shared by every app's tests: the personas and clients signed in as them."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

from partnership.demo.personas import PERSONAS, build_personas


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the real hasher (asserted in accounts' tests); MD5 only makes tests fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_checkpoint_file(settings, tmp_path):
    # Each test's database starts empty, so each test has its own checkpoint file.
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-trail-checkpoints.jsonl")


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits and the trail's refusal bounds count in the cache: each test starts afresh.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def personas(db):
    """Every persona, in the Knowsley demo partnership, keyed by role ("business_unit", ...)."""
    return build_personas()


def sign_in(client: Client, user) -> Client:
    """Sign `client` in as `user`, with the second factor passed where the account needs one."""
    client.force_login(user)
    if user.needs_two_factor:
        device = next(devices_for_user(user))
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_as(personas):
    """client_as("business_unit") is a test client signed in as that persona; None is anonymous."""

    def make(key: str | None) -> Client:
        client = Client()
        if key is None:
            return client
        return sign_in(client, personas[key])

    return make


PERSONA_KEYS = [persona.key for persona in PERSONAS]


@pytest.fixture(autouse=True)
def _seeded_controlled_lists(request):
    """The learning themes and abuse types a data migration seeds are wiped when a browser or
    concurrency test flushes the database; put them back for the tests that come after it in
    the same worker (one query when they are there)."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif marker is not None:
        transactional = marker.kwargs.get("transaction", False)
        request.getfixturevalue("transactional_db" if transactional else "db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    import importlib

    from django.apps import apps

    from partnership.reviews.models import LearningTheme

    if not LearningTheme.objects.exists():
        seed = importlib.import_module("partnership.reviews.migrations.0002_seed_controlled_lists")
        seed.seed(apps, None)
