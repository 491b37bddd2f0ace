"""Who may do what with the audits: each part declares its rules in its own module, imported
here because django-rules autodiscovers only `<app>/rules.py`."""

from .cases import rules as cases_rules  # noqa: F401
