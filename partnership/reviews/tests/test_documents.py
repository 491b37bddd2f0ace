"""Reports: PDF or DOCX only, size-limited, kept privately, downloaded only through the
authorised view, and every download on the record."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from partnership.governance.samples import simple_docx, simple_pdf
from partnership.reviews.models import ReviewDocument
from partnership.trail.models import Action, AuditEntry

from . import matrix
from .factories import commission, make_review
from .support import error_summary, stored_files, text

pytestmark = pytest.mark.django_db

# Real documents: the upload checks a file's whole structure, not only its first bytes.
PDF = simple_pdf([["Child Q: draft report"]])
DOCX = simple_docx("Child Q", ["Draft report"])


@pytest.fixture
def review(personas):
    return make_review(aware_on=dt.date(2026, 9, 7))


def upload(client, review, name, content, kind="draft_report", title="Draft"):
    return client.post(
        f"/reviews/{review.pk}/documents/new/",
        {"kind": kind, "title": title, "file": SimpleUploadedFile(name, content)},
    )


def test_a_pdf_is_stored_privately_and_listed(client_as, review):
    client = client_as("business_unit")
    response = upload(client, review, "Child Q draft.pdf", PDF)
    assert response.status_code == 302
    document = ReviewDocument.objects.get()
    assert document.original_name == "Child Q draft.pdf"
    # Stored under a random name: the original (which might name a child) is not on disk.
    (path,) = stored_files()
    assert path.startswith(f"reviews/{review.pk}/") and "Child" not in path
    assert "Child Q draft.pdf" in client.get(f"/reviews/{review.pk}/documents/").content.decode()


def test_a_docx_is_accepted(client_as, review):
    assert upload(client_as("business_unit"), review, "report.docx", DOCX).status_code == 302
    assert ReviewDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"just text", "The file must be a PDF or DOCX"),
        ("disguised.pdf", b"MZ\x90\x00 an executable", "The file must be a PDF or DOCX"),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_a_file_that_is_not_a_pdf_or_docx_is_refused_and_nothing_is_kept(
    client_as, review, name, content, message
):
    response = upload(client_as("business_unit"), review, name, content)
    assert error_summary(response) == [message]
    assert not ReviewDocument.objects.exists()
    assert stored_files() == []


def test_a_file_over_the_size_limit_is_refused(client_as, review, settings):
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    big = PDF + b"0" * (2 * 1024 * 1024)
    response = upload(client_as("business_unit"), review, "huge.pdf", big)
    assert error_summary(response) == ["The file must be smaller than 2MB"]
    assert not ReviewDocument.objects.exists()
    assert stored_files() == []


def test_a_download_is_audited(client_as, review, personas):
    upload(client_as("business_unit"), review, "final.pdf", PDF, kind="final_report")
    document = ReviewDocument.objects.get()
    response = client_as("group_member").get(
        f"/reviews/{review.pk}/documents/{document.pk}/download/"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="final.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.filter(action=Action.DOWNLOAD).get()
    assert entry.actor == personas["group_member"]
    assert (entry.object_type, entry.object_id) == ("reviews.review", str(review.pk))
    assert "final.pdf" in entry.summary


def test_documents_are_not_reachable_without_scope(client_as, client, review):
    upload(client_as("business_unit"), review, "final.pdf", PDF)
    document = ReviewDocument.objects.get()
    url = f"/reviews/{review.pk}/documents/{document.pk}/download/"
    assert client.get(url).status_code == 302  # to sign in
    assert client_as("data_submitter").get(url).status_code == 404
    assert client_as("practitioner").get(url).status_code == 403
    assert not AuditEntry.objects.filter(action=Action.DOWNLOAD).exists()


def test_the_commissioned_reviewer_sends_a_draft(client_as, review, personas):
    commission(review, personas["reviewer"])
    client = client_as("reviewer")
    form = client.get(f"/reviews/{review.pk}/documents/new/").content.decode()
    assert "Executive summary" not in form  # a reviewer sends drafts and the final report
    assert upload(client, review, "draft.pdf", PDF).status_code == 302
    assert ReviewDocument.objects.get().uploaded_by == personas["reviewer"]


def test_a_missing_file_is_a_clear_404_and_no_download_on_the_record(client_as, review):
    upload(client_as("business_unit"), review, "final.pdf", PDF, kind="final_report")
    document = ReviewDocument.objects.get()
    default_storage.delete(document.file.name)  # lost from the file store
    response = client_as("group_member").get(
        f"/reviews/{review.pk}/documents/{document.pk}/download/"
    )
    assert response.status_code == 404
    page = text(response)
    assert "File not found" in page
    assert "The file final.pdf is listed on this review, but it could not be found" in page
    assert not AuditEntry.objects.filter(action=Action.DOWNLOAD).exists()


def test_evidence_is_recorded_as_downloaded_only_when_served(client_as, personas):
    review = matrix.matrix_review(personas)
    action = review.actions.get()
    evidence = action.files.get()
    url = f"/reviews/{review.pk}/actions/{action.pk}/evidence/{evidence.pk}/download/"
    client = client_as("group_member")
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == matrix.PDF
    assert (
        AuditEntry.objects.filter(
            action=Action.DOWNLOAD, summary="Downloaded 'evidence.pdf'"
        ).count()
        == 1
    )
    default_storage.delete(evidence.file.name)
    response = client.get(url)
    assert response.status_code == 404
    assert "The file evidence.pdf is listed on this review" in text(response)
    assert AuditEntry.objects.filter(action=Action.DOWNLOAD).count() == 1
