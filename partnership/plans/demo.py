"""The Knowsley demo's business plans: 2019-2020 (seed 002, Appendix A), 2020-2022 (seed 003)
and a current two-year plan around today (2025-2027 in November 2026), which is invented.

The 2019-2020 and 2020-2022 plans' words are the seeds'; both are closed. The actions are
drawn from the initiatives the seeds describe (MST-CAN, ICON, Operation Encompass, MATAC, the
Thrive briefing, the Shield team); their owners, dates and updates are invented. As in the
governance demo, dates are set relative to today, so that the Core Business Group's review has
something in each list: some actions overdue, some rated red or amber, some not updated since
the group last met. The 2019-2020 plan's unfinished actions are carried over to 2020-2022
with the service.

**The current plan is invented**, not from a seed: the seeds stop at 2022, and without a
plan covering today the Core Business Group review, the thematic reports for the Strategic
Forum's meetings (dated around today) and the plan on a page would read an expired plan. It
continues the 2020-2022 plan: the same vision, mission, enablers, principles, key outcomes
and four priorities with their leads, one new outcome for child exploitation, the 2020-2022
plan's unfinished actions carried over into it with the carry-over service, and a few new
actions (and updates on carried ones) dated in the last few weeks. It is the current plan.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from partnership.demo.knowsley import person_for
from partnership.governance.models import Priority
from partnership.trail.actors import Actor

from . import services
from .models import Action, Plan, PlanPriority, PlanStatus, ProgressUpdate

VISION = "Working together to safeguard and protect children from harm in Knowsley."
MISSION = (
    "We will work together to safeguard and protect children in Knowsley to enable them to "
    "grow up safe, be healthy, feel listened to and given the right opportunities to achieve "
    "their potential."
)
ENABLERS = [
    "Learning and development",
    "Quality assurance and performance management",
    "Communication and engagement",
    "Standards, policy and procedure",
]
PRINCIPLES = [
    "Having a child-centred effective approach",
    "Working effectively and efficiently in partnership with families to improve outcomes "
    "for children",
    "Providing a consistent approach to working with families across the continuum of need",
    "Providing a restorative approach to assessment and provision of care needs / interventions",
    "Equipping our staff with the requisite skills and equipment that will enable them to "
    "improve outcomes for children",
]
KEY_OUTCOMES = [
    "The voice of children is fully embedded in practice and service planning",
    "All practitioners working with children have the skills needed to help and protect "
    "children, are well supervised and well managed",
    "All children and their families receive consistent support, and are fully involved in "
    "making decisions about their lives",
    "Front-line social work practice is consistently good and effective. There is effective "
    "multi-agency delivery of early help",
    "All partners work together effectively to support and protect the most vulnerable "
    "children and families",
    "Knowsley Safeguarding Children Partnership will provide effective leadership and scrutiny "
    "to ensure safeguarding is effective across the partnership",
]

# Seed 002, "How will we achieve our priorities?", Priority 3.
OUTCOMES_2019 = {
    "domestic-abuse": [
        "Reducing the impact of domestic abuse on children and develop a range of services to "
        "support children where domestic abuse is evident",
        "Raise awareness and increase the rate that domestic abuse is reported and offences "
        "that are brought to justice",
        "We understand the prevalence of FGM, Forced Marriage, Honour Based Violence and "
        "Trafficking in Knowsley",
        "We have a coordinated strategic approach to tackling FGM, Forced Marriage, Honour "
        "Based Violence, Trafficking and Radicalisation in Knowsley",
    ],
    "neglect": [
        "Review the contribution of lower intervention services to safeguarding children and "
        "hold services to account",
        "Children requiring early help are identified",
        "Children requiring early help have improved outcomes",
        "Children are provided with the right response at the right time",
    ],
    "child-exploitation": [
        "To develop a greater understanding of contextual safeguarding risks to children in "
        "Knowsley and develop systems and processes to mitigate the risk",
        "There is a strategic approach to tackling all forms of child exploitation in Knowsley",
        "Safeguarding pathways are alert and able to respond to children exposed to criminal "
        "exploitation",
        "Children, parents and carers, friends and communities receive the appropriate "
        "support, protection, intervention and information",
    ],
}
OUTCOMES_2020 = {
    **OUTCOMES_2019,
    "childrens-mental-wellbeing": [
        "Practitioners understand the local emotional health and wellbeing offer (the Thrive "
        "system) and help children reach the right level of support",
        "Children and young people know where to find help for their mental wellbeing",
    ],
}
STATEMENTS_2020 = {
    "domestic-abuse": "Safeguarding and protecting children from domestic abuse",
    "neglect": "Safeguarding and protecting children from neglect",
    "child-exploitation": "Safeguarding and protecting children from child exploitation",
    "childrens-mental-wellbeing": "Safeguarding and protecting the mental wellbeing of children",
}


def current_plan_period(today: dt.date) -> tuple[str, str, dt.date, dt.date]:
    """The invented current plan's slug, title and dates: two financial years, the second of
    them the one `today` falls in (in November 2026: April 2025 to March 2027). Made from today
    so that the demo always has a plan in force, as its meetings do."""
    first = (today.year if today.month >= 4 else today.year - 1) - 1
    slug = f"{first}-{first + 2}"
    return slug, f"Business plan {slug}", dt.date(first, 4, 1), dt.date(first + 2, 3, 31)


# The invented current plan: the 2020-2022 outcomes, and one more for child exploitation.
OUTCOMES_2025 = {
    **OUTCOMES_2020,
    "child-exploitation": [
        *OUTCOMES_2020["child-exploitation"],
        "Children at risk of exploitation online are identified early and protected",
    ],
}

# Leads: (organisation, named lead's name, job title).
LEADS = {
    "domestic-abuse": ("Knowsley Council", "Claire Doherty", "Director of Children's Services"),
    "neglect": (
        "Knowsley Clinical Commissioning Group",
        "Dr Aisha Rahman",
        "Designated Nurse for Safeguarding",
    ),
    "child-exploitation": (
        "Merseyside Police",
        "Priya Lewis",
        "Detective Superintendent, Public Protection",
    ),
    "childrens-mental-wellbeing": (
        "Knowsley Clinical Commissioning Group",
        "Dr Aisha Rahman",
        "Designated Nurse for Safeguarding",
    ),
}

# (priority, outcome index, title, owner (a lead's name or persona key), due in days from
#  today, measure of success, updates as (days ago, rag, note), review recommendation)
ACTIONS_2019 = [
    (
        "domestic-abuse",
        1,
        "Operation Encompass: schools told the next morning when police "
        "attend a domestic abuse incident at a child's home",
        "Priya Lewis",
        -500,
        "Every school in Knowsley receives Operation Encompass notifications",
        [(560, "complete", "All primary and secondary schools are signed up.")],
        None,
    ),
    (
        "neglect",
        3,
        "Refresh the neglect strategy and the graded care profile",
        "Dr Aisha Rahman",
        -420,
        "The refreshed strategy is agreed by the Strategic Forum and the graded care "
        "profile is used in every neglect case at child in need level",
        [(480, "amber", "Consultation on the draft strategy ran late because of the pandemic.")],
        None,
    ),
    (
        "child-exploitation",
        1,
        "Continue collaboration to publish the pan-Merseyside exploitation and missing protocols",
        "Priya Lewis",
        -430,
        "The protocols are published and each agency confirms it uses them",
        [(470, "amber", "Draft protocols are with the five Merseyside partnerships.")],
        ("Child Q and Child S", 1),
    ),
]
ACTIONS_2020 = [
    ("domestic-abuse", 0, "Operation Encompass: train teachers to recognise domestic abuse and "
     "the impact of adverse childhood experiences", "Priya Lewis", 60,
     "Every school's designated safeguarding lead has had the training; schools report how "
     "they support children after a notification",
     [(40, "amber", "Training delivered to 40 of 64 schools; the rest are booked.")], None),
    ("domestic-abuse", 1, "MATAC: multi-agency tasking and coordination targeting perpetrators "
     "of domestic abuse", "Priya Lewis", 120,
     "Fewer repeat incidents at the homes of children known to MATAC",
     [(70, "green", "Monthly MATAC meetings held; partners attend."),
      (5, "green", "Repeat incidents down for the first cohort.")], None),
    ("domestic-abuse", 1, "Evidence-led prosecution: train response officers and partners in "
     "capturing the best evidence", "Priya Lewis", -20,
     "All uniformed staff trained; the rate of evidence-led prosecutions rises",
     [(90, "amber", "Training packages written; delivery has started.")], None),
    ("neglect", 2, "MST-CAN: offer Multisystemic Therapy for Child Abuse and Neglect to "
     "families at pre-proceedings", "Claire Doherty", 200,
     "No new reports of maltreatment during intervention; children stay out of care",
     [(30, "green", "18 families accepted since January 2019; 17 closed successfully and no "
       "child entered care.")], None),
    ("neglect", 1, "ICON: cascade the messages on infant crying to every practitioner and to "
     "parents of new babies", "Dr Aisha Rahman", 45,
     "Every midwife, health visitor and GP practice gives out the ICON leaflet",
     [(50, "red", "Health visiting cascade paused while staff were redeployed.")],
     ("Child Q and Child S", 5)),
    ("neglect", 0, "Report the contribution of lower-intervention services to the Core "
     "Business Group", "Claire Doherty", 90,
     "A report on early help demand and outcomes goes to the group each quarter", [], None),
    ("child-exploitation", 1, "Shield team: a coordinated, proactive response to children at "
     "risk of exploitation and missing from home or care", "Priya Lewis", 150,
     "Every child at risk has a multi-agency plan within 10 working days",
     [(60, "amber", "Demand has risen; the team has two vacancies."),
      (3, "red", "Plans are taking 18 working days on average.")], ("Child Q and Child S", 1)),
    ("child-exploitation", 0, "Operation against modern slavery across the area",
     "Priya Lewis", 75, "Victims identified are referred through the National Referral "
     "Mechanism within 24 hours", [(20, "green", "Operation under way with partners.")],
     ("Child Q and Child S", 4)),
    ("child-exploitation", 3, "Learning events on exploitation for education professionals "
     "and foster carers", "business_unit", -10,
     "Education professionals and foster carers attend each learning event",
     [], ("Child Q and Child S", 3)),
    ("childrens-mental-wellbeing", 0, "Thrive briefing: a 60-minute briefing on the Thrive "
     "system for practitioners", "group_member", -30,
     "Practitioners who attend can name the Thrive quadrants and the local offer",
     [(60, "green", "Briefing booked for February."), (35, "complete", "Briefing delivered "
       "with CAMHS and KOOTH; evaluations positive.")], ("Child Sam", 1)),
    ("childrens-mental-wellbeing", 1, "Young Advisors' animation on where children can find "
     "help with their mental health", "business_unit", 30,
     "The animation is shared with every school and youth service",
     [(25, "green", "Animation made; launch planned.")], None),
    ("childrens-mental-wellbeing", 0, "Mental health in schools: support the new initiative in "
     "every secondary school", "group_member", 180,
     "Each secondary school has a trained senior mental health lead", [], None),
]  # fmt: skip


ACTIONS_2025 = [
    ("child-exploitation", 4, "Online exploitation: a joint briefing for schools on "
     "sextortion and online grooming, with the Merseyside Police online team",
     "Priya Lewis", 50,
     "Every secondary school's designated safeguarding lead has had the briefing",
     [(21, "amber", "Briefing written; 9 of 16 secondary schools booked."),
      (4, "red", "Two presenters off sick: the January dates are at risk.")],
     ("Child Q and Child S", 2)),
    ("child-exploitation", 2, "Return home interviews offered within 72 hours to every child "
     "reported missing", "Priya Lewis", 100,
     "95% of children reported missing are offered an interview within 72 hours",
     [(12, "green", "89% offered within 72 hours in October, up from 71%.")], None),
    ("domestic-abuse", 0, "Refresh the domestic abuse pathway for children after the Domestic "
     "Abuse Act 2021", "Claire Doherty", 140,
     "The refreshed pathway is agreed and practitioners use it",
     [(9, "green", "Pathway drafted with the domestic abuse partnership board.")], None),
    ("neglect", 1, "Neglect toolkit: train early help practitioners in the graded care "
     "profile 2", "Dr Aisha Rahman", -5,
     "Every early help practitioner has had the training and uses the tool",
     [(30, "amber", "Training delivered to half the early help teams.")], None),
    ("childrens-mental-wellbeing", 1, "Publish the children's guide to local mental health "
     "support, written with the Young Advisors", "business_unit", 70,
     "The guide is on the partnership website and shared with every school",
     [(6, "green", "Young Advisors have reviewed the final draft.")], ("Child Sam", 1)),
]  # fmt: skip

# Updates on actions carried over into the current plan: (start of the title, days ago, rag, note).
UPDATES_ON_CARRIED = [
    ("Shield team", 8, "red", "Plans are still taking 16 working days; a recruitment drive "
     "starts in December."),
    ("MATAC", 15, "green", "The second cohort shows the same fall in repeat incidents."),
    ("MST-CAN", 11, "green", "Six more families accepted; none of the children entered care."),
]  # fmt: skip


def _person(name, organisations, users):
    if name in users:
        return users[name].person
    for organisation, lead, title in LEADS.values():
        if lead == name:
            return person_for(lead, title, organisations[organisation])
    raise KeyError(name)


def _plan(slug, title, starts_on, ends_on, status, key_outcomes, actor) -> Plan:
    return services.plan_save(
        plan=Plan(
            slug=slug,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            vision=VISION,
            mission=MISSION,
            status=status,
        ),
        enablers=ENABLERS,
        principles=PRINCIPLES,
        key_outcomes=key_outcomes,
        actor=actor,
    )


def _priorities(plan, outcomes, statements, priorities, organisations, users, actor):
    made = {}
    for slug, texts in outcomes.items():
        organisation, lead, _title = LEADS[slug]
        plan_priority = services.priority_save(
            plan_priority=PlanPriority(
                plan=plan,
                priority=priorities[slug],
                statement=statements.get(slug, ""),
                lead_organisation=organisations[organisation],
                lead=_person(lead, organisations, users),
            ),
            actor=actor,
        )
        made[slug] = [
            services.outcome_add(priority=plan_priority, text=text, actor=actor) for text in texts
        ]
    return made


def _recommendation(link, reviews):
    if link is None:
        return []
    title, number = link
    review = reviews.get(title)
    if review is None:
        return []
    return list(review.recommendations.filter(number=number))


def _actions(rows, outcomes, organisations, users, reviews, actor, today):
    from partnership.performance.models import Indicator

    now = timezone.now()
    for slug, index, title, owner, due, measure, updates, link in rows:
        outcome = outcomes[slug][index]
        person = _person(owner, organisations, users)
        indicators = list(
            Indicator.objects.filter(priority=outcome.priority.priority).order_by("code")[:2]
        )
        action = services.action_save(
            action=Action(
                outcome=outcome,
                title=title,
                owner=person,
                owner_organisation=person.organisation,
                due_on=today + dt.timedelta(days=due),
                measure_of_success=measure,
            ),
            recommendations=_recommendation(link, reviews),
            indicators=indicators,
            actor=actor,
        )
        for days_ago, rag, note in updates:
            update = services.progress_update_add(action=action, rag=rag, note=note, actor=actor)
            ProgressUpdate.objects.filter(pk=update.pk).update(
                created_at=now - dt.timedelta(days=days_ago)
            )


def build(organisations, users):
    """Add the business plans to the demo. Idempotent."""
    from partnership.reviews.models import Review

    if Plan.objects.filter(slug="2019-2020").exists():
        return
    priorities = {priority.slug: priority for priority in Priority.objects.all()}
    if not set(OUTCOMES_2020) <= set(priorities):
        return  # the governance demo makes the priorities; without them there is no plan
    actor = Actor.for_user(users["business_unit"])
    today = timezone.localdate()
    reviews = {review.title: review for review in Review.objects.all()}
    with transaction.atomic():
        old = _plan(
            "2019-2020",
            "Business plan 2019-2020",
            dt.date(2019, 4, 1),
            dt.date(2020, 3, 31),
            PlanStatus.CLOSED,
            KEY_OUTCOMES,
            actor,
        )
        outcomes = _priorities(old, OUTCOMES_2019, {}, priorities, organisations, users, actor)
        _actions(ACTIONS_2019, outcomes, organisations, users, reviews, actor, today)
        new = _plan(
            "2020-2022",
            "Business plan 2020-2022",
            dt.date(2020, 4, 1),
            dt.date(2022, 3, 31),
            PlanStatus.CLOSED,
            KEY_OUTCOMES,
            actor,
        )
        outcomes = _priorities(
            new, OUTCOMES_2020, STATEMENTS_2020, priorities, organisations, users, actor
        )
        services.actions_carry_over(from_plan=old, to_plan=new, actor=actor)
        _actions(ACTIONS_2020, outcomes, organisations, users, reviews, actor, today)
        _current_plan(new, priorities, organisations, users, reviews, actor, today)


def _current_plan(previous, priorities, organisations, users, reviews, actor, today):
    """The invented current plan (see the module's docstring), made current."""
    slug, title, starts_on, ends_on = current_plan_period(today)
    current = _plan(slug, title, starts_on, ends_on, PlanStatus.CURRENT, KEY_OUTCOMES, actor)
    outcomes = _priorities(
        current, OUTCOMES_2025, STATEMENTS_2020, priorities, organisations, users, actor
    )
    carried = services.actions_carry_over(from_plan=previous, to_plan=current, actor=actor)
    _actions(ACTIONS_2025, outcomes, organisations, users, reviews, actor, today)
    now = timezone.now()
    for start, days_ago, rag, note in UPDATES_ON_CARRIED:
        action = next(action for action in carried if action.title.startswith(start))
        update = services.progress_update_add(action=action, rag=rag, note=note, actor=actor)
        ProgressUpdate.objects.filter(pk=update.pk).update(
            created_at=now - dt.timedelta(days=days_ago)
        )
    _thematic_account(users, actor)


def _thematic_account(users, actor):
    """The next Strategic Forum's thematic lead has written their account for the report."""
    from partnership.governance.models import Meeting

    from .reports import plan_for_meeting

    meeting = (
        Meeting.objects.upcoming()
        .filter(group__slug="strategic-forum", priority__isnull=False)
        .order_by("starts_at")
        .first()
    )
    plan_priority = plan_for_meeting(meeting) if meeting else None
    if plan_priority is None:
        return
    lead = plan_priority.lead.user if plan_priority.lead and plan_priority.lead.user else None
    services.thematic_narrative_save(
        meeting=meeting,
        text=f"Since the last report on {plan_priority.priority.name.lower()}, partners have "
        "kept to the plan's timetable for most actions; the ones that have slipped are "
        "shown below with the reasons their owners gave.\n\n"
        "I ask the Forum to note the progress, and to agree that each partner confirms by "
        "the next meeting who in their agency will take the delayed actions forward.",
        actor=Actor.for_user(lead) if lead else actor,
    )
