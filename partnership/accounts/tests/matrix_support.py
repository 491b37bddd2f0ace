"""Helpers for the permission matrix: each app lists its URLs in `<app>/tests/matrix.py`.

A row is `url name: (method, kwargs, {persona: expected})`, where expected is a status code or
SIGN_IN (a redirect to the sign-in page). `kwargs` may be a callable taking the personas and
returning the URL's keyword arguments, for URLs that need a record made first.
"""

from partnership.conftest import PERSONA_KEYS

ANONYMOUS = "anonymous"
EVERYONE = (ANONYMOUS, *PERSONA_KEYS)
SIGNED_IN = tuple(PERSONA_KEYS)
STAFF = ("business_unit", "independent_chair", "partner_lead", "group_member", "data_submitter")
SIGN_IN = "sign-in"  # a redirect to the sign-in page


def only(allowed, code=200, others=403):
    """`code` for the personas in `allowed`, `others` for the rest, and anonymous to sign in."""
    return {
        key: (code if key in allowed else others) if key != ANONYMOUS else SIGN_IN
        for key in EVERYONE
    }


def everyone(code=200):
    return dict.fromkeys(EVERYONE, code)


def signed_in(code=200):
    return {key: SIGN_IN if key == ANONYMOUS else code for key in EVERYONE}
