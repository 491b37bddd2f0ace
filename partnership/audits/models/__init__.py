"""The audits module's models, one module per part: each part's models are imported here so
that Django finds them under the `audits` app."""

from partnership.audits.selfassessment.models import *  # noqa: F403
