from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from .models import Organisation, OrganisationKind

router = Router(tags=["Organisations"])


class ErrorOut(Schema):
    detail: str


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    slug: str
    kind: OrganisationKind
    parent_id: int | None
    website: str


@router.get("", response=list[OrganisationOut], summary="List the partnership's organisations")
@paginate(LimitOffsetPagination)
def list_organisations(request, kind: OrganisationKind | None = None):
    organisations = Organisation.objects.active().order_by("name")
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations


@router.get(
    "/{int:organisation_id}",
    response={200: OrganisationOut, 404: ErrorOut},
    summary="One organisation",
)
def get_organisation(request, organisation_id: int):
    return get_object_or_404(Organisation.objects.active(), pk=organisation_id)
