"""Helpers shared by tests in several apps (fixtures stay in conftest.py)."""

from partnership.directory.models import AgencyToken, Organisation, OrganisationKind


def make_organisation(name: str, **fields) -> Organisation:
    from django.utils.text import slugify

    fields.setdefault("slug", slugify(name)[:80])
    fields.setdefault("kind", OrganisationKind.RELEVANT_AGENCY)
    return Organisation.objects.create(name=name, **fields)


def issue_token(organisation: Organisation | None = None, name: str = "Tests") -> tuple:
    """A usable API token for `organisation` (made if not given): (AgencyToken, raw)."""
    if organisation is None:
        organisation = make_organisation("API Test Agency")
    return AgencyToken.issue(organisation=organisation, name=name)


def bearer(raw: str) -> dict[str, str]:
    """Headers for the test client that send `raw` as the API token."""
    return {"Authorization": f"Bearer {raw}"}
