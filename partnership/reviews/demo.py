"""The demo's case reviews, from the seeds: idempotent, called by `manage.py load_demo`.

- Child Q and Child S: the combined serious case review the board published in January
  2017 (seeds 000 and 001), with its five recommendations and the board's response, "What
  we have done", word for word. Published long ago, so the site now offers it on request.
- Child Sam: the multi-agency learning review completed early in 2021 (seed 003); its report
  is not published, so the site shows the improvements instead.
- Child T: a local child safeguarding practice review under way, with Rowan Ellis (the
  reviewer persona) commissioned on it, and on nothing else.
- Child W: a rapid review mid-way, the local authority aware a few working days ago, chosen
  so that its clock crosses the latest bank holiday where one is near (`child_w_aware_on`).

Dates of the reviews under way are counted back from today, so they are always under way and
nothing is dated after today.
People's names are the personas'; the children's are the seeds' pseudonyms.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction

from partnership.accounts.models import User
from partnership.lib.clocks import working_days_before
from partnership.lib.working_days import add_working_days, is_working_day
from partnership.trail.actors import Actor

from . import services
from .models import (
    AbuseType,
    ActionItem,
    Decision,
    DocumentKind,
    Incident,
    IncidentOutcome,
    LearningProduct,
    LearningTheme,
    MonitoringEntry,
    PractitionerEvent,
    ProductKind,
    Publication,
    Recommendation,
    Review,
    ReviewDocument,
    today,
)

RECOMMENDATIONS_Q_AND_S = [
    "Evaluate on an ongoing basis the learning needs of multi-agency practitioners in relation to the changing national definitions of what constitutes CSE and receive assurance that emerging national CSE guidance is reflected in updated strategy.",
    "Audit the effectiveness of learning summaries when collating evidence for serious case and other reviews to ensure multi-agency partners contribute effectively to the process.",
    "Develop the practitioner events/conversations to ensure the participation of Education Professionals and Foster Carers. Their attendance at future events should be encouraged to enrich the learning from such cases.",
    "Encourage the full participation of all relevant multi-agency partners in safeguarding work. There is a range of multi-agency, independent, statutory, voluntary services and adult services involved in the provision of services to children and families with complex safeguarding issues. It is crucial that their views contribute to the statutory and early intervention care planning and delivery processes.",
    "Be assured that partner agencies have considered the learning for their agency from the relevant identified good practice and developed improvement plans in response to the relevant learning points contained within this combined overview report.",
]

RESPONSE_Q_AND_S = """Knowsley Safeguarding Children Board (KSCB) accepts the findings of the review and is committed to learn the lessons, which are identified in the report.

The report covers a time period from 2013 to 2015. Since the Ofsted inspection in 2014 there have been real improvements in safeguarding and promoting the welfare of children in Knowsley. Ofsted acknowledged the progress we have made in recent monitoring visits.

Knowsley Safeguarding Children Board (KSCB) has developed an effective multi-agency partnership. The partnership is wide ranging and includes large organisations such as the local authority, the Clinical Commissioning Group and Merseyside Police. It also includes probation services, health organisations such as Whiston Hospital and Health visiting services, Schools and the Youth Offending Service. Of equal importance we have contributions from the local community through a representative of the faith community and two local lay members.

All KSCB members are accountable for their agencies making a full contribution to services to meet the needs of vulnerable children and their families in Knowsley.

Learning from the serious case reviews, practice reviews, audits of multi-agency work and listening to staff working every day with vulnerable children, has improved KSCB's understanding of the need to focus on specific areas of work.

We have identified a number of priorities and actions, which are reflected in the business plan for 2016/2018. These include ensuring children in Knowsley are safeguarded and protected from harm, including abuse, neglect and exploitation.

To reflect the Board's commitment to listen to the voices of children, a focus group has been commissioned to explore how we can engage and respond to children's concerns.

Child sexual exploitation (CSE) continues to be a priority for the board, alongside child exploitation and children who are missing from home or care.

A working group has been established, chaired by a senior manager within the local authority. The group will drive and strengthen our strategic and operational response to dealing with this important issue.

As part of our operational response, a multi-agency 'Shield team' was set up for children at risk of sexual and criminal exploitation, trafficking, and missing from home or care placed in and out of the borough. The team comprises of: Children Services' Social Workers, Police and Commissioned Services: Catch 22 (missing service) and Change Grow Live (child sexual exploitation therapeutic service).

The Shield Team provides a coordinated and proactive response to dealing with child exploitation and missing.

Children who are reported missing are subject to a thorough investigation in order to find them. Merseyside Police have developed a graded response based on the risk to the child. All missing person are risk assessed, which is subject to continuous review.

There is significant engagement between the police and the M.A.S.H to find the missing child and when he/she has been found, there is the appropriate mechanism in place to support the child.

The recommendations from serious case reviews are collated by KSCB, who manage the resulting improvement plans, through a working group, which is chaired by a senior manager.

The board has demonstrated a commitment to working together to develop and support a skilled workforce. They encourage a learning ethos for practitioners to equip them with the knowledge required for their respective roles.

To achieve this objective, a training needs analysis is commissioned each year, consulting staff and taking cognisance of emerging priorities. This analysis forms the bedrock of a training plan, which has been developed.

Targeted training has continued to be delivered to a wide range of professionals across the agencies. The focus of the training has been aimed at the priorities of the Board and reflects the lessons that are identified within serious case reviews.

The training has been delivered through a number of mediums, including personal briefings, 'e-learning' and seminars. In excess of 2,000 allocated places have been filled.

In respect of CSE we have delivered a number bespoke training events, including called 'CSE for Practitioners.' This is aimed at raising awareness of the associated risks.

A number of briefings have been given by Catch 22 to practitioners concerning Missing Children and the Risks of Exploitation.

Community Briefings for Parents/Carers and young people, regarding CSE are to be held in the new year, within Youth Centres across the Borough.

Online course Safeguarding Children from Abuse and Exploitation is available on the KSCB web site.

In response to local and national findings within recent serious case reviews, a workforce conference 'CSE - What have we learnt?' was held in July 2016.

To ensure that our training is relevant and effective, KSCB have developed an evaluation process. All delegates attending training events are invited to give feedback. Their comments are collated and considered.

Further impact evaluation is carried out to measure the effectiveness and impact of training, which will enable us to improve our knowledge.

In summary KSCB is determined to deliver our strategic priorities and ensure that children in Knowsley are able to grow up safely, be healthy, feel listened to and are given the right opportunities to achieve their potential."""

SUMMARY_Q_AND_S = """The Knowsley Safeguarding Children Board (KSCB) has published the independent serious case review concerning two looked after children who were victims of Child Sexual Exploitation (CSE), Child Q and Child S.

These cases are independent from each other; however, the decision was made by the board to merge the cases into one serious case review in order to increase the learning opportunities in respect of CSE. The primary agencies involved included Children's Social Care, NHS Foundation Trust, Independent Residential Children's homes, education and the police.

The review concluded that the possibility of Child Q becoming a victim of CSE was potentially predictable but at the time not preventable. There is not one identifiable factor/event that could have led to CSE from being prevented.

The review concluded that the possibility of Child S becoming a victim of CSE was potentially predictable but at the time not preventable. It could not be certain that had early intervention been more effectively implemented CSE would have been prevented. However, if intervention had been implemented and the outcomes evaluated the impact of neglect may have been minimised thereby reducing the risk of CSE.

The independent author made five recommendations, which the Board have accepted."""

TITLE_Q_AND_S = "Child Q and Child S"
TITLE_SAM = "Child Sam"
TITLE_T = "Child T"
TITLE_W = "Child W"


def simple_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A small, valid one-page PDF of plain text (demo documents, no PDF library needed)."""
    lines = [title, ""]
    for paragraph in paragraphs:
        words, line = paragraph.split(), ""
        for word in words:
            if len(line) + len(word) + 1 > 90:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines += [line, ""]
    lines = lines[:60]

    def escape(text: str) -> str:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = (
        "BT /F1 10 Tf 12 TL 50 800 Td " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _document(review, kind, title, filename, paragraphs, by) -> ReviewDocument:
    upload = ContentFile(simple_pdf(title, paragraphs), name=filename)
    return services.document_upload(review=review, kind=kind, title=title, upload=upload, actor=by)


def _themes(*names) -> list[LearningTheme]:
    return list(LearningTheme.objects.filter(name__in=names))


def _abuse(*names) -> list[AbuseType]:
    return list(AbuseType.objects.filter(name__in=names))


def _sign_and_send(review, on, leads, by):
    for lead in leads:
        # Each lead signs for their partner themselves, as on the pages.
        services.rapid_review_sign_off(
            rapid=review.rapid_review, signer=lead, signed_on=on, actor=Actor.for_user(lead)
        )
    services.rapid_review_send_to_panel(rapid=review.rapid_review, sent_on=on, actor=by)


def _notify_before_publishing(review, published_on, by):
    """The final report to the Panel and the Secretary of State, 7 working days before."""
    services.local_review_record_pre_publication_notice(
        local=review.local_review, sent_on=working_days_before(published_on, 7), actor=by
    )


def _record_notifications(review, on, by):
    for incident in review.incidents.all():
        for notification in incident.notifications.all():
            services.notification_record_sent(
                notification=notification, sent_on=on(incident), actor=by
            )


@transaction.atomic
def build(organisations: dict, users: dict) -> dict[str, Review]:
    """Make the demo's reviews (once: a review already there is left as it is)."""
    # Every write is the business unit's, as a person would make it on the pages, except what
    # others do themselves: an agency's summary (its contact), a sign-off (the partner's lead).
    by = Actor.for_user(users["business_unit"])
    leads = list(
        User.objects.filter(
            email__in=[
                users["partner_lead"].email,
                "claire.doherty@council.example.org",
                "aisha.rahman@ccg.example.org",
            ]
        )
    )
    made = {}
    existing = {
        review.title: review
        for review in Review.objects.filter(title__in=[TITLE_Q_AND_S, TITLE_SAM, TITLE_T, TITLE_W])
    }
    builders = [
        (TITLE_Q_AND_S, _child_q_and_s),
        (TITLE_SAM, _child_sam),
        (TITLE_T, _child_t),
        (TITLE_W, _child_w),
    ]
    for title, builder in builders:
        made[title] = existing.get(title) or builder(organisations, users, by, leads)
    return made


def _child_q_and_s(organisations, users, by, leads) -> Review:
    council = organisations["Knowsley Council"]
    police = organisations["Merseyside Police"]
    health = organisations["North West Boroughs Healthcare"]
    education = organisations["Knowsley Council Education Services"]
    review = services.incident_notify(
        incident=Incident(
            child_pseudonym="Child Q",
            aware_on=dt.date(2014, 10, 13),
            occurred_on=dt.date(2014, 10, 10),
            outcome=IncidentOutcome.SERIOUSLY_HARMED,
            looked_after=True,
            institutional_setting=True,
            setting_description="A cross-boundary independent residential children's home",
            summary="Missing from care for over 42 hours, having spent two nights at the home of a "
            "registered sex offender; communicating with other inappropriate adults on social media.",
        ),
        abuse_types=_abuse("Child sexual exploitation", "Online abuse", "Neglect"),
        agencies=[council, police, health, education],
        title=TITLE_Q_AND_S,
        case_manager=by.user,
        themes=_themes(
            "Child sexual exploitation (CSE)",
            "Missing from home or care",
            "Neglect",
            "Placement instability",
            "Online harm",
            "Multi-agency working",
        ),
        actor=by,
    )
    services.incident_save(
        incident=Incident(
            review=review,
            child_pseudonym="Child S",
            aware_on=dt.date(2016, 2, 8),
            occurred_on=dt.date(2016, 2, 5),
            outcome=IncidentOutcome.SERIOUSLY_HARMED,
            looked_after=True,
            child_protection_plan=True,
            summary="Repeated and longer missing episodes from care, one leading to a national "
            "alert; assessed as a CSE incident.",
        ),
        abuse_types=_abuse("Child sexual exploitation", "Neglect"),
        agencies=[council, police, health],
        actor=by,
    )
    _record_notifications(review, lambda incident: add_working_days(incident.aware_on, 3), by)
    rapid = review.rapid_review
    services.rapid_review_record_letters(
        rapid=rapid,
        sent_on=dt.date(2014, 10, 14),
        organisations=[council, police, health, education],
        actor=by,
    )
    for summary in rapid.summaries.all():
        services.agency_summary_receive(
            summary=summary, received_on=dt.date(2014, 10, 24), actor=by
        )
    services.rapid_review_record_meeting(
        rapid=rapid,
        held_on=dt.date(2014, 10, 28),
        immediate_actions="Risk of sexual exploitation reassessed for the children in the home; "
        "missing-from-care protocol with the residential provider reviewed.",
        assessments={
            "local_improvements": (True, "Response to repeated missing episodes."),
            "local_recurrent_themes": (True, "CSE and missing from care recur locally."),
            "local_two_agencies": (True, "Police, social care and the home's staff."),
            "factor_care_or_plan": (True, "Looked after."),
            "factor_range_of_abuse": (True, "CSE, online abuse, neglect."),
            "factor_institutional": (True, "Residential children's home."),
        },
        actor=by,
    )
    services.rapid_review_decide(
        rapid=rapid,
        decision=Decision.LCSPR,
        decided_on=dt.date(2014, 10, 31),
        rationale="A serious case review: the criteria are met. The board later merged the "
        "review of Child S into it, to increase the learning in respect of CSE.",
        actor=by,
    )
    _sign_and_send(review, dt.date(2014, 11, 3), leads, by)
    local = review.local_review
    services.local_review_update_terms(
        local=local,
        terms_of_reference="The period 2013 to 2015. How agencies identified and responded to the "
        "risk of child sexual exploitation of two looked-after children, including missing "
        "episodes and placements across local authority boundaries.",
        actor=by,
    )
    report = _document(
        review,
        DocumentKind.FINAL_REPORT,
        "Child Q and Child S: combined overview report",
        "child-q-and-s-overview-report.pdf",
        SUMMARY_Q_AND_S.split("\n\n"),
        by,
    )
    summary = _document(
        review,
        DocumentKind.EXECUTIVE_SUMMARY,
        "Child Q and Child S: executive summary",
        "executive-summary-child-q-and-s.pdf",
        SUMMARY_Q_AND_S.split("\n\n"),
        by,
    )
    recommendations = []
    for text in RECOMMENDATIONS_Q_AND_S:
        recommendations.append(
            services.recommendation_save(
                recommendation=Recommendation(review=review, text=text),
                themes=_themes("Child sexual exploitation (CSE)", "Multi-agency working"),
                actor=by,
            )
        )
    owners = [users["partner_lead"], users["group_member"], users["business_unit"]]
    for number, recommendation in enumerate(recommendations):
        action = services.action_save(
            action=ActionItem(
                recommendation=recommendation,
                description=f"Improvement plan for recommendation {recommendation.number}: "
                "report progress to the review and learning working group.",
                organisation=owners[number % 3].organisation or organisations["Knowsley Council"],
                owner=owners[number % 3],
                due_on=dt.date(2017, 6, 30),
            ),
            actor=by,
        )
        services.action_submit_evidence(
            action=action,
            evidence="Improvement plan delivered and reported to the working group.",
            files=[],
            submitted_on=dt.date(2017, 6, 1),
            actor=by,
        )
        services.action_sign_off(
            action=action,
            signed_off_on=dt.date(2017, 7, 12),
            notes="Signed off at the working group.",
            actor=by,
        )
    product = LearningProduct(
        review=review,
        kind=ProductKind.NEWSLETTER,
        title="Knowsley Serious Case Reviews 2016/17 (Issue 2)",
        summary="The newsletter on the Child Q and Child S review, for all staff working with "
        "vulnerable children in Knowsley.",
        published_on=dt.date(2017, 2, 1),
    )
    services.learning_product_save(product=product, recommendations=recommendations, actor=by)
    publication = services.publication_save(
        publication=Publication(
            review=review,
            title="Child Q and Child S serious case review",
            summary=SUMMARY_Q_AND_S,
            response=RESPONSE_Q_AND_S,
            report=report,
            executive_summary=summary,
        ),
        actor=by,
    )
    _notify_before_publishing(review, dt.date(2017, 1, 16), by)
    services.publication_publish(
        publication=publication, published_on=dt.date(2017, 1, 16), actor=by
    )
    return review


def _child_sam(organisations, users, by, leads) -> Review:
    council = organisations["Knowsley Council"]
    ccg = organisations["Knowsley Clinical Commissioning Group"]
    health = organisations["North West Boroughs Healthcare"]
    review = services.incident_notify(
        incident=Incident(
            child_pseudonym="Child Sam",
            aware_on=dt.date(2020, 6, 8),
            occurred_on=dt.date(2020, 6, 4),
            outcome=IncidentOutcome.SERIOUSLY_HARMED,
            summary="A young person's mental health deteriorated during the first lockdown.",
        ),
        abuse_types=_abuse("Neglect", "Emotional abuse"),
        agencies=[council, ccg, health],
        title=TITLE_SAM,
        case_manager=by.user,
        themes=_themes("Mental health", "Professional curiosity", "Voice of the child"),
        actor=by,
    )
    _record_notifications(review, lambda incident: add_working_days(incident.aware_on, 4), by)
    rapid = review.rapid_review
    services.rapid_review_record_letters(
        rapid=rapid, sent_on=dt.date(2020, 6, 9), organisations=[council, ccg, health], actor=by
    )
    for item in rapid.summaries.all():
        services.agency_summary_receive(summary=item, received_on=dt.date(2020, 6, 19), actor=by)
    services.rapid_review_record_meeting(
        rapid=rapid,
        held_on=dt.date(2020, 6, 23),
        immediate_actions="Safety plan in place.",
        assessments={"local_improvements": (True, ""), "local_two_agencies": (True, "")},
        actor=by,
    )
    services.rapid_review_decide(
        rapid=rapid,
        decision=Decision.OTHER_LEARNING,
        decided_on=dt.date(2020, 6, 25),
        rationale="Does not meet the criteria for an LCSPR, but offers learning on children's "
        "mental health and professional curiosity: a multi-agency learning review.",
        actor=by,
    )
    _sign_and_send(review, dt.date(2020, 6, 26), leads, by)
    recommendation = services.recommendation_save(
        recommendation=Recommendation(
            review=review,
            text="Make sure practitioners know the local emotional health and wellbeing offer "
            "(the Thrive system) and how to help children reach it.",
        ),
        themes=_themes("Mental health"),
        actor=by,
    )
    services.learning_product_save(
        product=LearningProduct(
            review=review,
            kind=ProductKind.SIXTY_MINUTE,
            title="The Thrive System – Supporting Emotional Mental Health and Well Being in Knowsley",
            summary="A 60-minute briefing by CAMHS and KOOTH on the local picture.",
            published_on=dt.date(2021, 2, 11),
        ),
        recommendations=[recommendation],
        actor=by,
    )
    publication = services.publication_save(
        publication=Publication(
            review=review,
            title="Child Sam learning review",
            summary="A multi-agency learning review of the support given to a young person "
            "whose mental health deteriorated during the Covid-19 restrictions.",
            response="A 60-minute briefing on the Thrive system for practitioners; the Young "
            "Advisors' animation on the mental health support available in Knowsley.",
            report_published=False,
            not_published_reason="The report cannot be published without identifying the young "
            "person and their family.",
            improvements="Practitioners across the partnership have been briefed on the Thrive "
            "system, and on asking the difficult questions: professional curiosity.",
        ),
        actor=by,
    )
    _notify_before_publishing(review, dt.date(2021, 2, 8), by)
    services.publication_publish(
        publication=publication, published_on=dt.date(2021, 2, 8), actor=by
    )
    return review


def _child_t(organisations, users, by, leads) -> Review:
    """An LCSPR under way, dated back from today so it is always under way."""
    start = today() - dt.timedelta(weeks=16)
    aware_on = start - dt.timedelta(days=start.weekday())  # a Monday
    add = add_working_days
    council = organisations["Knowsley Council"]
    police = organisations["Merseyside Police"]
    health = organisations["North West Boroughs Healthcare"]
    yos = organisations["Youth Offending Service"]
    review = services.incident_notify(
        incident=Incident(
            child_pseudonym="Child T",
            aware_on=aware_on,
            occurred_on=aware_on - dt.timedelta(days=3),
            outcome=IncidentOutcome.SERIOUSLY_HARMED,
            child_protection_plan=True,
            summary="A 15-year-old stabbed after being drawn into county lines drug dealing.",
        ),
        abuse_types=_abuse("Child criminal exploitation", "Neglect"),
        agencies=[council, police, health, yos],
        title=TITLE_T,
        case_manager=by.user,
        themes=_themes(
            "Child criminal exploitation", "Education engagement", "Information sharing"
        ),
        actor=by,
    )
    _record_notifications(review, lambda incident: add(incident.aware_on, 2), by)
    rapid = review.rapid_review
    services.rapid_review_record_letters(
        rapid=rapid,
        sent_on=add(aware_on, 1),
        organisations=[council, police, health, yos],
        actor=by,
    )
    for item in rapid.summaries.all():
        services.agency_summary_receive(summary=item, received_on=add(aware_on, 9), actor=by)
    services.rapid_review_record_meeting(
        rapid=rapid,
        held_on=add(aware_on, 11),
        immediate_actions="Siblings safeguarded; disruption of the county line by the police.",
        assessments={
            "local_improvements": (True, "Response to exclusion and missing episodes."),
            "local_recurrent_themes": (True, "Criminal exploitation recurs."),
            "local_two_agencies": (True, "Education, youth justice and police."),
            "factor_care_or_plan": (True, "On a child protection plan."),
        },
        actor=by,
    )
    decided_on = add(aware_on, 13)
    services.rapid_review_decide(
        rapid=rapid,
        decision=Decision.LCSPR,
        decided_on=decided_on,
        rationale="Meets the local criteria: improvements needed, a recurrent theme (criminal "
        "exploitation), and concerns about agencies working together.",
        actor=by,
    )
    _sign_and_send(review, add(aware_on, 14), leads, by)
    local = review.local_review
    services.local_review_update_terms(
        local=local,
        terms_of_reference="The twelve months before the incident. How agencies recognised and "
        "responded to Child T's criminal exploitation, exclusion from school and missing "
        "episodes; how they shared information.",
        actor=by,
    )
    services.reviewer_commission(
        review=review,
        reviewer=users["reviewer"],
        commissioned_on=add(decided_on, 5),
        role="Lead reviewer",
        actor=by,
    )
    services.local_review_record_informed(
        local=local,
        panel_on=add(decided_on, 6),
        ofsted_on=add(decided_on, 6),
        dfe_on=add(decided_on, 6),
        actor=by,
    )
    member = services.panel_member_add(
        review=review, user=users["group_member"], role="Health", actor=by
    )
    services.panel_member_add(review=review, user=users["partner_lead"], role="Police", actor=by)
    declaration = services.declaration_record(
        panel_member=member,
        interest="Line-managed the school nurse who saw Child T.",
        declared_on=add(decided_on, 10),
        actor=by,
    )
    services.declaration_recommend(
        declaration=declaration,
        recommendation="not_in_decisions",
        notes="May contribute knowledge of health services but not take part in decisions on "
        "findings about them.",
        recommended_on=add(decided_on, 11),
        actor=by,
    )
    received = services.agency_request_add(
        review=review,
        organisation=police,
        kind="chronology",
        requested_on=add(decided_on, 8),
        due_on=add(decided_on, 28),
        actor=by,
    )
    services.agency_request_receive(
        agency_request=received, received_on=add(decided_on, 27), actor=by
    )
    services.agency_request_add(
        review=review,
        organisation=health,
        kind="learning_summary",
        requested_on=add(decided_on, 8),
        due_on=add(today(), 3),
        actor=by,
    )
    services.practitioner_event_add(
        event=PractitionerEvent(
            review=review,
            title="Practitioner learning event",
            held_on=add(decided_on, 45),
            attendance=18,
            notes="Teachers, youth workers, police and health visitors.",
        ),
        actor=by,
    )
    services.monitoring_record(
        entry=MonitoringEntry(
            review=review,
            recorded_on=add(decided_on, 40),
            timeliness="on_track",
            quality="good",
            notes="Chronologies in; practitioner event arranged.",
        ),
        actor=by,
    )
    _document(
        review,
        DocumentKind.DRAFT_REPORT,
        "Child T: first draft",
        "child-t-draft-1.pdf",
        ["A first draft for the panel.", "Not for circulation."],
        Actor.for_user(users["reviewer"]),  # the reviewer uploads their own draft
    )
    return review


# Child W's rapid review is mid-way: between 3 and 12 of its 15 working days have gone.
CHILD_W_FEWEST_DAYS_AGO, CHILD_W_MOST_DAYS_AGO = 3, 12


def child_w_aware_on(day: dt.date) -> dt.date:
    """The day the local authority became aware of Child W's incident, for a demo built on
    `day`: a few working days before it, so the rapid review is mid-way, and early enough that
    its working days take in the latest bank holiday before `day` where one is within reach
    (so the clock is seen to skip it). With none within 12 working days, 5 working days ago."""
    latest_holiday = next(
        (
            earlier
            for earlier in (day - dt.timedelta(days=n) for n in range(1, 31))
            if earlier.weekday() < 5 and not is_working_day(earlier)
        ),
        None,
    )
    if latest_holiday is not None:
        for back in range(CHILD_W_FEWEST_DAYS_AGO, CHILD_W_MOST_DAYS_AGO + 1):
            aware_on = working_days_before(day, back)
            if aware_on < latest_holiday:
                return aware_on
    return working_days_before(day, 5)


def _child_w(organisations, users, by, leads) -> Review:
    """A rapid review mid-way, dated back from today (`child_w_aware_on`): the notices sent
    on its second working day, the agency letters on its first, two summaries sent in the
    platform by the agencies' contacts (the council's and the police's leads) on the working
    day before today; the meeting held and the decision made today, and signed off by the
    police only (the council and health have still to sign)."""
    aware_on = child_w_aware_on(today())
    council = organisations["Knowsley Council"]
    police = organisations["Merseyside Police"]
    review = services.incident_notify(
        incident=Incident(
            child_pseudonym="Child W",
            aware_on=aware_on,
            occurred_on=aware_on - dt.timedelta(days=2),
            outcome=IncidentOutcome.SERIOUSLY_HARMED,
            looked_after=True,
            summary="A looked-after 14-year-old admitted to hospital after an assault.",
        ),
        abuse_types=_abuse("Physical abuse", "Child sexual exploitation"),
        agencies=[
            council,
            police,
            organisations["Knowsley Clinical Commissioning Group"],
            organisations["North West Boroughs Healthcare"],
            organisations["Halewood Academy"],
        ],
        title=TITLE_W,
        case_manager=by.user,
        themes=_themes("Child sexual exploitation (CSE)", "Placement instability"),
        actor=by,
    )
    # Seriously harmed, not died: the Panel and the partners are told; Ofsted and the
    # Secretary of State only of a looked-after child's death.
    _record_notifications(review, lambda incident: add_working_days(incident.aware_on, 2), by)
    rapid = review.rapid_review
    services.rapid_review_record_letters(
        rapid=rapid,
        sent_on=add_working_days(aware_on, 1),
        organisations=list(review.incidents.get().agencies.all()),
        actor=by,
    )
    received_on = working_days_before(today(), 1)
    contacts = {lead.organisation_id: lead for lead in leads}
    words = {
        council.pk: "Children's social care: Child W has been looked after since 2024 and has "
        "had three placements in the last year. Two missing episodes in October, each followed "
        "by a return home interview; exploitation screening was started but not completed.",
        police.pk: "Merseyside Police: two missing-from-care reports in October. On the second, "
        "Child W was found with older males not known to the home; intelligence was shared "
        "with the exploitation team but no strategy discussion followed.",
    }
    for summary in rapid.summaries.filter(organisation__in=[council, police]):
        services.agency_summary_submit(
            summary=summary,
            contribution=words[summary.organisation_id],
            on=received_on,
            actor=Actor.for_user(contacts[summary.organisation_id]),
        )
    services.rapid_review_record_meeting(
        rapid=rapid,
        held_on=today(),
        immediate_actions="A safety plan agreed with the home; a strategy discussion held; the "
        "older males identified to the exploitation team.",
        assessments={
            "local_improvements": (True, "Missing episodes were not linked to exploitation."),
            "local_two_agencies": (True, "Police intelligence did not reach social care."),
            "factor_care_or_plan": (True, "Looked after at the time."),
        },
        actor=by,
    )
    services.rapid_review_decide(
        rapid=rapid,
        decision=Decision.LCSPR,
        decided_on=today(),
        rationale="Two agencies held information the others did not, and the same gap has "
        "been seen before: the local criteria are met. An LCSPR will look at how missing "
        "episodes are linked to exploitation risk.",
        actor=by,
    )
    services.rapid_review_report_generate(rapid=rapid, actor=by)
    police_lead = contacts[police.pk]
    services.rapid_review_sign_off(
        rapid=rapid, signer=police_lead, signed_on=today(), actor=Actor.for_user(police_lead)
    )
    return review
