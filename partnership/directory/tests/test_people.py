"""The business unit runs the partnership's people: adds, changes, ends; roles; leaving."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import get_resolver

from partnership.accounts import services as account_services
from partnership.accounts.models import Role, RoleGrant, User
from partnership.demo.personas import DEMO_PASSWORD
from partnership.directory import services
from partnership.directory.models import AgencyToken, Organisation, Person
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_business_unit_adds_a_person_who_is_shown_on_the_organisation_page(client_as, personas):
    client = client_as("business_unit")
    police = Organisation.objects.get(slug="merseyside-police")
    response = client.post(
        "/directory/merseyside-police/people/new/",
        {
            "full_name": "  Sam   Okafor ",
            "job_title": "Detective Inspector",
            "email": "Sam.Okafor@police.example.org",
            "phone": "0151 777 1234",
            "organisation": police.pk,
            "started_on_day": "4",
            "started_on_month": "5",
            "started_on_year": "2026",
        },
    )
    sam = Person.objects.get(full_name="Sam Okafor")
    assert response["Location"] == f"/directory/people/{sam.pk}/"
    assert (sam.email, sam.started_on) == ("sam.okafor@police.example.org", dt.date(2026, 5, 4))
    assert f'href="/directory/people/{sam.pk}/">Sam Okafor</a>' in page_of(
        client.get("/directory/merseyside-police/")
    )
    entry = AuditEntry.objects.get(object_type="directory.person", object_id=str(sam.pk))
    assert entry.actor == personas["business_unit"]
    assert entry.summary == "Added Sam Okafor to Merseyside Police"


def test_changing_a_person_with_an_account_changes_how_they_sign_in(client_as, personas):
    dana = personas["data_submitter"].person
    response = client_as("business_unit").post(
        f"/directory/people/{dana.pk}/edit/",
        {
            "full_name": "Dana Singh-Roberts",
            "job_title": "Performance Manager",
            "email": "dana.roberts@kht.example.org",
            "phone": "",
            "organisation": dana.organisation_id,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(pk=personas["data_submitter"].pk)
    assert (user.full_name, user.email, user.job_title) == (
        "Dana Singh-Roberts",
        "dana.roberts@kht.example.org",
        "Performance Manager",
    )
    entry = AuditEntry.objects.filter(object_type="directory.person").latest("pk")
    assert entry.changes["email"] == ["dana.singh@kht.example.org", "dana.roberts@kht.example.org"]


def test_another_accounts_email_address_is_refused(client_as, personas):
    dana = personas["data_submitter"].person
    response = client_as("business_unit").post(
        f"/directory/people/{dana.pk}/edit/",
        {
            "full_name": "Dana Singh",
            "email": personas["practitioner"].email,
            "organisation": dana.organisation_id,
        },
    )
    assert "Another account uses this email address" in page_of(response)
    assert User.objects.get(pk=personas["data_submitter"].pk).email == "dana.singh@kht.example.org"


def test_there_is_no_way_to_delete_a_person_or_an_account():
    names = [str(pattern.pattern) for pattern in get_resolver().url_patterns]
    everything = " ".join(names)

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    routes = [
        route for route in walk(get_resolver()) if route.startswith(("directory/", "account/"))
    ]
    assert routes and everything
    assert not [
        route for route in routes if "delete" in route or "remove" in route and "roles" not in route
    ]


def test_ending_a_person_keeps_them_shown_as_ended_and_deactivates_their_account(
    client_as, personas
):
    dana_user = personas["data_submitter"]
    dana = dana_user.person
    token, _ = AgencyToken.issue(
        organisation=dana.organisation, name="Case system", created_by=dana_user
    )
    signed_in = client_as("data_submitter")
    assert signed_in.get("/directory/api-tokens/").status_code == 200
    response = client_as("business_unit").post(
        f"/directory/people/{dana.pk}/end/",
        {
            "ended_on_day": "31",
            "ended_on_month": "5",
            "ended_on_year": "2026",
            "reason": "Moved to another housing association",
        },
    )
    assert response.status_code == 302
    dana.refresh_from_db()
    assert dana.ended_on == dt.date(2026, 5, 31)
    # Kept, and shown as ended, on the organisation's page.
    org_page = page_of(client_as("business_unit").get("/directory/knowsley-housing-trust/"))
    assert 'Dana Singh</a> <strong class="govuk-tag govuk-tag--grey">Ended</strong>' in org_page
    # The account is closed at once, the token they issued revoked.
    assert not User.objects.get(pk=dana_user.pk).is_active
    assert signed_in.get("/directory/api-tokens/")["Location"].startswith("/account/sign-in/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = AuditEntry.objects.filter(
        object_type="directory.person", object_id=str(dana.pk)
    ).latest("pk")
    assert entry.summary == "Ended on 31 May 2026: Moved to another housing association"
    assert Person.objects.current().filter(pk=dana.pk).count() == 0


def test_an_end_date_in_the_future_or_no_reason_is_refused(client_as, personas):
    dana = personas["data_submitter"].person
    response = client_as("business_unit").post(
        f"/directory/people/{dana.pk}/end/",
        {"ended_on_day": "2", "ended_on_month": "6", "ended_on_year": "2026", "reason": ""},
    )
    text = page_of(response)
    assert "Enter why they are leaving" in text
    response = client_as("business_unit").post(
        f"/directory/people/{dana.pk}/end/",
        {"ended_on_day": "2", "ended_on_month": "6", "ended_on_year": "2026", "reason": "Left"},
    )
    assert "The date they left must be today or in the past" in page_of(response)
    dana.refresh_from_db()
    assert dana.ended_on is None
    assert User.objects.get(pk=personas["data_submitter"].pk).is_active


def test_a_deactivated_account_is_signed_out_cannot_sign_in_and_its_records_stay(
    client_as, personas
):
    from partnership.training.tests.factories import SessionFactory, book

    pat = personas["practitioner"]
    session = SessionFactory(course__title="Neglect: Graded Care Profile 2")
    booking = book(session, "Pat Quinn", email=pat.email, user=pat, actor=Actor.for_user(pat))
    pats_entries = AuditEntry.objects.filter(actor=pat).count()
    assert pats_entries >= 1
    signed_in = client_as("practitioner")
    assert signed_in.get("/account/").status_code == 200

    manager = client_as("business_unit")
    response = manager.post(
        f"/directory/people/{pat.person.pk}/deactivate/", {"reason": "Left the school"}
    )
    assert response.status_code == 302
    # The next request of Pat's open session is signed out.
    assert signed_in.get("/account/")["Location"].startswith("/account/sign-in/")
    # And Pat cannot sign in again.
    refused = Client().post("/account/sign-in/", {"email": pat.email, "password": DEMO_PASSWORD})
    assert "Enter a correct email address and password" in page_of(refused)
    # Everything Pat did is still there and shown.
    booking.refresh_from_db()
    assert booking.user_id == pat.pk
    assert AuditEntry.objects.filter(actor=pat).count() == pats_entries
    assert "Pat Quinn" in page_of(manager.get(f"/training/manage/sessions/{session.pk}/"))
    assert "Pat Quinn" in page_of(manager.get("/audit/?actor=Pat+Quinn"))
    assert "Deactivated" in page_of(manager.get(f"/directory/people/{pat.person.pk}/"))


def test_reactivated_account_gets_a_new_invitation_to_set_a_password(
    client_as, personas, django_capture_on_commit_callbacks, mailoutbox
):
    pat = personas["practitioner"]
    manager = client_as("business_unit")
    manager.post(f"/directory/people/{pat.person.pk}/deactivate/", {"reason": "Left"})
    assert manager.post(f"/directory/people/{pat.person.pk}/reactivate/").status_code == 302
    assert User.objects.get(pk=pat.pk).is_active
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(f"/directory/people/{pat.person.pk}/invitation/resend/")
    assert mailoutbox[-1].to == [pat.email]
    summaries = set(
        AuditEntry.objects.filter(object_id=str(pat.pk), object_type="accounts.user").values_list(
            "summary", flat=True
        )
    )
    assert {"Deactivated the account: Left", "Reactivated the account"} <= summaries


def test_the_last_business_unit_administrator_cannot_be_removed_or_deactivated(personas):
    bea = personas["business_unit"]
    assert RoleGrant.objects.filter(role=Role.BUSINESS_UNIT).count() == 1
    job = Actor.system("tests")
    with pytest.raises(ValidationError, match="only business unit administrator"):
        account_services.role_remove(grant=bea.role_grants.get(), actor=Actor.for_user(bea))
    with pytest.raises(ValidationError, match="only business unit administrator"):
        services.account_deactivate(user=bea, actor=job)
    # With a second administrator, the first may go.
    ian = personas["independent_chair"]
    account_services.role_grant(user=ian, role=Role.BUSINESS_UNIT, actor=Actor.for_user(bea))
    services.account_deactivate(user=bea, reason="Retired", actor=Actor.for_user(ian))
    assert not User.objects.get(pk=bea.pk).is_active


def test_removing_the_last_administrator_on_the_page_says_why(client_as, personas):
    bea = personas["business_unit"]
    # Bea's own page offers no remove button; a hand-made request is refused in words.
    response = client_as("business_unit").post(
        f"/directory/people/{bea.person.pk}/roles/{bea.role_grants.get().pk}/remove/", follow=True
    )
    assert "Bea Marsh is the only business unit administrator" in page_of(response)
    assert bea.role_grants.filter(role=Role.BUSINESS_UNIT).exists()


def test_a_data_submitter_role_is_scoped_to_an_organisation(client_as, personas):
    gareth = personas["group_member"]
    housing = Organisation.objects.get(slug="knowsley-housing-trust")
    response = client_as("business_unit").post(
        f"/directory/people/{gareth.person.pk}/roles/new/",
        {"role": "data_submitter", "scope": housing.pk},
    )
    assert response.status_code == 302
    grant = gareth.role_grants.get(role="data_submitter")
    assert grant.organisation == housing
    page = page_of(client_as("business_unit").get(f"/directory/people/{gareth.person.pk}/"))
    assert "Data submitter for Knowsley Housing Trust" in page
    refused = client_as("business_unit").post(
        f"/directory/people/{gareth.person.pk}/roles/new/",
        {"role": "reviewer", "scope": housing.pk},
    )
    assert "A reviewer role is not for one organisation" in page_of(refused)


def test_existing_data_submitter_grants_keep_their_own_organisation(personas):
    """The migration's rule: a grant made before scopes existed means the user's organisation."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("partnership.accounts.migrations.0003_invitations_and_scoped_grants")
    dana = personas["data_submitter"]
    RoleGrant.objects.filter(user=dana).update(organisation=None)
    migration.scope_data_submitters_to_their_organisation(apps, None)
    assert dana.role_grants.get().organisation.name == "Knowsley Housing Trust"


def test_who_holds_which_role_filters_by_role_and_organisation(client_as, personas):
    client = client_as("business_unit")
    police = Organisation.objects.get(slug="merseyside-police")
    page = page_of(client.get("/directory/roles/?role=data_submitter"))
    assert "Dana Singh" in page and "Priya Lewis" not in page
    page = page_of(client.get(f"/directory/roles/?organisation={police.pk}"))
    assert "Priya Lewis" in page and "Dana Singh" not in page


def test_people_lists_cost_the_same_queries_however_many_people(
    client_as, personas, django_assert_max_num_queries
):
    client = client_as("business_unit")
    police = Organisation.objects.get(slug="merseyside-police")
    with django_assert_max_num_queries(40) as roles_before:
        client.get("/directory/roles/")
    with django_assert_max_num_queries(40) as people_before:
        client.get("/directory/merseyside-police/")
    for n in range(120):
        user = User.objects.create_user(f"officer{n}@police.example.org", full_name=f"Officer {n}")
        user.organisation = police
        user.save()
        Person.objects.create(full_name=f"Officer {n}", organisation=police, user=user)
        RoleGrant.objects.create(user=user, role=Role.GROUP_MEMBER)
    with django_assert_max_num_queries(len(roles_before.captured_queries)):
        page = page_of(client.get("/directory/roles/?page=2"))
    assert "Officer" in page
    with django_assert_max_num_queries(len(people_before.captured_queries)):
        page = page_of(client.get("/directory/merseyside-police/?page=2"))
    assert "Officer" in page


def test_a_data_submitter_for_another_agency_sees_that_agencys_returns(client_as, personas):
    """A scoped grant reaches the named agency's returns; before it, they were not visible."""
    from partnership.performance import services as performance
    from partnership.performance.models import DataReturn
    from partnership.performance.tests.factories import year

    gareth = User.objects.get(pk=personas["group_member"].pk)
    housing = Organisation.objects.get(slug="knowsley-housing-trust")
    housing_return = performance.get_return(housing, year(2025))
    assert not DataReturn.objects.visible_to(gareth).filter(pk=housing_return.pk).exists()
    account_services.role_grant(
        user=gareth,
        role=Role.DATA_SUBMITTER,
        organisation=housing,
        actor=Actor.for_user(personas["business_unit"]),
    )
    gareth = User.objects.get(pk=gareth.pk)
    assert gareth.agency_ids == {gareth.organisation_id, housing.pk}
    assert DataReturn.objects.visible_to(gareth).filter(pk=housing_return.pk).exists()


def test_the_demo_shows_an_open_invitation_and_someone_who_has_left(client_as, personas):
    from partnership.directory import demo

    demo.build(users=personas)
    demo.build(users=personas)  # idempotent
    kerry = Person.objects.get(full_name="Kerry Walsh")
    assert kerry.organisation.name == "Youth Offending Service"
    assert kerry.user.invitations.open().count() == 1
    martin = Person.objects.get(full_name="Martin Price")
    assert martin.ended_on == dt.date(2026, 4, 2)  # 60 days before 1 June 2026
    page = page_of(client_as("business_unit").get(f"/directory/people/{kerry.pk}/"))
    assert "Invited" in page and "Withdraw the invitation" in page
