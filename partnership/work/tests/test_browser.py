"""At a phone's width (390 px) nothing on the main pages is wider than the screen, and axe
finds nothing; the navigation folds behind "Menu" and opens; sign-out works as a button."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from partnership.demo.personas import DEMO_PASSWORD, PERSONAS_BY_KEY, totp_key
from partnership.website.tests.browser import (
    AXE_JS,
    Problems,
    check_page,
    chromium,
    path_of,
    sign_in,
    watch_responses,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 390, "height": 844}
PAGES = ["/", "/work/", "/work/actions/", "/work/menu/", "/reviews/", "/training/", "/performance/"]

# Elements that stick out of the screen, ignoring those inside a box that scrolls or clips
# sideways (a wide table in its scrolling wrapper) and the visually hidden ones.
WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (element) => {
    // Up to the body: the page itself (html has overflow-y: scroll) is what must not scroll.
    for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow !== "visible") return true;
    }
    return false;
  };
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (element.closest(".govuk-visually-hidden")) continue;
    if ((box.right > width + 1 || box.left < -1) && !clipped(element)) {
      wide.push(`${element.tagName.toLowerCase()}.${element.className}: ${Math.round(box.left)}-${Math.round(box.right)}`);
    }
  }
  if (document.documentElement.scrollWidth > width + 1) {
    wide.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  }
  return wide;
}"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())


def phone_page(browser, base_url, problems):
    context = browser.new_context(base_url=base_url, viewport=PHONE, is_mobile=True)
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    watch_responses(page, base_url, problems)
    return page


def test_main_pages_fit_a_phone_and_pass_axe(browser, live_server, demo):
    problems = Problems()
    persona = PERSONAS_BY_KEY["business_unit"]
    page = phone_page(browser, live_server.url, problems)
    try:
        sign_in(page, persona.email, DEMO_PASSWORD, totp_key=totp_key(persona.email))
        assert path_of(page.url) == "/work/"
        for path in PAGES:
            page.goto(path, wait_until="load")
            check_page(page, problems)
            for element in page.evaluate(WIDER_THAN_THE_SCREEN):
                problems.add(path, f"wider than 390 px: {element}")
        # The navigation is folded behind its button on a phone, and opens.
        page.goto("/work/", wait_until="load")
        menu = page.get_by_role("button", name="Menu")
        expect(menu).to_be_visible()
        expect(page.get_by_role("link", name="Reviews")).to_be_hidden()
        menu.click()
        expect(page.get_by_role("link", name="Reviews")).to_be_visible()
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Sign out").click()
        assert path_of(page.url) == "/"
        expect(page.locator("form[action='/account/sign-out/']")).to_have_count(0)
    finally:
        page.context.close()
    assert not problems, problems.report()


def test_without_javascript_the_links_show_and_sign_out_works(browser, live_server, demo):
    problems = Problems()
    persona = PERSONAS_BY_KEY["practitioner"]
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    try:
        sign_in(page, persona.email, DEMO_PASSWORD)
        expect(page.get_by_role("link", name="Your training")).to_be_visible()
        expect(page.locator("main")).to_contain_text("Attend CSE for Practitioners")
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Sign out").click()
        assert path_of(page.url) == "/"
    finally:
        context.close()
    assert not problems, problems.report()
