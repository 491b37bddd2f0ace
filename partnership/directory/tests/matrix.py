from partnership.accounts.tests.matrix_support import STAFF, everyone, only
from partnership.directory.models import AgencyToken, Organisation


def fresh_housing_trust_token(personas):
    housing_trust = Organisation.objects.get(slug="knowsley-housing-trust")
    token, _ = AgencyToken.issue(organisation=housing_trust, name="Matrix")
    return {"pk": token.pk}


ROWS = {
    "directory:organisations": ("get", {}, only(STAFF)),
    "directory:organisation-create": ("get", {}, only(["business_unit"])),
    "directory:organisation": ("get", {"slug": "merseyside-police"}, only(STAFF)),
    "directory:organisation-edit": ("get", {"slug": "merseyside-police"}, only(["business_unit"])),
    "directory:organisation-rename": (
        "get",
        {"slug": "merseyside-police"},
        only(["business_unit"]),
    ),
    "directory:tokens": ("get", {}, only(["business_unit", "partner_lead", "data_submitter"])),
    # The data submitter works for the housing trust; the police lead does not.
    "directory:token-issue": (
        "get",
        {"slug": "knowsley-housing-trust"},
        only(["business_unit", "data_submitter"]),
    ),
    "directory:token-revoke": (
        "post",
        fresh_housing_trust_token,
        only(["business_unit", "data_submitter"], 302),
    ),
    # The API takes agency tokens only: a browser session, however privileged, is refused.
    "api:api-root": ("get", {}, everyone(404)),
    "api:openapi-json": ("get", {}, everyone()),
    "api:list_organisations": ("get", {}, everyone(401)),
    "api:get_organisation": ("get", {"organisation_id": 1}, everyone(401)),
}


def _person(full_name):
    from partnership.directory.models import Person

    return Person.objects.get(full_name=full_name)


def practitioner_person(personas):
    return {"pk": personas["practitioner"].person.pk}


def person_without_account(personas):
    from partnership.directory.models import Person

    return {"pk": Person.objects.filter(user__isnull=True).order_by("pk").first().pk}


def practitioner_grant(personas):
    user = personas["practitioner"]
    return {"pk": user.person.pk, "grant_pk": user.role_grants.get().pk}


def refused_import(personas):
    from partnership.directory.models import ImportStatus, PeopleImport

    people_import = PeopleImport.objects.create(
        created_by=personas["business_unit"],
        file_name="people.csv",
        content=b"",
        status=ImportStatus.REFUSED,
        errors=[{"row": 2, "column": "Email address", "message": "Enter it"}],
        error_count=1,
    )
    return {"pk": people_import.pk}


BUSINESS_UNIT = ["business_unit"]
ROWS.update(
    {
        "directory:role-holders": ("get", {}, only(BUSINESS_UNIT)),
        "directory:people-import-new": ("get", {}, only(BUSINESS_UNIT)),
        "directory:people-import-template": ("get", {"extension": "xlsx"}, only(BUSINESS_UNIT)),
        "directory:people-import": ("get", refused_import, only(BUSINESS_UNIT)),
        "directory:person-add": ("get", {"slug": "merseyside-police"}, only(BUSINESS_UNIT)),
        "directory:person-invite-new": (
            "get",
            {"slug": "merseyside-police"},
            only(BUSINESS_UNIT),
        ),
        "directory:person": ("get", practitioner_person, only(STAFF)),
        "directory:person-edit": ("get", practitioner_person, only(BUSINESS_UNIT)),
        "directory:person-end": ("get", practitioner_person, only(BUSINESS_UNIT)),
        "directory:person-invite": ("get", person_without_account, only(BUSINESS_UNIT)),
        # The practitioner has set a password, so a resend is refused with a message.
        "directory:invitation-resend": ("post", practitioner_person, only(BUSINESS_UNIT, 302)),
        "directory:invitation-withdraw": ("post", practitioner_person, only(BUSINESS_UNIT, 302)),
        "directory:role-grant": ("get", practitioner_person, only(BUSINESS_UNIT)),
        "directory:role-remove": ("post", practitioner_grant, only(BUSINESS_UNIT, 302)),
        "directory:account-deactivate": ("get", practitioner_person, only(BUSINESS_UNIT)),
        # The account is active, so reactivation is refused with a message.
        "directory:account-reactivate": ("post", practitioner_person, only(BUSINESS_UNIT, 302)),
    }
)
