"""Hostile uploads, made quickly for the tests: the files of the attack in issue 14.

- `zip_bomb(...)`: a genuine zip bomb (a member of gigabytes of zeros in a file of a
  megabyte or two) built without ever holding the zeros: deflate blocks of a megabyte of
  zeros, each fully flushed, are identical, so the member is one block repeated; its
  checksum is worked out from the block's (a CRC-32 over a repeated block is an affine map
  over GF(2), raised to a power by squaring).
- `xlsx_with_sheet(...)`: a real workbook whose first sheet is the XML given, for sheets of a
  million rows, sheets that declare a million rows, or rows a thousand columns wide.
- `pdf_header_then_random()`: random bytes behind a `%PDF-` header.
"""

import io
import random
import struct
import zipfile
import zlib

from openpyxl import Workbook

from partnership.governance.samples import simple_docx

MB = 1024 * 1024
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _apply(columns: list[int], value: int) -> int:
    result = 0
    for bit, column in enumerate(columns):
        if value >> bit & 1:
            result ^= column
    return result


def _crc_of_repeats(chunk: bytes, times: int) -> int:
    """zlib.crc32(chunk * times), without making chunk * times."""
    base = zlib.crc32(chunk, 0)
    # crc32(chunk, c) = A·c ⊕ base: the map as (A's columns, base).
    step = ([zlib.crc32(chunk, 1 << bit) ^ base for bit in range(32)], base)
    total = ([1 << bit for bit in range(32)], 0)  # the identity
    while times:
        if times & 1:  # total = step ∘ total
            total = ([_apply(step[0], c) for c in total[0]], _apply(step[0], total[1]) ^ step[1])
        step = ([_apply(step[0], c) for c in step[0]], _apply(step[0], step[1]) ^ step[1])
        times >>= 1
    return _apply(total[0], 0) ^ total[1]


def _zip(members: list[tuple[str, int, int, bytes]]) -> bytes:
    """A zip of (name, crc, uncompressed size, raw deflate data) members, written by hand
    (zipfile cannot take data already compressed)."""
    out = io.BytesIO()
    central = []
    for name, crc, size, data in members:
        offset = out.tell()
        encoded = name.encode()
        header = struct.pack(
            "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
        )
        out.write(header + encoded + data)
        central.append(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(
        struct.pack(
            "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), start, 0
        )
    )
    return out.getvalue()


def _deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def zip_bomb(base: bytes, *, member: str, megabytes: int) -> bytes:
    """`base` (a real DOCX or XLSX) with one more member of `megabytes` MB of zeros."""
    members = []
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        for info in source.infolist():
            data = source.read(info)
            members.append((info.filename, zlib.crc32(data), len(data), _deflated(data)))
    zeros = bytes(MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()
    members.append(
        (member, _crc_of_repeats(zeros, megabytes), megabytes * MB, block * megabytes + tail)
    )
    return _zip(members)


def docx_bomb(gigabytes: int = 2) -> bytes:
    """A DOCX holding `gigabytes` GB of zeros as a picture: about 1MB a gigabyte."""
    return zip_bomb(
        simple_docx("Board report", ["Attached."]),
        member="word/media/image1.png",
        megabytes=gigabytes * 1024,
    )


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_bomb(megabytes: int = 1024) -> bytes:
    return zip_bomb(
        xlsx([["Code", "Value"], ["DA03", 1]]), member="xl/media/image1.png", megabytes=megabytes
    )


def xlsx_with_parts(parts: dict[str, bytes]) -> bytes:
    """A real workbook (headings Code, Value) with `parts` replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([["Code", "Value"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name in source.namelist():
            book.writestr(name, parts.get(name) or source.read(name))
        for name in parts.keys() - set(source.namelist()):
            book.writestr(name, parts[name])
    return out.getvalue()


def xlsx_with_shared_strings(strings_xml: bytes) -> bytes:
    """A workbook whose sheet's first cell is shared string 0 of `strings_xml` (openpyxl
    writes text inline, so the part, its relationship and content type are added here)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([["Code", "Value"]])))
    relation = (
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rId9"/></Relationships>'
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxml'
        b'formats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    return xlsx_with_parts(
        {
            "xl/sharedStrings.xml": strings_xml,
            "xl/_rels/workbook.xml.rels": source.read("xl/_rels/workbook.xml.rels").replace(
                b"</Relationships>", relation
            ),
            "[Content_Types].xml": source.read("[Content_Types].xml").replace(
                b"</Types>", override
            ),
            "xl/worksheets/sheet1.xml": sheet(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        }
    )


def xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet is `sheet_xml`."""
    return xlsx_with_parts({"xl/worksheets/sheet1.xml": sheet_xml})


def sheet(body: bytes, dimension: str | None = None) -> bytes:
    declared = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return SHEET_HEAD + declared + b"<sheetData>" + body + b"</sheetData></worksheet>"


def heading_row() -> bytes:
    return (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Code</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>Value</t></is></c></row>'
    )


def million_row_xlsx() -> bytes:
    """A workbook of a million rows in about 70KB (each row one number, declared A1:B1000000)."""
    rows = b"<row><c><v>1</v></c></row>" * 999_999
    return xlsx_with_sheet(sheet(heading_row() + rows, dimension="A1:B1000000"))


def numbered_rows(count: int, start: int = 2) -> bytes:
    return b"".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>DA03</t></is></c>'
        f'<c r="B{n}"><v>{n}</v></c></row>'.encode()
        for n in range(start, start + count)
    )


def pdf_header_then_random(size: int = 200_000) -> bytes:
    return b"%PDF-1.7\n" + random.Random(14).randbytes(size)
