from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema
from ninja.pagination import paginate

from partnership.web.api_support import ERRORS, Pagination

from .models import Group

router = Router(tags=["Groups"])


class GroupOut(Schema):
    id: int
    name: str
    slug: str
    purpose: str
    cadence: str
    aims: list[str]
    objectives: list[str]
    effectiveness_areas: list[str]
    accountable_to_id: int | None

    @staticmethod
    def resolve_aims(group):
        return group.aims_list

    @staticmethod
    def resolve_objectives(group):
        return group.objectives_list

    @staticmethod
    def resolve_effectiveness_areas(group):
        return group.effectiveness_areas_list


@router.get("", response={200: list[GroupOut], **ERRORS}, summary="List the partnership's groups")
@paginate(Pagination)
def list_groups(request):
    return Group.objects.order_by("display_order", "name")


@router.get("/{slug}", response={200: GroupOut, **ERRORS}, summary="One group")
def get_group(request, slug: str = Path(..., pattern=r"^[-a-z0-9]+$", max_length=80)):
    return get_object_or_404(Group, slug=slug)
