"""Who may reach every URL: one row per URL, one column per persona.

Each app lists its URLs in `<app>/tests/matrix.py` (ROWS). Every URL in the project must
appear in one of them (a test fails on any that does not), so no page can be added without
deciding who may see it.
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .matrix_support import ANONYMOUS, EVERYONE, SIGN_IN


def collect_rows() -> dict:
    rows: dict = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("partnership."):
            continue
        try:
            module = import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError:
            continue
        duplicated = set(rows) & set(module.ROWS)
        assert not duplicated, f"URLs listed twice in the matrix: {duplicated}"
        rows.update(module.ROWS)
    return rows


MATRIX = collect_rows()


def all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def test_every_url_is_in_the_matrix():
    names = {name for name, _ in all_url_names()}
    missing = sorted(names - set(MATRIX))
    assert not missing, f"Add these URLs to the permission matrix: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"The matrix lists URLs that no longer exist: {stale}"


def test_every_view_declares_who_may_reach_it():
    undeclared = []
    for name, pattern in all_url_names():
        if name.startswith("api:"):
            continue  # The API's routers authenticate every operation with an agency token.
        view = pattern.callback
        if not (getattr(view, "permission", None) or getattr(view, "public", False)):
            undeclared.append(name)
    assert not undeclared, f"Views with no permission_required or public: {undeclared}"


def _url(name, kwargs, personas):
    if callable(kwargs):
        kwargs = kwargs(personas)
    return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("persona", EVERYONE)
def test_permission_matrix(persona, client_as, personas):
    client = client_as(None if persona == ANONYMOUS else persona)
    wrong = []
    for name, (method, kwargs, expected_by_persona) in MATRIX.items():
        expected = expected_by_persona[persona]
        url = _url(name, kwargs, personas)
        response = getattr(client, method)(url)
        if expected == SIGN_IN:
            ok = response.status_code == 302 and response["Location"].startswith(
                "/account/sign-in/"
            )
        else:
            ok = response.status_code == expected
        if not ok:
            where = response.get("Location", "")
            wrong.append(f"{name} ({url}): expected {expected}, got {response.status_code} {where}")
        if name == "accounts:sign-out" and persona != ANONYMOUS:
            client = client_as(persona)  # signed out by that request: sign in again
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)
