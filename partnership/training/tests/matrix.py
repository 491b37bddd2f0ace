"""Who may reach each training URL (see partnership/accounts/tests/matrix_support.py)."""

import datetime as dt

from django.utils import timezone

from partnership.accounts.tests.matrix_support import (
    ANONYMOUS,
    EVERYONE,
    SIGN_IN,
    everyone,
    only,
    signed_in,
)
from partnership.directory.models import Organisation
from partnership.reviews.models import LearningTheme
from partnership.training import services
from partnership.training.models import (
    Attendance,
    Booking,
    BookingSource,
    BookingStatus,
    Course,
    NeedsLine,
    NeedsResponse,
    NeedsSurvey,
    PlanEntry,
    PlanSource,
    Respondent,
    Session,
    SurveyStatus,
    Trainer,
    TrainingPlan,
)

TEAM = ["business_unit"]
WITH_A_ROLE = [
    "business_unit",
    "independent_chair",
    "partner_lead",
    "group_member",
    "data_submitter",
    "reviewer",
    "practitioner",
]
AGENCY_ANSWERERS = ["business_unit", "partner_lead", "group_member", "data_submitter"]
OVERSIGHT = ["business_unit", "independent_chair"]
PLAN_READERS = ["business_unit", "independent_chair", "partner_lead"]


def _course() -> Course:
    course, _ = Course.objects.get_or_create(
        slug="matrix-course",
        defaults={
            "title": "Matrix course",
            "course_type": "workshop",
            "level": "2",
            "audience": "Everyone",
            "summary": "A course.",
            "learning_outcomes": "Learn",
        },
    )
    return course


def _session(days=30) -> Session:
    starts = timezone.now() + dt.timedelta(days=days)
    return Session.objects.create(
        course=_course(),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        venue="Huyton",
        capacity=20,
    )


def a_course(personas):
    return {"slug": _course().slug}


def a_session(personas):
    return {"pk": _session().pk}


def a_past_session(personas):
    return {"pk": _session(days=-3).pk}


def _practitioners_booking(days=30, attendance=Attendance.NOT_RECORDED) -> Booking:
    user = Booking._meta.get_field("user").related_model.objects.get(
        email="pat.quinn@staidans.example.org"
    )
    return Booking.objects.create(
        session=_session(days),
        user=user,
        full_name=user.full_name,
        email=user.email,
        status=BookingStatus.CONFIRMED,
        attendance=attendance,
        source=BookingSource.PORTAL,
    )


def practitioners_booking(personas):
    return {"pk": _practitioners_booking().pk}


def practitioners_attended_booking(personas):
    return {"pk": _practitioners_booking(-3, Attendance.ATTENDED).pk}


def evaluation_token(personas):
    booking = _practitioners_booking()
    return {"token": services.feedback_token(booking, Respondent.ATTENDEE)}


def impact_token(personas):
    booking = _practitioners_booking()
    return {"token": services.feedback_token(booking, Respondent.MANAGER)}


def a_trainer(personas):
    return {"pk": Trainer.objects.create(full_name="Matrix Trainer").pk}


def _survey() -> NeedsSurvey:
    survey, _ = NeedsSurvey.objects.get_or_create(year=2030, defaults={"status": SurveyStatus.OPEN})
    return survey


def a_survey(personas):
    return {"year": _survey().year}


def a_housing_trust_line(personas):
    survey = _survey()
    response, _ = NeedsResponse.objects.get_or_create(
        survey=survey, organisation=Organisation.objects.get(slug="knowsley-housing-trust")
    )
    line = NeedsLine.objects.create(
        response=response, theme=LearningTheme.objects.first(), level="1", staff=3
    )
    return {"year": survey.year, "pk": line.pk}


def _plan() -> TrainingPlan:
    plan, _ = TrainingPlan.objects.get_or_create(year=2030, defaults={"survey": _survey()})
    return plan


def a_plan(personas):
    return {"year": _plan().year}


def a_plan_entry(personas):
    entry = PlanEntry.objects.create(
        plan=_plan(), title="Neglect", source=PlanSource.PRIORITY, level="2", places_planned=40
    )
    return {"year": 2030, "pk": entry.pk}


def _own_or_team(code=200):
    return only(["business_unit", "practitioner"], code)


ROWS = {
    # The public portal
    "training:portal": ("get", {}, everyone()),
    "training:courses": ("get", {}, everyone()),
    "training:course": ("get", a_course, everyone()),
    "training:session": ("get", a_session, everyone()),
    "training:book": ("get", a_session, only(WITH_A_ROLE)),
    "training:register": ("get", {}, {**signed_in(302), ANONYMOUS: 200}),
    "training:register-sent": ("get", {}, everyone()),
    "training:register-confirm": ("get", {"token": "not-a-real-token"}, everyone(400)),
    "training:evaluation": ("get", evaluation_token, everyone()),
    "training:impact": ("get", impact_token, everyone()),
    # People's own bookings: the practitioner's, and the training team's view of them
    "training:my-bookings": ("get", {}, signed_in()),
    "training:booking": ("get", practitioners_booking, _own_or_team()),
    "training:booking-cancel": ("get", practitioners_booking, _own_or_team()),
    "training:booking-accept": ("get", practitioners_booking, _own_or_team()),
    "training:booking-calendar": ("get", practitioners_booking, _own_or_team()),
    "training:certificate": ("get", practitioners_attended_booking, _own_or_team()),
    # Running training
    "training:manage": ("get", {}, only(TEAM)),
    "training:manage-courses": ("get", {}, only(TEAM)),
    "training:course-create": ("get", {}, only(TEAM)),
    "training:course-edit": ("get", a_course, only(TEAM)),
    "training:session-create": ("get", {}, only(TEAM)),
    "training:manage-session": ("get", a_session, only(TEAM)),
    "training:session-edit": ("get", a_session, only(TEAM)),
    "training:session-cancel": ("get", a_session, only(TEAM)),
    "training:attendance": ("get", a_past_session, only(TEAM)),
    "training:session-export": ("get", a_session, only(TEAM)),
    "training:booking-cancel-for": ("get", practitioners_booking, only(TEAM)),
    "training:trainers": ("get", {}, only(TEAM)),
    "training:trainer-create": ("get", {}, only(TEAM)),
    "training:trainer-edit": ("get", a_trainer, only(TEAM)),
    "training:rules": ("get", {}, only(TEAM)),
    # Needs analysis and the plan
    "training:surveys": ("get", {}, only(AGENCY_ANSWERERS)),
    "training:survey-create": ("get", {}, only(TEAM)),
    "training:survey": ("get", a_survey, only(OVERSIGHT)),
    "training:survey-edit": ("get", a_survey, only(TEAM)),
    "training:needs-respond": ("get", a_survey, only(AGENCY_ANSWERERS)),
    # The data submitter answers for the housing trust; the other agencies' people do not.
    "training:needs-line-remove": (
        "post",
        a_housing_trust_line,
        only(["business_unit", "data_submitter"], 302),
    ),
    "training:plans": ("get", {}, only(PLAN_READERS)),
    "training:plan-create": ("get", {}, only(TEAM)),
    "training:plan": ("get", a_plan, only(PLAN_READERS)),
    "training:plan-edit": ("get", a_plan, only(TEAM)),
    "training:plan-from-needs": ("post", a_plan, only(TEAM, 302)),
    "training:plan-entry-create": ("get", a_plan, only(TEAM)),
    "training:plan-entry-edit": ("get", a_plan_entry, only(TEAM)),
    # Reports
    "training:reports": ("get", {}, only(PLAN_READERS)),
    "training:report-csv": ("get", {}, only(PLAN_READERS)),
    "training:report-xlsx": ("get", {}, only(PLAN_READERS)),
    # The API takes agency tokens only.
    "api:list_sessions": ("get", {}, everyone(401)),
    "api:get_session": ("get", {"session_id": 1}, everyone(401)),
    "api:create_booking": ("post", {"session_id": 1}, everyone(401)),
    "api:list_bookings": ("get", {}, everyone(401)),
    "api:get_booking": ("get", {"booking_id": 1}, everyone(401)),
    "api:cancel_booking": ("post", {"booking_id": 1}, everyone(401)),
}

assert all(set(expected) == set(EVERYONE) for _, _, expected in ROWS.values())
assert SIGN_IN
