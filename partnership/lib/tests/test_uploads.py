"""The bounded readers and the document checks, on the files of the attack (issue 14).

Each hostile file is refused before anything large is built. The tests do not time it (a
shared machine is no stopwatch); the report of the change gives times measured by hand.
"""

import datetime as dt
import io
import os
import zlib

import pytest
from pypdf import PdfWriter

from partnership.governance.samples import simple_docx, simple_pdf
from partnership.lib.uploads import (
    MB,
    DocumentLimits,
    FileRefused,
    TableLimits,
    document_check,
    stale_files_remove,
    table_rows,
)

from . import hostile_files as hostile

LIMITS = TableLimits(max_rows=1_000, max_columns=30)


def rows_of(data: bytes, name="return.xlsx", limits=LIMITS):
    return list(table_rows(io.BytesIO(data), name=name, size=len(data), limits=limits))


def refusal(data: bytes, name="return.xlsx", limits=LIMITS) -> str:
    with pytest.raises(FileRefused) as refused:
        rows_of(data, name, limits)
    return str(refused.value)


# --- Tabular uploads --------------------------------------------------------------------------


def test_a_workbook_within_the_caps_gives_its_rows_with_their_numbers():
    data = hostile.xlsx([["Code", "Value"], [], ["DA03", 46], ["PC1", 0.75]])
    # Row 2 is empty, so it is left out; the others keep the sheet's numbers.
    assert rows_of(data) == [(1, ["Code", "Value"]), (3, ["DA03", 46]), (4, ["PC1", 0.75])]


def test_text_numbers_and_dates_come_through_as_openpyxl_reads_them():
    data = hostile.xlsx([["Code", "From", "Value"], ["DA03", dt.datetime(2026, 4, 1), 12.5]])
    assert rows_of(data) == [
        (1, ["Code", "From", "Value"]),
        (2, ["DA03", dt.datetime(2026, 4, 1), 12.5]),
    ]


def test_shared_strings_are_read_with_their_runs_joined():
    data = hostile.xlsx_with_shared_strings(
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><r><t>Co</t></r><r><t>de</t></r><rPh><t>guide</t></rPh></si></sst>"
    )
    assert rows_of(data) == [(1, ["Code"])]


def test_a_workbook_of_too_much_text_is_refused_before_its_rows():
    # 40,000 shared strings: more than 1,001 rows of 30 columns (30,030 cells) could use.
    strings = b"".join(f"<si><t>{n}</t></si>".encode() for n in range(40_000))
    data = hostile.xlsx_with_shared_strings(
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main">' + strings + b"</sst>"
    )
    assert refusal(data).startswith("The file holds more text than 30,030 cells")


def test_a_part_with_a_document_type_declaration_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>&lol;</t></si></sst>"
    )
    data = hostile.xlsx_with_shared_strings(laughs)
    assert refusal(data).startswith("The file must be an Excel (XLSX) workbook that opens")


def test_a_csv_within_the_caps_gives_its_records():
    data = "\ufeffCode,Value\r\nDA03,46\r\n".encode()
    assert rows_of(data, "return.csv") == [(1, ["Code", "Value"]), (2, ["DA03", "46"])]


def test_a_million_row_workbook_is_refused_before_its_rows_are_read():
    data = hostile.million_row_xlsx()
    assert len(data) < 100_000  # a million rows in under 100KB: the sheet compresses 600 times
    # Its sheet unpacks to 26MB (999,999 rows of 26 bytes, by hand), over the 20MB cap, so
    # the zip's central directory is enough to refuse it: no row is parsed.
    assert refusal(data).startswith("The file unpacks to more than 20MB")


def test_a_sheet_declaring_a_million_rows_is_refused_by_its_dimension():
    data = hostile.xlsx_with_sheet(hostile.sheet(hostile.heading_row(), dimension="A1:B1000000"))
    assert refusal(data) == (
        "The file has more than 1,000 rows. Split it into files of up to 1,000 rows, or delete"
        " the empty rows at the end, and upload each"
    )


def test_a_sheet_with_more_rows_than_it_declares_stops_at_the_cap():
    # 5,000 rows with no dimension: small enough to pass the zip checks, so it is streamed,
    # and the stream stops at the first row past 1,000 data rows (row 1,002 of the sheet).
    data = hostile.xlsx_with_sheet(
        hostile.sheet(hostile.heading_row() + hostile.numbered_rows(5_000))
    )
    assert "more than 1,000 rows" in refusal(data)
    # 1,000 data rows are accepted: 1,001 rows with the heading.
    data = hostile.xlsx_with_sheet(
        hostile.sheet(hostile.heading_row() + hostile.numbered_rows(1_000))
    )
    assert len(rows_of(data)) == 1_001


def test_nothing_past_the_row_cap_is_parsed():
    # 1,200 good rows, then broken XML: the stream stops at row 1,002, long before the break
    # (the parser reads ahead 16KB at most; the rows after the cap are about 100KB), so the
    # file is refused for its rows, not for the break it never reached.
    broken = b'<row r="1202"><c r="A1202"><v>1</v></c></row><row <<< not XML'
    data = hostile.xlsx_with_sheet(
        hostile.sheet(hostile.heading_row() + hostile.numbered_rows(1_200) + broken)
    )
    assert "more than 1,000 rows" in refusal(data)


def test_a_row_far_down_the_sheet_is_refused_without_reading_the_gap():
    far = b'<row r="1000000"><c r="A1000000"><v>1</v></c></row>'
    data = hostile.xlsx_with_sheet(hostile.sheet(hostile.heading_row() + far))
    assert "more than 1,000 rows" in refusal(data)


def test_a_cell_far_to_the_right_is_refused_by_the_column_cap():
    wide = b'<row r="2"><c r="A2"><v>1</v></c><c r="XFD2"><v>1</v></c></row>'
    data = hostile.xlsx_with_sheet(hostile.sheet(hostile.heading_row() + wide))
    assert refusal(data) == (
        "The file has more than 30 columns. Delete the columns that are not in the template and"
        " upload it again"
    )


def test_a_zip_bomb_named_xlsx_is_refused_from_its_central_directory():
    data = hostile.xlsx_bomb(megabytes=1024)  # 1GB of zeros in about 1MB
    assert len(data) < 2 * MB
    assert refusal(data).startswith("The file unpacks to more than 20MB")


def test_a_file_over_the_byte_cap_is_refused_by_its_size_alone():
    # 6.9MB of CSV: 11 bytes of heading and 1,033,595 rows of 7 bytes (by hand: 7,235,176
    # bytes, and 6.9 × 1,048,576 = 7,235,174.4).
    data = b"Code,Value\n" + b"DA03,1\n" * 1_033_595
    assert len(data) == 7_235_176
    message = refusal(data, "return.csv")
    assert message.startswith("The file must be smaller than 2MB, and this one is 6.9MB")


def test_a_csv_stops_at_the_row_cap_and_at_the_column_cap():
    many = b"Code,Value\n" + b"DA03,1\n" * 1_500
    assert "more than 1,000 rows" in refusal(many, "return.csv")
    wide = b"Code" + b",x" * 40 + b"\n"
    assert "more than 30 columns" in refusal(wide, "return.csv")


def test_a_csv_that_is_not_utf8_or_is_a_workbook_is_refused_in_words():
    latin = "Code,Value\nCafé,1\n".encode("latin-1")
    assert refusal(latin, "return.csv") == (
        "The CSV file must be UTF-8 text: in Excel, save it as “CSV UTF-8”"
    )
    workbook = hostile.xlsx([["Code"]])
    assert "is a spreadsheet, not a CSV" in refusal(workbook, "return.csv")


def test_a_broken_workbook_is_refused_in_words():
    assert refusal(b"PK\x03\x04" + bytes(200)).startswith(
        "The file must be an Excel (XLSX) workbook that opens"
    )
    assert refusal(b"just text").startswith("The file must be an Excel (XLSX) workbook that opens")


# --- Documents ---------------------------------------------------------------------------------


DOCUMENTS = DocumentLimits()


def check(data: bytes, extension: str, limits=DOCUMENTS):
    document_check(io.BytesIO(data), extension=extension, size=len(data), limits=limits)


def check_refusal(data: bytes, extension: str, limits=DOCUMENTS) -> str:
    with pytest.raises(FileRefused) as refused:
        check(data, extension, limits)
    return str(refused.value)


def test_real_documents_pass():
    check(simple_pdf([["Minutes"], ["Page two"]]), ".pdf")
    check(simple_docx("Minutes", ["Attended: all"]), ".docx")
    check(hostile.xlsx([["Course", "Places"], ["Neglect", 30]]), ".xlsx")


def test_random_bytes_behind_a_pdf_header_are_refused():
    assert check_refusal(hostile.pdf_header_then_random(), ".pdf") == (
        "The file must be a PDF that opens: it may be damaged or password-protected"
    )


def test_a_password_protected_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    assert "password-protected" in check_refusal(out.getvalue(), ".pdf")


def test_a_pdf_over_the_page_cap_is_refused():
    data = simple_pdf([["page"]] * 6)
    assert check_refusal(data, ".pdf", DocumentLimits(max_pages=5)) == (
        "The PDF has more than 5 pages: split it and upload the parts"
    )


def test_a_two_gigabyte_zip_bomb_docx_is_refused():
    data = hostile.docx_bomb(gigabytes=2)
    assert len(data) < 3 * MB
    assert check_refusal(data, ".docx").startswith("The file unpacks to more than 100MB")


def test_a_zip_bomb_under_the_size_cap_is_refused_by_its_ratio():
    # 40MB of zeros in 50KB: under the caps (100MB, 50MB a part), but over 100 times its size.
    data = hostile.zip_bomb(simple_docx("T", ["x"]), member="word/media/a.bin", megabytes=40)
    assert "zip bomb" in check_refusal(data, ".docx")


def test_a_zip_that_lies_about_its_sizes_is_refused_when_read():
    # A member that says it is 1KB but holds 3MB: zipfile stops at 1KB, and the checksum
    # (of the 3MB) fails, so the check that reads every member refuses it.
    zeros = bytes(3 * MB)
    base = hostile.zip_bomb(simple_docx("T", ["x"]), member="word/media/a.bin", megabytes=1)
    members = []
    import zipfile

    with zipfile.ZipFile(io.BytesIO(base)) as source:
        for info in source.infolist():
            data = source.read(info)
            members.append((info.filename, zlib.crc32(data), len(data), hostile._deflated(data)))
    members[-1] = ("word/media/a.bin", zlib.crc32(zeros), 1024, hostile._deflated(zeros))
    liar = hostile._zip(members)
    assert check_refusal(liar, ".docx") == (
        "The file must be a Word (DOCX) document that opens: it may be damaged"
    )


def test_a_workbook_named_docx_and_a_zip_without_content_types_are_refused():
    assert check_refusal(hostile.xlsx([["a"]]), ".docx") == (
        "The file must be a Word (DOCX) document: save it as DOCX"
    )
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "must be a Word (DOCX) document" in check_refusal(out.getvalue(), ".docx")


def test_images_are_opened_and_verified():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, "PNG")
    check(out.getvalue(), ".png")
    assert check_refusal(out.getvalue()[:60], ".png").startswith("The file must be a PNG image")
    assert check_refusal(out.getvalue(), ".jpg") == "The file must be a JPEG image"


# --- Temporary files ---------------------------------------------------------------------------


def test_stale_temporary_files_are_removed_and_fresh_ones_kept(tmp_path):
    now = 1_800_000_000.0  # a fixed moment; the files' times are set from it
    old, fresh = tmp_path / "tmpa1.upload.pdf", tmp_path / "tmpb2.upload.pdf"
    folder = tmp_path / "kept-folder"
    for path in (old, fresh):
        path.write_bytes(b"x")
    folder.mkdir()
    os.utime(old, (now - 25 * 3600, now - 25 * 3600))  # 25 hours old
    os.utime(fresh, (now - 23 * 3600, now - 23 * 3600))  # 23 hours old
    os.utime(folder, (now - 90 * 86400, now - 90 * 86400))
    assert stale_files_remove(tmp_path, older_than=dt.timedelta(days=1), now=now) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept-folder", "tmpb2.upload.pdf"]
    assert stale_files_remove(tmp_path / "missing", older_than=dt.timedelta(days=1)) == 0
