"""A return from carry-forward to submission, moderation, challenge and action plan."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partnership.audits.selfassessment import services
from partnership.audits.selfassessment.demo import EVIDENCE_PDF
from partnership.audits.selfassessment.models import (
    ActionPlanItem,
    Cycle,
    ReturnStatus,
    SelfAssessment,
)
from partnership.audits.selfassessment.work import items_waiting_for
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_new_cycle_gets_its_timetable_from_the_start_and_the_defaults(cycle, today):
    # 2 March 2026 + 8 weeks = 27 April; +4 = 25 May; +2 = 8 June; +2 = 22 June; +12 = 14 Sep.
    assert cycle.window_closes_on == dt.date(2026, 4, 27)
    assert cycle.moderation_by == dt.date(2026, 5, 25)
    assert cycle.challenge_event_on == dt.date(2026, 6, 8)
    assert cycle.feedback_by == dt.date(2026, 6, 22)
    assert cycle.actions_due_on == dt.date(2026, 9, 14)
    assert cycle.next_cycle_on == dt.date(2028, 3, 2)
    assert cycle.returns.count() == 19  # 3 partners and 16 relevant agencies


def test_last_cycles_answers_scores_and_files_are_carried_forward(housing_return, last_cycle):
    before = last_cycle.returns.get(organisation=housing_return.organisation)
    old = {a.standard.code: a for a in before.answers.select_related("standard")}
    for answer in housing_return.answers.select_related("standard"):
        assert answer.carried_forward
        assert answer.score == old[answer.standard.code].score
        assert answer.narrative == old[answer.standard.code].narrative
    files = sorted(
        housing_return.answers.filter(evidence__isnull=False).values_list(
            "standard__code", "evidence__name"
        )
    )
    assert files == [("2", "standard-2-evidence.pdf"), ("8", "standard-8-evidence.pdf")]


def test_submit_locks_the_return_and_makes_an_action_for_each_standard_not_met(
    personas, housing_return, today
):
    dana = personas["data_submitter"]
    services.assessment_submit(assessment=housing_return, actor=Actor.for_user(dana), today=today)
    housing_return.refresh_from_db()
    assert housing_return.status == ReturnStatus.SUBMITTED
    # The housing trust scored itself 1 on standard 9 last cycle (carried forward): not met.
    actions = list(ActionPlanItem.objects.filter(answer__assessment=housing_return))
    assert [a.answer.standard.code for a in actions] == ["9"]
    assert actions[0].owner == dana
    answer = housing_return.answers.get(standard__code="1")
    with pytest.raises(ValidationError, match="has been submitted"):
        services.answer_save(answer=answer, score=3, narrative="", actor=Actor.for_user(dana))


def test_moderating_a_standard_down_puts_an_action_on_the_contacts_work(
    personas, housing_return, today
):
    dana, bea = personas["data_submitter"], personas["business_unit"]
    services.assessment_submit(assessment=housing_return, actor=Actor.for_user(dana), today=today)
    answer = housing_return.answers.get(standard__code="8")
    assert answer.score == 2
    services.answer_moderate(
        answer=answer, moderated_score=1, challenge="No DBS renewals", actor=Actor.for_user(bea)
    )
    titles = [item.title for item in items_waiting_for(dana, today=today)]
    assert titles == [
        "Standard 9: Appropriate supervision and support for staff, including undertaking "
        "safeguarding training",
        "Standard 8: Safe recruitment practices and ongoing safe working practices for "
        "individuals who work regularly with children",
    ]
    services.challenge_answer(answer=answer, response="Renewals booked", actor=Actor.for_user(dana))
    answer.refresh_from_db()
    assert (answer.final_score, answer.challenge_response) == (1, "Renewals booked")


def test_a_score_out_of_range_is_refused_and_nothing_saved(personas, housing_return):
    answer = housing_return.answers.get(standard__code="1")
    with pytest.raises(ValidationError, match="from 0 to 3"):
        services.answer_save(
            answer=answer,
            score=4,
            narrative="New",
            actor=Actor.for_user(personas["data_submitter"]),
        )
    answer.refresh_from_db()
    assert answer.narrative != "New"


def test_a_return_after_the_window_is_refused_until_reopened_and_history_is_kept(
    personas, housing_return, today
):
    dana, bea = (
        Actor.for_user(personas["data_submitter"]),
        Actor.for_user(personas["business_unit"]),
    )
    late = housing_return.cycle.window_closes_on + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="The window closed on 27 April 2026"):
        services.assessment_submit(assessment=housing_return, actor=dana, today=late)
    services.assessment_submit(assessment=housing_return, actor=dana, today=today)
    services.assessment_reopen(
        assessment=housing_return, reason="New evidence", due_on=late, actor=bea, today=today
    )
    services.assessment_submit(assessment=housing_return, actor=dana, today=late)
    numbers = list(housing_return.submissions.values_list("number", "reopened_reason"))
    assert numbers == [(1, "New evidence"), (2, "")]


def test_an_evidence_file_of_the_wrong_type_is_refused(client_as, housing_return):
    client = client_as("data_submitter")
    answer = housing_return.answers.get(standard__code="1")
    url = f"/audits/self-assessments/returns/{housing_return.pk}/answers/{answer.pk}/"
    response = client.post(
        url,
        {"score": "3", "narrative": "Changed", "evidence": SimpleUploadedFile("run.exe", b"MZ")},
    )
    assert response.status_code == 200
    assert "The evidence file must be a PDF or DOCX" in response.content.decode()
    answer.refresh_from_db()
    assert answer.narrative != "Changed"
    response = client.post(
        url,
        {
            "score": "3",
            "narrative": "Changed",
            "evidence": SimpleUploadedFile("policy.pdf", EVIDENCE_PDF),
        },
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.score == 3
    assert answer.evidence.filter(name="policy.pdf", carried_forward=False).exists()


def test_an_agency_sees_only_its_own_returns_and_every_read_is_on_the_trail(
    personas, client_as, cycle, housing_return
):
    dana = personas["data_submitter"]
    visible = SelfAssessment.objects.visible_to(dana)
    # This cycle's and last cycle's: the housing trust's own, nobody else's.
    assert sorted(visible.values_list("organisation__name", "cycle__name")) == [
        ("Knowsley Housing Trust", "Section 11 audit 2024"),
        ("Knowsley Housing Trust", "Section 11 audit 2026"),
    ]
    other = cycle.returns.get(organisation__name="Merseyside Police")
    client = client_as("data_submitter")
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(housing_return.get_absolute_url()).status_code == 200
    assert AuditEntry.objects.filter(
        action="view", object_id=str(housing_return.pk), actor=dana
    ).exists()
    assert Cycle.objects.visible_to(personas["practitioner"]).count() == 0
    assert Cycle.objects.visible_to(personas["group_member"]).count() == 2  # NWBH has returns


def test_the_challenge_event_is_a_groups_meeting_shown_on_the_cycle(client_as, cycle, personas):
    import datetime as dt

    from django.utils import timezone

    from partnership.governance.models import Group, Meeting

    group = Group.objects.get(slug="core-business-group")
    starts = timezone.make_aware(dt.datetime(2026, 6, 10, 10))
    meeting = Meeting.objects.create(
        group=group, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), location="Huyton"
    )
    client = client_as("business_unit")
    url = f"/audits/self-assessments/cycles/{cycle.pk}/challenge-event/"
    assert client.post(url, {"meeting": ""}).content.decode().count("Choose the meeting") >= 1
    assert client.post(url, {"meeting": str(meeting.pk)}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.challenge_event_on == dt.date(2026, 6, 10)
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert f'href="{meeting.get_absolute_url()}"' in page


def test_a_score_out_of_range_on_the_form_gets_a_clear_error(client_as, housing_return):
    answer = housing_return.answers.get(standard__code="1")
    url = f"/audits/self-assessments/returns/{housing_return.pk}/answers/{answer.pk}/"
    page = client_as("data_submitter").post(url, {"score": "4", "narrative": "New"})
    assert "The score must be from 0 to 3" in page.content.decode()
    answer.refresh_from_db()
    assert answer.narrative != "New"


def test_the_return_pdf_and_the_cycles_xlsx_hold_the_scores(
    client_as, personas, housing_return, today
):
    import io

    from openpyxl import load_workbook

    services.assessment_submit(
        assessment=housing_return, actor=Actor.for_user(personas["data_submitter"]), today=today
    )
    client = client_as("business_unit")
    pdf = client.get(f"/audits/self-assessments/returns/{housing_return.pk}/return.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/audits/self-assessments/cycles/{housing_return.cycle_id}/returns.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    housing = rows["Knowsley Housing Trust"]
    assert housing[1] == "Submitted"
    # Standards 1 to 11, own score then moderated: carried forward 2s, with a 1 on standard 9.
    assert housing[3::2] == (2, 2, 2, 2, 2, 2, 2, 2, 1, 2, 2)
    assert rows["Merseyside Police"][1] == "Not started"
    assert AuditEntry.objects.filter(action="export", summary__contains="XLSX").exists()


def test_the_return_shows_last_cycles_final_score_beside_each_standard(
    client_as, housing_return, last_cycle
):
    before = last_cycle.returns.get(organisation=housing_return.organisation)
    answer = before.answers.get(standard__code="9")
    answer.moderated_score = 0
    answer.save()
    page = client_as("data_submitter").get(housing_return.get_absolute_url()).content.decode()
    section = page.split('id="standard-9"', 1)[1].split("</section>", 1)[0]
    assert "Last cycle&#39;s final score" in section
    assert "0: not met" in section  # the moderated score, not the own score of 1
