"""Helpers for the browser tests: Chromium through Playwright, axe-core, signing in, crawling.

Playwright's own browser download does not work here, so the tests drive the system Chromium.
axe-core is the copy bundled in axe-playwright-python, injected into each page and run with
the WCAG 2.0, 2.1 and 2.2 A and AA rules.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import axe_playwright_python
import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Page, Response, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CRAWL_LIMIT = 250  # a safety stop: reaching it fails the crawl
PER_ROUTE = 3  # pages checked per kind of page (URL pattern)
SKIPPED_PREFIXES = ("/static/", "/api/")


@contextmanager
def chromium() -> Iterator[Browser]:
    """One headless Chromium; fails (never skips) when the system browser is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}, and it is not there. "
            "Install it (apt-get install chromium) to run the tests marked `browser`.",
            pytrace=False,
        )
    # Playwright's sync API keeps an asyncio loop running in this thread, which Django's
    # guard against ORM calls from async code mistakes for a coroutine. The ORM work in these
    # tests (building personas, flushing the database) is ordinary synchronous code.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()


# Problems --------------------------------------------------------------------------------


@dataclass
class Problems:
    """Everything wrong found across pages, reported at the end in one readable message."""

    lines: list[str] = field(default_factory=list)

    def add(self, url: str, text: str) -> None:
        self.lines.append(f"{path_of(url)}: {text}")

    def __bool__(self) -> bool:
        return bool(self.lines)

    def report(self) -> str:
        return "\n".join(f"  - {line}" for line in self.lines)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# axe-core --------------------------------------------------------------------------------


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now; returns its violations.

    Pages from `new_page` have axe already (an init script, which Chromium compiles once for
    the whole crawl); any other page gets it added now.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        "options => axe.run(document, options)",
        {
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "resultTypes": ["violations"],
            "reporter": "no-passes",
        },
    )
    return results["violations"]


def describe_violation(violation: dict) -> str:
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    more = len(violation["nodes"]) - 5
    if more > 0:
        targets += f"; and {more} more"
    return (
        f"axe {violation['id']} ({violation.get('impact') or 'no impact given'}): "
        f"{violation['help']} -- at {targets}"
    )


# Markup that reached the page as text: HTML built in a template and escaped by mistake.
ESCAPED_MARKUP = re.compile(r"</?(?:a|br|code|div|li|p|span|strong|table|td|tr|ul)\b[^<>]*>")


# axe's findings by document: the same markup gives the same findings, so a page that several
# personas see identically (the same menu, the same content) is analysed once per test run.
_axe_findings: dict[str, list[str]] = {}
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*')


def _settled_document(page: Page) -> tuple[str, str]:
    """The page's markup and text once it has loaded. A click that navigates returns before the
    next document exists, so reading at once can meet a page with no body yet, or one that is torn
    down mid-read: wait for the load and read again, a few times, before giving up."""
    for attempt in range(5):
        try:
            page.wait_for_load_state("load")
            page.wait_for_function("() => document.readyState === 'complete' && !!document.body")
            return page.evaluate(
                "() => [document.documentElement.outerHTML, document.body.innerText]"
            )
        except PlaywrightError:
            if attempt == 4:
                raise
            page.wait_for_timeout(100)
    raise AssertionError("unreachable")


def check_page(page: Page, problems: Problems) -> None:
    """axe-core's violations on the page, and any HTML shown to the reader as text."""
    html, text = _settled_document(page)
    document = hashlib.sha256(CSRF_VALUE.sub(r"\1", html).encode()).hexdigest()
    if document not in _axe_findings:
        _axe_findings[document] = [describe_violation(v) for v in axe_violations(page)]
    for finding in _axe_findings[document]:
        problems.add(page.url, finding)
    shown = ESCAPED_MARKUP.findall(text)
    if shown:
        problems.add(page.url, f"HTML is shown as text (escaped twice?): {shown[0]!r}")


# Server errors ---------------------------------------------------------------------------


def watch_responses(page: Page, base_url: str, problems: Problems) -> None:
    """Record every same-origin response that is a server error, or a page asset that failed,
    and every Content-Security-Policy violation the console reports."""
    origin = urlsplit(base_url).netloc

    def on_response(response: Response) -> None:
        if urlsplit(response.url).netloc != origin:
            return
        if response.status >= 500:
            problems.add(response.url, f"server error {response.status} {response.status_text}")
        elif response.status >= 400 and response.request.resource_type != "document":
            problems.add(
                response.url,
                f"{response.request.resource_type} failed to load ({response.status}) "
                f"on {path_of(response.frame.url)}",
            )

    page.on("response", on_response)

    def on_console(message) -> None:
        # A script or style the Content-Security-Policy blocked: the page does not work as built.
        if "Content Security Policy" in message.text:
            problems.add(page.url, f"CSP violation: {message.text}")

    page.on("console", on_console)


# Signing in ------------------------------------------------------------------------------


def current_totp(key_hex: str) -> str:
    """The code an authenticator app set up with this (hex) device key shows now."""
    from binascii import unhexlify

    from django_otp.oath import TOTP

    return f"{TOTP(unhexlify(key_hex)).token():06d}"


def submit(page: Page, button: str) -> None:
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation(wait_until="load"):
        page.locator("main").get_by_role("button", name=button, exact=True).click()


def sign_in(
    page: Page,
    email: str,
    password: str,
    *,
    totp_key: str | None = None,
    on_page: Callable[[Page], None] = lambda page: None,
) -> None:
    """Sign in through the real pages, as a person would; `on_page` sees each page on the way."""
    page.goto("/account/sign-in/")
    on_page(page)
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    submit(page, "Sign in")
    if totp_key is not None:
        assert path_of(page.url) == "/account/sign-in/two-factor/", (
            f"Expected the security code page after the password for {email}, "
            f"got {page.url}: {page.title()}"
        )
        on_page(page)
        page.locator("input[name=token]").fill(current_totp(totp_key))
        submit(page, "Continue")
    # The sign-out form is in the navigation (folded behind "Menu" on a phone).
    assert page.locator('form[action="/account/sign-out/"]').count() == 1, (
        f"{email} is not signed in after the sign-in pages: at {page.url} ({page.title()})"
    )


# Crawling --------------------------------------------------------------------------------


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    not_visited: int = 0  # links left in the queue when the cap stopped the crawl
    sampled_out: int = 0  # links to a kind of page already visited PER_ROUTE times
    client_errors: list[str] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return self.not_visited > 0

    def summary(self) -> str:
        text = f"visited {len(self.visited)} pages"
        if self.capped:
            text += (
                f" and STOPPED AT THE CAP of {CRAWL_LIMIT} pages with {self.not_visited} "
                "more links not visited"
            )
        if self.sampled_out:
            text += f" ({self.sampled_out} more links to kinds of page already checked)"
        if self.client_errors:
            text += f"; links that answered 4xx: {', '.join(self.client_errors)}"
        return text


def crawlable(url: str, base_url: str) -> str | None:
    """The absolute URL to visit for a link (fragment removed), or None to leave it alone."""
    url, _fragment = urldefrag(url)
    parts = urlsplit(url)
    base = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or parts.netloc != base.netloc:
        return None
    if parts.path.startswith(SKIPPED_PREFIXES) or "sign-out" in parts.path:
        return None
    return url


def route_of(url: str) -> str:
    """The URL pattern a link leads to ("directory:organisation"), or its path if none."""
    path = urlsplit(url).path
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def crawl(
    page: Page,
    base_url: str,
    problems: Problems,
    *,
    start: str = "/",
    limit: int = CRAWL_LIMIT,
) -> Crawl:
    """Visit every page reachable from `start` by same-origin links, breadth first.

    Each page is checked for server errors and by `check_page`; pages are told apart by path
    and query, and a redirect to a page already seen is not checked twice. Links to a kind of
    page (URL pattern) are followed at most PER_ROUTE times: every kind of page is checked,
    with a few records each, rather than every organisation in the directory.
    """
    result = Crawl()
    first = urljoin(base_url, start)
    queue = deque([first])
    seen = {path_of(first)}
    routes_visited: Counter[str] = Counter()
    while queue:
        url = queue.popleft()
        if routes_visited[route_of(url)] >= PER_ROUTE:
            # The same template for another record (the 40th organisation): a sample is enough.
            result.sampled_out += 1
            continue
        if len(result.visited) >= limit:
            result.not_visited = len(queue) + 1
            break
        routes_visited[route_of(url)] += 1
        try:
            response = page.goto(url, wait_until="load")
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                # A file (a report, a paper): fetch it in the same session and check it is served.
                download = page.request.get(url)
                result.visited.append(path_of(url))
                if download.status >= 400:
                    problems.add(url, f"file download answered {download.status}")
                continue
            problems.add(url, f"could not be opened: {str(error).splitlines()[0]}")
            continue
        landed = path_of(page.url)
        if landed != path_of(url) and landed in seen:
            continue
        seen.add(landed)
        result.visited.append(landed)
        if response is None:
            problems.add(url, "no response")
            continue
        if 400 <= response.status < 500:
            result.client_errors.append(f"{landed} ({response.status})")
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        check_page(page, problems)
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
        for href in hrefs:
            target = crawlable(href, base_url)
            if target is not None and path_of(target) not in seen:
                seen.add(path_of(target))
                queue.append(target)
    return result


def new_page(browser: Browser, base_url: str, problems: Problems) -> Page:
    """A page in a fresh context (its own cookies), with axe, watched for server errors."""
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    watch_responses(page, base_url, problems)
    return page
