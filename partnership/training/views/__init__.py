"""Training's pages, one module per section; urls.py imports them from here.

portal (the public catalogue and booking), bookings (people's own), feedback (evaluation
and impact by private link), registration, manage (the training team), needs (the needs
analysis), plan, reporting; shared helpers in common.
"""

from .bookings import (
    booking_accept,
    booking_calendar_download,
    booking_cancel,
    booking_detail,
    certificate,
    my_bookings,
)
from .feedback import (
    evaluation,
    impact,
)
from .manage import (
    attendance,
    booking_cancel_for,
    course_create,
    course_edit,
    manage,
    manage_courses,
    manage_session,
    rules_edit,
    session_cancel,
    session_create,
    session_edit,
    session_export,
    trainer_create,
    trainer_edit,
    trainers,
)
from .needs import (
    needs_line_remove,
    needs_respond,
    survey_create,
    survey_detail,
    survey_edit,
    surveys,
)
from .plan import (
    plan_create,
    plan_detail,
    plan_edit,
    plan_entry_create,
    plan_entry_edit,
    plan_from_needs,
    plans,
)
from .portal import (
    book,
    course_detail,
    course_list,
    portal,
    session_detail,
)
from .registration import (
    register,
    register_confirm,
    register_sent,
)
from .reporting import (
    report,
    report_csv,
    report_xlsx,
)

__all__ = [
    "book",
    "course_detail",
    "course_list",
    "portal",
    "session_detail",
    "booking_accept",
    "booking_calendar_download",
    "booking_cancel",
    "booking_detail",
    "certificate",
    "my_bookings",
    "evaluation",
    "impact",
    "register",
    "register_confirm",
    "register_sent",
    "attendance",
    "booking_cancel_for",
    "course_create",
    "course_edit",
    "manage",
    "manage_courses",
    "manage_session",
    "rules_edit",
    "session_cancel",
    "session_create",
    "session_edit",
    "session_export",
    "trainer_create",
    "trainer_edit",
    "trainers",
    "needs_line_remove",
    "needs_respond",
    "survey_create",
    "survey_detail",
    "survey_edit",
    "surveys",
    "plan_create",
    "plan_detail",
    "plan_edit",
    "plan_entry_create",
    "plan_entry_edit",
    "plan_from_needs",
    "plans",
    "report",
    "report_csv",
    "report_xlsx",
]
