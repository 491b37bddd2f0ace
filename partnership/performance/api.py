"""Data returns through the API: an agency's system lists the indicators and periods, reads
its own return for a period and sends its figures.

A submission is checked whole and saved all or nothing; errors come back as 422 with each
error's row (the figure's position in the list, from 1) and column (the field). Send an
`Idempotency-Key` header: repeating a request with the same key and body returns the version
made the first time (200, not 201) and makes no new one; the same key with a different body
is a 409. A correction to a return already submitted needs a `reason`.
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from partnership.web.actors import actor_for
from partnership.web.api_support import ERRORS, ErrorOut, Pagination, idempotency_key_header

from . import services
from .models import (
    DataReturn,
    Frequency,
    Indicator,
    Polarity,
    ReportingPeriod,
    ReturnStatus,
    Unit,
)

router = Router(tags=["Performance"])

ID = Path(..., ge=1, le=2**31 - 1)
LIMIT = 1_000_000_000_000


class ConflictOut(Schema):
    detail: str
    code: str


SUBMIT_ERRORS = {**ERRORS, 400: ErrorOut, 409: ConflictOut}


class IndicatorOut(Schema):
    code: str
    name: str
    unit: Unit
    polarity: Polarity
    frequency: Frequency
    owner: str
    priority: str | None
    definition: str
    numerator: str
    denominator: str
    target: float | None


class PeriodOut(Schema):
    id: int
    frequency: Frequency
    label: str
    start: dt.date
    end: dt.date
    due_on: dt.date


class FigureOut(Schema):
    code: str
    numerator: float | None
    denominator: float | None
    value: float


class ReturnOut(Schema):
    period_id: int
    period: str
    organisation: str
    status: ReturnStatus
    version: int | None
    figures: list[FigureOut]


class FigureIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    numerator: float | None = Field(None, ge=-LIMIT, le=LIMIT, allow_inf_nan=False)
    denominator: float | None = Field(None, ge=-LIMIT, le=LIMIT, allow_inf_nan=False)
    value: float | None = Field(None, ge=-LIMIT, le=LIMIT, allow_inf_nan=False)


class ReturnIn(Schema):
    figures: list[FigureIn] = Field(..., min_length=1, max_length=1000)
    reason: str = Field("", max_length=500, description="Why: needed for a correction.")
    submit: bool = Field(True, description="Submit the return (false: save a draft).")


@router.get(
    "/indicators",
    response={200: list[IndicatorOut], **ERRORS},
    summary="List the indicators of the data set",
)
@paginate(Pagination)
def list_indicators(request):
    indicators = (
        Indicator.objects.select_related("owner", "priority")
        .prefetch_related("versions")
        .order_by("sort_order", "code")
    )
    return [_indicator_out(i) for i in indicators]


def _indicator_out(indicator):
    version = indicator.current_version
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "polarity": indicator.polarity,
        "frequency": indicator.frequency,
        "owner": indicator.owner.name,
        "priority": indicator.priority.name if indicator.priority else None,
        "definition": version.definition if version else "",
        "numerator": version.numerator if version else "",
        "denominator": version.denominator if version else "",
        "target": float(version.target) if version and version.target is not None else None,
    }


@router.get(
    "/periods",
    response={200: list[PeriodOut], **ERRORS},
    summary="List the reporting periods, latest first",
)
@paginate(Pagination)
def list_periods(request, frequency: Frequency | None = None):
    periods = ReportingPeriod.objects.order_by("-start", "frequency")
    if frequency:
        periods = periods.filter(frequency=frequency)
    return periods


def _return_out(period, organisation):
    data_return = DataReturn.objects.filter(organisation=organisation, period=period).first()
    figures, version = [], None
    if data_return is not None:
        current = data_return.versions.filter(is_current=True).first()
        if current is not None:
            version = current.number
            figures = [
                {
                    "code": p.indicator.code,
                    "numerator": p.numerator,
                    "denominator": p.denominator,
                    "value": p.value,
                }
                for p in current.points.select_related("indicator").order_by("indicator__code")
            ]
    return {
        "period_id": period.pk,
        "period": period.label,
        "organisation": organisation.name,
        "status": data_return.status if data_return else ReturnStatus.NOT_STARTED,
        "version": version,
        "figures": figures,
    }


@router.get(
    "/periods/{period_id}/return",
    response={200: ReturnOut, **ERRORS},
    summary="Your organisation's return for a period",
)
def get_return(request, period_id: int = ID):
    period = get_object_or_404(ReportingPeriod, pk=period_id)
    data_return = DataReturn.objects.filter(organisation=request.agency, period=period).first()
    if data_return is not None:
        services.record_return_read(data_return, actor=actor_for(request))
    return _return_out(period, request.agency)


@router.post(
    "/periods/{period_id}/return",
    response={200: ReturnOut, 201: ReturnOut, **SUBMIT_ERRORS},
    summary="Send your organisation's figures for a period",
)
def submit_return(
    request,
    payload: ReturnIn,
    period_id: int = ID,
    idempotency_key: str = idempotency_key_header("version"),
):
    period = get_object_or_404(ReportingPeriod, pk=period_id)
    rows = [figure.dict() for figure in payload.figures]
    try:
        version, errors, replayed = services.submit_via_api(
            period,
            rows,
            actor=actor_for(request),
            key=idempotency_key,
            reason=payload.reason,
            submit=payload.submit,
        )
    except services.IdempotencyConflict as error:
        return Status(409, {"detail": str(error), "code": "idempotency_key_reused"})
    except services.CorrectionNeedsReason as error:
        return Status(409, {"detail": str(error), "code": "reason_needed"})
    if errors:
        return Status(
            422,
            {
                "detail": "The figures have errors: nothing was saved",
                "errors": [
                    {"row": e.row, "column": e.column, "message": e.message} for e in errors
                ],
            },
        )
    del version
    return Status(200 if replayed else 201, _return_out(period, request.agency))
