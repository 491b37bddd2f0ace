"""The audits module's demo data: each part's."""

from partnership.audits.selfassessment import demo as selfassessment


def build(organisations, users):
    selfassessment.build(organisations, users)
