"""The audits module's models, one module per part: each part's models are imported here so
that Django finds them under the `audits` app."""

from partnership.audits.cases import models as cases_models  # noqa: F401 (the case audits)
from partnership.audits.selfassessment.models import *  # noqa: F403 (section 11 and 175)
