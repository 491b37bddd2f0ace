"""Helpers for the browser tests: Chromium through Playwright, axe-core, signing in, crawling.

Playwright's own browser download does not work here, so the tests drive the system Chromium.
axe-core is the copy bundled in axe-playwright-python, injected into each page and run with
the WCAG 2.0, 2.1 and 2.2 A and AA rules.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import axe_playwright_python
import pytest
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
CRAWL_LIMIT = 60
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
    """Run axe-core on the page as it is now; returns its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
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


def check_accessibility(page: Page, problems: Problems) -> None:
    for violation in axe_violations(page):
        problems.add(page.url, describe_violation(violation))


# Server errors ---------------------------------------------------------------------------


def watch_responses(page: Page, base_url: str, problems: Problems) -> None:
    """Record every same-origin response that is a server error, or a page asset that failed."""
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
    assert page.get_by_role("link", name="Your account").count() == 1, (
        f"{email} is not signed in after the sign-in pages: at {page.url} ({page.title()})"
    )


# Crawling --------------------------------------------------------------------------------


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    not_visited: int = 0  # links left in the queue when the cap stopped the crawl
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


def crawl(
    page: Page,
    base_url: str,
    problems: Problems,
    *,
    start: str = "/",
    limit: int = CRAWL_LIMIT,
) -> Crawl:
    """Visit every page reachable from `start` by same-origin links, breadth first.

    Each page is checked for server errors and with axe; pages are told apart by path and
    query. A redirect to a page already seen is not checked twice.
    """
    result = Crawl()
    first = urljoin(base_url, start)
    queue = deque([first])
    seen = {path_of(first)}
    while queue:
        if len(result.visited) >= limit:
            result.not_visited = len(queue)
            break
        url = queue.popleft()
        try:
            response = page.goto(url, wait_until="load")
        except PlaywrightError as error:
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
        check_accessibility(page, problems)
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
        for href in hrefs:
            target = crawlable(href, base_url)
            if target is not None and path_of(target) not in seen:
                seen.add(path_of(target))
                queue.append(target)
    return result


def new_page(browser: Browser, base_url: str, problems: Problems) -> Page:
    """A page in a fresh context (its own cookies), watched for server errors."""
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch_responses(page, base_url, problems)
    return page
