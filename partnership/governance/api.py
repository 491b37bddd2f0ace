from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from .models import Group

router = Router(tags=["Groups"])


class ErrorOut(Schema):
    detail: str


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


@router.get("", response=list[GroupOut], summary="List the partnership's groups")
@paginate(LimitOffsetPagination)
def list_groups(request):
    return Group.objects.order_by("display_order", "name")


@router.get("/{slug}", response={200: GroupOut, 404: ErrorOut}, summary="One group")
def get_group(request, slug: str):
    return get_object_or_404(Group, slug=slug)
