import pytest

from partnership.outbox.tests.backends import FailsOnceBackend


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "partnership.outbox.tests.backends.DownBackend"


@pytest.fixture
def mail_server_fails_once(settings):
    FailsOnceBackend.failures_left = 1
    settings.EMAIL_BACKEND = "partnership.outbox.tests.backends.FailsOnceBackend"
    yield
    FailsOnceBackend.failures_left = 0
