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
