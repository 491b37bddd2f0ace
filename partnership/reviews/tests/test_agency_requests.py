"""A local review's chronology or learning summary, sent by the asked agency's contact
themselves: they see only their request (the pseudonym, what is asked, the due date), send
it with an optional document, and it shows received with its date; its deadline closes, the
chasers stop and it leaves their Your work. The business unit's "Record received" stays for
one sent outside the platform."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from partnership.accounts.models import User
from partnership.reviews import services
from partnership.reviews.models import (
    AgencyRequest,
    Deadline,
    ReviewDocument,
    SubmissionStatus,
)
from partnership.trail.actors import Actor
from partnership.trail.models import Action, AuditEntry

from .factories import business_unit, complete_rapid_review, make_review, organisation
from .support import date_fields, error_summary, text

pytestmark = pytest.mark.django_db

D = dt.date
DANA = "dana.singh@kht.example.org"  # the data submitter persona, Knowsley Housing Trust
PRIYA = "priya.lewis@police.example.org"  # the partner lead persona, Merseyside Police


def on(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10)), tick=False)


@pytest.fixture
def asked(personas):
    """An LCSPR (decided and sent to the Panel on Tue 12 Jan 2027) that on Mon 18 Jan 2027
    asks the housing trust for a chronology and the police for a learning summary, both due
    Mon 15 Feb 2027."""
    police, housing = organisation("merseyside-police"), organisation("knowsley-housing-trust")
    actor = Actor.for_user(business_unit())
    review = make_review(
        aware_on=D(2026, 12, 18), agencies=[police, housing], child_pseudonym="Child R"
    )
    with on(D(2026, 12, 21)):
        services.rapid_review_record_letters(
            rapid=review.rapid_review,
            sent_on=D(2026, 12, 21),
            organisations=[police, housing],
            actor=actor,
        )
    complete_rapid_review(review, on=D(2027, 1, 12))
    with on(D(2027, 1, 18)):
        for agency, kind in ((housing, "chronology"), (police, "learning_summary")):
            services.agency_request_add(
                review=review,
                organisation=agency,
                kind=kind,
                requested_on=D(2027, 1, 18),
                due_on=D(2027, 2, 15),
                actor=actor,
            )
    return review


def request_of(review, slug) -> AgencyRequest:
    return AgencyRequest.objects.get(review=review, organisation__slug=slug)


def url(ask) -> str:
    return f"/reviews/requests/local/{ask.pk}/"


def test_a_contact_sees_only_their_agencys_request_and_the_look_is_on_the_record(
    client_as, personas, asked
):
    housing, police = (
        request_of(asked, "knowsley-housing-trust"),
        request_of(asked, "merseyside-police"),
    )
    with on(D(2027, 1, 19)):
        client = client_as("data_submitter")  # Dana Singh, Knowsley Housing Trust
        page = text(client.get(url(housing)))
        # The review itself, and the police's request, are not hers to see.
        assert client.get(f"/reviews/{asked.pk}/").status_code == 404
        assert client.get(f"/reviews/{asked.pk}/local-review/").status_code == 404
        assert client.get(url(police)).status_code == 404
        listing = text(client.get("/reviews/requests/"))
        # The police's contact, likewise, cannot open the housing trust's.
        assert client_as("partner_lead").get(url(housing)).status_code == 404
    assert f"Review {asked.title}" in page
    assert "Chronology from Knowsley Housing Trust Requested" in page
    assert "What is asked A chronology from your agency, for the review" in page
    assert "Due by 15 February 2027" in page
    assert "Send the chronology" in page
    assert f"{asked.title} (Chronology, Knowsley Housing Trust)" in listing
    assert "Learning summary" not in listing
    entry = AuditEntry.objects.filter(action=Action.VIEW).order_by("-id").first()
    assert entry.actor == personas["data_submitter"]
    assert entry.summary == "Viewed the request for the chronology from Knowsley Housing Trust"


def test_an_empty_send_is_refused_with_a_clear_error_and_nothing_is_saved(client_as, asked):
    housing = request_of(asked, "knowsley-housing-trust")
    documents = ReviewDocument.objects.count()
    with on(D(2027, 1, 19)):
        empty = client_as("data_submitter").post(url(housing), {"contribution": "   "})
    assert error_summary(empty) == ["Enter your agency's chronology"]
    housing.refresh_from_db()
    assert (housing.status, housing.received_on, housing.submitted_by) == (
        SubmissionStatus.REQUESTED,
        None,
        None,
    )
    assert ReviewDocument.objects.count() == documents
    assert not AuditEntry.objects.filter(summary__contains="sent the chronology").exists()


def test_sending_it_shows_it_received_with_the_date_and_its_deadline_closes(
    client_as, personas, asked
):
    housing = request_of(asked, "knowsley-housing-trust")
    deadline = Deadline.objects.get(key=f"agency-request:{housing.pk}")
    assert deadline.done_on is None
    pdf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(pdf)
    with on(D(2027, 2, 1)):
        client_as("data_submitter").post(
            url(housing),
            {
                "contribution": "Tenancy from March 2022.\nTwo reports of noise in 2026.",
                "file": SimpleUploadedFile("chronology.pdf", pdf.getvalue()),
            },
        )
        again = text(client_as("data_submitter").get(url(housing)))
        local = text(client_as("business_unit").get(f"/reviews/{asked.pk}/local-review/"))
    housing.refresh_from_db()
    assert (housing.status, housing.received_on, housing.submitted_by) == (
        SubmissionStatus.RECEIVED,
        D(2027, 2, 1),
        personas["data_submitter"],
    )
    assert housing.contribution_file.title == "Chronology from Knowsley Housing Trust"
    assert housing.contribution_file.review == asked
    deadline.refresh_from_db()
    assert deadline.done_on == D(2027, 2, 1)
    # The agency sees what was sent, and cannot send again.
    assert "Chronology from Knowsley Housing Trust Received" in again
    assert "Received 1 February 2027, sent by Dana Singh." in again
    assert "Send the chronology" not in again
    # The business unit sees it received, with its date, and what was sent.
    assert (
        "Knowsley Housing Trust Chronology 18 January 2027 15 February 2027 Received "
        "1 February 2027" in local
    )
    assert "Two reports of noise in 2026." in local
    assert "Sent by Dana Singh on 1 February 2027, with the document chronology.pdf" in local
    sent = AuditEntry.objects.filter(summary__contains="sent the chronology").get()
    assert sent.actor == personas["data_submitter"]
    assert sent.summary == "Dana Singh sent the chronology from Knowsley Housing Trust"


def test_your_work_lists_it_for_the_asked_agencys_contacts_until_it_is_sent(client_as, asked):
    housing = request_of(asked, "knowsley-housing-trust")
    police = request_of(asked, "merseyside-police")
    chronology = (
        f"{asked.reference}: Chronology from Knowsley Housing Trust, asked of your agency for "
        f"the review of {asked.title}"
    )
    learning = (
        f"{asked.reference}: Learning summary from Merseyside Police, asked of your agency for "
        f"the review of {asked.title}"
    )
    with on(D(2027, 1, 19)):
        dana = client_as("data_submitter").get("/work/")
        priya = client_as("partner_lead").get("/work/")
    assert chronology in text(dana) and learning not in text(dana)
    assert f'href="{url(housing)}"' in dana.content.decode()
    # The police's lead, their contact, has theirs once, linked to its request page.
    assert text(priya).count(learning) == 1 and chronology not in text(priya)
    assert f'href="{url(police)}"' in priya.content.decode()
    with on(D(2027, 2, 1)):
        client_as("data_submitter").post(url(housing), {"contribution": "Sent."})
        after = text(client_as("data_submitter").get("/work/"))
    assert chronology not in after


def test_the_daily_sweep_chases_the_contacts_until_it_is_sent(asked):
    from partnership.reviews.tasks import sweep_deadlines

    housing = request_of(asked, "knowsley-housing-trust")
    mail.outbox.clear()
    # Mon 8 Feb 2027 is 5 working days before Mon 15 Feb (8-12 Feb).
    with on(D(2027, 2, 8)):
        sweep_deadlines()
    chases = [m for m in mail.outbox if "asked for is awaited" in m.subject]
    assert sorted(m.to[0] for m in chases) == [DANA, PRIYA]
    dana = next(m for m in chases if m.to == [DANA])
    assert (
        "Chronology from Knowsley Housing Trust, due 15 February 2027 (due in 5 working days)"
        in dana.body
    )
    assert url(housing) in dana.body
    with on(D(2027, 2, 9)):
        services.agency_request_submit(
            agency_request=housing,
            contribution="Sent.",
            actor=Actor.for_user(User.objects.get(email=DANA)),
        )
    mail.outbox.clear()
    # Fri 12 Feb, the working day before it is due: the police are chased again; not Dana.
    with on(D(2027, 2, 12)):
        sweep_deadlines()
    assert [m.to[0] for m in mail.outbox if "awaited" in m.subject] == [PRIYA]


def test_the_business_unit_still_records_one_received_outside_the_platform(client_as, asked):
    police = request_of(asked, "merseyside-police")
    with on(D(2027, 2, 3)):
        client_as("business_unit").post(
            f"/reviews/{asked.pk}/local-review/requests/{police.pk}/received/",
            date_fields("received_on", D(2027, 2, 2)),
        )
        page = text(client_as("partner_lead").get(url(police)))
    police.refresh_from_db()
    assert (police.status, police.received_on) == (SubmissionStatus.RECEIVED, D(2027, 2, 2))
    assert Deadline.objects.get(key=f"agency-request:{police.pk}").done_on == D(2027, 2, 2)
    assert "It was sent to the business unit outside the platform." in page
    assert "Send the learning summary" not in page
