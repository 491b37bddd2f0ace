"""Submit once, share with several partnerships: a return exported here imports into an
empty database (another partnership's platform) with the same scores."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from partnership.accounts.models import Role, RoleGrant, User
from partnership.audits.selfassessment import services
from partnership.audits.selfassessment.models import (
    Cycle,
    Evidence,
    SelfAssessment,
    StandardSet,
)
from partnership.directory.models import Organisation
from partnership.trail.actors import Actor


def _scores(assessment):
    return {
        a["standard__code"]: (a["score"], a["moderated_score"], a["narrative"])
        for a in assessment.answers.values(
            "standard__code", "score", "moderated_score", "narrative"
        )
    }


@pytest.mark.django_db(transaction=True)
def test_an_exported_return_imports_into_an_empty_database_with_the_same_scores(
    personas, housing_return, today
):
    dana, bea = personas["data_submitter"], personas["business_unit"]
    services.assessment_submit(assessment=housing_return, actor=Actor.for_user(dana), today=today)
    answer = housing_return.answers.get(standard__code="8")
    services.answer_moderate(
        answer=answer, moderated_score=1, challenge="", actor=Actor.for_user(bea)
    )
    expected = _scores(housing_return)
    expected_files = sorted(
        Evidence.objects.filter(answer__assessment=housing_return).values_list(
            "answer__standard__code", "name", "size"
        )
    )
    content = services.assessment_export(assessment=housing_return, actor=Actor.for_user(bea))
    assert json.loads(content)["format"] == "partnership.self-assessment-return"

    # Another partnership's platform: a database with nothing in it.
    call_command("flush", interactive=False, verbosity=0)
    assert not Organisation.objects.exists() and not Cycle.objects.exists()
    assert not StandardSet.objects.exists()
    someone = User.objects.create_user("manager@other.example.org", full_name="Other Manager")
    RoleGrant.objects.create(user=someone, role=Role.BUSINESS_UNIT)

    imported = services.assessment_import(
        content=content, file_name="return-kht.json", actor=Actor.for_user(someone)
    )
    imported = SelfAssessment.objects.get(pk=imported.pk)
    assert imported.organisation.name == "Knowsley Housing Trust"
    assert imported.cycle.name == "Section 11 audit 2026"
    assert _scores(imported) == expected
    assert imported.answers.get(standard__code="8").final_score == 1
    assert (
        sorted(
            Evidence.objects.filter(answer__assessment=imported).values_list(
                "answer__standard__code", "name", "size"
            )
        )
        == expected_files
    )
    # Importing it twice is refused, and nothing more is saved.
    with pytest.raises(ValidationError, match="already has a return"):
        services.assessment_import(
            content=content, file_name="again.json", actor=Actor.for_user(someone)
        )
    assert SelfAssessment.objects.count() == 1


@pytest.mark.django_db
def test_a_return_file_with_bad_scores_is_refused_whole(personas, housing_return, today):
    dana, bea = personas["data_submitter"], personas["business_unit"]
    services.assessment_submit(assessment=housing_return, actor=Actor.for_user(dana), today=today)
    document = json.loads(
        services.assessment_export(assessment=housing_return, actor=Actor.for_user(bea))
    )
    document["cycle"]["name"] = "Someone else's cycle"
    document["answers"][0]["score"] = 7
    document["answers"][1]["standard"] = "99"
    before = SelfAssessment.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.assessment_import(
            content=json.dumps(document).encode(), file_name="bad.json", actor=Actor.for_user(bea)
        )
    messages = refused.value.message_dict["file"]
    assert "answer 1 (standard 1) score: must be a whole number from 0 to 3" in messages
    assert "answer 2 (standard 99): no such standard in the set" in messages
    assert SelfAssessment.objects.count() == before
    assert not Cycle.objects.filter(name="Someone else's cycle").exists()


@pytest.mark.django_db
def test_a_standard_set_import_is_checked_whole(personas):
    bea = Actor.for_user(personas["business_unit"])
    bad = {
        "kind": "section_11",
        "slug": "ours",
        "name": "Ours",
        "standards": [{"code": "1", "title": "One"}, {"code": "1", "title": ""}],
    }
    with pytest.raises(ValidationError) as refused:
        services.standard_set_import(content=json.dumps(bad).encode(), actor=bea)
    assert refused.value.message_dict["file"] == [
        "standard 2 code: 1 is used twice",
        "standard 2 title: enter the text",
    ]
    assert not StandardSet.objects.exists()
    bad["standards"][1] = {"code": "2", "title": "Two", "items": ["An item"]}
    made = services.standard_set_import(content=json.dumps(bad).encode(), actor=bea)
    assert list(made.standards.values_list("code", "items")) == [("1", []), ("2", ["An item"])]
