"""Every write to a review: keyword-only functions, one transaction each, the audit entry inside.

A function that refuses raises `django.core.exceptions.ValidationError`, keyed by the form
field it is about where there is one, before it has written anything (and the transaction
undoes anything it had), so the page shows a GOV.UK error and nothing is saved half-way.

Each function that changes a date a clock depends on ends with `_after_change(review)`, which
computes the review's open clocks again and brings its `Deadline` rows up to date.

One module per section: common (shared helpers), clocks, incidents, rapid, local, documents,
publication, recommendations, access, sweep; this package re-exports every name, so callers
write `services.incident_notify(...)` as before.
"""

from django.core.exceptions import ValidationError as ValidationError

# Calendar feed ----------------------------------------------------------------------------
# Issued by accounts: one private address serves every module's feed (re-exported).
from partnership.accounts.services import calendar_token_hash as calendar_token_hash
from partnership.accounts.services import calendar_token_issue as calendar_token_issue

from ..models import today as today
from .access import access_grant as access_grant
from .access import access_revoke as access_revoke
from .access import review_viewed as review_viewed
from .access import theme_save as theme_save
from .clocks import RAPID_REVIEW_STEPS as RAPID_REVIEW_STEPS
from .clocks import RULES_FIELDS as RULES_FIELDS
from .clocks import _after_change as _after_change
from .clocks import _recompute_clocks as _recompute_clocks
from .clocks import _sync_notifications as _sync_notifications
from .clocks import local_review_set_clock as local_review_set_clock
from .clocks import notification_due as notification_due
from .clocks import rapid_review_set_clock as rapid_review_set_clock
from .clocks import rapid_review_start as rapid_review_start
from .clocks import rapid_review_steps_done as rapid_review_steps_done
from .clocks import rules_update as rules_update
from .common import DECISION_LOCAL_KIND as DECISION_LOCAL_KIND
from .common import DECISION_STATUS as DECISION_STATUS
from .common import _audit as _audit
from .common import _not_before as _not_before
from .common import _not_in_future as _not_in_future
from .common import sentence_case as sentence_case
from .documents import document_opened as document_opened
from .documents import document_upload as document_upload
from .incidents import CARE_LEAVER_MINIMUM_AGE as CARE_LEAVER_MINIMUM_AGE
from .incidents import INCIDENT_FIELDS as INCIDENT_FIELDS
from .incidents import _check_care_leaver as _check_care_leaver
from .incidents import _check_incident_dates as _check_incident_dates
from .incidents import _incident_snapshot as _incident_snapshot
from .incidents import _next_reference as _next_reference
from .incidents import _open_rapid_review_if_needed as _open_rapid_review_if_needed
from .incidents import incident_notify as incident_notify
from .incidents import incident_save as incident_save
from .incidents import notification_record_sent as notification_record_sent
from .incidents import review_update as review_update
from .local import _grant as _grant
from .local import agency_request_add as agency_request_add
from .local import agency_request_receive as agency_request_receive
from .local import declaration_appeal as declaration_appeal
from .local import declaration_decide_appeal as declaration_decide_appeal
from .local import declaration_recommend as declaration_recommend
from .local import declaration_record as declaration_record
from .local import local_review_record_informed as local_review_record_informed
from .local import (
    local_review_record_pre_publication_notice as local_review_record_pre_publication_notice,
)
from .local import local_review_update_terms as local_review_update_terms
from .local import monitoring_record as monitoring_record
from .local import panel_member_add as panel_member_add
from .local import practitioner_event_add as practitioner_event_add
from .local import reviewer_commission as reviewer_commission
from .local import reviewer_commission_inviting as reviewer_commission_inviting
from .participation import agency_request_submit as agency_request_submit
from .participation import agency_request_viewed as agency_request_viewed
from .participation import agency_summary_submit as agency_summary_submit
from .participation import agency_summary_viewed as agency_summary_viewed
from .participation import delegated_partner_set as delegated_partner_set
from .participation import may_sign_for as may_sign_for
from .participation import partner_signed_for_by as partner_signed_for_by
from .participation import rapid_review_report_generate as rapid_review_report_generate
from .participation import rapid_review_report_save as rapid_review_report_save
from .participation import report_from_record as report_from_record
from .participation import signers_for as signers_for
from .publication import PUBLICATION_FIELDS as PUBLICATION_FIELDS
from .publication import _unique_publication_slug as _unique_publication_slug
from .publication import publication_preview as publication_preview
from .publication import publication_problems as publication_problems
from .publication import publication_publish as publication_publish
from .publication import publication_save as publication_save
from .publication import publication_withdraw as publication_withdraw
from .rapid import _open_rapid_review as _open_rapid_review
from .rapid import agency_summary_receive as agency_summary_receive
from .rapid import partners as partners
from .rapid import rapid_review_decide as rapid_review_decide
from .rapid import rapid_review_record_letters as rapid_review_record_letters
from .rapid import rapid_review_record_meeting as rapid_review_record_meeting
from .rapid import rapid_review_record_panel_response as rapid_review_record_panel_response
from .rapid import rapid_review_send_to_panel as rapid_review_send_to_panel
from .rapid import rapid_review_sign_off as rapid_review_sign_off
from .recommendations import _refresh_recommendation_status as _refresh_recommendation_status
from .recommendations import action_save as action_save
from .recommendations import action_sign_off as action_sign_off
from .recommendations import action_submit_evidence as action_submit_evidence
from .recommendations import learning_product_save as learning_product_save
from .recommendations import recommendation_save as recommendation_save
from .sweep import deadline_reminder_record as deadline_reminder_record
