"""Documents are checked whole before they are stored (issue 14 §4), uploads are capped while
the request is read, and the daily sweep clears temporary uploads a killed worker left."""

import io
import os
import time

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from partnership.governance.samples import simple_docx, simple_pdf
from partnership.lib.tests import hostile_files as hostile
from partnership.reviews.models import ReviewDocument
from partnership.reviews.tests.support import error_summary, stored_files
from partnership.reviews.tests.test_documents import review, upload
from partnership.web.forms import UploadField
from partnership.web.uploads import CappedUploadHandler, OversizeUpload

__all__ = ["review"]  # the reviews fixture, used below


@pytest.fixture(autouse=True)
def _storage_in_a_temporary_folder(settings, tmp_path):
    """Stored files go to a folder of the test's own, so "nothing stored" can be seen."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }


class EvidenceForm(forms.Form):
    file = UploadField(label="Evidence file", extensions=(".pdf", ".docx", ".xlsx"))


def errors_for(name: str, data: bytes) -> list[str]:
    form = EvidenceForm(files={"file": SimpleUploadedFile(name, data)})
    assert not form.is_valid()
    return form.errors["file"]


def test_real_documents_are_accepted():
    for name, data in [
        ("minutes.pdf", simple_pdf([["Minutes"]])),
        ("minutes.docx", simple_docx("Minutes", ["All attended"])),
        ("figures.xlsx", hostile.xlsx([["Course", "Places"], ["Neglect", 30]])),
    ]:
        form = EvidenceForm(files={"file": SimpleUploadedFile(name, data)})
        assert form.is_valid(), (name, form.errors)
        assert form.cleaned_data["file"].read() == data  # rewound for whoever stores it


def test_random_bytes_behind_a_pdf_header_are_refused_in_the_fields_words():
    assert errors_for("evidence.pdf", hostile.pdf_header_then_random()) == [
        "The evidence file must be a PDF that opens: it may be damaged or password-protected"
    ]


def test_a_zip_bomb_docx_is_refused_in_the_fields_words():
    assert errors_for("evidence.docx", hostile.docx_bomb(gigabytes=2)) == [
        "The evidence file unpacks to more than 100MB, too large for a Word (DOCX) document"
        " here. Make it smaller (split it, or compress its pictures) and upload it again"
    ]


def test_a_workbook_renamed_docx_is_refused():
    assert errors_for("evidence.docx", hostile.xlsx([["a"]])) == [
        "The evidence file must be a Word (DOCX) document: save it as DOCX"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "draft.pdf",
            hostile.pdf_header_then_random,
            "The file must be a PDF that opens: it may be damaged or password-protected",
        ),
        (
            "draft.docx",
            hostile.docx_bomb,
            "The file unpacks to more than 100MB, too large for a Word (DOCX) document here."
            " Make it smaller (split it, or compress its pictures) and upload it again",
        ),
    ],
    ids=["random bytes behind a PDF header", "2GB zip bomb DOCX"],
)
def test_a_review_document_that_fails_its_check_is_refused_and_nothing_stored(
    client_as, review, name, content, message
):
    response = upload(client_as("business_unit"), review, name, content())
    assert error_summary(response) == [message]
    assert not ReviewDocument.objects.exists()
    assert stored_files() == []


@pytest.mark.django_db
def test_an_upload_over_the_sites_cap_is_not_stored_while_read(
    client_as, review, settings, tmp_path
):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024  # so the file goes to the temporary folder
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temporary)
    big = simple_pdf([["Report"]]) + b"%" + b"0" * (3 * 1024 * 1024)
    response = upload(client_as("business_unit"), review, "huge.pdf", big)
    assert error_summary(response) == ["The file must be smaller than 1MB"]
    assert not ReviewDocument.objects.exists() and stored_files() == []
    assert list(temporary.iterdir()) == []  # the partial temporary file is gone already


def test_the_capped_handler_passes_bytes_on_only_up_to_the_cap(settings):
    settings.UPLOAD_MAX_BYTES = 10
    handler = CappedUploadHandler()
    handler.new_file("file", "huge.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"12345678", 0) == b"12345678"  # 8 bytes: under 10
    assert handler.receive_data_chunk(b"12345678", 8) is None  # 16: the rest is not stored
    assert handler.receive_data_chunk(b"1234", 16) is None
    oversize = handler.file_complete(20)
    assert isinstance(oversize, OversizeUpload)
    assert (oversize.name, oversize.size, oversize.read()) == ("huge.pdf", 20, b"")
    # A file within the cap is left to the next handler (memory or temporary file).
    handler.new_file("file", "small.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"1234", 0) == b"1234"
    assert handler.file_complete(4) is None


@pytest.mark.django_db
def test_the_daily_sweep_removes_temporary_uploads_older_than_a_day(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    now = time.time()  # the test's clock, wherever it has been moved to
    left = tmp_path / "tmp8x2k.upload.pdf"  # what a worker killed mid-upload leaves
    current = tmp_path / "tmp3jq9.upload.docx"  # an upload being read right now
    for path, hours in ((left, 25), (current, 1)):
        path.write_bytes(b"%PDF-1.4")
        os.utime(path, (now - hours * 3600, now - hours * 3600))
    out = io.StringIO()
    call_command("daily_sweep", "--now", stdout=out)
    assert [p.name for p in tmp_path.iterdir()] == ["tmp3jq9.upload.docx"]
    assert "Removed 1 temporary upload files older than a day." in out.getvalue()
