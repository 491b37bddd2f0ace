"""Training in the Knowsley demo: two years' programmes, and sessions to book now.

From the seeds: "CSE for Practitioners" (seed 000), briefings by Catch 22 on missing
children and exploitation (000), the e-learning "Safeguarding Children from Abuse and
Exploitation" (000), the 60-minute briefing "The Thrive System" on 11 February 2021, 10am to
11am, delivered by Jan Jackson (CAMHS Manager), Lindsey Lawrence (Operational Manager) and a
representative from KOOTH (003), and virtual briefings for 60 and more volunteers from the
community and voluntary sector (003), with their feedback. The needs analysis and the plans
for 2019 to 2020 and 2020 to 2021 link to the partnership's three priorities (002); the
years since, up to the current one (April to March), have an invented needs analysis and a
plan drafted from it, and next year's analysis is open. Sessions are only ever on working
days. The training officer is Rachel Ince, the KSCP Training Officer who advises the Review
and Learning Group in the governance demo, with the same directory entry.

Everything is written directly (no services), so loading the demo sends no email and writes
no audit entries. `build` is idempotent: run it again and nothing is duplicated; the upcoming
sessions are made relative to the day it first runs and are not made again while some are
still to come.
"""

import datetime as dt
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from partnership.lib.working_days import add_working_days, is_working_day
from partnership.reviews.models import LearningTheme

from .models import (
    Attendance,
    Booking,
    BookingSource,
    BookingStatus,
    Course,
    CourseType,
    Evaluation,
    ImpactResponse,
    Learner,
    Level,
    NeedsLine,
    NeedsResponse,
    NeedsSurvey,
    PlanEntry,
    PlanSource,
    PlanStatus,
    Session,
    SurveyStatus,
    Trainer,
    TrainingPlan,
    plan_year_label,
    plan_year_of,
)

VENUE = "Huyton Municipal Buildings, Archway Road, Huyton L36 9YU"
KIRKBY = "Kirkby Centre, Norwood Road, Kirkby L32 8UP"

# The partnership's training officer: the governance demo's adviser to the Review and
# Learning Group (partnership/demo/knowsley.py), one person wherever they appear.
TRAINING_OFFICER = "Rachel Ince"
TRAINING_OFFICER_JOB_TITLE = "Training Officer"
# The name earlier versions of this demo gave the training officer, put right on loading.
FORMER_TRAINING_OFFICER = "Karen Doyle"

TRAINERS = [
    # (name, role, organisation or None)
    ("Jan Jackson", "CAMHS Manager", "North West Boroughs Healthcare"),
    ("Lindsey Lawrence", "Operational Manager", "North West Boroughs Healthcare"),
    ("A representative from KOOTH", "Kooth, online mental wellbeing service", None),
    ("Catch 22 Missing and Child Exploitation Team", "Catch 22", None),
    (TRAINING_OFFICER, "KSCP Training Officer", "Knowsley Council"),
    ("DS Mark Bennett", "Public Protection Unit", "Merseyside Police"),
    (
        "Sarah Whitfield",
        "Designated Nurse for Safeguarding",
        "Knowsley Clinical Commissioning Group",
    ),
]

COURSES = [
    {
        "title": "CSE for Practitioners",
        "course_type": CourseType.WORKSHOP,
        "level": Level.WORKING_TOGETHER,
        "audience": "Practitioners from every agency who work with children and young people",
        "summary": "Raising awareness of the risks of child sexual exploitation: how it happens, "
        "the signs, and what to do, drawing on the learning from local reviews.",
        "learning_outcomes": "Recognise the signs and risks of child sexual exploitation\n"
        "Understand grooming, online and offline\n"
        "Know how to share concerns and refer in Knowsley\n"
        "Apply the learning from the review of Child S to your own practice",
        "themes": ["child-sexual-exploitation-cse", "missing-from-home-or-care", "online-harm"],
        "trainers": ["DS Mark Bennett", TRAINING_OFFICER],
        "hours": 3,
    },
    {
        "title": "The Thrive System – Supporting Emotional Mental Health and Well Being in Knowsley",
        "course_type": CourseType.BRIEFING_60,
        "level": Level.AWARENESS,
        "audience": "Practitioners in every agency, particularly schools",
        "summary": "To support practitioners in their understanding of child mental health, "
        "particularly the local picture.",
        "learning_outcomes": "What we know about young people's emotional health and wellbeing, "
        "particularly during the 2020 to 2021 lockdowns\n"
        "Thrive is everyone's business\n"
        "Young people should be supported at the most appropriate level by the system and given "
        "the right information to enable self-support\n"
        "The Thrive quadrants: case studies from each quadrant\n"
        "CAMHS: difficult to get into?\n"
        "Children's eating disorders: a perfect storm\n"
        "Mental health in schools: a new initiative\n"
        "Support available in Knowsley",
        "themes": ["mental-health"],
        "trainers": ["Jan Jackson", "Lindsey Lawrence", "A representative from KOOTH"],
        "hours": 1,
    },
    {
        "title": "Missing Children and the Risks of Exploitation",
        "course_type": CourseType.BRIEFING_60,
        "level": Level.WORKING_TOGETHER,
        "audience": "Practitioners who work with children who go missing from home or care",
        "summary": "A briefing by Catch 22 on children who go missing, return home interviews "
        "and the links with criminal and sexual exploitation.",
        "learning_outcomes": "Understand the links between going missing and exploitation\n"
        "Know what a return home interview is for\n"
        "Know how to share information about a missing child",
        "themes": ["missing-from-home-or-care", "child-criminal-exploitation"],
        "trainers": ["Catch 22 Missing and Child Exploitation Team"],
        "hours": 1,
    },
    {
        "title": "Safeguarding Children from Abuse and Exploitation (e-learning)",
        "course_type": CourseType.E_LEARNING,
        "level": Level.AWARENESS,
        "audience": "Anyone who works or volunteers with children, paid or unpaid",
        "summary": "The partnership's online course: the basics of safeguarding children, at "
        "your own pace, in about 2 hours.",
        "learning_outcomes": "Recognise the signs of abuse, neglect and exploitation\n"
        "Know what to do if you are worried about a child\n"
        "Understand your role in keeping children safe",
        "themes": ["child-sexual-exploitation-cse", "neglect", "domestic-abuse"],
        "trainers": [],
        "hours": 2,
    },
    {
        "title": "Safeguarding roles and responsibilities for volunteers",
        "course_type": CourseType.BRIEFING_60,
        "level": Level.AWARENESS,
        "audience": "Volunteers and practitioners in the community and voluntary sector",
        "summary": "A virtual briefing on your role and responsibilities, equipping you with "
        "the skills and knowledge to safeguard children and adults at risk.",
        "learning_outcomes": "Know your role and responsibilities in safeguarding\n"
        "Recognise when a child or adult may be at risk\n"
        "Know who to tell and how\n"
        "Understand professional curiosity and asking difficult questions",
        "themes": ["professional-curiosity", "voice-of-the-child"],
        "trainers": [TRAINING_OFFICER],
        "hours": 1,
    },
    {
        "title": "Neglect and the Graded Care Profile 2",
        "course_type": CourseType.WORKSHOP,
        "level": Level.WORKING_TOGETHER,
        "audience": "Practitioners who assess children's needs",
        "summary": "Recognising and responding to neglect, and using the Graded Care Profile 2 "
        "to measure the care a child receives.",
        "learning_outcomes": "Recognise neglect and its impact on children\n"
        "Use the Graded Care Profile 2 with families\n"
        "Escalate when a plan is not making a difference",
        "themes": ["neglect", "multi-agency-working"],
        "trainers": ["Sarah Whitfield", TRAINING_OFFICER],
        "hours": 3,
    },
    {
        "title": "Domestic Abuse and its Impact on Children",
        "course_type": CourseType.SEMINAR,
        "level": Level.WORKING_TOGETHER,
        "audience": "Practitioners in every agency",
        "summary": "The impact on children of living with domestic abuse, Operation "
        "Encompass, and adverse childhood experiences.",
        "learning_outcomes": "Understand the impact of domestic abuse on children\n"
        "Know how Operation Encompass works in Knowsley schools\n"
        "Understand adverse childhood experiences",
        "themes": ["domestic-abuse"],
        "trainers": ["DS Mark Bennett"],
        "hours": 2,
    },
    {
        "title": "Learning from Child S: 7-minute briefing",
        "course_type": CourseType.BRIEFING_7,
        "level": Level.AWARENESS,
        "audience": "Every practitioner, education professionals and foster carers in particular",
        "summary": "The learning from the serious case review of Child S, in seven minutes, for "
        "teams to discuss together.",
        "learning_outcomes": "Know the learning from the review of Child S\n"
        "Reflect on early intervention and evaluating its impact",
        "themes": ["child-sexual-exploitation-cse", "neglect"],
        "trainers": [TRAINING_OFFICER],
        "hours": 1,
    },
    {
        "title": "Annual Workforce Conference",
        "course_type": CourseType.CONFERENCE,
        "level": Level.WORKING_TOGETHER,
        "audience": "The whole children's workforce in Knowsley",
        "summary": "The partnership's yearly conference, on what we have learnt from reviews "
        "and what is changing in practice.",
        "learning_outcomes": "Hear the learning from local and national reviews\n"
        "Meet colleagues from other agencies",
        "themes": ["child-sexual-exploitation-cse", "multi-agency-working"],
        "trainers": [TRAINING_OFFICER, "DS Mark Bennett"],
        "hours": 6,
    },
]

# Past sessions: (course title (start), date, start hour, minute, capacity, venue)
PAST_SESSIONS = [
    ("CSE for Practitioners", dt.date(2019, 6, 12), 9, 30, 25, VENUE),
    ("CSE for Practitioners", dt.date(2019, 10, 9), 9, 30, 25, KIRKBY),
    ("CSE for Practitioners", dt.date(2020, 2, 5), 9, 30, 25, VENUE),
    ("Missing Children", dt.date(2019, 7, 3), 13, 0, 40, VENUE),
    ("Missing Children", dt.date(2019, 11, 20), 13, 0, 40, KIRKBY),
    ("Neglect and the Graded", dt.date(2019, 9, 18), 9, 30, 20, VENUE),
    ("Neglect and the Graded", dt.date(2020, 1, 22), 9, 30, 20, KIRKBY),
    ("Domestic Abuse", dt.date(2019, 11, 6), 10, 0, 50, VENUE),
    (
        "Annual Workforce Conference",
        dt.date(2019, 10, 16),
        9,
        0,
        150,
        "Knowsley Leisure and Culture Park, Longview Drive, Huyton L36 6EG",
    ),
    ("Learning from Child S", dt.date(2020, 3, 4), 12, 30, 30, VENUE),
    ("CSE for Practitioners", dt.date(2020, 10, 14), 9, 30, 20, ""),
    ("CSE for Practitioners", dt.date(2021, 3, 10), 9, 30, 20, ""),
    ("Safeguarding roles and responsibilities", dt.date(2021, 1, 13), 18, 30, 30, ""),
    ("Safeguarding roles and responsibilities", dt.date(2021, 1, 20), 18, 30, 30, ""),
    ("Safeguarding roles and responsibilities", dt.date(2021, 1, 27), 10, 0, 30, ""),
    ("The Thrive System", dt.date(2021, 2, 11), 10, 0, 100, ""),
    ("Neglect and the Graded", dt.date(2020, 11, 25), 9, 30, 16, ""),
    ("Domestic Abuse", dt.date(2021, 2, 24), 10, 0, 60, ""),
]

# Upcoming: (course title (start), days from the day the demo is loaded, hour, capacity, venue)
UPCOMING_SESSIONS = [
    ("CSE for Practitioners", 16, 9, 25, VENUE),
    ("The Thrive System", 23, 10, 80, ""),
    ("Neglect and the Graded", 30, 9, 6, KIRKBY),
    ("Safeguarding roles and responsibilities", 37, 18, 30, ""),
    ("Domestic Abuse", 51, 10, 50, VENUE),
    ("Missing Children", 58, 13, 40, VENUE),
    (
        "Annual Workforce Conference",
        93,
        9,
        150,
        "Knowsley Leisure and Culture Park, Longview Drive, Huyton L36 6EG",
    ),
    ("Safeguarding Children from Abuse", 1, 0, 500, ""),
]

FEEDBACK = [
    "I thought the zoom session was excellent and very informative",
    "Clear, simple and to the point information. I enjoyed the interaction within the chat "
    "room, and the opportunity to discuss with others.",
    "Thank you for the course today, absolutely loved it, learnt a great deal from it.",
    "Always good to be reminded of professional curiosity and sometimes asking the difficult "
    "questions can lead to good outcomes",
]

FIRST = ["Amy", "Ben", "Carla", "Dan", "Eve", "Faye", "Gary", "Hannah", "Ian", "Jade", "Kieran",
         "Laura", "Mike", "Nadia", "Owen", "Paula", "Rob", "Sian", "Tom", "Vicky", "Wes", "Zoe"]  # fmt: skip
LAST = ["Ashton", "Byrne", "Carroll", "Doyle", "Evans", "Flynn", "Garner", "Hughes", "Kelly",
        "Lowe", "McCann", "Nolan", "Parry", "Quigley", "Roberts", "Shaw", "Tyrer", "Walsh"]  # fmt: skip
ROLES = ["Social Worker", "Teacher", "Health Visitor", "School Nurse", "Youth Worker",
         "Family Support Worker", "Police Constable", "Housing Officer", "Volunteer"]  # fmt: skip

PRIORITIES = [
    ("Child exploitation", "child-exploitation", "Merseyside Police"),
    ("Domestic abuse", "domestic-abuse", "Knowsley Council"),
    ("Neglect", "neglect", "Knowsley Clinical Commissioning Group"),
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _course(title_start: str) -> Course:
    return Course.objects.get(title__startswith=title_start)


# The learning themes the demo uses (the reviews module seeds them; found or made here too).
THEMES = {
    "child-sexual-exploitation-cse": "Child sexual exploitation (CSE)",
    "child-criminal-exploitation": "Child criminal exploitation",
    "missing-from-home-or-care": "Missing from home or care",
    "online-harm": "Online harm",
    "mental-health": "Mental health",
    "neglect": "Neglect",
    "domestic-abuse": "Domestic abuse",
    "professional-curiosity": "Professional curiosity",
    "voice-of-the-child": "Voice of the child",
    "multi-agency-working": "Multi-agency working",
}


def _themes() -> dict[str, LearningTheme]:
    themes = {}
    for order, (slug, name) in enumerate(THEMES.items(), start=1):
        theme = LearningTheme.objects.filter(Q(slug=slug) | Q(name__iexact=name)).first()
        if theme is None:
            theme = LearningTheme.objects.create(name=name, slug=slug, display_order=order * 10)
        themes[slug] = theme
    return themes


@transaction.atomic
def build(organisations: dict, users: dict) -> dict[str, int]:
    """Make (or find) the demo's training; returns counts of what is there."""
    rng = random.Random(2021)
    themes = _themes()
    trainers = _trainers(organisations)
    for spec in COURSES:
        _build_course(spec, themes, trainers)
    agencies = [
        organisation
        for name, organisation in organisations.items()
        if name not in {"Independent reviewers", "Merseyside Safeguarding Adults Board"}
    ]
    for title, day, hour, minute, capacity, venue in PAST_SESSIONS:
        session = _session(_course(title), _at(day, hour, minute), capacity, venue, trainers)
        if not session.bookings.exists():
            _past_bookings(session, agencies, rng)
    _upcoming(agencies, rng, trainers)
    _personas_bookings(users)
    priorities = _priorities(organisations)
    _needs_and_plans(organisations, themes, priorities)
    return {
        "courses": Course.objects.count(),
        "sessions": Session.objects.count(),
        "bookings": Booking.objects.count(),
        "evaluations": Evaluation.objects.count(),
    }


def _trainers(organisations) -> dict[str, Trainer]:
    from partnership.demo.knowsley import person_for

    # The training officer's directory entry (the one the governance demo makes): their
    # trainer record has its email, so both say the same about one person.
    officer = person_for(
        TRAINING_OFFICER, TRAINING_OFFICER_JOB_TITLE, organisations["Knowsley Council"]
    )
    if not Trainer.objects.filter(full_name=TRAINING_OFFICER).exists():
        Trainer.objects.filter(full_name=FORMER_TRAINING_OFFICER).update(
            full_name=TRAINING_OFFICER, email=officer.email
        )
    trainers = {}
    for name, role, organisation in TRAINERS:
        trainers[name], _ = Trainer.objects.get_or_create(
            full_name=name,
            defaults={
                "job_title": role,
                "organisation": organisations.get(organisation),
                "email": officer.email if name == TRAINING_OFFICER else "",
            },
        )
    return trainers


def _build_course(spec: dict, themes: dict, trainers: dict) -> Course:
    fields = {
        key: spec[key]
        for key in ("course_type", "level", "audience", "summary", "learning_outcomes")
    }
    course, created = Course.objects.get_or_create(
        title=spec["title"], defaults={**fields, "slug": slugify(spec["title"])[:80]}
    )
    if created:
        course.themes.set([themes[slug] for slug in spec["themes"] if slug in themes])
    return course


def _session(course, starts_at, capacity, venue, trainers, days=None) -> Session:
    spec = next(spec for spec in COURSES if spec["title"] == course.title)
    ends_at = starts_at + (dt.timedelta(days=days) if days else dt.timedelta(hours=spec["hours"]))
    session, created = Session.objects.get_or_create(
        course=course,
        starts_at=starts_at,
        defaults={
            "ends_at": ends_at,
            "venue": venue,
            "online_link": "" if venue else "https://meet.example.org/kscp-training",
            "capacity": capacity,
            "joining_instructions": "Join on Zoom: the link is in your confirmation email."
            if not venue
            else "Please arrive 15 minutes early to sign in. Free parking on site.",
        },
    )
    if created:
        session.trainers.set([trainers[name] for name in spec["trainers"]])
    return session


def _person(rng, agencies, number):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    organisation = rng.choice(agencies)
    email = f"{first}.{last}.{number}@{organisation.slug[:30]}.example.org".lower()
    return f"{first} {last}", email, organisation


def _past_bookings(session: Session, agencies, rng) -> None:
    """A delivered session: places filled, attendance taken, evaluations and follow-ups."""
    filled = min(session.capacity, max(3, round(session.capacity * rng.uniform(0.7, 1.0))))
    volunteers = session.course.title.startswith("Safeguarding roles")
    bookings = []
    for number in range(filled):
        name, email, organisation = _person(rng, agencies, f"{session.pk}-{number}")
        roll = rng.random()
        attendance = (
            Attendance.ATTENDED
            if roll < 0.85
            else Attendance.NO_SHOW
            if roll < 0.95
            else Attendance.LATE_CANCELLATION
        )
        bookings.append(
            Booking(
                session=session,
                full_name=name,
                email=email,
                job_title="Volunteer" if volunteers else rng.choice(ROLES),
                organisation=None if volunteers else organisation,
                organisation_other=f"{rng.choice(['Huyton', 'Kirkby', 'Prescot', 'Halewood'])} "
                f"{rng.choice(['Community Church', 'Youth Club', 'Juniors FC', 'Food Bank'])}"
                if volunteers
                else "",
                manager_email=f"manager.{number}@{organisation.slug[:30]}.example.org"
                if rng.random() < 0.7
                else "",
                status=BookingStatus.CONFIRMED
                if attendance != Attendance.LATE_CANCELLATION
                else BookingStatus.CANCELLED,
                attendance=attendance,
                charge=None,
                source=BookingSource.IMPORTED,
                created_at=session.starts_at - dt.timedelta(days=rng.randint(3, 40)),
                confirmed_at=session.starts_at - dt.timedelta(days=rng.randint(3, 40)),
                cancelled_at=session.starts_at - dt.timedelta(days=1)
                if attendance == Attendance.LATE_CANCELLATION
                else None,
            )
        )
    Booking.objects.bulk_create(bookings)
    Session.objects.filter(pk=session.pk).update(
        places_taken=sum(1 for b in bookings if b.status == BookingStatus.CONFIRMED)
    )
    attended = [b for b in bookings if b.attendance == Attendance.ATTENDED]
    evaluations, impacts = [], []
    for booking in attended:
        if rng.random() < 0.72:
            before = rng.randint(1, 3)
            evaluations.append(
                Evaluation(
                    booking=booking,
                    overall=rng.choice([4, 5, 5, 5, 4, 3]),
                    trainer=rng.choice([4, 5, 5]),
                    outcomes_met=rng.choice(["fully", "fully", "mostly", "partly"]),
                    confidence_before=before,
                    confidence_after=min(5, before + rng.randint(1, 2)),
                    most_useful=rng.choice(FEEDBACK) if volunteers or rng.random() < 0.3 else "",
                    submitted_at=session.ends_at + dt.timedelta(days=rng.randint(0, 5)),
                )
            )
        if rng.random() < 0.4:
            impacts.append(
                ImpactResponse(
                    booking=booking,
                    respondent="attendee",
                    learning_applied=rng.choice(["often", "sometimes", "sometimes", "not_yet"]),
                    impact=rng.choice([3, 4, 4, 5]),
                    example=rng.choice(
                        [
                            "I made an earlier referral to the front door than I would have.",
                            "Our team now uses the checklist in supervision.",
                            "",
                        ]
                    ),
                    submitted_at=session.ends_at + dt.timedelta(weeks=6, days=rng.randint(0, 10)),
                )
            )
            if booking.manager_email and rng.random() < 0.5:
                impacts.append(
                    ImpactResponse(
                        booking=booking,
                        respondent="manager",
                        learning_applied=rng.choice(["often", "sometimes"]),
                        impact=rng.choice([3, 4, 5]),
                        submitted_at=session.ends_at + dt.timedelta(weeks=7),
                    )
                )
    Evaluation.objects.bulk_create(evaluations)
    ImpactResponse.objects.bulk_create(impacts)


def _upcoming(agencies, rng, trainers) -> None:
    now = timezone.now()
    if Session.objects.filter(starts_at__gt=now).exists():
        return  # made on an earlier run and still to come
    today = timezone.localdate()
    for title, days, hour, capacity, venue in UPCOMING_SESSIONS:
        course = _course(title)
        day = today + dt.timedelta(days=days)
        # Never on a weekend or a bank holiday: the next working day instead.
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        if course.course_type == CourseType.E_LEARNING:
            # E-learning: licences open for six months from tomorrow.
            session = _session(course, _at(day, 0), capacity, "", trainers, days=182)
        else:
            session = _session(
                course, _at(day, hour, 30 if hour == 9 else 0), capacity, venue, trainers
            )
        # Fill some: one to its limit with a waiting list, so the queue can be seen.
        wanted = capacity + 3 if capacity <= 6 else rng.randint(capacity // 4, capacity // 2)
        bookings = []
        for number in range(wanted):
            name, email, organisation = _person(rng, agencies, f"{session.pk}-{number}")
            holds = number < capacity
            bookings.append(
                Booking(
                    session=session,
                    full_name=name,
                    email=email,
                    job_title=rng.choice(ROLES),
                    organisation=organisation,
                    status=BookingStatus.CONFIRMED if holds else BookingStatus.WAITING,
                    source=rng.choice(
                        [BookingSource.PORTAL, BookingSource.PORTAL, BookingSource.API]
                    ),
                    agency=None,
                    created_at=now - dt.timedelta(hours=wanted - number),
                    confirmed_at=now if holds else None,
                )
            )
        Booking.objects.bulk_create(bookings)
        Session.objects.filter(pk=session.pk).update(
            places_taken=sum(1 for b in bookings if b.status == BookingStatus.CONFIRMED)
        )


def _personas_bookings(users: dict) -> None:
    """Pat Quinn, the practitioner, has training coming up and a certificate to download."""
    pat = users.get("practitioner")
    if pat is None:
        return
    Learner.objects.get_or_create(
        user=pat,
        defaults={"manager_email": "head@staidans.example.org", "confirmed_at": timezone.now()},
    )
    if Booking.objects.filter(user=pat).exists():
        return
    thrive = Session.objects.get(
        course__title__startswith="The Thrive System", starts_at=_at(dt.date(2021, 2, 11), 10)
    )
    upcoming = (
        Session.objects.filter(course__title="CSE for Practitioners", starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    common = {
        "user": pat,
        "full_name": pat.full_name,
        "email": pat.email,
        "job_title": pat.job_title,
        "organisation": pat.organisation,
        "manager_email": "head@staidans.example.org",
        "source": BookingSource.PORTAL,
    }
    booking = Booking.objects.create(
        session=thrive,
        status=BookingStatus.CONFIRMED,
        attendance=Attendance.ATTENDED,
        created_at=thrive.starts_at - dt.timedelta(days=10),
        confirmed_at=thrive.starts_at - dt.timedelta(days=10),
        **common,
    )
    Session.objects.filter(pk=thrive.pk).update(places_taken=thrive.places_taken + 1)
    Evaluation.objects.create(
        booking=booking,
        overall=5,
        trainer=5,
        outcomes_met="fully",
        confidence_before=2,
        confidence_after=4,
        most_useful="The Thrive quadrants and the case studies.",
        will_do_differently="Use Kooth with pupils waiting for CAMHS.",
        submitted_at=thrive.ends_at + dt.timedelta(hours=3),
    )
    if upcoming is not None and upcoming.places_taken < upcoming.capacity:
        Booking.objects.create(
            session=upcoming,
            status=BookingStatus.CONFIRMED,
            created_at=timezone.now(),
            confirmed_at=timezone.now(),
            **common,
        )
        Session.objects.filter(pk=upcoming.pk).update(places_taken=upcoming.places_taken + 1)


def _priorities(organisations) -> dict:
    """The three strategic priorities (seed 002), found or made in governance's list."""
    from partnership.governance.models import Priority

    priorities = {}
    for order, (name, slug, lead) in enumerate(PRIORITIES, start=1):
        priority = Priority.objects.filter(Q(name__iexact=name) | Q(slug=slug)).first()
        if priority is None:
            priority = Priority.objects.create(
                name=name,
                slug=slug,
                thematic_lead=organisations.get(lead),
                rotation_order=order,
            )
        priorities[slug] = priority
    return priorities


NEEDS = {
    # year: [(agency, theme slug, level, staff)]
    2019: [
        ("Merseyside Police", "child-sexual-exploitation-cse", "2", 120),
        ("Merseyside Police", "domestic-abuse", "2", 80),
        ("Knowsley Council", "neglect", "2", 95),
        ("Knowsley Council", "child-sexual-exploitation-cse", "3", 30),
        ("North West Boroughs Healthcare", "neglect", "2", 60),
        ("Knowsley Housing Trust", "domestic-abuse", "1", 140),
        ("Knowsley Primary Schools representative", "mental-health", "1", 210),
        ("Knowsley Primary Schools representative", "neglect", "1", 180),
    ],
    2020: [
        ("Merseyside Police", "child-criminal-exploitation", "2", 90),
        ("Knowsley Council", "neglect", "2", 70),
        ("Knowsley Council", "missing-from-home-or-care", "2", 45),
        ("North West Boroughs Healthcare", "mental-health", "2", 75),
        ("Knowsley Secondary Schools representative", "mental-health", "1", 260),
        ("Knowsley Youth Mutual", "child-criminal-exploitation", "1", 40),
        ("Faith Groups", "professional-curiosity", "1", 65),
    ],
}

PLAN_ENTRIES = {
    # year: [(title, source, theme, priority, level, course title start, places)]
    2019: [
        (
            "CSE for Practitioners",
            PlanSource.REVIEW,
            "child-sexual-exploitation-cse",
            "child-exploitation",
            "2",
            "CSE for Practitioners",
            75,
        ),
        (
            "Missing children and exploitation briefings",
            PlanSource.PRIORITY,
            "missing-from-home-or-care",
            "child-exploitation",
            "2",
            "Missing Children",
            80,
        ),
        (
            "Neglect: Graded Care Profile 2",
            PlanSource.PRIORITY,
            "neglect",
            "neglect",
            "2",
            "Neglect and the Graded",
            40,
        ),
        (
            "Domestic abuse and its impact on children",
            PlanSource.PRIORITY,
            "domestic-abuse",
            "domestic-abuse",
            "2",
            "Domestic Abuse",
            50,
        ),
        (
            "Annual Workforce Conference",
            PlanSource.REVIEW,
            "child-sexual-exploitation-cse",
            None,
            "2",
            "Annual Workforce Conference",
            150,
        ),
        (
            "Learning from Child S",
            PlanSource.REVIEW,
            "child-sexual-exploitation-cse",
            "child-exploitation",
            "1",
            "Learning from Child S",
            30,
        ),
    ],
    2020: [
        (
            "CSE for Practitioners (online)",
            PlanSource.REVIEW,
            "child-sexual-exploitation-cse",
            "child-exploitation",
            "2",
            "CSE for Practitioners",
            40,
        ),
        (
            "The Thrive System briefing",
            PlanSource.NEEDS_ANALYSIS,
            "mental-health",
            None,
            "1",
            "The Thrive System",
            100,
        ),
        (
            "Volunteers' safeguarding briefings",
            PlanSource.NEEDS_ANALYSIS,
            "professional-curiosity",
            None,
            "1",
            "Safeguarding roles",
            90,
        ),
        (
            "Neglect: Graded Care Profile 2 (online)",
            PlanSource.PRIORITY,
            "neglect",
            "neglect",
            "2",
            "Neglect and the Graded",
            16,
        ),
        (
            "Domestic abuse seminar",
            PlanSource.PRIORITY,
            "domestic-abuse",
            "domestic-abuse",
            "2",
            "Domestic Abuse",
            60,
        ),
    ],
}


# The years after 2020 to 2021 are invented: each year's needs, varied a little from these.
INVENTED_NEEDS = [
    ("Merseyside Police", "child-criminal-exploitation", "2", 90),
    ("Knowsley Council", "neglect", "2", 70),
    ("Knowsley Council", "domestic-abuse", "2", 55),
    ("North West Boroughs Healthcare", "mental-health", "2", 75),
    ("Knowsley Secondary Schools representative", "mental-health", "1", 260),
    ("Knowsley Housing Trust", "domestic-abuse", "1", 140),
    ("Knowsley Youth Mutual", "child-criminal-exploitation", "1", 40),
    ("Faith Groups", "professional-curiosity", "1", 65),
]
# The strategic priority (seed 002) each learning theme serves, for invented plan entries.
THEME_PRIORITIES = {
    "child-sexual-exploitation-cse": "child-exploitation",
    "child-criminal-exploitation": "child-exploitation",
    "missing-from-home-or-care": "child-exploitation",
    "domestic-abuse": "domestic-abuse",
    "neglect": "neglect",
}


def _needs_lines(year: int) -> list[tuple[str, str, str, int]]:
    if year in NEEDS:
        return NEEDS[year]
    rng = random.Random(year)
    return [
        (agency, theme, level, max(5, round(staff * rng.uniform(0.8, 1.2))))
        for agency, theme, level, staff in INVENTED_NEEDS
    ]


def _plan_entries(year: int, lines) -> list[dict]:
    """The plan's entries: as recorded for the seeds' years, else one per theme and level
    the needs analysis asks for (as *Add entries from the needs analysis* drafts them)."""
    if year in PLAN_ENTRIES:
        return [
            {
                "title": title,
                "source": source,
                "theme": theme,
                "priority": priority,
                "level": level,
                "course": course,
                "places": places,
                "rationale": "",
            }
            for title, source, theme, priority, level, course, places in PLAN_ENTRIES[year]
        ]
    needs: dict[tuple[str, str], list[int]] = {}
    for _agency, theme, level, staff in lines:
        needs.setdefault((theme, level), []).append(staff)
    entries = []
    for (theme, level), staff in needs.items():
        courses = [spec for spec in COURSES if theme in spec["themes"]]
        course = next((spec for spec in courses if spec["level"] == level), None) or (
            courses[0] if courses else None
        )
        agencies = "agency" if len(staff) == 1 else "agencies"
        entries.append(
            {
                "title": f"{THEMES[theme]}: {Level(level).label.split(': ')[-1]}",
                "source": PlanSource.NEEDS_ANALYSIS,
                "theme": theme,
                "priority": THEME_PRIORITIES.get(theme),
                "level": level,
                "course": course["title"] if course else None,
                "places": sum(staff),
                "rationale": f"{sum(staff)} staff in {len(staff)} {agencies} need this "
                f"(needs analysis {plan_year_label(year)}).",
            }
        )
    return entries


def _needs_and_plans(organisations, themes, priorities) -> None:
    """A closed needs analysis and an approved plan for each year from 2019 to 2020 up to
    the current one, whatever today is, and next year's analysis open for answers."""
    today = timezone.localdate()
    current = plan_year_of(today)
    for year in range(min(NEEDS), current + 1):
        lines = _needs_lines(year)
        survey, _ = NeedsSurvey.objects.get_or_create(
            year=year,
            defaults={
                "status": SurveyStatus.CLOSED,
                "closes_on": dt.date(year, 2, 28),
                "introduction": "Tell us how many of your staff need training on each theme.",
            },
        )
        for agency, theme, level, staff in lines:
            response, _ = NeedsResponse.objects.get_or_create(
                survey=survey,
                organisation=organisations[agency],
                defaults={"submitted_at": _at(dt.date(year, 2, 14), 12)},
            )
            NeedsLine.objects.get_or_create(
                response=response, theme=themes[theme], level=level, defaults={"staff": staff}
            )
        plan, created = TrainingPlan.objects.get_or_create(
            year=year,
            defaults={
                "survey": survey,
                "status": PlanStatus.APPROVED,
                # Approved in April, or today if the demo is loaded before then.
                "approved_on": min(dt.date(year, 4, 24), today),
                "summary": "Informed by the partnership's priorities, the training needs "
                "analysis and the lessons from local reviews.",
            },
        )
        if created:
            for entry in _plan_entries(year, lines):
                PlanEntry.objects.create(
                    plan=plan,
                    title=entry["title"],
                    source=entry["source"],
                    theme=themes.get(entry["theme"]),
                    priority=priorities.get(entry["priority"]) if entry["priority"] else None,
                    level=entry["level"],
                    course=_course(entry["course"]) if entry["course"] else None,
                    places_planned=entry["places"],
                    rationale=entry["rationale"],
                )
    # Next year's analysis is open, for the agencies to answer now: due by the end of January
    # before the year starts, or in four working weeks when that has already gone by.
    next_year = current + 1
    NeedsSurvey.objects.get_or_create(
        year=next_year,
        defaults={
            "status": SurveyStatus.OPEN,
            "closes_on": max(dt.date(next_year, 1, 31), add_working_days(today, 20)),
            "introduction": "Tell us how many of your staff and volunteers need training on "
            "each theme, and at what level, for the year from April.",
        },
    )
