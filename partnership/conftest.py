"""Fixtures shared by every app's tests: the personas and clients signed in as them."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

from partnership.demo.personas import PERSONAS, build_personas


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the real hasher (asserted in accounts' tests); MD5 only makes tests fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture(autouse=True)
def _commit_hooks_run_when_the_change_commits(monkeypatch):
    """A test runs inside a transaction that never commits, so `transaction.on_commit` work
    (an email's delivery, queued by partnership.outbox) would never run. Run it when the
    outermost transaction *inside* the test ends, as it runs on commit in production; a
    rolled-back change still drops its hooks. Inside `django_capture_on_commit_callbacks`
    Django's own behaviour is kept (the hooks wait for the end of the block)."""
    import logging

    from django.db import connections
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.transaction import DEFAULT_DB_ALIAS, Atomic
    from django.test import TestCase

    capturing = [0]

    def only_the_tests_transaction(connection) -> bool:
        return (
            not capturing[0]
            and connection.in_atomic_block
            and not connection.needs_rollback
            and all(block._from_testcase for block in connection.atomic_blocks)
        )

    def run_hooks(connection):
        while connection.run_on_commit and only_the_tests_transaction(connection):
            _, hook, robust = connection.run_on_commit.pop(0)
            try:
                hook()
            except Exception:
                if not robust:
                    raise
                logging.getLogger("django.db.backends.base").exception("on_commit hook failed")

    original_exit = Atomic.__exit__
    original_on_commit = BaseDatabaseWrapper.on_commit
    original_capture = TestCase.captureOnCommitCallbacks.__func__

    def exit_then_run_hooks(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        connection = connections[self.using or DEFAULT_DB_ALIAS]
        if exc_type is None:
            run_hooks(connection)
        return result

    def on_commit_then_run(self, func, robust=False):
        original_on_commit(self, func, robust)
        run_hooks(self)

    from contextlib import contextmanager

    @contextmanager
    def capture(cls, *, using=DEFAULT_DB_ALIAS, execute=False):
        capturing[0] += 1
        try:
            with original_capture(cls, using=using, execute=execute) as callbacks:
                yield callbacks
        finally:
            capturing[0] -= 1

    monkeypatch.setattr(Atomic, "__exit__", exit_then_run_hooks)
    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit_then_run)
    monkeypatch.setattr(TestCase, "captureOnCommitCallbacks", classmethod(capture))
