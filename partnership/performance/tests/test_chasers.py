import datetime as dt

import pytest

from partnership.performance import services, tasks
from partnership.performance.models import ChaserRule, ChaserSent, DataReturn, ReturnStatus

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def outstanding(personas):
    owner = personas["data_submitter"].organisation
    indicator = f.indicator("DA03", owner)
    period = f.year(2024)
    data_return = services.get_return(owner, period)
    for days in (-5, 0, 10):
        ChaserRule.objects.create(days_from_due=days)
    return data_return, indicator


def test_chasers_go_at_their_offsets_once_each(outstanding, mailoutbox, personas):
    data_return, _ = outstanding
    due = data_return.period.due_on
    assert tasks.send_chasers(due - dt.timedelta(days=6)) == 0
    assert tasks.send_chasers(due - dt.timedelta(days=5)) == 1
    assert mailoutbox[0].to == [personas["data_submitter"].email]
    assert "is due on" in mailoutbox[0].body
    assert tasks.send_chasers(due - dt.timedelta(days=5)) == 0  # not twice
    assert tasks.send_chasers(due + dt.timedelta(days=1)) == 1  # the due-date chaser
    assert tasks.send_chasers(due + dt.timedelta(days=10)) == 1
    assert "is late" in mailoutbox[-1].body
    assert tasks.send_chasers(due + dt.timedelta(days=11)) == 0
    assert ChaserSent.objects.count() == 3 and len(mailoutbox) == 3


def test_a_submitted_return_is_not_chased_and_overdue_ones_go_late(outstanding, mailoutbox):
    data_return, indicator = outstanding
    f.submit(data_return.organisation, data_return.period, {indicator: 3})
    assert tasks.send_chasers(data_return.period.due_on + dt.timedelta(days=1)) == 0
    other = services.get_return(f.organisation("Merseyside Police"), data_return.period)
    services.mark_late(other.period.due_on + dt.timedelta(days=1))
    assert DataReturn.objects.get(pk=other.pk).status == ReturnStatus.LATE
    assert DataReturn.objects.get(pk=data_return.pk).status == ReturnStatus.SUBMITTED
