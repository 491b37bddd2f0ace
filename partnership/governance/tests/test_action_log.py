"""One action log across the groups: mine, overdue, by group, by organisation; scoped."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from partnership.directory.models import Organisation, Person
from partnership.governance import services
from partnership.governance.models import Group
from partnership.governance.tests.factories import SETUP

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _spring_2020():
    with time_machine.travel(dt.datetime(2020, 4, 15, 9, tzinfo=dt.UTC), tick=False):
        yield


def meeting_of(slug, day=dt.date(2020, 3, 2)):
    starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return services.meeting_schedule(
        group=Group.objects.get(slug=slug),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="Huyton",
        actor=SETUP,
    )


@pytest.fixture
def log(personas):
    """Actions across three groups, owned by people in four organisations."""
    rlg, cbg, ppg = (
        meeting_of("review-and-learning-group"),
        meeting_of("core-business-group"),
        meeting_of("policy-and-performance-group"),
    )
    gareth = personas["group_member"].person
    priya = personas["partner_lead"].person
    claire = Person.objects.get(full_name="Claire Doherty")
    julie = Person.objects.get(full_name="Julie Kavanagh")

    def raise_(meeting, text, owner, due):
        return services.action_create(
            meeting=meeting, description=text, owner=owner, due_on=due, actor=SETUP
        )

    actions = {
        "gareth overdue": raise_(rlg, "GARETH OVERDUE", gareth, dt.date(2020, 4, 1)),
        "gareth later": raise_(rlg, "GARETH LATER", gareth, dt.date(2020, 6, 1)),
        "priya overdue": raise_(cbg, "PRIYA OVERDUE", priya, dt.date(2020, 3, 31)),
        "claire done": raise_(cbg, "CLAIRE DONE", claire, dt.date(2020, 3, 20)),
        "julie open": raise_(ppg, "JULIE OPEN", julie, dt.date(2020, 5, 1)),
    }
    services.action_update(action=actions["claire done"], status="completed", actor=SETUP)
    return actions


def shown(response) -> set[str]:
    assert response.status_code == 200
    return set(re.findall(r"\b([A-Z]+ [A-Z]+)\b", response.content.decode())) & {
        "GARETH OVERDUE",
        "GARETH LATER",
        "PRIYA OVERDUE",
        "CLAIRE DONE",
        "JULIE OPEN",
    }


def test_the_business_unit_sees_every_groups_open_actions(client_as, log):
    client = client_as("business_unit")
    assert shown(client.get("/groups/actions/")) == {
        "GARETH OVERDUE",
        "GARETH LATER",
        "PRIYA OVERDUE",
        "JULIE OPEN",
    }
    assert shown(client.get("/groups/actions/", {"show": "overdue"})) == {
        "GARETH OVERDUE",
        "PRIYA OVERDUE",
    }
    assert shown(client.get("/groups/actions/", {"show": "closed"})) == {"CLAIRE DONE"}
    assert shown(
        client.get("/groups/actions/", {"show": "all", "group": "core-business-group"})
    ) == {
        "PRIYA OVERDUE",
        "CLAIRE DONE",
    }
    assert shown(
        client.get("/groups/actions/", {"show": "all", "organisation": "knowsley-council"})
    ) == {"CLAIRE DONE", "JULIE OPEN"}


def test_my_actions_are_the_ones_i_own(client_as, log):
    assert shown(client_as("group_member").get("/groups/actions/", {"mine": "on"})) == {
        "GARETH OVERDUE",
        "GARETH LATER",
    }


def test_each_person_sees_their_groups_their_organisations_and_their_own(client_as, log):
    # Gareth sits on the Review and Learning Group only, for NWBH.
    assert shown(client_as("group_member").get("/groups/actions/", {"show": "all"})) == {
        "GARETH OVERDUE",
        "GARETH LATER",
    }
    # Priya sits on the Forum, the Core Business Group and the Review and Learning Group.
    assert shown(client_as("partner_lead").get("/groups/actions/", {"show": "all"})) == {
        "GARETH OVERDUE",
        "GARETH LATER",
        "PRIYA OVERDUE",
        "CLAIRE DONE",
    }
    # The housing trust's data submitter sits on no group and owns nothing.
    assert shown(client_as("data_submitter").get("/groups/actions/", {"show": "all"})) == set()
    # Their organisation's actions, though, they do see.
    housing = Organisation.objects.get(slug="knowsley-housing-trust")
    owner = Person.objects.create(full_name="Karen Hope", organisation=housing)
    services.action_create(
        meeting=log["julie open"].raised_at,
        description="HOUSING ACTION",
        owner=owner,
        due_on=dt.date(2020, 5, 1),
        actor=SETUP,
    )
    page = client_as("data_submitter").get("/groups/actions/").content.decode()
    assert "HOUSING ACTION" in page
    assert client_as("data_submitter").get(log["julie open"].get_absolute_url()).status_code == 403
    assert client_as("practitioner").get("/groups/actions/").status_code == 403


def test_the_log_is_paginated_and_counted_by_group_and_organisation(client_as, log, personas):
    meeting = log["gareth later"].raised_at
    for n in range(60):
        services.action_create(
            meeting=meeting,
            description=f"Bulk action {n}",
            owner=personas["group_member"].person,
            due_on=dt.date(2020, 6, 1),
            actor=SETUP,
        )
    client = client_as("business_unit")
    first = client.get("/groups/actions/").content.decode().split("Open actions by group")[0]
    assert "64 actions" in first
    assert first.count('class="govuk-table__row"') == 50 + 1  # a header row and 50 actions
    second = (
        client.get("/groups/actions/", {"page": 2})
        .content.decode()
        .split("Open actions by group")[0]
    )
    assert second.count('class="govuk-table__row"') == 14 + 1


def test_the_log_counts_open_and_overdue_actions_by_group_and_organisation(client_as, log):
    page = client_as("business_unit").get("/groups/actions/").content.decode()
    by_group = page.split("Open actions by group")[-1].split("</table>")[0]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', by_group, re.S)
    cells = [re.sub(r"<[^>]+>", "", row).split() for row in rows[1:]]
    # Most overdue first, then most open: RLG has Gareth's two, one overdue; CBG Priya's,
    # overdue (Claire's is done); PPG Julie's, not yet due.
    assert [" ".join(cell) for cell in cells] == [
        "Safeguarding Review and Learning Group 2 1",
        "Core Business Group 1 1",
        "Policy and Performance Review Group 1 0",
    ]
