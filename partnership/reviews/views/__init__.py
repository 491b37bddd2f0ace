"""Case review pages. Every page about a review finds it through `Review.objects.visible_to`
(a review outside the user's scope is a 404) and writes an audit VIEW entry.

One module per section; the names urls.py uses are re-exported here."""

from .access import (  # noqa: F401
    access,
    access_remove,
    viewers,
)
from .calendar import (  # noqa: F401
    calendar,
    calendar_feed,
)
from .documents import (  # noqa: F401
    document_download,
    document_upload,
    documents,
)
from .lists import (  # noqa: F401
    action_list,
    care_leaver_create,
    deadline_dashboard,
    recurring_themes,
    review_create,
    review_list,
    rules_edit,
    theme_create,
    theme_edit,
    theme_list,
)
from .local import (  # noqa: F401
    commission,
    declaration_add,
    declaration_appeal,
    declaration_decide,
    declaration_recommend,
    event_add,
    informed,
    local_review,
    monitoring_add,
    panel_member_add,
    pre_publication,
    request_add,
    request_received,
    terms,
)
from .participation import (  # noqa: F401
    agency_letter,
    agency_local_request,
    agency_request,
    agency_requests,
    delegated_partner_set,
    delegated_partners,
    incident_notification,
    report,
    report_download,
    report_edit,
    report_generate,
)
from .publication import (  # noqa: F401
    publication_edit,
    publish,
    withdraw,
)
from .rapid import (  # noqa: F401
    decision,
    letters,
    meeting,
    panel_response,
    rapid_review,
    send_to_panel,
    sign_off,
    summary_add,
    summary_received,
)
from .recommendations import (  # noqa: F401
    action_add,
    action_detail,
    action_edit,
    action_sign_off,
    evidence,
    evidence_download,
    product_add,
    recommendation_add,
    recommendation_detail,
    recommendation_edit,
    recommendations,
)
from .review import (  # noqa: F401
    incident_create,
    incident_edit,
    notification_sent,
    review_detail,
    review_edit,
)
