import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from partnership.audits.selfassessment import services
from partnership.audits.selfassessment.demo import previous_cycle, section_11_organisations
from partnership.audits.selfassessment.models import AssessmentKind, Scale, StandardSet
from partnership.trail.actors import Actor

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def today():
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        yield TODAY


@pytest.fixture
def library(personas):
    services.standard_sets_install_defaults(actor=Actor.for_user(personas["business_unit"]))
    return StandardSet.objects.get(slug="working-together-section-11")


@pytest.fixture
def last_cycle(personas, library, today):
    """Two years ago: every agency's return submitted, with evidence files."""
    return previous_cycle(
        Actor.for_user(personas["business_unit"]),
        section_11_organisations(),
        today=today,
        user=personas["data_submitter"],
    )


@pytest.fixture
def cycle(personas, library, last_cycle, today):
    """This cycle, opened today, with the business unit's manager on the panel."""
    return services.cycle_open(
        kind=AssessmentKind.SECTION_11,
        name="Section 11 audit 2026",
        standard_set=library,
        scale=Scale.NUMERIC,
        starts_on=today,
        organisations=section_11_organisations(),
        moderators=[personas["business_unit"]],
        actor=Actor.for_user(personas["business_unit"]),
    )


@pytest.fixture
def housing_return(cycle):
    return cycle.returns.get(organisation__name="Knowsley Housing Trust")


def now():
    return timezone.now()
