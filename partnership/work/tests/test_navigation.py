"""The service navigation: each persona sees "Your work", the modules they use, "More" and
"Sign out"; the rest is on the "More" page."""

import re

import pytest

pytestmark = pytest.mark.django_db

NAV = re.compile(
    r'<li class="govuk-service-navigation__item[^"]*">\s*<a class="govuk-service-navigation__link" href="[^"]*"[^>]*>\s*(?:<strong[^>]*>)?([^<]+?)\s*<'
)


def bar(page: str) -> list[str]:
    nav = page.split('<ul class="govuk-service-navigation__list"', 1)[1].split("</ul>", 1)[0]
    links = [text.strip() for text in NAV.findall(nav)]
    if 'class="govuk-service-navigation__link app-link-button">Sign out</button>' in nav:
        links.append("Sign out")
    return links


# By hand from each module's rules.py: who may open each module's first page.
EXPECTED_BAR = {
    "business_unit": ["Your work", "Meetings", "Reviews", "Training", "Performance",
                      "Audits", "Business plan", "More", "Sign out"],
    "independent_chair": ["Your work", "Meetings", "Reviews", "Your training", "Performance",
                          "Audits", "Business plan", "More", "Sign out"],
    "partner_lead": ["Your work", "Meetings", "Reviews", "Your training", "Performance",
                     "Audits", "Business plan", "More", "Sign out"],
    "group_member": ["Your work", "Meetings", "Reviews", "Your training", "Performance",
                     "Audits", "Business plan", "More", "Sign out"],
    "data_submitter": ["Your work", "Meetings", "Reviews", "Your training", "Performance",
                       "Audits", "Business plan", "More", "Sign out"],
    "reviewer": ["Your work", "Reviews", "Your training", "More", "Sign out"],
    "practitioner": ["Your work", "Your training", "More", "Sign out"],
    "outsider": ["Your work", "Your training", "More", "Sign out"],
}  # fmt: skip


@pytest.mark.parametrize("persona", EXPECTED_BAR)
def test_each_persona_sees_only_what_they_use(client_as, persona):
    page = client_as(persona).get("/work/").content.decode()
    assert bar(page) == EXPECTED_BAR[persona]


def test_the_more_page_lists_the_rest(client_as):
    page = client_as("business_unit").get("/work/menu/").content.decode()
    main = page.split('id="main-content"', 1)[1]
    for text in ("Actions", "Deadlines", "Your training", "Groups", "Directory",
                 "Audit trail", "Your account"):  # fmt: skip
        assert f">{text}</a>" in main, text
    practitioner = client_as("practitioner").get("/work/menu/").content.decode()
    main = practitioner.split('id="main-content"', 1)[1]
    assert ">Your account</a>" in main
    assert "Audit trail" not in main and "Directory" not in main


def test_a_page_reached_from_more_marks_more(client_as):
    page = client_as("business_unit").get("/directory/").content.decode()
    nav = page.split('<ul class="govuk-service-navigation__list"', 1)[1].split("</ul>", 1)[0]
    assert re.search(r'aria-current="true">\s*<strong[^>]*>More', nav)


def test_sign_out_is_a_post_form_that_works_without_javascript(client_as):
    client = client_as("practitioner")
    page = client.get("/work/").content.decode()
    assert '<form method="post" action="/account/sign-out/"' in page
    response = client.post("/account/sign-out/")
    assert response.status_code == 302
    assert client.get("/work/").status_code == 302  # signed out: back to sign in


def test_signed_out_visitors_see_home_and_sign_in(client):
    page = client.get("/").content.decode()
    assert bar(page) == ["Home", "Sign in"]
