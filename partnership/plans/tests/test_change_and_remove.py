"""Changing, reordering and removing priorities, outcomes and actions; one current plan.

Bad input shows the error and changes nothing; removal is refused while something hangs off
the item; only the business unit may do any of it; every change is in the audit trail.
"""

import datetime as dt

import pytest
from django.urls import reverse

from partnership.directory.models import Organisation
from partnership.governance.models import Priority
from partnership.plans import services
from partnership.plans.models import (
    Action,
    Outcome,
    Plan,
    PlanPriority,
    PlanStatus,
    ProgressUpdate,
)
from partnership.plans.tests.matrix import _action, _plan, _priority
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

pytestmark = pytest.mark.django_db
# The rows a test starts from, made as a setup job (what is tested is the page that follows).
SETUP = Actor.system("test setup")

CE_LEAD = "priya.lewis@police.example.org"
NEGLECT_LEAD = "aisha.rahman@ccg.example.org"


def _entries(action=None):
    entries = AuditEntry.objects.all()
    return entries.filter(action=action) if action else entries


def _page(response) -> str:
    return response.content.decode().replace("&#39;", "'").replace("&quot;", '"')


def _bare_priority(slug="domestic-abuse") -> PlanPriority:
    """A priority in the matrix plan with no outcomes and no actions yet."""
    police = Organisation.objects.get(name="Merseyside Police")
    priority, _ = Priority.objects.get_or_create(
        slug=slug, defaults={"name": slug.replace("-", " ").capitalize(), "thematic_lead": police}
    )
    return PlanPriority.objects.create(
        plan=_plan(), priority=priority, lead_organisation=police, position=99
    )


def _positions(plan):
    return [(p.priority.slug, p.position) for p in plan.priorities.order_by("position", "id")]


# Changing a priority -------------------------------------------------------------------------


def _priority_post(priority, **changes):
    data = {
        "statement": priority.statement,
        "lead_organisation": priority.lead_organisation_id,
        "lead": priority.lead_id or "",
        "position": priority.position,
    }
    data.update(changes)
    return data


def test_priority_change_with_a_bad_place_shows_the_error_and_changes_nothing(client_as):
    ce = _priority("child-exploitation", CE_LEAD)
    _priority("neglect", NEGLECT_LEAD)
    before, entries = _positions(ce.plan), _entries().count()
    response = client_as("business_unit").post(
        reverse("plans:priority-edit", kwargs={"pk": ce.pk}),
        _priority_post(ce, position=7, statement="New words"),
    )
    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert "Enter a number from 1 to 2 for the priority's place in the order" in page
    ce.refresh_from_db()
    assert ce.statement == "" and _positions(ce.plan) == before
    assert _entries().count() == entries


def test_priority_change_without_a_lead_organisation_shows_the_error(client_as):
    ce = _priority("child-exploitation", CE_LEAD)
    entries = _entries().count()
    response = client_as("business_unit").post(
        reverse("plans:priority-edit", kwargs={"pk": ce.pk}),
        _priority_post(ce, lead_organisation=""),
    )
    assert "Select the thematic lead organisation" in _page(response)
    ce.refresh_from_db()
    assert ce.lead_organisation.name == "Merseyside Police"
    assert _entries().count() == entries


def test_priority_change_moves_it_first_and_changes_its_lead_with_an_audit_entry(
    client_as, personas
):
    ce = _priority("child-exploitation", CE_LEAD)
    neglect = _priority("neglect", NEGLECT_LEAD)
    assert [slug for slug, _ in _positions(ce.plan)] == ["child-exploitation", "neglect"]
    aisha = neglect.lead
    response = client_as("business_unit").post(
        reverse("plans:priority-edit", kwargs={"pk": neglect.pk}),
        _priority_post(
            neglect,
            position=1,
            statement="Protecting children from neglect",
            lead_organisation=aisha.organisation_id,
        ),
    )
    assert response.status_code == 302
    assert _positions(ce.plan) == [("neglect", 1), ("child-exploitation", 2)]
    neglect.refresh_from_db()
    assert neglect.statement == "Protecting children from neglect"
    assert neglect.lead_organisation == aisha.organisation
    entry = _entries("update").get(object_id=str(neglect.pk), object_type="plans.planpriority")
    assert entry.changes["position"][1] == 1
    assert entry.changes["statement"] == ["", "Protecting children from neglect"]
    assert entry.actor == personas["business_unit"]
    # The plan page lists the priorities in the new order.
    page = _page(client_as("business_unit").get(ce.plan.get_absolute_url()))
    assert page.index("Neglect") < page.index("Child exploitation")


# Changing an outcome -------------------------------------------------------------------------


def test_outcome_change_without_words_shows_the_error_and_changes_nothing(client_as):
    outcome = _action("child-exploitation", CE_LEAD).outcome
    entries = _entries().count()
    response = client_as("business_unit").post(
        reverse("plans:outcome-edit", kwargs={"pk": outcome.pk}), {"text": "", "position": 1}
    )
    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page and "Enter the outcome" in page
    outcome.refresh_from_db()
    assert outcome.text == "Outcome for child-exploitation"
    assert _entries().count() == entries


def test_outcome_change_rewords_and_reorders_with_an_audit_entry(client_as):
    priority = _priority("child-exploitation", CE_LEAD)
    first = services.outcome_add(priority=priority, text="First", actor=SETUP)
    second = services.outcome_add(priority=priority, text="Second", actor=SETUP)
    response = client_as("business_unit").post(
        reverse("plans:outcome-edit", kwargs={"pk": second.pk}),
        {"text": "Second, reworded", "position": 1},
    )
    assert response.status_code == 302
    assert [(o.text, o.position) for o in priority.outcomes.order_by("position")] == [
        ("Second, reworded", 1),
        ("First", 2),
    ]
    entry = _entries("update").get(object_type="plans.outcome", object_id=str(second.pk))
    assert entry.changes == {"position": [2, 1], "text": ["Second", "Second, reworded"]}
    page = _page(client_as("business_unit").get(priority.get_absolute_url()))
    assert page.index("Second, reworded") < page.index(first.text + "<")


# Removing ------------------------------------------------------------------------------------


def test_priority_with_actions_cannot_be_removed(client_as):
    action = _action("child-exploitation", CE_LEAD)
    priority = action.outcome.priority
    url = reverse("plans:priority-remove", kwargs={"pk": priority.pk})
    client = client_as("business_unit")
    # The page says why before anything is tried, and offers no button.
    page = _page(client.get(url))
    assert "cannot be removed because it has 1 action" in page
    assert "Remove the priority</button>" not in page
    counts = (PlanPriority.objects.count(), Outcome.objects.count(), Action.objects.count())
    response = client.post(url)
    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert "Child exploitation cannot be removed because it has 1 action" in page
    assert "carry them over to the next plan" in page
    assert (PlanPriority.objects.count(), Outcome.objects.count(), Action.objects.count()) == (
        counts
    )
    assert not _entries("delete").exists()


def test_priority_without_actions_is_removed_with_its_outcomes_and_audited(client_as):
    ce = _priority("child-exploitation", CE_LEAD)
    mistake = _bare_priority()
    services.outcome_add(priority=mistake, text="An outcome added by mistake", actor=SETUP)
    client = client_as("business_unit")
    response = client.post(reverse("plans:priority-remove", kwargs={"pk": mistake.pk}))
    assert response.status_code == 302
    assert not PlanPriority.objects.filter(pk=mistake.pk).exists()
    assert not Outcome.objects.filter(text="An outcome added by mistake").exists()
    assert _positions(ce.plan) == [("child-exploitation", 1)]
    entry = _entries("delete").get(object_type="plans.planpriority")
    assert entry.summary == "Removed the priority Domestic abuse from Matrix plan"
    assert entry.changes["outcomes"] == [["An outcome added by mistake"], None]
    page = _page(client.get(response["Location"]))
    assert "Domestic abuse has been removed from Matrix plan" in page


def test_outcome_with_actions_cannot_be_removed(client_as):
    outcome = _action("child-exploitation", CE_LEAD).outcome
    before = Outcome.objects.count()
    response = client_as("business_unit").post(
        reverse("plans:outcome-remove", kwargs={"pk": outcome.pk})
    )
    page = _page(response)
    assert "This outcome cannot be removed because it has 1 action" in page
    assert Outcome.objects.count() == before
    assert not _entries("delete").exists()


def test_outcome_without_actions_is_removed_and_audited(client_as):
    priority = _priority("child-exploitation", CE_LEAD)
    keep = services.outcome_add(priority=priority, text="Keep", actor=SETUP)
    mistake = services.outcome_add(priority=priority, text="Typed twice", actor=SETUP)
    services.outcome_change(outcome=mistake, text="Typed twice", position=1, actor=SETUP)
    response = client_as("business_unit").post(
        reverse("plans:outcome-remove", kwargs={"pk": mistake.pk})
    )
    assert response.status_code == 302
    assert list(priority.outcomes.values_list("text", "position")) == [("Keep", 1)]
    keep.refresh_from_db()
    assert keep.position == 1
    entry = _entries("delete").get(object_type="plans.outcome")
    assert entry.changes["text"] == ["Typed twice", None]


def test_action_with_progress_updates_cannot_be_removed(client_as, personas):
    action = _action("child-exploitation", CE_LEAD)
    services.progress_update_add(
        action=action, rag="amber", note="Started", actor=Actor.for_user(personas["business_unit"])
    )
    client = client_as("business_unit")
    assert "Remove the action" not in _page(client.get(action.get_absolute_url()))
    response = client.post(reverse("plans:action-remove", kwargs={"pk": action.pk}))
    page = _page(response)
    assert "This action cannot be removed because it has 1 progress update" in page
    assert "add a progress update rated complete" in page
    assert Action.objects.filter(pk=action.pk).exists()
    assert ProgressUpdate.objects.filter(action=action).count() == 1
    assert not _entries("delete").exists()


def test_carried_over_action_cannot_be_removed(client_as, personas):
    action = _action("child-exploitation", CE_LEAD)
    [carried] = services.actions_carry_over(
        from_plan=_plan(), to_plan=Plan.objects.get(slug="matrix-later"), actor=SETUP
    )
    client = client_as("business_unit")
    for target, reason in (
        (carried, "it continues an action carried over from an earlier plan"),
        (action, "it was carried over to a later plan"),
    ):
        page = _page(client.post(reverse("plans:action-remove", kwargs={"pk": target.pk})))
        assert reason in page
    assert Action.objects.filter(pk__in=[action.pk, carried.pk]).count() == 2


def test_action_without_updates_is_removed_and_audited(client_as):
    action = _action("child-exploitation", CE_LEAD)
    client = client_as("business_unit")
    assert "Remove the action" in _page(client.get(action.get_absolute_url()))
    response = client.post(reverse("plans:action-remove", kwargs={"pk": action.pk}))
    assert response.status_code == 302
    assert response["Location"] == action.outcome.priority.get_absolute_url()
    assert not Action.objects.filter(pk=action.pk).exists()
    entry = _entries("delete").get(object_type="plans.action")
    assert entry.summary == "Removed the plan action “Action for child-exploitation”"
    assert entry.changes["title"] == ["Action for child-exploitation", None]


# Who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["partner_lead", "group_member", "independent_chair", None])
def test_only_the_business_unit_may_change_or_remove(client_as, who):
    action = _action("child-exploitation", CE_LEAD)
    outcome, priority = action.outcome, action.outcome.priority
    client = client_as(who)
    posts = [
        ("plans:priority-edit", priority.pk, _priority_post(priority, statement="x")),
        ("plans:outcome-edit", outcome.pk, {"text": "x", "position": 1}),
        ("plans:action-remove", action.pk, {}),
        ("plans:outcome-remove", outcome.pk, {}),
        ("plans:priority-remove", priority.pk, {}),
    ]
    for name, pk, data in posts:
        response = client.post(reverse(name, kwargs={"pk": pk}), data)
        if who is None:
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("accounts:sign-in")), name
        else:
            assert response.status_code == 403, (name, who)
    assert Action.objects.filter(pk=action.pk).exists()
    priority.refresh_from_db()
    outcome.refresh_from_db()
    assert priority.statement == "" and outcome.text == "Outcome for child-exploitation"
    assert not _entries("delete").exists()


def test_the_change_links_show_only_to_the_business_unit(client_as):
    priority = _action("child-exploitation", CE_LEAD).outcome.priority
    assert "Change the priority" in _page(
        client_as("business_unit").get(priority.get_absolute_url())
    )
    lead_page = _page(client_as("partner_lead").get(priority.get_absolute_url()))
    assert "Change the priority" not in lead_page
    assert reverse("plans:outcome-edit", kwargs={"pk": priority.outcomes.get().pk}) not in (
        lead_page
    )


# One current plan ----------------------------------------------------------------------------


def _plan_post(plan, **changes):
    data = {
        "title": plan.title,
        "slug": plan.slug,
        "status": plan.status,
        "vision": plan.vision,
        "mission": plan.mission,
        "starts_on_day": plan.starts_on.day,
        "starts_on_month": plan.starts_on.month,
        "starts_on_year": plan.starts_on.year,
        "ends_on_day": plan.ends_on.day,
        "ends_on_month": plan.ends_on.month,
        "ends_on_year": plan.ends_on.year,
    }
    data.update(changes)
    return data


def test_making_a_plan_current_closes_the_plan_that_was_current(client_as):
    old = _plan()
    later = Plan.objects.get(slug="matrix-later")
    assert (old.status, later.status) == ("current", "draft")
    client = client_as("business_unit")
    edit = _page(client.get(reverse("plans:plan-edit", kwargs={"slug": later.slug})))
    assert 'value="current"' in edit and 'value="closed"' in edit
    response = client.post(
        reverse("plans:plan-edit", kwargs={"slug": later.slug}),
        _plan_post(later, status="current"),
        follow=True,
    )
    page = _page(response)
    assert "Matrix plan was the current plan and has been closed" in page
    old.refresh_from_db()
    later.refresh_from_db()
    assert (old.status, later.status) == (PlanStatus.CLOSED, PlanStatus.CURRENT)
    assert list(Plan.objects.current()) == [later]
    closing = _entries("update").get(object_type="plans.plan", object_id=str(old.pk))
    assert closing.changes == {"status": ["current", "closed"]}


def test_closing_a_plan_from_its_edit_page(client_as):
    plan = _plan()
    response = client_as("business_unit").post(
        reverse("plans:plan-edit", kwargs={"slug": plan.slug}), _plan_post(plan, status="closed")
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert not Plan.objects.current().exists()


def test_saving_the_current_plan_again_closes_nothing(personas):
    plan = _plan()
    plan.ends_on = dt.date(2022, 6, 30)
    services.plan_save(
        plan=plan,
        enablers=[],
        principles=[],
        key_outcomes=[],
        actor=Actor.for_user(personas["business_unit"]),
    )
    assert plan.closed_plans == []
    assert list(Plan.objects.current()) == [plan]
