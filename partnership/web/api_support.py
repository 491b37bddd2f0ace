"""Pieces every API router shares: error schemas and bounded pagination."""

from ninja import Field, Header, Schema
from ninja.pagination import LimitOffsetPagination


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[dict]


# Every operation can answer these as well as its own success response.
ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def idempotency_key_header(what: str):
    """The optional `Idempotency-Key` header of an operation that makes `what`: printable
    ASCII, up to 100 characters. Repeating a request with the same key is safe."""
    return Header(
        "",
        alias="Idempotency-Key",
        max_length=100,
        pattern=r"^[\x21-\x7e]*$",
        description=f"Any string up to 100 characters, unique per request: a repeated request "
        f"with the same key returns the {what} made the first time.",
    )


class Pagination(LimitOffsetPagination):
    """limit/offset paging with bounds, so that absurd numbers get a 422, not a crash."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="How many items (1 to 500).")
        offset: int = Field(0, ge=0, le=2**31 - 1, description="How many items to skip.")
