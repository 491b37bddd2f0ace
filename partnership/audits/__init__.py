"""Multi-agency audits: case audits (`cases`) and section 11 / section 175 self-assessments
(`selfassessment`), their moderation, findings and action plans. "Audit" here always means a
multi-agency audit; the record of who did what is the trail (`partnership.trail`)."""
