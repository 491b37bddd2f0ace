"""Every governance page a persona can reach on the demo renders as a GOV.UK page.

The walk follows links from the meetings list and the groups (through the test client, so it
is quick), and checks each HTML page has one h1, a title, and a breadcrumb or back link.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from partnership.governance import demo

pytestmark = pytest.mark.django_db

STARTS = ["/groups/", "/groups/meetings/", "/groups/actions/"]


@pytest.fixture
def demo_data(personas):
    from partnership.demo import knowsley

    organisations = knowsley.build_directory()
    demo.build(organisations, personas)
    return personas


def walk(client, limit=400):
    seen, pages, queue = set(STARTS), [], deque(STARTS)
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        pages.append((url, response))
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        for href in re.findall(r'href="([^"#]+)', response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            path = urlsplit(href).path
            # Stay in the module, and one page per list filter is enough.
            if path.startswith("/groups/") and "page=" not in href and href not in seen:
                seen.add(href)
                queue.append(href)
    return pages


@pytest.mark.parametrize("persona", ["business_unit", "group_member", "independent_chair"])
def test_every_reachable_governance_page_renders(demo_data, client_as, persona):
    client = client_as(persona)
    pages = walk(client)
    problems = []
    for url, response in pages:
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        if "text/html" not in response["Content-Type"]:
            continue
        page = response.content.decode()
        if page.count("<h1") != 1:
            problems.append(f"{url}: {page.count('<h1')} h1 elements")
        if not re.search(r"<title>[^<]+ – ", page):
            problems.append(f"{url}: no title")
        if "govuk-breadcrumbs" not in page and "govuk-back-link" not in page:
            problems.append(f"{url}: no breadcrumbs or back link")
        # A table cell or parameter the template left undefined shows up as raw template text.
        if "no such element" in page or "{{" in page:
            problems.append(f"{url}: an undefined value is shown")
    assert len(pages) > 20
    assert not problems, "\n".join(problems)
