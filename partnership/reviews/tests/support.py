"""Helpers for the reviews tests: what a user sees on a page."""

import datetime as dt
import html
import re

from django.core.files.storage import default_storage


def error_summary(response) -> list[str]:
    """The messages in the GOV.UK error summary."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "<title>Error:" in page, "the title does not start with Error:"
    match = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    assert match, "no error summary on the page"
    return [
        html.unescape(text).strip()
        for text in re.findall(r"<a [^>]*>(.*?)</a>", match.group(1), re.S)
    ]


def date_fields(name: str, value: dt.date | None) -> dict[str, str]:
    """A GOV.UK date input's three boxes."""
    if value is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def text(response) -> str:
    """The page's text, tags removed and whitespace collapsed."""
    page = response.content.decode()
    assert "no such element" not in page, "a template used a missing value"
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def stored_files() -> list[str]:
    """Every file in default storage (the tests point it at a temporary folder)."""
    found = []

    def walk(folder):
        folders, files = default_storage.listdir(folder)
        found.extend(f"{folder}/{name}".lstrip("/") for name in files)
        for sub in folders:
            walk(f"{folder}/{sub}".lstrip("/"))

    if default_storage.exists(""):
        walk("")
    return found
