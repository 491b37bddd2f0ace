"""The audits module's demo data: each part's."""

from partnership.audits.cases import demo as cases
from partnership.audits.selfassessment import demo as selfassessment


def build(organisations, users):
    selfassessment.build(organisations, users)
    cases.build(organisations, users)
