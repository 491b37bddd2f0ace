"""People outside the business unit taking part in a rapid review: an agency's contact sees
only their request and sends the summary; each partner's delegated representative signs off
themselves; the timetable marks each step done with its date; the rapid review report is
drafted from the record, edited, and its PDF and Word copies carry it."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from docx import Document
from pypdf import PdfReader

from partnership.accounts.models import Role, RoleGrant, User
from partnership.conftest import sign_in
from partnership.directory.models import Person
from partnership.reviews import services
from partnership.reviews.models import (
    REPORT_SECTIONS,
    AgencySummary,
    DelegatedPartner,
    RapidReviewReport,
    SignOff,
    SubmissionStatus,
)
from partnership.trail.actors import Actor
from partnership.trail.models import Action, AuditEntry

from .factories import business_unit, decide, make_review, organisation, partner_leads
from .support import error_summary, text

pytestmark = pytest.mark.django_db

D = dt.date


def on(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10)), tick=False)


@pytest.fixture
def asked(personas):
    """A rapid review (aware Fri 18 Dec 2026) whose letters went on Mon 21 Dec to the police
    and the housing trust; the summaries are due on the rapid review's day 10, 6 Jan 2027
    (the 10th working day after 18 Dec: 21-24, 29-31 Dec, 4-6 Jan, skipping Christmas Day,
    the Boxing Day holiday on Mon 28 and New Year's Day)."""
    police, housing = organisation("merseyside-police"), organisation("knowsley-housing-trust")
    review = make_review(aware_on=D(2026, 12, 18), agencies=[police, housing])
    with on(D(2026, 12, 21)):
        services.rapid_review_record_letters(
            rapid=review.rapid_review,
            sent_on=D(2026, 12, 21),
            organisations=[police, housing],
            actor=Actor.for_user(business_unit()),
        )
    return review


def summary_of(review, slug) -> AgencySummary:
    return AgencySummary.objects.get(rapid_review__review=review, organisation__slug=slug)


def test_the_letter_goes_to_each_agencys_contacts_with_the_link_to_its_request(asked):
    housing = summary_of(asked, "knowsley-housing-trust")
    to_housing = [m for m in mail.outbox if "Knowsley Housing Trust" in m.subject]
    # Dana Singh is the housing trust's one contact with an account.
    assert [m.to for m in to_housing] == [["dana.singh@kht.example.org"]]
    body = to_housing[0].body
    assert "The summary is due by 6 January 2027." in body
    assert f"/reviews/requests/{housing.pk}/" in body


def test_an_agency_contact_sees_only_their_request_and_the_look_is_on_the_record(
    client_as, personas, asked
):
    housing = summary_of(asked, "knowsley-housing-trust")
    police = summary_of(asked, "merseyside-police")
    with on(D(2026, 12, 22)):
        client = client_as("data_submitter")  # Dana Singh, Knowsley Housing Trust
        page = text(client.get(f"/reviews/requests/{housing.pk}/"))
        # The review itself, and the police's request, are not hers to see.
        assert client.get(f"/reviews/{asked.pk}/").status_code == 404
        assert client.get(f"/reviews/{asked.pk}/rapid-review/").status_code == 404
        assert client.get(f"/reviews/requests/{police.pk}/").status_code == 404
        listing = text(client.get("/reviews/requests/"))
    assert f"Review {asked.title}" in page
    assert "Due by 6 January 2027" in page
    assert "Summary from Knowsley Housing Trust Requested" in page
    assert asked.title in listing
    assert "Merseyside Police" not in listing
    entry = AuditEntry.objects.filter(action=Action.VIEW).order_by("-id").first()
    assert entry.actor == personas["data_submitter"]
    assert entry.summary == "Viewed the request for the summary from Knowsley Housing Trust"


def test_sending_the_summary_marks_it_received_and_the_step_done_when_all_are_in(
    client_as, personas, asked
):
    housing = summary_of(asked, "knowsley-housing-trust")
    police = summary_of(asked, "merseyside-police")
    with on(D(2026, 12, 22)):
        empty = client_as("data_submitter").post(
            f"/reviews/requests/{housing.pk}/", {"contribution": "  "}
        )
        assert error_summary(empty) == ["Enter your agency's summary"]
        housing.refresh_from_db()
        assert housing.status == SubmissionStatus.REQUESTED
        client_as("data_submitter").post(
            f"/reviews/requests/{housing.pk}/",
            {"contribution": "The family held a tenancy with us since 2022.\nNo arrears."},
        )
        timetable = text(client_as("business_unit").get(f"/reviews/{asked.pk}/rapid-review/"))
    housing.refresh_from_db()
    assert (housing.status, housing.received_on, housing.submitted_by) == (
        SubmissionStatus.RECEIVED,
        D(2026, 12, 22),
        personas["data_submitter"],
    )
    # One of two in: the step is not done yet.
    assert "Agency summaries 6 January 2027 Due soon" in timetable
    with on(D(2026, 12, 23)):
        client_as("partner_lead").post(
            f"/reviews/requests/{police.pk}/",
            {"contribution": "Two missing-from-home reports in November."},
        )
        timetable = text(client_as("business_unit").get(f"/reviews/{asked.pk}/rapid-review/"))
        again = client_as("data_submitter").post(
            f"/reviews/requests/{housing.pk}/", {"contribution": "Again"}
        )
    # Both in: done, on the day the last arrived.
    assert "Agency summaries 6 January 2027 23 December 2026 Done" in timetable
    assert "Two missing-from-home reports in November." in timetable
    assert "The family held a tenancy with us since 2022." in text(again)
    assert "Send the summary" not in text(again)


def test_a_designated_delegate_signs_off_and_the_lead_then_cannot(client_as, personas, asked):
    council = organisation("knowsley-council")
    deputy = User.objects.create_user(
        "sam.deputy@council.example.org", "x", full_name="Sam Deputy", organisation=council
    )
    RoleGrant.objects.create(user=deputy, role=Role.GROUP_MEMBER)
    TOTPDevice.objects.create(user=deputy, name="Phone", confirmed=True)
    person = Person.objects.create(full_name="Sam Deputy", organisation=council, user=deputy)
    # The business unit designates; a person at another organisation is refused.
    bad = client_as("business_unit").post(
        f"/reviews/delegated-partners/{council.pk}/",
        {"person": Person.objects.get(user=personas["partner_lead"]).pk},
    )
    assert error_summary(bad)[0].startswith("Select a valid choice")
    client_as("business_unit").post(
        f"/reviews/delegated-partners/{council.pk}/", {"person": person.pk}
    )
    assert DelegatedPartner.objects.get(partner=council).person == person
    listing = text(client_as("business_unit").get("/reviews/delegated-partners/"))
    assert "Knowsley Council Sam Deputy Sam Deputy Change" in listing
    decide(asked, on=D(2027, 1, 4))
    url = f"/reviews/{asked.pk}/rapid-review/sign-off/"
    lead = next(u for u in partner_leads() if u.organisation == council)
    with on(D(2027, 1, 5)):
        with pytest.raises(services.ValidationError, match="cannot sign off"):
            services.rapid_review_sign_off(
                rapid=asked.rapid_review,
                signer=lead,
                signed_on=D(2027, 1, 5),
                actor=Actor.for_user(lead),
            )
        assert client_as("business_unit").get(url).status_code == 403
        deputy_client = sign_in(Client(), deputy)
        assert "Sign off for Knowsley Council" in text(
            deputy_client.get(f"/reviews/{asked.pk}/rapid-review/")
        )
        deputy_client.post(url, {"confirm": "on"})
    sign_off = SignOff.objects.get()
    assert (sign_off.partner, sign_off.signed_by, sign_off.signed_on) == (
        council,
        deputy,
        D(2027, 1, 5),
    )


def test_the_timetable_shows_the_sign_off_done_with_its_date_once_all_three_sign(client_as, asked):
    decide(asked, on=D(2027, 1, 4))
    leads = partner_leads()
    for day, lead in zip((D(2027, 1, 4), D(2027, 1, 5), D(2027, 1, 6)), leads, strict=True):
        with on(day):
            services.rapid_review_sign_off(
                rapid=asked.rapid_review, signer=lead, signed_on=day, actor=Actor.for_user(lead)
            )
        with on(day):
            page = text(client_as("business_unit").get(f"/reviews/{asked.pk}/rapid-review/"))
        if day < D(2027, 1, 6):
            assert "Partners' sign-off 13 January 2027 Due soon" in page
    assert "Partners' sign-off 13 January 2027 6 January 2027 Done" in page


def test_the_report_is_drafted_from_the_record_edited_and_downloaded(client_as, personas, asked):
    housing = summary_of(asked, "knowsley-housing-trust")
    with on(D(2026, 12, 22)):
        services.agency_summary_submit(
            summary=housing,
            contribution="The family held a tenancy with us since 2022.",
            actor=Actor.for_user(personas["data_submitter"]),
        )
    decide(asked, on=D(2027, 1, 4), rationale="Two agencies did not share what they knew.")
    with on(D(2027, 1, 4)):
        client = client_as("business_unit")
        assert "No draft yet" in text(client.get(f"/reviews/{asked.pk}/rapid-review/report/"))
        client.post(f"/reviews/{asked.pk}/rapid-review/report/draft/")
        form = client.get(f"/reviews/{asked.pk}/rapid-review/report/edit/")
        assert "The family held a tenancy with us since 2022." in text(form)
        report = RapidReviewReport.objects.get(rapid_review=asked.rapid_review)
        sections = {field: getattr(report, field) for field, _ in REPORT_SECTIONS}
        sections["inequalities"] = "We asked whether the family's ethnicity shaped the response."
        client.post(f"/reviews/{asked.pk}/rapid-review/report/edit/", sections)
        pdf = client.get(f"/reviews/{asked.pk}/rapid-review/report/download.pdf")
        docx = client.get(f"/reviews/{asked.pk}/rapid-review/report/download.docx")
    words = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "Knowsley Housing Trust (summary received 22 December 2026)" in words
    assert "The family held a tenancy with us since 2022." in words
    assert "Two agencies did not share what they knew." in words
    assert "We asked whether the family's ethnicity shaped the response." in words
    assert "Merseyside Police: summary requested, due 6 January 2027." in words
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "How racism and other inequalities may have shaped what happened and the practice" in (
        paragraphs
    )
    assert "We asked whether the family's ethnicity shaped the response." in paragraphs


def test_the_daily_sweep_chases_the_agencys_contacts_until_the_summary_is_in(asked):
    from partnership.reviews.tasks import sweep_deadlines

    housing = summary_of(asked, "knowsley-housing-trust")
    mail.outbox.clear()
    # Tue 29 Dec 2026 is 5 working days before the due date, 6 Jan (29-31 Dec, 4-5 Jan).
    with on(D(2026, 12, 29)):
        counts = sweep_deadlines()
    chases = [m for m in mail.outbox if "your agency's summary is awaited" in m.subject]
    assert sorted(m.to[0] for m in chases) == [
        "dana.singh@kht.example.org",
        "priya.lewis@police.example.org",
    ]
    dana = next(m for m in chases if m.to == ["dana.singh@kht.example.org"])
    assert "Summary from Knowsley Housing Trust, due 6 January 2027 (due in 5 working days)" in (
        dana.body
    )
    assert f"/reviews/requests/{housing.pk}/" in dana.body
    assert counts["chasers"] == 2
    with on(D(2026, 12, 30)):
        services.agency_summary_submit(
            summary=housing,
            contribution="Sent.",
            actor=Actor.for_user(User.objects.get(email="dana.singh@kht.example.org")),
        )
    mail.outbox.clear()
    # The day before it is due: the police are chased again; the housing trust is not.
    with on(D(2027, 1, 5)):
        sweep_deadlines()
    assert [m.to[0] for m in mail.outbox if "awaited" in m.subject] == [
        "priya.lewis@police.example.org"
    ]


def test_a_document_can_go_with_the_summary_and_a_bad_one_is_refused(client_as, asked):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partnership.reviews.models import ReviewDocument

    housing = summary_of(asked, "knowsley-housing-trust")
    url = f"/reviews/requests/{housing.pk}/"
    pdf = io.BytesIO()
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(pdf)
    with on(D(2026, 12, 22)):
        client = client_as("data_submitter")
        bad = client.post(
            url,
            {
                "contribution": "Our tenancy notes.",
                "file": SimpleUploadedFile("notes.pdf", b"not a pdf at all"),
            },
        )
        assert len(error_summary(bad)) == 1
        housing.refresh_from_db()
        assert housing.status == SubmissionStatus.REQUESTED and not ReviewDocument.objects.exists()
        client.post(
            url,
            {
                "contribution": "Our tenancy notes.",
                "file": SimpleUploadedFile("tenancy-notes.pdf", pdf.getvalue()),
            },
        )
        page = text(client_as("business_unit").get(f"/reviews/{asked.pk}/rapid-review/"))
    housing.refresh_from_db()
    document = housing.contribution_file
    assert (document.original_name, document.title, document.review) == (
        "tenancy-notes.pdf",
        "Summary from Knowsley Housing Trust",
        asked,
    )
    assert "tenancy-notes.pdf" in page
    drafted = services.report_from_record(asked.rapid_review)["agency_involvement"]
    assert "Our tenancy notes.\n(With the document 'tenancy-notes.pdf'.)" in drafted
