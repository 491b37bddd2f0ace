"""Writes to the governance records, each in one transaction with its audit entry.

Views call these; they hold the business rules. Every function is keyword-only, takes the
`actor` (partnership.trail.actors.Actor) and never a request, and every status (a meeting's,
its minutes', an action's, a letter's) is moved only here. One module per section:
meetings, papers, minutes (attendance and minutes), actions, interests, letters, packs,
funding, cadence_flags, groups; this package re-exports them, so callers write
`services.meeting_schedule(...)`.
"""

# Issued by accounts: one private address serves every module's feed (re-exported).
from partnership.accounts.services import calendar_token_hash as calendar_token_hash
from partnership.accounts.services import calendar_token_issue as calendar_token_issue
from partnership.accounts.services import calendar_token_revoke as calendar_token_revoke

from ..attendance import meeting_register as meeting_register
from ..mail import pack_delivery as pack_delivery
from ..mail import pack_mark_sent as pack_mark_sent
from ..mail import pack_recipients as pack_recipients
from .actions import action_create as action_create
from .actions import action_create_inviting_owner as action_create_inviting_owner
from .actions import action_update as action_update
from .cadence_flags import cadence_problem as cadence_problem
from .cadence_flags import group_check_cadence as group_check_cadence
from .funding import FUNDING_FIELDS as FUNDING_FIELDS
from .funding import funding_save as funding_save
from .groups import GROUP_FIELDS as GROUP_FIELDS
from .groups import RESERVED_GROUP_SLUGS as RESERVED_GROUP_SLUGS
from .groups import accountability_problem as accountability_problem
from .groups import group_save as group_save
from .groups import membership_add as membership_add
from .groups import membership_end as membership_end
from .interests import interest_declare as interest_declare
from .interests import interest_end as interest_end
from .interests import item_declaration_record as item_declaration_record
from .letters import attendance_letter_approve as attendance_letter_approve
from .letters import attendance_letter_draft as attendance_letter_draft
from .letters import attendance_letter_edit as attendance_letter_edit
from .letters import attendance_letter_mark_sent as attendance_letter_mark_sent
from .letters import attendance_letter_record_download as attendance_letter_record_download
from .letters import independent_chair_name as independent_chair_name
from .meetings import MEETING_FIELDS as MEETING_FIELDS
from .meetings import _check_theme as _check_theme
from .meetings import agenda_item_add as agenda_item_add
from .meetings import agenda_item_move as agenda_item_move
from .meetings import agenda_item_remove as agenda_item_remove
from .meetings import agenda_item_update as agenda_item_update
from .meetings import meeting_cancel as meeting_cancel
from .meetings import meeting_schedule as meeting_schedule
from .meetings import meeting_update as meeting_update
from .meetings import next_priority as next_priority
from .minutes import attendance_record as attendance_record
from .minutes import minutes_approve as minutes_approve
from .minutes import minutes_circulate as minutes_circulate
from .minutes import minutes_comment_add as minutes_comment_add
from .minutes import minutes_record_export as minutes_record_export
from .minutes import minutes_record_view as minutes_record_view
from .minutes import minutes_save as minutes_save
from .packs import pack_send as pack_send
from .papers import pack_record_download as pack_record_download
from .papers import paper_record_download as paper_record_download
from .papers import paper_remove as paper_remove
from .papers import paper_upload as paper_upload
