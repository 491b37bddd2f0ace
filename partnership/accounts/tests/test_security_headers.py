"""The security headers on every URL in the permission matrix (issue 14 §5), as the business
unit and as a visitor who is not signed in; and one page in Chromium with no CSP violation."""

import re

import pytest

from .matrix_support import ANONYMOUS
from .test_permission_matrix import MATRIX, _url

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _problems(name, url, response, signed_in) -> list[str]:
    problems = []
    where = f"{name} ({url}) {response.status_code}"
    policy = response.get("Content-Security-Policy", "")
    if not policy:
        return [f"{where}: no Content-Security-Policy"]
    directives = _directives(policy)
    scripts = directives.get("script-src", [])
    if "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts or "'self'" not in scripts:
        problems.append(f"{where}: script-src is {scripts}")
    if directives.get("frame-ancestors") != ["'none'"] or directives.get("object-src") != [
        "'none'"
    ]:
        problems.append(f"{where}: framing or objects allowed: {policy}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"{where}: Permissions-Policy is {response.get('Permissions-Policy')!r}")
    private = signed_in or response.has_header("Content-Disposition")
    if private and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{where}: Cache-Control is {response.get('Cache-Control')!r}")
    if "text/html" in response.get("Content-Type", ""):
        html = response.content.decode()
        nonces = [value for value in scripts if value.startswith("'nonce-")]
        for attributes in SCRIPT_TAG.findall(html):
            if "src=" in attributes:
                continue
            nonce = re.search(r'nonce="([^"]+)"', attributes)
            if nonce is None or f"'nonce-{nonce.group(1)}'" not in nonces:
                problems.append(f"{where}: an inline <script> without the page's nonce")
        if INLINE_HANDLER.search(html):
            problems.append(f"{where}: an inline event handler (onclick=...)")
    return problems


@pytest.mark.parametrize("persona", ["business_unit", ANONYMOUS])
def test_every_url_sends_the_security_headers(persona, client_as, personas):
    client = client_as(None if persona == ANONYMOUS else persona)
    problems = []
    checked = 0
    for name, (method, kwargs, _expected) in MATRIX.items():
        url = _url(name, kwargs, personas)
        response = getattr(client, method)(url)
        signed_in = persona != ANONYMOUS and name != "accounts:sign-out"
        problems += _problems(name, url, response, signed_in)
        checked += 1
        if name == "accounts:sign-out" and persona != ANONYMOUS:
            client = client_as(persona)  # signed out by that request: sign in again
    assert checked == len(MATRIX) > 100
    assert not problems, "\n".join(problems)


def test_a_public_page_to_a_visitor_may_be_cached(client, db):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_calendar_feed_by_private_link_is_not_stored(client, personas):
    # The calendar of meetings by private address is fetched signed out, but is private.
    from partnership.accounts.services import calendar_token_issue
    from partnership.trail.actors import Actor

    raw = calendar_token_issue(actor=Actor.for_user(personas["group_member"]))
    for feed in (f"/groups/calendar/{raw}.ics", f"/reviews/deadlines/calendar/{raw}.ics"):
        response = client.get(feed)
        assert response.status_code == 200, feed
        assert response["Cache-Control"] == "no-store", feed


@pytest.mark.browser
@pytest.mark.usefixtures("transactional_db")
def test_pages_load_in_chromium_with_no_csp_violation(live_server):
    from partnership.demo.personas import DEMO_PASSWORD, build_personas, totp_key
    from partnership.website.tests.browser import Problems, chromium, new_page, sign_in

    users = build_personas()
    user = users["business_unit"]
    problems = Problems()
    with chromium() as browser:
        page = new_page(browser, live_server.url, problems)
        messages = []
        page.on("console", lambda message: messages.append(message.text))
        page.goto("/")
        sign_in(page, user.email, DEMO_PASSWORD, totp_key=totp_key(user.email))
        page.goto("/directory/")
        # GOV.UK Frontend's inline line ran (its nonce matched) and so did its module.
        classes = page.evaluate("() => document.body.className")
    violations = [text for text in messages if "Content Security Policy" in text]
    assert violations == []
    # GOV.UK Frontend's inline line ran: its nonce matched the policy.
    assert "js-enabled" in classes and "govuk-frontend-supported" in classes
    assert not problems, problems.report()
