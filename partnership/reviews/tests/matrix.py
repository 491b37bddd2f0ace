"""Who may reach every reviews URL (and the public published-review pages).

One review is built for the matrix, with the reviewer persona commissioned on it, the group
member on its panel and owning one of its actions. Everyone in the Review and Learning Group
(the business unit, the police lead, the NWBH member), the partners' leads, the commissioned
reviewer and the independent chair (who reads every review by default, and changes none: a
403 on every change) see it; the data submitter, who is in none of those, gets a 404 (its
existence is not given away); practitioners and people with no role are refused outright
(403).
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from partnership.accounts.tests.matrix_support import EVERYONE, SIGN_IN, STAFF, everyone, only
from partnership.directory.models import Organisation
from partnership.reviews import services
from partnership.reviews.models import (
    ActionItem,
    AgencyRequest,
    AgencySummary,
    Declaration,
    DocumentKind,
    EvidenceFile,
    Incident,
    Notification,
    PanelMember,
    Publication,
    Recommendation,
    Review,
    ReviewAccess,
    ReviewDocument,
    today,
)

TITLE = "Child M (permission matrix)"
PDF = b"%PDF-1.4\n% matrix\n"
STAFF_AND_REVIEWER = (*STAFF, "reviewer")
IN_SCOPE = ("business_unit", "independent_chair", "partner_lead", "group_member", "reviewer")
OUT_OF_SCOPE = ("data_submitter",)


def scoped(allowed, code=200):
    """`code` for `allowed`; 404 for staff who cannot see the review, 403 for the rest."""
    expected = {}
    for key in EVERYONE:
        if key == "anonymous":
            expected[key] = SIGN_IN
        elif key in allowed:
            expected[key] = code
        elif key in OUT_OF_SCOPE:
            expected[key] = 404
        else:
            expected[key] = 403
    return expected


def _stored(name: str) -> str:
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(PDF))
    return name


def matrix_review(personas) -> Review:
    """The matrix's review, made once per test (the database is rolled back between tests)."""
    review = Review.objects.filter(title=TITLE).first()
    if review is not None:
        return review
    from partnership.reviews.tests.factories import (
        business_unit,
        commission,
        complete_rapid_review,
        make_review,
        organisation,
    )
    from partnership.trail.actors import Actor

    user = business_unit()
    actor = Actor.for_user(user)
    police = organisation("merseyside-police")
    review = make_review(
        aware_on=dt.date(2026, 3, 2), child_pseudonym="Child M", title=TITLE, agencies=[police]
    )
    rapid = review.rapid_review
    services.rapid_review_record_letters(
        rapid=rapid, sent_on=dt.date(2026, 3, 3), organisations=[police], actor=actor
    )
    complete_rapid_review(review, on=dt.date(2026, 3, 20))
    commission(review, personas["reviewer"], on=dt.date(2026, 3, 25))
    member = services.panel_member_add(
        review=review, user=personas["group_member"], role="Health", actor=actor
    )
    declaration = services.declaration_record(
        panel_member=member,
        interest="Supervised the health visitor",
        declared_on=dt.date(2026, 4, 1),
        actor=actor,
    )
    services.declaration_recommend(
        declaration=declaration,
        recommendation="not_in_decisions",
        notes="",
        recommended_on=dt.date(2026, 4, 2),
        actor=actor,
    )
    services.agency_request_add(
        review=review,
        organisation=police,
        kind="chronology",
        requested_on=dt.date(2026, 4, 1),
        due_on=dt.date(2026, 4, 30),
        actor=actor,
    )
    document = ReviewDocument.objects.create(
        review=review,
        kind=DocumentKind.FINAL_REPORT,
        title="Final report",
        file=_stored("reviews/matrix/final-report.pdf"),
        original_name="final-report.pdf",
        size=len(PDF),
        uploaded_by=user,
    )
    recommendation = services.recommendation_save(
        recommendation=Recommendation(review=review, text="Share information sooner."),
        themes=[],
        actor=actor,
    )
    action = services.action_save(
        action=ActionItem(
            recommendation=recommendation,
            description="Audit information sharing",
            organisation=police,
            owner=personas["group_member"],
            due_on=dt.date(2026, 12, 1),
        ),
        actor=actor,
    )
    EvidenceFile.objects.create(
        action=action,
        file=_stored("reviews/matrix/evidence.pdf"),
        original_name="evidence.pdf",
        size=len(PDF),
        uploaded_by=user,
    )
    publication = services.publication_save(
        publication=Publication(
            review=review,
            title=TITLE,
            summary="What happened.",
            response="What we did.",
            report=document,
            executive_summary=document,
            notice_not_needed_reason="The report went to the Panel with the decision.",
        ),
        actor=actor,
    )
    # Published a month ago, so its report is online whenever the tests run.
    services.publication_publish(
        publication=publication, published_on=today() - dt.timedelta(days=30), actor=actor
    )
    services.rapid_review_report_generate(rapid=review.rapid_review, actor=actor)
    services.access_grant(review=review, user=_colleague(), actor=actor)
    return review


def _colleague():
    """Someone added to the matrix review's access list (and removed by the business unit)."""
    from partnership.accounts.models import Role, RoleGrant, User

    user, _ = User.objects.get_or_create(
        email="matrix.colleague@example.org", defaults={"full_name": "Matrix Colleague"}
    )
    RoleGrant.objects.get_or_create(user=user, role=Role.GROUP_MEMBER)
    return user


def review_kwargs(personas):
    return {"pk": matrix_review(personas).pk}


def _first(model, **lookups):
    return model.objects.filter(**lookups).order_by("pk").first()


def with_pk(name, model, lookup):
    def kwargs(personas):
        review = matrix_review(personas)
        return {"pk": review.pk, name: _first(model, **{lookup: review}).pk}

    return kwargs


def summary_kwargs(personas):
    review = matrix_review(personas)
    return {"summary": _first(AgencySummary, rapid_review__review=review).pk}


def agency_request_kwargs(personas):
    review = matrix_review(personas)
    return {"agency_request": _first(AgencyRequest, review=review).pk}


def partner_kwargs(personas):
    return {"partner": Organisation.objects.get(slug="merseyside-police").pk}


def report_kwargs(personas):
    return {"pk": matrix_review(personas).pk, "fmt": "pdf"}


def recommendation_kwargs(personas):
    return {"pk": matrix_review(personas).pk, "number": 1}


def evidence_kwargs(personas):
    review = matrix_review(personas)
    action = _first(ActionItem, review=review)
    return {"pk": review.pk, "action": action.pk, "file": action.files.first().pk}


def grant_kwargs(personas):
    review = matrix_review(personas)
    grant = ReviewAccess.objects.get(review=review, user__email="matrix.colleague@example.org")
    return {"pk": review.pk, "grant": grant.pk}


def slug_kwargs(personas):
    return {"slug": matrix_review(personas).publication.slug}


VIEWERS = scoped(IN_SCOPE)
MANAGERS = scoped(["business_unit"])

ROWS = {
    # Lists: every member of staff (and a commissioned reviewer) may open them; the scope
    # decides what they list.
    "reviews:reviews": ("get", {}, only(STAFF_AND_REVIEWER)),
    "reviews:deadlines": ("get", {}, only(STAFF_AND_REVIEWER)),
    "reviews:actions": ("get", {}, only(STAFF_AND_REVIEWER)),
    "reviews:themes": ("get", {}, only(STAFF_AND_REVIEWER)),
    "reviews:calendar": ("get", {}, only(STAFF_AND_REVIEWER)),
    "reviews:calendar-feed": ("get", {"token": "not-a-real-token"}, everyone(404)),
    "reviews:review-create": ("get", {}, only(["business_unit"])),
    "reviews:care-leaver-create": ("get", {}, only(["business_unit"])),
    "reviews:rules": ("get", {}, only(["business_unit"])),
    "reviews:theme-list": ("get", {}, only(["business_unit"])),
    "reviews:theme-create": ("get", {}, only(["business_unit"])),
    "reviews:theme-edit": ("get", {"slug": "neglect"}, only(["business_unit"])),
    # One review: seen by those in scope; changed by the business unit.
    "reviews:review": ("get", review_kwargs, VIEWERS),
    "reviews:review-edit": ("get", review_kwargs, MANAGERS),
    "reviews:incident-create": ("get", review_kwargs, MANAGERS),
    "reviews:incident-edit": ("get", with_pk("incident", Incident, "review"), MANAGERS),
    "reviews:notification-sent": (
        "get",
        with_pk("notification", Notification, "incident__review"),
        MANAGERS,
    ),
    "reviews:rapid-review": ("get", review_kwargs, VIEWERS),
    "reviews:letters": ("get", review_kwargs, MANAGERS),
    "reviews:summary-add": ("get", review_kwargs, MANAGERS),
    "reviews:summary-received": (
        "get",
        with_pk("summary", AgencySummary, "rapid_review__review"),
        MANAGERS,
    ),
    "reviews:meeting": ("get", review_kwargs, MANAGERS),
    "reviews:decision": ("get", review_kwargs, MANAGERS),
    # Each partner's representative (here its lead) signs off, themselves; nobody for them.
    "reviews:sign-off": ("get", review_kwargs, scoped(["partner_lead"])),
    # The summary is asked of the police: their lead answers it; anyone else finds nothing.
    "reviews:agency-requests": ("get", {}, only(STAFF_AND_REVIEWER)),
    "reviews:agency-request": ("get", summary_kwargs, only(["partner_lead"], others=404)),
    # The police's chronology: only the police's contact (the partner lead) sees it.
    "reviews:agency-local-request": (
        "get",
        agency_request_kwargs,
        only(["partner_lead"], others=404),
    ),
    "reviews:agency-letter": (
        "get",
        with_pk("summary", AgencySummary, "rapid_review__review"),
        MANAGERS,
    ),
    "reviews:delegated-partners": ("get", {}, only(["business_unit"])),
    "reviews:delegated-partner-set": ("get", partner_kwargs, only(["business_unit"])),
    "reviews:incident-notification": ("get", review_kwargs, VIEWERS),
    "reviews:report": ("get", review_kwargs, VIEWERS),
    "reviews:report-generate": ("post", review_kwargs, scoped(["business_unit"], 302)),
    "reviews:report-edit": ("get", review_kwargs, MANAGERS),
    "reviews:report-download": ("get", report_kwargs, VIEWERS),
    "reviews:withdraw": ("get", review_kwargs, MANAGERS),
    "reviews:send-to-panel": ("get", review_kwargs, MANAGERS),
    "reviews:panel-response": ("get", review_kwargs, MANAGERS),
    "reviews:local-review": ("get", review_kwargs, VIEWERS),
    "reviews:terms": ("get", review_kwargs, MANAGERS),
    "reviews:commission": ("get", review_kwargs, MANAGERS),
    "reviews:informed": ("get", review_kwargs, MANAGERS),
    "reviews:pre-publication": ("get", review_kwargs, MANAGERS),
    "reviews:panel-member-add": ("get", review_kwargs, MANAGERS),
    # The group member is on the panel: they declare their own interest and may appeal.
    "reviews:declaration-add": (
        "get",
        with_pk("member", PanelMember, "review"),
        scoped(["business_unit", "group_member"]),
    ),
    "reviews:declaration-recommend": (
        "get",
        with_pk("declaration", Declaration, "panel_member__review"),
        MANAGERS,
    ),
    "reviews:declaration-appeal": (
        "get",
        with_pk("declaration", Declaration, "panel_member__review"),
        scoped(["business_unit", "group_member"]),
    ),
    "reviews:declaration-decide": (
        "get",
        with_pk("declaration", Declaration, "panel_member__review"),
        MANAGERS,
    ),
    "reviews:request-add": ("get", review_kwargs, MANAGERS),
    "reviews:request-received": (
        "get",
        with_pk("agency_request", AgencyRequest, "review"),
        MANAGERS,
    ),
    "reviews:event-add": ("get", review_kwargs, MANAGERS),
    "reviews:monitoring-add": ("get", review_kwargs, MANAGERS),
    "reviews:documents": ("get", review_kwargs, VIEWERS),
    # The commissioned reviewer sends their drafts.
    "reviews:document-upload": ("get", review_kwargs, scoped(["business_unit", "reviewer"])),
    "reviews:document-download": ("get", with_pk("document", ReviewDocument, "review"), VIEWERS),
    "reviews:publication": ("get", review_kwargs, MANAGERS),
    "reviews:publish": ("get", review_kwargs, MANAGERS),
    "reviews:recommendations": ("get", review_kwargs, VIEWERS),
    "reviews:recommendation-add": ("get", review_kwargs, MANAGERS),
    "reviews:recommendation": ("get", recommendation_kwargs, VIEWERS),
    "reviews:recommendation-edit": ("get", recommendation_kwargs, MANAGERS),
    "reviews:action-add": ("get", recommendation_kwargs, MANAGERS),
    "reviews:action": ("get", with_pk("action", ActionItem, "review"), VIEWERS),
    "reviews:action-edit": ("get", with_pk("action", ActionItem, "review"), MANAGERS),
    # The group member owns the action: they send its evidence.
    "reviews:evidence": (
        "get",
        with_pk("action", ActionItem, "review"),
        scoped(["business_unit", "group_member"]),
    ),
    "reviews:evidence-download": ("get", evidence_kwargs, VIEWERS),
    # The group signs off actions: its members (the police lead and the NWBH member sit on it).
    "reviews:action-sign-off": (
        "get",
        with_pk("action", ActionItem, "review"),
        scoped(["business_unit", "partner_lead", "group_member"]),
    ),
    "reviews:product-add": ("get", review_kwargs, MANAGERS),
    "reviews:access": ("get", review_kwargs, MANAGERS),
    "reviews:access-remove": ("post", grant_kwargs, scoped(["business_unit"], 302)),
    "reviews:viewers": ("get", review_kwargs, scoped(["business_unit", "partner_lead"])),
    # The public site: published reviews are public.
    "published:reviews": ("get", {}, everyone()),
    "published:review": ("get", slug_kwargs, everyone()),
    "published:document": (
        "get",
        lambda personas: {**slug_kwargs(personas), "which": "report"},
        everyone(),
    ),
}
