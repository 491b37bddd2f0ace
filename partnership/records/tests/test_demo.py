import datetime as dt

import pytest

from partnership.records import demo
from partnership.records.models import LegalHold
from partnership.reviews.models import Review, ReviewStatus
from partnership.reviews.tests.factories import make_review

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_oldest_published_review_once(personas):
    older = make_review(aware_on=dt.date(2019, 5, 1))
    newer = make_review(aware_on=dt.date(2022, 5, 1))
    Review.objects.filter(pk__in=[older.pk, newer.pk]).update(status=ReviewStatus.PUBLISHED)
    assert demo.build(personas) == {"holds": 1}
    assert demo.build(personas) == {"holds": 1}
    hold = LegalHold.objects.get()
    assert hold.object_id == older.pk
    assert hold.placed_by == personas["business_unit"]
