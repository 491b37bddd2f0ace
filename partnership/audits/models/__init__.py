"""The audits module's models, one module per part: each part's models are imported here so
that Django finds them under the `audits` app."""

from ..cases import models as cases_models  # noqa: F401 (the case audits)
