"""Bad input gets a clear error and saves nothing; the thematic-lead rule; carry-over."""

import datetime as dt

import pytest
from django.utils import timezone

from partnership.plans import services
from partnership.plans.models import Action, ActionStatus, Plan, ProgressUpdate
from partnership.plans.tests.matrix import _action, _plan, _priority
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

pytestmark = pytest.mark.django_db

CE_LEAD = "priya.lewis@police.example.org"


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_plan_ending_before_it_starts_is_refused_and_nothing_is_saved(client_as):
    before = Plan.objects.count()
    response = client_as("business_unit").post(
        "/plans/new/",
        {
            "title": "Business plan 2022-2024",
            "slug": "2022-2024",
            "status": "draft",
            "vision": "A vision",
            "mission": "A mission",
            **_date("starts_on", dt.date(2022, 4, 1)),
            **_date("ends_on", dt.date(2022, 3, 1)),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The end date must be after the start date" in page
    assert Plan.objects.count() == before


def test_plan_with_good_dates_is_saved_with_its_enablers(client_as):
    response = client_as("business_unit").post(
        "/plans/new/",
        {
            "title": "Business plan 2022-2024",
            "slug": "2022-2024",
            "status": "draft",
            "vision": "A vision",
            "mission": "A mission",
            "enablers": "Learning and development\nCommunication and engagement",
            **_date("starts_on", dt.date(2022, 4, 1)),
            **_date("ends_on", dt.date(2024, 3, 31)),
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(slug="2022-2024")
    assert [s.text for s in plan.statements.filter(kind="enabler")] == [
        "Learning and development",
        "Communication and engagement",
    ]
    assert AuditEntry.objects.filter(summary__contains="Business plan 2022-2024").exists()


def test_action_without_an_owner_is_refused_and_nothing_is_saved(client_as, personas):
    priority = _priority("child-exploitation", CE_LEAD)
    outcome = priority.outcomes.create(text="An outcome")
    before = Action.objects.count()
    response = client_as("business_unit").post(
        f"/plans/priorities/{priority.pk}/actions/new/",
        {
            "title": "Run a learning event",
            "outcome": outcome.pk,
            "owner": "",
            "measure_of_success": "People come",
            **_date("due_on", timezone.localdate() + dt.timedelta(days=30)),
        },
    )
    assert response.status_code == 200
    assert "Select who owns the action" in response.content.decode()
    assert Action.objects.count() == before


def test_service_refuses_an_action_without_an_owner(personas):
    from django.core.exceptions import ValidationError

    priority = _priority("child-exploitation", CE_LEAD)
    outcome = priority.outcomes.create(text="An outcome")
    with pytest.raises(ValidationError, match="Select who owns the action"):
        services.action_save(
            action=Action(outcome=outcome, title="x", due_on=timezone.localdate()),
            actor=Actor.for_user(personas["business_unit"]),
        )
    assert not Action.objects.filter(title="x").exists()


def test_update_without_a_rag_rating_is_refused_and_nothing_is_saved(client_as, personas):
    action = _action("child-exploitation", CE_LEAD)
    before = ProgressUpdate.objects.count()
    response = client_as("partner_lead").post(
        f"/plans/actions/{action.pk}/update/", {"note": "Some progress"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Select a RAG rating" in page
    assert ProgressUpdate.objects.count() == before


def test_thematic_lead_updates_her_own_priority_and_no_other(client_as, personas):
    ce = _action("child-exploitation", CE_LEAD)
    neglect = _action("neglect", "aisha.rahman@ccg.example.org")
    priya = client_as("partner_lead")
    response = priya.post(f"/plans/actions/{ce.pk}/update/", {"rag": "amber", "note": "Going"})
    assert response.status_code == 302
    assert ce.updates.get().author_label == "Priya Lewis"
    response = priya.post(f"/plans/actions/{neglect.pk}/update/", {"rag": "red", "note": "x"})
    assert response.status_code == 403
    assert not neglect.updates.exists()
    # Gareth Morris leads no priority: he may read the action but not update it.
    gareth = client_as("group_member")
    assert gareth.get(f"/plans/actions/{ce.pk}/").status_code == 200
    assert (
        gareth.post(f"/plans/actions/{ce.pk}/update/", {"rag": "green", "note": "x"}).status_code
        == 403
    )
    # The page offers the form only to those who may use it.
    assert "Add a progress update" in priya.get(f"/plans/actions/{ce.pk}/").content.decode()
    assert (
        "Add a progress update" not in priya.get(f"/plans/actions/{neglect.pk}/").content.decode()
    )


def test_complete_update_completes_the_action(personas):
    action = _action("child-exploitation", CE_LEAD)
    services.progress_update_add(
        action=action, rag="complete", note="Done", actor=Actor.for_user(personas["business_unit"])
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETE


def test_carry_over_moves_unfinished_actions_once_with_their_history(personas):
    actor = Actor.for_user(personas["business_unit"])
    open_action = _action("child-exploitation", CE_LEAD)
    services.progress_update_add(action=open_action, rag="amber", note="Halfway", actor=actor)
    done = _action("neglect", "aisha.rahman@ccg.example.org")
    services.progress_update_add(action=done, rag="complete", note="Done", actor=actor)
    old, new = _plan(), Plan.objects.get(slug="matrix-later")

    moved = services.actions_carry_over(from_plan=old, to_plan=new, actor=actor)
    assert [a.carried_from_id for a in moved] == [open_action.pk]
    open_action.refresh_from_db()
    assert open_action.status == ActionStatus.CARRIED_OVER
    assert moved[0].outcome.priority.plan == new
    assert moved[0].outcome.text == open_action.outcome.text
    # Running it again moves nothing more.
    assert services.actions_carry_over(from_plan=old, to_plan=new, actor=actor) == []
    assert Action.objects.filter(outcome__priority__plan=new).count() == 1


def test_carried_action_page_shows_the_earlier_history(client_as, personas):
    actor = Actor.for_user(personas["business_unit"])
    action = _action("child-exploitation", CE_LEAD)
    services.progress_update_add(
        action=action, rag="amber", note="Update in the old plan", actor=actor
    )
    [new] = services.actions_carry_over(
        from_plan=_plan(), to_plan=Plan.objects.get(slug="matrix-later"), actor=actor
    )
    page = client_as("business_unit").get(f"/plans/actions/{new.pk}/").content.decode()
    assert "Update in the old plan" in page
    assert "Carried over from" in page
    # No more updates on the old copy.
    response = client_as("business_unit").post(
        f"/plans/actions/{action.pk}/update/", {"rag": "green", "note": "x"}
    )
    assert "carried over to the next plan" in response.content.decode()


def test_public_plan_on_a_page_hides_drafts_and_names(client, personas):
    from partnership.plans.models import PlanStatus

    plan = _plan()
    _action("child-exploitation", CE_LEAD)
    page = client.get(f"/plans/plan/{plan.slug}/on-a-page/").content.decode()
    assert "Outcome for child-exploitation" in page
    assert "Priya Lewis" not in page  # action owners and named leads are not public
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    assert client.get(f"/plans/plan/{plan.slug}/on-a-page/").status_code == 404


def test_evidence_download_serves_the_file_and_goes_on_the_record(client_as, personas):
    from partnership.plans.tests.matrix import an_update_with_evidence

    pk = an_update_with_evidence(personas)["pk"]
    response = client_as("business_unit").get(f"/plans/updates/{pk}/evidence/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Cache-Control"] == "private, no-store"
    entry = AuditEntry.objects.filter(object_id=str(pk), action="download").get()
    assert entry.actor == personas["business_unit"]
    assert "evidence.pdf" in entry.summary
