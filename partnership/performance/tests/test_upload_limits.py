"""A return file cannot hold a worker (issue 14): the attack's files are refused on the form,
before they are parsed, and nothing is saved; a file with many errors lists the first 100
and says how many there are."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnership.lib.tests import hostile_files as hostile
from partnership.performance import services
from partnership.performance.models import DataPoint, DataReturn, ReturnVersion, Unit
from partnership.trail.models import AuditEntry

from . import factories as f
from .test_library_management import error_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def kht_return(personas):
    owner = personas["data_submitter"].organisation
    f.indicator("DA03", owner)
    f.indicator("PC1", owner, unit=Unit.PERCENTAGE)
    return services.get_return(owner, f.year(2024))


def _upload(client, data_return, name, data):
    return client.post(
        f"/performance/returns/{data_return.pk}/upload/",
        {"file": SimpleUploadedFile(name, data), "submit": "yes"},
    )


def _nothing_saved(data_return):
    data_return.refresh_from_db()
    assert data_return.status == "not_started" and data_return.version_count == 0
    assert not ReturnVersion.objects.exists() and not DataPoint.objects.exists()
    assert not AuditEntry.objects.filter(object_type="performance.datareturn").exists()


def test_a_million_row_workbook_is_refused_and_nothing_saved(client_as, kht_return):
    response = _upload(
        client_as("data_submitter"), kht_return, "return.xlsx", hostile.million_row_xlsx()
    )
    assert error_summary(response) == {
        "#id_file": "The return file unpacks to more than 8MB, too large for an"
        " Excel (XLSX) workbook here. Make it smaller (split it, or compress its pictures) and"
        " upload it again"
    }
    _nothing_saved(kht_return)


def test_a_workbook_declaring_a_million_rows_is_refused_and_nothing_saved(client_as, kht_return):
    data = hostile.xlsx_with_sheet(hostile.sheet(hostile.heading_row(), dimension="A1:B1000000"))
    response = _upload(client_as("data_submitter"), kht_return, "return.xlsx", data)
    assert error_summary(response) == {
        "#id_file": "The file has more than 1,000 rows. Split it into files of up to 1,000"
        " rows, or delete the empty rows at the end, and upload each"
    }
    _nothing_saved(kht_return)


def test_a_zip_bomb_workbook_is_refused_and_nothing_saved(client_as, kht_return):
    data = hostile.xlsx_bomb(megabytes=1024)  # 1GB of zeros in about 1MB
    response = _upload(client_as("data_submitter"), kht_return, "return.xlsx", data)
    assert error_summary(response) == {
        "#id_file": "The return file unpacks to more than 8MB, too large for an Excel (XLSX)"
        " workbook here. Make it smaller (split it, or compress its pictures) and upload it"
        " again"
    }
    _nothing_saved(kht_return)


def test_a_6_point_9_megabyte_csv_is_refused_by_its_size(client_as, kht_return):
    data = b"Code,Value\n" + b"DA03,1\n" * 1_033_595  # 7,235,176 bytes, by hand
    response = _upload(client_as("data_submitter"), kht_return, "return.csv", data)
    assert error_summary(response) == {"#id_file": "The return file must be smaller than 2MB"}
    _nothing_saved(kht_return)


def test_a_csv_of_more_rows_than_the_cap_is_refused_at_the_cap(client_as, kht_return):
    data = b"Code,Value\n" + b"DA03,1\n" * 1_001  # 1,001 figures: one past the cap
    response = _upload(client_as("data_submitter"), kht_return, "return.csv", data)
    assert error_summary(response)["#id_file"].startswith("The file has more than 1,000 rows")
    _nothing_saved(kht_return)


def test_errors_are_listed_up_to_100_with_the_total(client_as, kht_return):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Code", "Value"])
    for number in range(150):
        writer.writerow([f"XX{number}", "1"])  # 150 rows, each with one error: no such code
    response = _upload(
        client_as("data_submitter"), kht_return, "return.csv", out.getvalue().encode()
    )
    assert error_summary(response) == {
        "#id_file": "The file has 150 errors: nothing was imported. Correct them and upload it"
        " again."
    }
    page = response.content.decode()
    assert "The first 100 of 150 errors are listed" in page
    assert "The first 100 errors, by row and column" in page
    # The table has the first 100: rows 2 to 101 of the file, XX0 to XX99.
    assert len(re.findall(r"XX\d+ is not an indicator in this return", page)) == 100
    assert "XX99 is not an indicator" in page and "XX100 is not an indicator" not in page
    _nothing_saved(kht_return)


def test_a_few_errors_are_all_listed_without_a_cap_note(client_as, kht_return):
    data = b"Code,Value\nXX1,1\nXX2,1\n"
    page = _upload(client_as("data_submitter"), kht_return, "return.csv", data).content.decode()
    assert "The file has 2 errors: nothing was imported" in page
    assert "2 errors, by row and column" in page and "The first" not in page


def test_the_filled_in_template_still_imports(client_as, kht_return):
    data = hostile.xlsx([["Code", "Value"], ["DA03", 46], ["PC1", 75]])
    response = _upload(client_as("data_submitter"), kht_return, "return.xlsx", data)
    assert response.status_code == 302
    assert dict(DataPoint.objects.values_list("indicator__code", "value")) == {
        "DA03": 46,
        "PC1": 75,
    }
    assert DataReturn.objects.get(pk=kht_return.pk).status == "submitted"
