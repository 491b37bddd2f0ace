"""Need to know: who sees which review, and every look at one on the record."""

import datetime as dt

import pytest
from django.urls import reverse

from partnership.accounts.models import Role, RoleGrant, User
from partnership.governance.models import Group
from partnership.reviews import services
from partnership.reviews.models import Deadline, Review, ReviewRules
from partnership.trail.actors import Actor
from partnership.trail.models import Action, AuditEntry

from . import matrix
from .factories import business_unit, commission, make_review
from .support import error_summary, text

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def two_reviews(personas):
    """Review A, with the reviewer persona commissioned on it; review B, without."""
    review_a = make_review(aware_on=D(2026, 9, 7), child_pseudonym="Child A", title="Child A")
    review_b = make_review(aware_on=D(2026, 9, 14), child_pseudonym="Child B", title="Child B")
    commission(review_a, personas["reviewer"])
    return review_a, review_b


def visible(user) -> set[str]:
    return set(Review.objects.visible_to(user).values_list("title", flat=True))


def test_who_sees_which_review(personas, two_reviews):
    other_group = Group.objects.get(slug="policy-and-performance-group")
    review_c = make_review(aware_on=D(2026, 9, 21), child_pseudonym="Child C", title="Child C")
    Review.objects.filter(pk=review_c.pk).update(group=other_group)
    everything = {"Child A", "Child B", "Child C"}
    assert visible(personas["business_unit"]) == everything
    assert visible(personas["partner_lead"]) == everything
    # A member of the Review and Learning Group sees its reviews, not another group's.
    assert visible(personas["group_member"]) == {"Child A", "Child B"}
    assert visible(personas["reviewer"]) == {"Child A"}
    # The independent chair reads every review (a rule, on by default).
    assert visible(personas["independent_chair"]) == everything
    for key in ("data_submitter", "practitioner", "outsider"):
        assert visible(personas[key]) == set(), key


def chair_reads_reviews(on: bool):
    rules = ReviewRules.current()
    rules.chair_sees_reviews = on
    services.rules_update(rules=rules, actor=Actor.for_user(business_unit()))


def test_the_access_list_opens_one_review(personas, two_reviews):
    review_a, _ = two_reviews
    data_submitter = personas["data_submitter"]
    services.access_grant(
        review=review_a, user=data_submitter, actor=Actor.for_user(business_unit())
    )
    assert visible(data_submitter) == {"Child A"}
    # With the chair's reading turned off, the access list still opens one review to them.
    chair_reads_reviews(False)
    chair = User.objects.get(pk=personas["independent_chair"].pk)
    assert visible(chair) == set()
    services.access_grant(review=review_a, user=chair, actor=Actor.for_user(business_unit()))
    assert visible(chair) == {"Child A"}


def test_the_independent_chair_reads_every_review_and_the_deadlines(client_as, two_reviews):
    review_a, review_b = two_reviews
    client = client_as("independent_chair")
    for url in review_urls(review_b)[:4]:  # the review, rapid review, documents, recommendations
        before = AuditEntry.objects.filter(action=Action.VIEW).count()
        assert client.get(url).status_code == 200, url
        # Every look is on the record, as anyone's is.
        entry = AuditEntry.objects.filter(action=Action.VIEW).order_by("-id").first()
        assert AuditEntry.objects.filter(action=Action.VIEW).count() == before + 1, url
        assert entry.actor_label.startswith("Ian Chambers"), url
    listing = text(client.get("/reviews/"))
    assert review_a.reference in listing and review_b.reference in listing
    # Both reviews' notices (Panel and partners, each due 5 working days after a September
    # Monday) are on the dashboard.
    deadlines = text(client.get("/reviews/deadlines/?when=all"))
    assert review_a.reference in deadlines and review_b.reference in deadlines
    assert "Notify the Child Safeguarding Practice Review Panel (Child B)" in deadlines
    # Reading only: nothing on the pages offers a change.
    page = text(client.get(f"/reviews/{review_b.pk}/"))
    assert "Change details" not in page and "Record sent" not in page


def test_the_business_unit_can_turn_the_chairs_reading_off(client_as, two_reviews):
    _, review_b = two_reviews
    chair_reads_reviews(False)
    client = client_as("independent_chair")
    assert client.get(f"/reviews/{review_b.pk}/").status_code == 404
    assert review_b.reference not in text(client.get("/reviews/deadlines/?when=all"))


def test_the_chair_cannot_change_a_review(client_as, personas, two_reviews):
    """Reading every review gives the chair no write: each change is refused (403) and
    nothing is written."""
    review = matrix.matrix_review(personas)
    client = client_as("independent_chair")
    action = review.actions.get()
    reads = [Action.VIEW, Action.DOWNLOAD, Action.REFUSED]
    changes = AuditEntry.objects.exclude(action__in=reads).count()
    posts = {
        f"/reviews/{review.pk}/edit/": {"title": "Changed"},
        f"/reviews/{review.pk}/rapid-review/decision/": {"decision": "no_further_review"},
        f"/reviews/{review.pk}/rapid-review/sign-off/": {},
        f"/reviews/{review.pk}/documents/new/": {"kind": "final_report", "title": "Mine"},
        f"/reviews/{review.pk}/actions/{action.pk}/evidence/": {"evidence": "Done."},
        f"/reviews/{review.pk}/actions/{action.pk}/sign-off/": {},
        f"/reviews/{review.pk}/recommendations/new/": {"text": "More."},
        f"/reviews/{review.pk}/access/": {"email": personas["data_submitter"].email},
        "/reviews/rules/": {},
        "/reviews/new/": {},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert client.get(f"/reviews/{review.pk}/").status_code == 200
    assert AuditEntry.objects.exclude(action__in=reads).count() == changes
    # Each refusal is on the trail as one.
    assert AuditEntry.objects.filter(action=Action.REFUSED).count() == len(posts)
    assert review.title == Review.objects.get(pk=review.pk).title
    assert ReviewRules.current().chair_sees_reviews


def test_only_people_with_a_staff_role_go_on_the_access_list(client_as, personas, two_reviews):
    review_a, _ = two_reviews
    response = client_as("business_unit").post(
        f"/reviews/{review_a.pk}/access/", {"email": personas["practitioner"].email}
    )
    assert error_summary(response) == [
        "Pat Quinn has no role that may see confidential records: ask for them to be given one "
        "(for example group member) first"
    ]
    assert not review_a.access_grants.filter(user=personas["practitioner"]).exists()


def test_a_commissioned_reviewer_sees_their_review_and_nothing_else(personas, two_reviews):
    review_a, review_b = two_reviews
    # Even a reviewer who also sits on the group sees only what they were commissioned for.
    from partnership.demo import knowsley
    from partnership.governance.models import Membership

    person = knowsley.person_for(
        "Rowan Ellis",
        "Independent Reviewer",
        personas["reviewer"].organisation,
        user=personas["reviewer"],
    )
    Membership.objects.create(
        group=Group.objects.get(slug="review-and-learning-group"),
        person=person,
        organisation=person.organisation,
        started_on=D(2020, 1, 1),
    )
    reviewer = User.objects.get(pk=personas["reviewer"].pk)
    assert visible(reviewer) == {"Child A"}


def review_urls(review) -> list[str]:
    pk = review.pk
    return [
        reverse(name, kwargs={"pk": pk})
        for name in (
            "reviews:review",
            "reviews:rapid-review",
            "reviews:documents",
            "reviews:recommendations",
            "reviews:document-upload",
        )
    ]


def test_the_reviewer_of_review_a_gets_a_404_on_review_b(client_as, two_reviews):
    review_a, review_b = two_reviews
    client = client_as("reviewer")
    for url in review_urls(review_a):
        assert client.get(url).status_code == 200, url
    for url in review_urls(review_b):
        assert client.get(url).status_code == 404, url
    listing = text(client.get("/reviews/"))
    assert review_a.reference in listing and review_b.reference not in listing
    deadlines = text(client.get("/reviews/deadlines/?when=all"))
    assert review_a.reference in deadlines and review_b.reference not in deadlines


def test_a_practitioner_sees_no_unpublished_review(client_as, two_reviews):
    review_a, _ = two_reviews
    client = client_as("practitioner")
    assert client.get("/reviews/").status_code == 403
    assert client.get(f"/reviews/{review_a.pk}/").status_code == 403
    public = text(client.get("/learning-from-reviews/"))
    assert "Child A" not in public and "No reviews have been published." in public


def review_pages(personas):
    """Every GET page of one review in the permission matrix, with its arguments."""
    for name, (method, kwargs, expected) in matrix.ROWS.items():
        if method != "get" or not name.startswith("reviews:") or expected["business_unit"] != 200:
            continue
        arguments = kwargs(personas) if callable(kwargs) else kwargs
        if "pk" in arguments:
            yield name, reverse(name, kwargs=arguments)


def test_every_page_of_a_review_is_on_the_audit_trail(client_as, personas):
    client = client_as("business_unit")
    pages = list(review_pages(personas))
    assert len(pages) > 40
    review = matrix.matrix_review(personas)
    for name, url in pages:
        before = AuditEntry.objects.count()
        response = client.get(url)
        assert response.status_code == 200, name
        entry = AuditEntry.objects.order_by("-id").first()
        assert AuditEntry.objects.count() == before + 1, name
        assert entry.action in {Action.VIEW, Action.DOWNLOAD}, name
        assert (entry.object_type, entry.object_id) == ("reviews.review", str(review.pk)), name
        assert entry.actor == personas["business_unit"], name


def test_the_who_has_viewed_page_lists_each_look(client_as, personas, two_reviews):
    review_a, _ = two_reviews
    client_as("reviewer").get(f"/reviews/{review_a.pk}/rapid-review/")
    client_as("group_member").get(f"/reviews/{review_a.pk}/")
    page = text(client_as("business_unit").get(f"/reviews/{review_a.pk}/viewers/"))
    # Who, the kind of actor, and how many looks.
    assert "Rowan Ellis <rowan.ellis@reviewers.example.org>, Independent reviewers Person 1" in page
    assert (
        "Gareth Morris <gareth.morris@nwbh.example.org>, North West Boroughs Healthcare Person 1"
        in page
    )
    assert "Viewed the rapid review" in page
    # Who looked is for the business unit and the partners' leads, not every member.
    assert client_as("group_member").get(f"/reviews/{review_a.pk}/viewers/").status_code == 403


def test_the_calendar_feed_shows_only_the_reviewers_review(client, personas, two_reviews):
    review_a, review_b = two_reviews
    raw = services.calendar_token_issue(actor=Actor.for_user(personas["reviewer"]))
    response = client.get(f"/reviews/deadlines/calendar/{raw}.ics")
    assert response.status_code == 200
    body = response.content.decode()
    assert review_a.reference in body and review_b.reference not in body
    assert Deadline.objects.filter(review=review_b).exists()


def test_the_calendar_feed_stops_when_the_role_goes(client, personas, two_reviews):
    raw = services.calendar_token_issue(actor=Actor.for_user(personas["reviewer"]))
    RoleGrant.objects.filter(user=personas["reviewer"], role=Role.REVIEWER).delete()
    assert client.get(f"/reviews/deadlines/calendar/{raw}.ics").status_code == 404
