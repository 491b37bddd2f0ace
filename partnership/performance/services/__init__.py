"""What the performance framework does: figures in, checked whole, saved as versions; and
the numbers out (snapshots, RAG ratings, changes, key points).

Every write to a return, and every read of a return's detail, is put on the audit trail in
the same transaction (invariant 3). Batches (a form, a spreadsheet, an API call) are checked
whole and saved all or nothing, with each error's row and column (invariant 4).

One module a section: `ratings` (RAG), `changes` (changes and key points), `periods`,
`snapshots`, `checking` (a batch), `saving` (versions of a return), `report` (the key-points
report), `library` (the library, the settings and the chasers), `api` (the idempotent
submission); `_shared` holds what several use. Callers import from here.
"""

from ..models import Frequency as Frequency
from ._shared import HUNDRED as HUNDRED
from ._shared import TEN_THOUSAND as TEN_THOUSAND
from .api import IdempotencyConflict as IdempotencyConflict
from .api import payload_hash as payload_hash
from .api import submit_via_api as submit_via_api
from .changes import Change as Change
from .changes import change_between as change_between
from .changes import key_point as key_point
from .checking import BatchResult as BatchResult
from .checking import CheckedRow as CheckedRow
from .checking import RowError as RowError
from .checking import check_batch as check_batch
from .checking import return_indicators as return_indicators
from .library import FIXED_ONCE_REPORTED as FIXED_ONCE_REPORTED
from .library import INDICATOR_FIELDS as INDICATOR_FIELDS
from .library import RESERVED_CODES as RESERVED_CODES
from .library import VERSION_FIELDS as VERSION_FIELDS
from .library import add_chaser as add_chaser
from .library import add_indicator as add_indicator
from .library import change_definition as change_definition
from .library import change_indicator as change_indicator
from .library import change_settings as change_settings
from .library import has_figures as has_figures
from .library import open_periods as open_periods
from .library import remove_chaser as remove_chaser
from .periods import periods_by_key as periods_by_key
from .periods import previous_start as previous_start
from .periods import shift_months as shift_months
from .ratings import RAG_LABELS as RAG_LABELS
from .ratings import rag as rag
from .report import key_points_attach as key_points_attach
from .report import report_comment_add as report_comment_add
from .report import report_record_export as report_record_export
from .saving import CorrectionNeedsReason as CorrectionNeedsReason
from .saving import get_return as get_return
from .saving import mark_late as mark_late
from .saving import needs_reason as needs_reason
from .saving import record_return_read as record_return_read
from .saving import return_template_record_download as return_template_record_download
from .saving import save_return as save_return
from .saving import submit_return as submit_return
from .saving import validate_return as validate_return
from .snapshots import Snapshot as Snapshot
from .snapshots import counted_points as counted_points
from .snapshots import indicator_snapshots as indicator_snapshots

__all__ = [
    "Frequency",
    "Snapshot",
    "indicator_snapshots",
    "rag",
]
