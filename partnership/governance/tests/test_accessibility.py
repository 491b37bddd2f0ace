"""Every kind of governance page, full of the demo's data, in a real browser with axe-core.

The site-wide crawl starts from the home page with the personas only; this one loads the
governance demo (a year of meetings, papers, actions, letters, funding) so that the tables,
tags and forms are checked with real content, and checks a form showing its errors too.
"""

from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from partnership.demo import knowsley
from partnership.demo.personas import DEMO_PASSWORD, build_personas, totp_key
from partnership.governance import demo
from partnership.website.tests.browser import (
    Problems,
    check_page,
    chromium,
    new_page,
    path_of,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PER_ROUTE = 2  # pages of each kind (URL pattern) to check
# Files, not pages: papers, packs, letters and calendar entries.
DOWNLOADS = {
    "governance:paper",
    "governance:pack",
    "governance:meeting-ics",
    "governance:letter-download",
    "governance:minutes-download",
    "governance:published-minutes-pdf",
}


def route(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def crawl_governance(page, base_url, problems, limit=90) -> list[str]:
    """Breadth first through /groups/, a couple of pages of each kind."""
    visited, seen, per_route = [], set(), {}
    queue = deque(["/groups/", "/groups/meetings/", "/groups/actions/"])
    while queue and len(visited) < limit:
        path = queue.popleft()
        kind = route(urlsplit(path).path)
        if per_route.get(kind, 0) >= PER_ROUTE:
            continue
        per_route[kind] = per_route.get(kind, 0) + 1
        response = page.goto(urljoin(base_url, path), wait_until="load")
        visited.append(path)
        if response is None or response.status >= 400:
            problems.add(path, f"status {response.status if response else 'none'}")
            continue
        check_page(page, problems)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(l => l.href)"):
            target = path_of(urldefrag(href)[0])
            if (
                urlsplit(href).netloc == urlsplit(base_url).netloc
                and target.startswith("/groups/")
                and route(urlsplit(target).path) not in DOWNLOADS
                and target not in seen
            ):
                seen.add(target)
                queue.append(target)
    return visited


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.mark.parametrize("key", ["business_unit", "group_member"])
def test_governance_pages_with_data_are_accessible(browser, live_server, key):
    organisations = knowsley.build_directory()
    knowsley.build_groups(organisations)
    users = build_personas(organisations)
    demo.build(organisations, users)
    problems = Problems()
    page = new_page(browser, live_server.url, problems)
    try:
        sign_in(page, users[key].email, DEMO_PASSWORD, totp_key=totp_key(users[key].email))
        visited = crawl_governance(page, live_server.url, problems)
        if key == "business_unit":
            # A form with its error summary and inline errors.
            page.goto(f"{live_server.url}/groups/funding/new/")
            page.locator("main").get_by_role("button", name="Save").click()
            page.wait_for_load_state("load")
            assert "There is a problem" in page.content()
            check_page(page, problems)
            # The group and membership forms with their errors (nothing filled in).
            for path, button in (
                ("/groups/new/", "Save"),
                ("/groups/review-and-learning-group/members/new/", "Add member"),
            ):
                page.goto(f"{live_server.url}{path}")
                page.locator("main").get_by_role("button", name=button).click()
                page.wait_for_load_state("load")
                assert "There is a problem" in page.content(), path
                check_page(page, problems)
    finally:
        page.context.close()
    kinds = {route(urlsplit(path).path) for path in visited}
    assert len(kinds) >= (25 if key == "business_unit" else 12), sorted(kinds)
    if key == "business_unit":
        managing = {"governance:group-create", "governance:group-edit", "governance:group-members"}
        assert managing | {"governance:membership-create", "governance:membership-end"} <= kinds
    assert not problems, f"As {key}, visited {len(visited)} pages:\n{problems.report()}"
