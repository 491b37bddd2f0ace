"""Who may reach every URL: one row per URL, one column per persona.

Every URL in the project must appear here (a test fails on any that does not), so no page
can be added without deciding who may see it. Later modules add their rows.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from partnership.conftest import PERSONA_KEYS
from partnership.directory.models import AgencyToken, Organisation

ANONYMOUS = "anonymous"
EVERYONE = (ANONYMOUS, *PERSONA_KEYS)
SIGNED_IN = tuple(PERSONA_KEYS)
STAFF = ("business_unit", "independent_chair", "partner_lead", "group_member", "data_submitter")
SIGN_IN = "sign-in"  # a redirect to the sign-in page


def only(allowed, code=200, others=403):
    """`code` for the personas in `allowed`, `others` for the rest, and anonymous to sign in."""
    return {
        key: (code if key in allowed else others) if key != ANONYMOUS else SIGN_IN
        for key in EVERYONE
    }


def everyone(code=200):
    return dict.fromkeys(EVERYONE, code)


def signed_in(code=200):
    return {key: SIGN_IN if key == ANONYMOUS else code for key in EVERYONE}


# url name -> (method, kwargs, {persona: expected status or SIGN_IN})
MATRIX = {
    "website:home": ("get", {}, everyone()),
    "website:accessibility": ("get", {}, everyone()),
    "website:cookies": ("get", {}, everyone()),
    "website:privacy": ("get", {}, everyone()),
    "website:health": ("get", {}, everyone()),
    "accounts:sign-in": ("get", {}, {**signed_in(302), ANONYMOUS: 200}),
    "accounts:two-factor": ("get", {}, signed_in(302)),
    "accounts:two-factor-setup": ("get", {}, signed_in(200)),
    "accounts:recovery-codes": ("get", {}, signed_in(200)),
    "accounts:sign-out": ("post", {}, signed_in(302)),
    "accounts:account": ("get", {}, signed_in(200)),
    "accounts:change-password": ("get", {}, signed_in(200)),
    "accounts:password-reset": ("get", {}, everyone()),
    "accounts:password-reset-sent": ("get", {}, everyone()),
    "accounts:password-reset-confirm": (
        "get",
        {"uidb64": "MQ", "token": "not-a-real-token"},
        everyone(),
    ),
    "accounts:password-reset-complete": ("get", {}, everyone()),
    "directory:organisations": ("get", {}, only(STAFF)),
    "directory:organisation-create": ("get", {}, only(["business_unit"])),
    "directory:organisation": ("get", {"slug": "merseyside-police"}, only(STAFF)),
    "directory:organisation-edit": ("get", {"slug": "merseyside-police"}, only(["business_unit"])),
    "directory:tokens": ("get", {}, only(["business_unit", "partner_lead", "data_submitter"])),
    # The data submitter works for the housing trust; the police lead does not.
    "directory:token-issue": (
        "get",
        {"slug": "knowsley-housing-trust"},
        only(["business_unit", "data_submitter"]),
    ),
    "directory:token-revoke": (
        "post",
        {"pk": "fresh-token"},
        only(["business_unit", "data_submitter"], 302),
    ),
    "governance:groups": ("get", {}, only(STAFF)),
    "governance:group": ("get", {"slug": "review-and-learning-group"}, only(STAFF)),
    "audit:trail": ("get", {}, only(["business_unit"])),
    # The API takes agency tokens only: a browser session, however privileged, is refused.
    "api:api-root": ("get", {}, everyone(404)),
    "api:openapi-json": ("get", {}, everyone()),
    "api:list_organisations": ("get", {}, everyone(401)),
    "api:get_organisation": ("get", {"organisation_id": 1}, everyone(401)),
    "api:list_groups": ("get", {}, everyone(401)),
    "api:get_group": ("get", {"slug": "strategic-forum"}, everyone(401)),
}


def all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def test_every_url_is_in_the_matrix():
    names = {name for name, _ in all_url_names()}
    missing = sorted(names - set(MATRIX))
    assert not missing, f"Add these URLs to the permission matrix: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"The matrix lists URLs that no longer exist: {stale}"


def test_every_view_declares_who_may_reach_it():
    undeclared = []
    for name, pattern in all_url_names():
        if name.startswith("api:"):
            continue  # The API's routers authenticate every operation with an agency token.
        view = pattern.callback
        if not (getattr(view, "permission", None) or getattr(view, "public", False)):
            undeclared.append(name)
    assert not undeclared, f"Views with no permission_required or public: {undeclared}"


def _url(name, kwargs, personas):
    from django.urls import reverse

    if kwargs.get("pk") == "fresh-token":
        housing_trust = Organisation.objects.get(slug="knowsley-housing-trust")
        token, _ = AgencyToken.issue(organisation=housing_trust, name="Matrix")
        kwargs = {**kwargs, "pk": token.pk}
    return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("persona", EVERYONE)
def test_permission_matrix(persona, client_as, personas):
    client = client_as(None if persona == ANONYMOUS else persona)
    wrong = []
    for name, (method, kwargs, expected_by_persona) in MATRIX.items():
        expected = expected_by_persona[persona]
        url = _url(name, kwargs, personas)
        response = getattr(client, method)(url)
        if expected == SIGN_IN:
            ok = response.status_code == 302 and response["Location"].startswith(
                "/account/sign-in/"
            )
        else:
            ok = response.status_code == expected
        if not ok:
            where = response.get("Location", "")
            wrong.append(f"{name} ({url}): expected {expected}, got {response.status_code} {where}")
        if name == "accounts:sign-out" and persona != ANONYMOUS:
            client = client_as(persona)  # signed out by that request: sign in again
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)
