from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema
from ninja.pagination import paginate

from partnership.web.api_support import ERRORS, Pagination

from .models import Organisation, OrganisationKind

router = Router(tags=["Organisations"])


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    slug: str
    kind: OrganisationKind
    parent_id: int | None
    website: str


@router.get(
    "",
    response={200: list[OrganisationOut], **ERRORS},
    summary="List the partnership's organisations",
)
@paginate(Pagination)
def list_organisations(request, kind: OrganisationKind | None = None):
    organisations = Organisation.objects.active().order_by("name")
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations


@router.get(
    "/{organisation_id}", response={200: OrganisationOut, **ERRORS}, summary="One organisation"
)
def get_organisation(request, organisation_id: int = Path(..., ge=-(2**31), le=2**31 - 1)):
    return get_object_or_404(Organisation.objects.active(), pk=organisation_id)
