"""The governance pages, one module per section: groups, meetings (agendas, papers, packs),
minutes (attendance, minutes, actions raised, declarations on items), actions (the action
log), members (and the register of interests), letters, contributions (funding) and feeds
(the private calendar). Re-exported here for urls.py."""

from .actions import action_detail as action_detail
from .actions import action_list as action_list
from .actions import action_update as action_update
from .contributions import funding as funding
from .contributions import funding_create as funding_create
from .contributions import funding_edit as funding_edit
from .feeds import calendar as calendar
from .feeds import calendar_feed as calendar_feed
from .feeds import feed_meetings as feed_meetings
from .groups import attendance_report as attendance_report
from .groups import cadence_list as cadence_list
from .groups import group_attendance_view as group_attendance_view
from .groups import group_create as group_create
from .groups import group_detail as group_detail
from .groups import group_edit as group_edit
from .groups import group_list as group_list
from .groups import group_members as group_members
from .groups import membership_create as membership_create
from .groups import membership_end as membership_end
from .letters import letter_create as letter_create
from .letters import letter_detail as letter_detail
from .letters import letter_download as letter_download
from .letters import letter_list as letter_list
from .letters import letter_mark_sent as letter_mark_sent
from .meetings import agenda_order as agenda_order
from .meetings import item_create as item_create
from .meetings import item_edit as item_edit
from .meetings import item_remove as item_remove
from .meetings import meeting_cancel as meeting_cancel
from .meetings import meeting_create as meeting_create
from .meetings import meeting_detail as meeting_detail
from .meetings import meeting_edit as meeting_edit
from .meetings import meeting_ics as meeting_ics
from .meetings import meeting_list as meeting_list
from .meetings import pack_download as pack_download
from .meetings import pack_send as pack_send
from .meetings import paper_download as paper_download
from .meetings import paper_remove as paper_remove
from .meetings import paper_upload as paper_upload
from .members import interest_create as interest_create
from .members import interest_end as interest_end
from .members import interest_register as interest_register
from .members import member_detail as member_detail
from .minutes import action_create as action_create
from .minutes import attendance_record as attendance_record
from .minutes import item_declaration_create as item_declaration_create
from .minutes import minutes_approve as minutes_approve
from .minutes import minutes_detail as minutes_detail
from .minutes import minutes_edit as minutes_edit
