"""Checks on uploaded files that no upload can outrun: framework-free, so a view, a task or a
command can use them.

Every check refuses *before* the expensive work, with a message in words for the person who
sent the file:

- `table_rows` reads a tabular upload (XLSX or CSV) row by row within a byte, row and column
  cap. For an XLSX it first opens the zip and checks the members (count, declared
  uncompressed sizes, compression ratio) and the sheet's declared dimension, then streams
  the rows and stops at the cap, so a million-row sheet of half a megabyte or a zip bomb is
  refused in milliseconds. A CSV is streamed through a text wrapper, never read whole.
- `document_check` checks a document's whole structure: a PDF is parsed by pypdf (page
  count capped); a DOCX, XLSX or PPTX is a zip whose members are decompressed in chunks
  within a total cap (a zip bomb, or a zip that lies about its sizes, is refused) and must
  hold its content-types part and its main part; an image is opened and verified by Pillow
  with a pixel cap.
- `stale_files_remove` deletes what a killed worker left in the upload temporary directory.

The file arguments are binary file objects positioned anywhere (they are rewound); `size`
is the upload's size in bytes as the server counted it.
"""

import csv
import datetime as dt
import io
import os
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


class FileRefused(ValueError):
    """The file was refused; `str(error)` says why, in words for the person who sent it."""


def _mb(size: int) -> str:
    """2MB, 6.9MB, 512KB: a size as people read it."""
    if size >= MB:
        if size >= 10 * MB:
            return f"{size / MB:,.0f}MB"
        return f"{size / MB:.2f}".rstrip("0").rstrip(".") + "MB"
    return f"{size / 1024:,.0f}KB"


# --- Zips (XLSX, DOCX, PPTX) ------------------------------------------------------------------


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 1_000
    # The sum of the members' uncompressed sizes, and any one member's.
    max_uncompressed: int = 100 * MB
    max_member: int = 50 * MB
    # Uncompressed over compressed, for the whole file and for any member over 1MB.
    max_ratio: int = 100


def zip_open(file, *, size: int, limits: ZipLimits, kind: str) -> zipfile.ZipFile:
    """The file as a zip whose central directory is within `limits`, or FileRefused.

    Only the central directory is read: nothing is decompressed here. A member that lies
    about its size is caught when it is read (zipfile never returns more than the declared
    size, and the checksum of a truncated member fails)."""
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise FileRefused(f"The file must be {kind} that opens: it may be damaged") from error
    if len(members) > limits.max_members:
        raise FileRefused(f"The file must be {kind} of at most {limits.max_members:,} parts")
    total = sum(member.file_size for member in members)
    biggest = max((member.file_size for member in members), default=0)
    if total > limits.max_uncompressed or biggest > limits.max_member:
        cap = limits.max_uncompressed if total > limits.max_uncompressed else limits.max_member
        part = "The file" if total > limits.max_uncompressed else "One part of the file"
        raise FileRefused(
            f"{part} unpacks to more than {_mb(cap)}, too large for {kind} here. Make it"
            " smaller (split it, or compress its pictures) and upload it again"
        )
    if total > limits.max_ratio * max(size, 1) or any(
        member.file_size > MB and member.file_size > limits.max_ratio * max(member.compress_size, 1)
        for member in members
    ):
        raise FileRefused(
            f"The file unpacks to over {limits.max_ratio} times its size, which is what a"
            f" zip bomb does: it cannot be accepted as {kind}"
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise FileRefused(
            f"The file is password-protected: remove the password and upload it again as {kind}"
        )
    return archive


def zip_read_all(archive: zipfile.ZipFile, *, limits: ZipLimits, kind: str) -> None:
    """Decompress every member in chunks, checking each one's checksum, within the caps."""
    total = 0
    for member in archive.infolist():
        if member.is_dir():
            continue
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(256 * 1024):
                    total += len(chunk)
                    if total > limits.max_uncompressed:
                        raise FileRefused(
                            f"The file unpacks to more than {_mb(limits.max_uncompressed)},"
                            f" too large for {kind} here"
                        )
        except FileRefused:
            raise
        except Exception as error:  # BadZipFile (a wrong checksum), zlib.error, EOFError...
            raise FileRefused(f"The file must be {kind} that opens: it may be damaged") from error


# --- Tabular uploads -------------------------------------------------------------------------


@dataclass(frozen=True)
class TableLimits:
    """Caps for a tabular upload. `max_rows` counts the rows after the heading row."""

    max_bytes: int = 2 * MB
    max_rows: int = 5_000
    max_columns: int = 50
    zip: ZipLimits = ZipLimits(max_members=200, max_uncompressed=20 * MB, max_member=20 * MB)


def _too_many_rows(limits: TableLimits) -> FileRefused:
    return FileRefused(
        f"The file has more than {limits.max_rows:,} rows. Split it into files of up to"
        f" {limits.max_rows:,} rows, or delete the empty rows at the end, and upload each"
    )


def _too_many_columns(limits: TableLimits) -> FileRefused:
    return FileRefused(
        f"The file has more than {limits.max_columns:,} columns. Delete the columns that are"
        " not in the template and upload it again"
    )


def table_rows(file, *, name: str, size: int, limits: TableLimits) -> Iterator[tuple[int, list]]:
    """The rows of a tabular upload, heading row first, as (row number, cell values).

    For an XLSX the number is the sheet's row number and rows with no value are left out;
    for a CSV it is the record's number (from 1), blank records included.

    Refuses (FileRefused) before parsing anything large: over the byte cap, not a readable
    XLSX or CSV, an XLSX whose zip or declared dimension is over the caps. While streaming,
    it stops with FileRefused at the first row past the row cap or the column cap.
    A CSV must be UTF-8 (a byte-order mark is allowed). `name` decides the kind (".csv" is
    CSV, anything else XLSX). The checks before parsing run when this is called; the
    streaming ones as the rows are taken.
    """
    if size > limits.max_bytes:
        raise FileRefused(
            f"The file must be smaller than {_mb(limits.max_bytes)}, and this one is"
            f" {_mb(size)}. Split it, or delete what is not in the template, and upload it"
            " again"
        )
    if size == 0:
        raise FileRefused("The file is empty")
    if name.lower().endswith(".csv"):
        return _csv_rows(file, limits)
    return _xlsx_rows(file, size=size, limits=limits)


def _csv_rows(file, limits: TableLimits) -> Iterator[tuple[int, list]]:
    file.seek(0)
    # The first bytes tell a spreadsheet saved with the wrong name (an XLSX is a zip, an
    # old XLS an OLE file) from text, before anything is decoded.
    head = file.read(8)
    file.seek(0)
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise FileRefused("The file is a spreadsheet, not a CSV: save it as CSV, or upload an XLSX")

    def rows():
        text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
        try:
            for number, row in enumerate(csv.reader(text), start=1):
                if number > limits.max_rows + 1:
                    raise _too_many_rows(limits)
                if len(row) > limits.max_columns:
                    raise _too_many_columns(limits)
                yield number, row
        except UnicodeDecodeError as error:
            raise FileRefused(
                "The CSV file must be UTF-8 text: in Excel, save it as “CSV UTF-8”"
            ) from error
        except csv.Error as error:
            raise FileRefused(f"The file could not be read as CSV: {error}") from error
        finally:
            text.detach()  # leave the upload open for its owner

    return rows()


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Za-z0-9:$]+)\"")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")


def _declared_size(archive: zipfile.ZipFile, path: str) -> tuple[int, int] | None:
    """(rows, columns) from the sheet's <dimension>, read from the sheet's first 64KB (the
    element comes before the data); None if it declares none."""
    from openpyxl.utils.cell import range_boundaries

    with archive.open(path) as source:
        head = source.read(64 * 1024)
    data = _SHEET_DATA.search(head)
    match = _DIMENSION.search(head, 0, data.start() if data else len(head))
    if match is None:
        return None
    try:
        _min_col, _min_row, max_col, max_row = range_boundaries(match.group(1).decode())
    except (ValueError, TypeError):
        return None
    return max_row or 0, max_col or 0


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# The parts read whole before the rows (workbook, its relationships, styles) are small in
# any real file; these caps keep parsing them to milliseconds.
_SMALL_PART = 1 * MB


def _xml_part(archive: zipfile.ZipFile, path: str, kind: str, cap: int):
    """An open stream of a part of at most `cap` bytes, with no document type declaration
    (Office Open XML has none, so no entities to expand)."""
    try:
        info = archive.getinfo(path)
    except KeyError:
        raise FileRefused(f"The file must be {kind} that opens: it may be damaged") from None
    if info.file_size > cap:
        raise FileRefused(
            f"One part of the file unpacks to more than {_mb(cap)}, too large for {kind} here"
        )
    stream = archive.open(info)
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        stream.close()
        raise FileRefused(f"The file must be {kind} that opens: it may be damaged")
    return stream


def _iterparse(stream):
    from xml.etree.ElementTree import iterparse

    # Python 3.11's expat (2.5) refuses entity expansion attacks; parts with a document type
    # declaration are refused before parsing anyway (`_xml_part`).
    return iterparse(stream, events=("end",))  # noqa: S314


def _workbook_parts(archive: zipfile.ZipFile, kind: str) -> dict:
    """The first sheet's path, the shared strings' and styles' paths, and the epoch."""
    targets, found = {}, {"strings": None, "styles": None, "date1904": False}
    with _xml_part(archive, "xl/_rels/workbook.xml.rels", kind, _SMALL_PART) as stream:
        for _event, element in _iterparse(stream):
            if element.tag == f"{_RELS}Relationship":
                target = element.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[element.get("Id")] = path
                kind_of = element.get("Type", "").rsplit("/", 1)[-1]
                if kind_of == "sharedStrings":
                    found["strings"] = path
                elif kind_of == "styles":
                    found["styles"] = path
    sheet_id = None
    with _xml_part(archive, "xl/workbook.xml", kind, _SMALL_PART) as stream:
        for _event, element in _iterparse(stream):
            if element.tag == f"{_MAIN}workbookPr":
                found["date1904"] = element.get("date1904") in ("1", "true")
            elif element.tag == f"{_MAIN}sheet" and sheet_id is None:
                sheet_id = element.get(_R_ID)
    if sheet_id not in targets:
        raise FileRefused(f"The file must be {kind} that opens: it has no worksheet")
    found["sheet"] = targets[sheet_id]
    return found


def _text_of(element) -> str:
    """A string item's plain text: its runs joined, phonetic guides left out."""
    parts = []
    for child in element:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{_MAIN}t"))
    return "".join(parts)


def _shared_strings(archive, path, *, kind: str, cap: int, most: int) -> list[str]:
    """The shared strings as plain text (runs joined, phonetic guides left out), at most
    `most` of them: a sheet within the caps cannot use more."""
    strings: list[str] = []
    if path is None or path not in archive.namelist():
        return strings
    with _xml_part(archive, path, kind, cap) as stream:
        for _event, element in _iterparse(stream):
            if element.tag != f"{_MAIN}si":
                continue
            strings.append(_text_of(element))
            element.clear()
            if len(strings) > most:
                raise FileRefused(
                    f"The file holds more text than {most:,} cells: it must be {kind} within"
                    " the limits of rows and columns"
                )
    return strings


def _date_styles(archive, path, *, kind: str) -> tuple[set, set]:
    """Which cell styles are dates and which are durations, as openpyxl's reader works out."""
    from openpyxl.styles.numbers import (
        BUILTIN_FORMATS,
        is_date_format,
        is_timedelta_format,
    )

    if path is None or path not in archive.namelist():
        return set(), set()
    custom, formats = {}, []
    with _xml_part(archive, path, kind, _SMALL_PART) as stream:
        for _event, element in _iterparse(stream):
            if element.tag == f"{_MAIN}numFmt":
                custom[element.get("numFmtId")] = element.get("formatCode", "")
            elif element.tag == f"{_MAIN}cellXfs":
                formats = [xf.get("numFmtId", "0") for xf in element if xf.tag == f"{_MAIN}xf"]
    dates, durations = set(), set()
    for index, number in enumerate(formats):
        code = custom.get(number)
        if code is None and number.isdigit():
            code = BUILTIN_FORMATS.get(int(number))
        if code and is_date_format(code):
            dates.add(index)
        if code and is_timedelta_format(code):
            durations.add(index)
    return dates, durations


_COLUMN = re.compile(r"[A-Z]{1,3}")


def _number(text: str):
    return float(text) if any(mark in text for mark in ".eE") else int(text)


def _cell_value(cell, strings, dates, durations, epoch):
    """A cell's value as openpyxl gives it with `data_only=True` (a formula's last value)."""
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(f"{_MAIN}is")
        return None if inline is None else _text_of(inline)
    text = cell.findtext(f"{_MAIN}v") or None
    if text is None:
        return None
    if kind == "n":
        value = _number(text)
        style = int(cell.get("s") or 0)
        if style in dates:
            return from_excel(value, epoch, timedelta=style in durations)
        return value
    if kind == "s":
        return strings[int(text)]
    if kind == "b":
        return bool(int(text))
    if kind == "d":
        return from_ISO8601(text)
    return text  # "str" (a formula's text) and "e" (an error such as #N/A)


def _sheet_cells(source, strings, dates, durations, epoch):
    """(row number, [(column, value), ...]) for each row of a sheet, empty cells left out."""
    row_tag, cell_tag = f"{_MAIN}row", f"{_MAIN}c"
    number = 0
    for _event, element in _iterparse(source):
        if element.tag != row_tag:
            continue
        given = element.get("r")
        number = int(given) if given else number + 1
        cells, column = [], 0
        for cell in element:
            if cell.tag != cell_tag:
                continue
            reference = cell.get("r")
            letters = _COLUMN.match(reference) if reference else None
            column = _column_number(letters.group()) if letters else column + 1
            value = _cell_value(cell, strings, dates, durations, epoch)
            if value is not None and value != "":
                cells.append((column, value))
        element.clear()
        yield number, cells


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _xlsx_rows(file, *, size: int, limits: TableLimits) -> Iterator[tuple[int, list]]:
    kind = "an Excel (XLSX) workbook"
    archive = zip_open(file, size=size, limits=limits.zip, kind=kind)
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRefused(f"The file must be {kind} that opens: save it as XLSX and try again")
    # The workbook is read here, part by part, with openpyxl only for its date formats and
    # conversions: openpyxl's own reader parses a whole sheet that declares no dimension,
    # and its shared strings at about 10 seconds a megabyte.
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    try:
        parts = _workbook_parts(archive, kind)
        path = parts["sheet"]
        declared = _declared_size(archive, path)
        # The sheet's declared dimension (e.g. "A1:I1000001"), before anything else.
        if declared is not None and declared[0] > limits.max_rows + 1:
            raise _too_many_rows(limits)
        if declared is not None and declared[1] > limits.max_columns:
            raise _too_many_columns(limits)
        strings = _shared_strings(
            archive,
            parts["strings"],
            kind=kind,
            cap=limits.zip.max_member,
            most=(limits.max_rows + 1) * limits.max_columns,
        )
        dates, durations = _date_styles(archive, parts["styles"], kind=kind)
    except FileRefused:
        archive.close()
        raise
    except Exception as error:  # a broken part: KeyError, ParseError, BadZipFile...
        archive.close()
        raise FileRefused(f"The file must be {kind} that opens: it may be damaged") from error
    epoch = CALENDAR_MAC_1904 if parts["date1904"] else CALENDAR_WINDOWS_1900

    def rows():
        # The sheet is parsed here rather than by openpyxl (whose cell parser takes about a
        # millisecond an inline string): each row comes with its number and only the cells
        # it really has, so nothing pads a row to the sheet's width or fills a gap of a
        # million empty rows, and the stream stops at the first row past a cap.
        try:
            with _xml_part(archive, path, kind, limits.zip.max_member) as source:
                for number, cells in _sheet_cells(source, strings, dates, durations, epoch):
                    if not cells:
                        continue
                    if number > limits.max_rows + 1:
                        raise _too_many_rows(limits)
                    width = max(column for column, _value in cells)
                    if width > limits.max_columns:
                        raise _too_many_columns(limits)
                    values = [None] * width
                    for column, value in cells:
                        values[column - 1] = value
                    yield number, values
        except FileRefused:
            raise
        except Exception as error:  # a broken sheet: ParseError, IndexError, ValueError...
            raise FileRefused(f"The file must be {kind} that opens: it may be damaged") from error
        finally:
            archive.close()

    return rows()


# --- Documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentLimits:
    max_pages: int = 2_000
    max_pixels: int = 50_000_000
    zip: ZipLimits = ZipLimits()


OFFICE_PARTS = {
    ".docx": ("word/document.xml", "a Word (DOCX) document", "wordprocessingml"),
    ".xlsx": ("xl/workbook.xml", "an Excel (XLSX) workbook", "spreadsheetml"),
    ".pptx": ("ppt/presentation.xml", "a PowerPoint (PPTX) presentation", "presentationml"),
}
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}


def document_check(file, *, extension: str, size: int, limits: DocumentLimits) -> None:
    """Refuse (FileRefused) a document whose whole structure is not what its name says.

    `extension` is the file name's, lower case, with its dot. Types with no check here
    (CSV, plain text) pass: their reader checks them."""
    if extension == ".pdf":
        pdf_check(file, limits=limits)
    elif extension in OFFICE_PARTS:
        office_check(file, extension=extension, size=size, limits=limits.zip)
    elif extension in IMAGE_FORMATS:
        image_check(file, extension=extension, limits=limits)
    file.seek(0)


def pdf_check(file, *, limits: DocumentLimits) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    kind = "a PDF"
    file.seek(0)
    if not file.read(1024).lstrip().startswith(b"%PDF-"):
        raise FileRefused(f"The file must be {kind}")
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            raise FileRefused(
                "The PDF is password-protected: remove the password and upload it again"
            )
        # The trailer must lead to a catalogue and a page tree, as a reader's viewer needs.
        reader.trailer["/Root"]["/Pages"]
        pages = len(reader.pages)
    except FileRefused:
        raise
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, IndexError) as error:
        raise FileRefused(
            f"The file must be {kind} that opens: it may be damaged or password-protected"
        ) from error
    except RecursionError as error:
        raise FileRefused(
            f"The file must be {kind} that opens: it may be damaged or password-protected"
        ) from error
    except Exception as error:  # pypdf raises a wide range for hostile input
        raise FileRefused(
            f"The file must be {kind} that opens: it may be damaged or password-protected"
        ) from error
    if pages == 0:
        raise FileRefused("The PDF has no pages")
    if pages > limits.max_pages:
        raise FileRefused(
            f"The PDF has more than {limits.max_pages:,} pages: split it and upload the parts"
        )


def office_check(file, *, extension: str, size: int, limits: ZipLimits) -> None:
    main, kind, family = OFFICE_PARTS[extension]
    archive = zip_open(file, size=size, limits=limits, kind=kind)
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or main not in names:
        raise FileRefused(f"The file must be {kind}: save it as {extension.lstrip('.').upper()}")
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > MB:
        raise FileRefused(f"The file must be {kind} that opens: it may be damaged")
    try:
        types = archive.read(info)
    except Exception as error:  # BadZipFile, zlib.error...
        raise FileRefused(f"The file must be {kind} that opens: it may be damaged") from error
    # Office Open XML allows no document type declaration (so no entities to expand); the
    # main part's content type names the family ("wordprocessingml" for a DOCX).
    if b"<!DOCTYPE" in types or b"<!ENTITY" in types or not types.lstrip().startswith(b"<"):
        raise FileRefused(f"The file must be {kind} that opens: it may be damaged")
    if f"openxmlformats-officedocument.{family}.".encode() not in types:
        raise FileRefused(f"The file must be {kind}: save it as {extension.lstrip('.').upper()}")
    zip_read_all(archive, limits=limits, kind=kind)


def image_check(file, *, extension: str, limits: DocumentLimits) -> None:
    from PIL import Image, UnidentifiedImageError

    expected = IMAGE_FORMATS[extension]
    kind = f"a {expected} image" if expected != "JPEG" else "a JPEG image"
    file.seek(0)
    try:
        with Image.open(file) as image:
            if image.format != expected:
                raise FileRefused(f"The file must be {kind}")
            width, height = image.size
            if width * height > limits.max_pixels:
                raise FileRefused(f"The image is too large: {width:,} by {height:,} pixels")
            image.verify()
    except FileRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise FileRefused(f"The file must be {kind} that opens: it may be damaged") from error
    except Image.DecompressionBombError as error:
        raise FileRefused("The image is too large") from error


# --- Temporary files --------------------------------------------------------------------------


def stale_files_remove(
    directory: Path | str, *, older_than: dt.timedelta, now: float | None = None
) -> int:
    """Delete the plain files directly in `directory` not changed for `older_than` (what a
    worker killed mid-upload leaves behind). Returns how many went; a missing directory is
    none. Links and subdirectories are left alone."""
    now = time.time() if now is None else now
    cutoff = now - older_than.total_seconds()
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return 0
    for entry in entries:
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:
            continue  # another process cleaned it first
    return removed


__all__ = [
    "MB",
    "DocumentLimits",
    "FileRefused",
    "TableLimits",
    "ZipLimits",
    "document_check",
    "stale_files_remove",
    "table_rows",
    "zip_open",
]
