import pytest

from partnership.training.models import TrainingRules


@pytest.fixture
def rules(db):
    return TrainingRules.current()


@pytest.fixture
def outbox(mailoutbox):
    """The emails sent so far (tasks run at once in tests: the immediate backend)."""
    return mailoutbox
