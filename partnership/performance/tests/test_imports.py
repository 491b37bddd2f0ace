"""Spreadsheet returns: checked whole, saved all or nothing, errors by row and column."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from partnership.performance import services
from partnership.performance.models import DataPoint, ReturnVersion, Unit
from partnership.trail.models import AuditEntry

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def kht_return(personas):
    owner = personas["data_submitter"].organisation
    f.indicator("DA03", owner)
    f.indicator("PC1", owner, unit=Unit.PERCENTAGE)
    f.indicator("RT1", owner, unit=Unit.RATE)
    return services.get_return(owner, f.year(2024))


def _csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile("return.csv", out.getvalue().encode(), content_type="text/csv")


def _upload(client, data_return, upload, **extra):
    return client.post(
        f"/performance/returns/{data_return.pk}/upload/", {"file": upload, "submit": "yes", **extra}
    )


def test_a_malformed_csv_changes_nothing_and_lists_every_error(client_as, kht_return):
    upload = _csv(
        [
            ["Code", "Period", "Organisation", "Numerator", "Denominator", "Value"],
            ["DA03", "2024/25", "Knowsley Housing Trust", "", "", "twelve"],
            ["XX9", "2024/25", "Knowsley Housing Trust", "", "", "1"],
            ["PC1", "2023/24", "Knowsley Housing Trust", "9", "4", ""],
            ["DA03", "2024/25", "Knowsley Housing Trust", "", "", "3"],
            ["RT1", "2024/25", "Knowsley Housing Trust", "", "", "-5"],
        ]
    )
    response = _upload(client_as("data_submitter"), kht_return, upload)
    page = response.content.decode()
    assert response.status_code == 200
    assert "nothing was imported" in page
    expected = [
        ("2", "6 (Value)", "must be a number"),
        ("3", "1 (Code)", "XX9 is not an indicator in this return"),
        ("4", "2 (Period)", "The period is 2023/24"),
        ("4", "4 (Numerator)", "larger than the denominator"),
        ("5", "1 (Code)", "appears more than once"),
        ("6", "6 (Value)", "below the lowest allowed value"),
    ]
    for row, column, message in expected:
        assert f">{row}</td>" in page and column in page and message in page
    assert not ReturnVersion.objects.exists() and not DataPoint.objects.exists()


def test_the_template_filled_in_imports_every_row_atomically(client_as, kht_return):
    client = client_as("data_submitter")
    template = client.get(f"/performance/returns/{kht_return.pk}/template.xlsx")
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.active
    assert [c.value for c in sheet[1]][:2] == ["Code", "Indicator"]
    assert sheet.protection.sheet is True
    figures = {"DA03": (None, None, 46), "PC1": (3, 4, None), "RT1": (12, 30000, None)}
    for row in sheet.iter_rows(min_row=2):
        numerator, denominator, value = figures[row[0].value]
        row[6].value, row[7].value, row[8].value = numerator, denominator, value
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("return.xlsx", out.getvalue())
    response = _upload(client, kht_return, upload)
    assert response.status_code == 302
    values = dict(DataPoint.objects.values_list("indicator__code", "value"))
    assert values == {"DA03": 46, "PC1": 75, "RT1": 4}
    kht_return.refresh_from_db()
    assert kht_return.status == "submitted"
    assert AuditEntry.objects.filter(object_id=str(kht_return.pk), action="create").exists()


def test_a_malformed_xlsx_names_the_column_letter(client_as, kht_return):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Code", "Value"])
    book.active.append(["DA03", "lots"])
    out = io.BytesIO()
    book.save(out)
    response = _upload(
        client_as("data_submitter"), kht_return, SimpleUploadedFile("r.xlsx", out.getvalue())
    )
    assert "B (Value)" in response.content.decode()
    assert not DataPoint.objects.exists()


def test_a_correction_on_the_form_needs_a_reason_and_keeps_who_when_why(
    client_as, kht_return, personas
):
    client = client_as("data_submitter")
    url = f"/performance/returns/{kht_return.pk}/edit/"
    assert client.post(url, {"DA03__value": "10", "submit": "1"}).status_code == 302
    refused = client.post(url, {"DA03__value": "11", "submit": "1"})
    assert "Say why you are changing a submitted return" in refused.content.decode()
    client.post(url, {"DA03__value": "11", "reason": "Late referrals added", "submit": "1"})
    versions = list(kht_return.versions.order_by("number"))
    assert [(v.number, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[1].created_by == personas["data_submitter"]
    assert versions[1].reason == "Late referrals added" and versions[1].created_at
    old = DataPoint.objects.get(version=versions[0])
    assert old.value == 10 and not old.is_current


def test_another_organisations_return_is_not_found(client_as, kht_return):
    other = services.get_return(f.organisation("Merseyside Police"), kht_return.period)
    client = client_as("data_submitter")
    assert client.get(f"/performance/returns/{other.pk}/").status_code == 404
    assert client.get(f"/performance/returns/{kht_return.pk}/").status_code == 200
    assert client_as("business_unit").get(f"/performance/returns/{other.pk}/").status_code == 200
    assert client_as("practitioner").get(f"/performance/returns/{kht_return.pk}/").status_code in (
        403,
        404,
    )


COUNT_REFUSED = "DA03 is a count, so it must be a whole number, not 17.5"


def test_a_count_of_17_point_5_is_refused_on_the_web_form_and_nothing_is_saved(
    client_as, kht_return
):
    response = client_as("data_submitter").post(
        f"/performance/returns/{kht_return.pk}/edit/", {"DA03__value": "17.5", "submit": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and COUNT_REFUSED in page
    assert 'id="id_DA03__value-error"' in page  # shown against the field itself
    assert not ReturnVersion.objects.exists() and not DataPoint.objects.exists()
    kht_return.refresh_from_db()
    assert kht_return.status == "not_started"


def test_a_count_of_17_point_5_is_refused_in_a_csv_with_its_row_and_column(client_as, kht_return):
    upload = _csv(
        [
            ["Code", "Numerator", "Denominator", "Value"],
            ["PC1", "3", "4", ""],  # a good row: not imported either
            ["DA03", "", "", "17.5"],
        ]
    )
    page = _upload(client_as("data_submitter"), kht_return, upload).content.decode()
    assert "The file has 1 error: nothing was imported" in page
    # Row 3 of the file (the heading is row 1), its fourth column.
    assert ">3</td>" in page and "4 (Value)" in page and COUNT_REFUSED in page
    assert not ReturnVersion.objects.exists() and not DataPoint.objects.exists()


def test_a_count_of_17_point_5_is_refused_in_an_xlsx_with_its_row_and_column_letter(
    client_as, kht_return
):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Code", "Value"])
    book.active.append(["DA03", 17.5])
    out = io.BytesIO()
    book.save(out)
    response = _upload(
        client_as("data_submitter"), kht_return, SimpleUploadedFile("r.xlsx", out.getvalue())
    )
    page = response.content.decode()
    assert ">2</td>" in page and "B (Value)" in page and COUNT_REFUSED in page
    assert not ReturnVersion.objects.exists() and not DataPoint.objects.exists()


def test_a_whole_count_and_a_fractional_percentage_are_accepted(client_as, kht_return):
    # 17 is a whole count; 37.5 (3 of 8) is a percentage, which may have a fraction.
    response = client_as("data_submitter").post(
        f"/performance/returns/{kht_return.pk}/edit/",
        {"DA03__value": "17", "PC1__value": "37.5", "submit": "1"},
    )
    assert response.status_code == 302
    values = dict(DataPoint.objects.values_list("indicator__code", "value"))
    assert values == {"DA03": 17, "PC1": Decimal("37.5")}
