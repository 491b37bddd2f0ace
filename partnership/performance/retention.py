"""Performance records on the retention schedule (see docs/guide/records.md).

Data returns hold agencies' aggregate figures, not people's details; they are kept for 6 years
after the period they report, long enough for the yearly reports to compare years.
"""

from partnership.lib.retention import RecordKind

from .models import ReportComment, ReturnVersion

PERFORMANCE = (
    "IRMS Local Government Retention Guidelines: performance monitoring information, 6 years "
    "after the period it reports."
)

RECORD_KINDS = [
    RecordKind(
        key="performance.datareturn",
        label="Data return (with its versions and figures)",
        model="performance.DataReturn",
        describe=lambda data_return: (
            f"Data return {data_return.pk} of organisation {data_return.organisation_id}, "
            f"period {data_return.period_id}"
        ),
        trigger="period__end",
        trigger_label="the end of the reporting period",
        default_months=72,
        source=PERFORMANCE,
    ),
    RecordKind(
        key="performance.reportcomment",
        label="Comment on a key-points report",
        model="performance.ReportComment",
        describe=lambda comment: (
            f"Report comment {comment.pk} on indicator {comment.indicator_id}, "
            f"period {comment.period_id}"
        ),
        trigger="period__end",
        trigger_label="the end of the reporting period",
        default_months=72,
        source=PERFORMANCE,
    ),
]


def subject_access(subject) -> list[tuple[str, list[dict]]]:
    user = subject.user
    if user is None:
        return []
    comments = [
        {
            "Indicator": comment.indicator.code,
            "Period": comment.period.label,
            "Comment": comment.body,
            "Written": comment.created_at,
        }
        for comment in ReportComment.objects.filter(author=user)
        .select_related("indicator", "period")
        .order_by("created_at")
    ]
    versions = [
        {
            "Organisation": version.data_return.organisation.name,
            "Period": version.data_return.period.label,
            "Version": version.number,
            "Reason": version.reason,
            "Made": version.created_at,
        }
        for version in ReturnVersion.objects.filter(created_by=user)
        .select_related("data_return__organisation", "data_return__period")
        .order_by("created_at")
    ]
    return [
        ("Comments on key-points reports", comments),
        ("Data return versions they submitted", versions),
    ]
