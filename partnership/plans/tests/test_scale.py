import random

import pytest

from partnership.plans.models import Action, Plan, PlanStatus, ProgressUpdate
from partnership.plans.scale import scale_plans

pytestmark = pytest.mark.django_db


def test_scale_plans_makes_what_it_reports(personas):
    made = scale_plans(0.05, random.Random(1))
    assert made["plan actions"] == Action.objects.count() == 100
    assert made["progress updates"] == ProgressUpdate.objects.count() == 500
    assert Plan.objects.filter(slug__startswith="scale-", status=PlanStatus.CURRENT).count() == 1
