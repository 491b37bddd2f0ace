"""Bulk onboarding: a spreadsheet checked whole, then everyone added and invited, or nobody."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from partnership.accounts.models import Invitation, Role, RoleGrant, User
from partnership.directory import onboarding
from partnership.directory.models import (
    ImportStatus,
    Organisation,
    OrganisationKind,
    PeopleImport,
    Person,
)
from partnership.trail.models import AuditEntry

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
HEADINGS = [title for _, title in onboarding.COLUMNS]


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def xlsx(rows, headings=HEADINGS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, headings=HEADINGS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(client, name, content, capture):
    with capture(execute=True):
        response = client.post(
            "/directory/people/import/", {"file": SimpleUploadedFile(name, content)}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response, client.get(response["Location"]).content.decode()


@pytest.fixture
def schools(personas):
    """Sixty schools, each with a designated safeguarding lead to onboard."""
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Knowsley School {n:02d}",
            short_name=f"KS{n:02d}",
            slug=f"knowsley-school-{n:02d}",
            kind=OrganisationKind.SCHOOL,
        )
        for n in range(1, 61)
    )
    return [
        [
            f"Lead Number {n:02d}",
            f"dsl{n:02d}@school{n:02d}.example.org",
            "Designated Safeguarding Lead",
            "",
            # Matched by name or short name, in any case.
            f"knowsley school {n:02d}" if n % 2 else f"ks{n:02d}",
            "Practitioner; Group member",
            "",
        ]
        for n in range(1, 61)
    ]


def test_sixty_designated_safeguarding_leads_are_added_invited_and_given_their_roles(
    client_as, schools, django_capture_on_commit_callbacks, mailoutbox
):
    people, users, grants = Person.objects.count(), User.objects.count(), RoleGrant.objects.count()
    response, page = upload(
        client_as("business_unit"), "leads.xlsx", xlsx(schools), django_capture_on_commit_callbacks
    )
    # Counted by hand: 60 rows, each one person, one account and two roles.
    assert Person.objects.count() == people + 60
    assert User.objects.count() == users + 60
    assert RoleGrant.objects.count() == grants + 120
    lead = User.objects.get(email="dsl07@school07.example.org")
    assert lead.organisation.name == "Knowsley School 07"
    assert lead.roles == {Role.PRACTITIONER, Role.GROUP_MEMBER}
    assert lead.person.job_title == "Designated Safeguarding Lead"
    assert Invitation.objects.open().filter(user__email__startswith="dsl").count() == 60
    assert len(mailoutbox) == 60
    assert "60 people added" in page
    assert 'http-equiv="refresh"' not in page
    done = PeopleImport.objects.get()
    assert (done.status, done.added_count, done.content) == (ImportStatus.DONE, 60, b"")
    assert AuditEntry.objects.filter(summary="Added and invited 60 people from leads.xlsx").exists()


def test_a_sheet_with_errors_lists_each_with_row_and_column_and_adds_nobody(
    client_as, schools, personas, django_capture_on_commit_callbacks, mailoutbox
):
    rows = [list(row) for row in schools[:5]]
    rows[1][1] = "not-an-email"  # row 3
    rows[2][4] = "Hogwarts"  # row 4
    rows[3][5] = "Wizard"  # row 5
    rows[4][1] = rows[0][1]  # row 6 repeats row 2's address
    rows.append(["Pat Again", personas["practitioner"].email, "", "", "KS01", "", ""])  # row 7
    people, users = Person.objects.count(), User.objects.count()
    _, page = upload(
        client_as("business_unit"), "leads.csv", csv_bytes(rows), django_capture_on_commit_callbacks
    )
    assert Person.objects.count() == people
    assert User.objects.count() == users
    assert mailoutbox == []
    table = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "5 errors" in table
    for row, column, message in [
        (3, "Email address", "“not-an-email” is not an email address"),
        (4, "Organisation", "No organisation in the directory is called “Hogwarts”"),
        (5, "Roles", "“Wizard” is not a role"),
        (6, "Email address", "dsl01@school01.example.org is also on row 2"),
        (7, "Email address", "pat.quinn@staidans.example.org already has an account"),
    ]:
        assert f"{row} {column} {message}" in table
    assert "Nobody has been added" in page


def test_only_the_first_hundred_errors_are_shown_with_the_total(
    client_as, personas, django_capture_on_commit_callbacks
):
    rows = [[f"Person {n}", "", "", "", "Merseyside Police", "", ""] for n in range(150)]
    _, page = upload(
        client_as("business_unit"), "many.csv", csv_bytes(rows), django_capture_on_commit_callbacks
    )
    assert "150 errors: the first 100 are shown" in page
    assert page.count("Enter the person&#39;s email address") == 100


def test_a_file_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(onboarding, "MAX_ROWS", 3)
    people = [
        [f"Person {n}", f"p{n}@example.org", "", "", "Merseyside Police", "", ""] for n in range(4)
    ]
    with pytest.raises(onboarding.UnreadableFile, match="more than 3 rows"):
        onboarding.read("many.csv", csv_bytes(people))
    assert len(onboarding.read("three.csv", csv_bytes(people[:3]))) == 3


def test_a_workbook_that_unpacks_too_large_is_refused_unparsed(monkeypatch):
    monkeypatch.setattr(onboarding, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(onboarding.UnreadableFile, match="unpack|uncompressed|too large"):
        onboarding.read("big.xlsx", xlsx([["A", "a@example.org", "", "", "X", "", ""]]))


def test_a_file_over_two_megabytes_is_refused_on_upload(client_as, personas):
    big = b"Full name,Email address,Organisation\n" + b"x" * (2 * 1024 * 1024)
    response = client_as("business_unit").post(
        "/directory/people/import/", {"file": SimpleUploadedFile("big.csv", big)}
    )
    assert "must be smaller than 2MB" in response.content.decode()
    assert not PeopleImport.objects.exists()


def test_the_templates_download_with_the_columns(client_as, personas):
    client = client_as("business_unit")
    response = client.get("/directory/people/import/template.xlsx")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    first = next(book.worksheets[0].iter_rows(values_only=True))
    assert list(first) == HEADINGS
    csv_response = client.get("/directory/people/import/template.csv")
    assert csv_response.content.decode("utf-8-sig").splitlines()[0] == ",".join(HEADINGS)
    assert client.get("/directory/people/import/template.pdf").status_code == 404


def test_an_unfinished_import_page_refreshes_itself(client_as, personas):
    people_import = PeopleImport.objects.create(
        created_by=personas["business_unit"], file_name="x.csv", content=b"x"
    )
    page = client_as("business_unit").get(f"/directory/people/import/{people_import.pk}/")
    assert '<meta http-equiv="refresh" content="3">' in page.content.decode()
    assert "Waiting to start" in page.content.decode()
