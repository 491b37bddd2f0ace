"""Your work for each demo persona, on the Knowsley demo loaded on Thursday 3 December 2026.

Every expected line was counted by hand from the demo's sources, as noted by each persona;
the dates were worked out on the calendar (no bank holidays fall between mid-October 2026
and February 2027, except 25-28 December, which none of these dates crosses).
"""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from partnership.conftest import sign_in
from partnership.demo.personas import PERSONAS_BY_KEY

pytestmark = pytest.mark.django_db

# Each persona's items as the page lists them, most urgent first: (due, title start).
EXPECTED = {
    # reviews/demo.py: Bea is case manager of every review. Child T (aware Mon 10 Aug 2026,
    # decided on its 13th working day, 27 Aug): the health learning summary due 3 working
    # days after today (8 Dec); its pre-publication notice 7 working days before the target
    # (18 Feb 2027) and publication 6 months after the decision (27 Feb 2027). Child W
    # (aware 5 working days ago, 26 Nov): summaries due on working day 10 (10 Dec), of which
    # 3 are not in (ICB, NWBH, Halewood Academy; the council's and police's are); the meeting
    # held today; decision to the Panel and partners' sign-off (1 of 3) on day 15 (17 Dec). plans/demo.py:
    # her 3 open plan actions (due -10, +30 and +70 days). work/demo.py: CBG-13, due +21.
    # governance/demo.py: papers for the next meeting of the RLG and the CBG (she advises
    # both; the Policy and Performance group has no next meeting). audits/cases/demo.py: the
    # CSE audit's first recommendation's action, hers, due +30.
    "business_unit": [
        ("23 November 2026", "Learning events on exploitation"),
        ("8 December 2026", "KSCP/2026/01: Learning summary from North West Boroughs"),
        ("10 December 2026", "KSCP/2026/02: Agency summaries due"),
        ("10 December 2026", "KSCP/2026/02: Summary from Halewood Academy"),
        ("10 December 2026", "KSCP/2026/02: Summary from NHS Cheshire and Merseyside"),
        ("10 December 2026", "KSCP/2026/02: Summary from North West Boroughs Healthcare"),
        ("17 December 2026", "KSCP/2026/02: Send the rapid review decision to the Panel"),
        ("17 December 2026", "KSCP/2026/02: The safeguarding partners sign off"),
        ("24 December 2026", "CBG-13: Circulate the revised multi-agency threshold"),
        ("2 January 2027", "Young Advisors' animation"),
        ("2 January 2027", "Send every risk management plan"),
        ("4 January 2027", "Read the papers for Safeguarding Review and Learning Group"),
        ("11 January 2027", "Read the papers for Core Business Group"),
        ("11 February 2027", "Publish the children's guide"),
        ("18 February 2027", "KSCP/2026/01: Send the final report to the Panel"),
        ("27 February 2027", "KSCP/2026/01: Publish the final report"),
    ],
    # work/demo.py: SF-7 due +14; the Strategic Forum's next meeting has papers.
    "independent_chair": [
        ("17 December 2026", "SF-7: Write to the three partners"),
        ("22 February 2027", "Read the papers for Strategic Forum"),
        ("", "Approve the letter to "),  # governance/demo.py drafts Lisa Moran's, for the chair
    ],
    # performance/demo.py: the police never sent 2014/15 (seed 004) nor Q1 2026/27, and have
    # no data submitter, so Priya is chased. plans/demo.py: her 8 open actions (2019's
    # protocols carried over twice, due -430 days; 2020's five, due -20, +60, +75, +120,
    # +150; 2025's two, due +50, +100); Operation Encompass 2019 is complete.
    # governance/demo.py: SF-6, hers by the demo's seeded draw. Papers: she sits on the
    # Forum, the CBG and the RLG. audits/cases/demo.py: the CSE audit's second action, due
    # +60 (its forms not returned are not asked for: the audit is in discussion).
    "partner_lead": [
        ("30 April 2015", "Data return for 2014/15"),
        ("29 September 2025", "Continue collaboration to publish the pan-Merseyside"),
        ("28 July 2026", "Data return for Q1 2026/27"),
        ("13 November 2026", "Evidence-led prosecution"),
        ("4 January 2027", "SF-6: Update the data set"),
        ("4 January 2027", "Read the papers for Safeguarding Review and Learning Group"),
        ("11 January 2027", "Read the papers for Core Business Group"),
        ("22 January 2027", "Online exploitation"),
        ("1 February 2027", "Operation Encompass: train teachers"),
        ("1 February 2027", "Add a standing review of multi-agency plans"),
        ("16 February 2027", "Operation against modern slavery"),
        ("22 February 2027", "Read the papers for Strategic Forum"),
        ("13 March 2027", "Return home interviews"),
        ("2 April 2027", "MATAC"),
        ("2 May 2027", "Shield team"),
    ],
    # reviews/demo.py: the two summaries asked of NWBH, his organisation (Child T's learning
    # summary, Child W's agency summary). work/demo.py: SRLG-13, due +10. The RLG's papers.
    # plans/demo.py: "Mental health in schools" (+180); his Thrive briefing is complete.
    # audits/cases/demo.py: the CSE audit's third action, due +90.
    "group_member": [
        ("8 December 2026", "KSCP/2026/01: Learning summary from North West Boroughs"),
        ("10 December 2026", "KSCP/2026/02: send the summary from North West Boroughs"),
        ("13 December 2026", "SRLG-13: Share the health chronology template"),
        ("4 January 2027", "Read the papers for Safeguarding Review and Learning Group"),
        ("3 March 2027", "Brief health staff on plans"),
        ("1 June 2027", "Mental health in schools"),
    ],
    # performance/demo.py: the housing trust's 2025/26 return was kept as a draft and its
    # Q2 2026/27 (the last finished quarter) not started; both are now late.
    "data_submitter": [
        ("30 April 2026", "Data return for 2025/26"),
        ("28 October 2026", "Data return for Q2 2026/27"),
    ],
    # work/demo.py: Rowan books the first upcoming session with places (the e-learning).
    "reviewer": [
        ("4 December 2026", "Attend Safeguarding Children from Abuse and Exploitation"),
    ],
    # work/demo.py: attended 15 October (35 working days ago; impact follow-up due 6 weeks
    # and 14 days later, 10 December) and 27 November (4 working days ago; evaluation due 14
    # days later, 11 December). training/demo.py: booked on CSE for Practitioners.
    "practitioner": [
        ("10 December 2026", "Tell us how CSE for Practitioners changed your practice"),
        ("11 December 2026", "Evaluate CSE for Practitioners"),
        ("21 December 2026", "Attend CSE for Practitioners, 21 December 2026"),
    ],
    # No role: nothing.
    "outsider": [],
}

ITEM = re.compile(
    r'<h3 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="[^"]*">'
    r"(?P<title>[^<]*)</a></h3>\s*<p[^>]*>(?P<meta>.*?)</p>",
    re.S,
)


def listed(page: str) -> list[tuple[str, str]]:
    rows = []
    for match in ITEM.finditer(page):
        due = re.search(r"Due (\d+ \w+ \d{4})", match["meta"])
        rows.append((due[1] if due else "", match["title"].replace("&#39;", "'")))
    return rows


@pytest.fixture
def demo(settings, client):
    settings.DEBUG = True
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 12, 3, 9, 0)), tick=False):
        call_command("load_demo", stdout=io.StringIO())
        yield


def test_each_persona_sees_exactly_their_work(demo, django_user_model):
    from django.test import Client

    wrong = []
    for key, expected in EXPECTED.items():
        user = django_user_model.objects.get(email=PERSONAS_BY_KEY[key].email)
        page = sign_in(Client(), user).get("/work/").content.decode()
        rows = listed(page)
        matches = len(rows) == len(expected) and all(
            due == want_due and title.startswith(want_title)
            for (due, title), (want_due, want_title) in zip(rows, expected, strict=True)
        )
        if not matches:
            wrong.append(f"{key}: {rows}")
        if not expected:
            assert "Nothing is waiting for you today." in page
    assert not wrong, "\n".join(wrong)
