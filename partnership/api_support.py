"""Pieces every API router shares: error schemas and bounded pagination."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[dict]


# Every operation can answer these as well as its own success response.
ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class Pagination(LimitOffsetPagination):
    """limit/offset paging with bounds, so that absurd numbers get a 422, not a crash."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="How many items (1 to 500).")
        offset: int = Field(0, ge=0, le=2**31 - 1, description="How many items to skip.")
