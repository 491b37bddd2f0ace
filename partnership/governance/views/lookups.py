"""What several sections of the pages share: finding the group or meeting a page is about."""

import re

from django.shortcuts import get_object_or_404

from ..models import Group, Meeting

SLUG = re.compile(r"^[-a-z0-9]{1,80}$")


def _group_in_query(request):
    """The group named by ?group=<slug>, if it is one (anything else is ignored)."""
    slug = request.GET.get("group", "")
    return Group.objects.filter(slug=slug).first() if SLUG.match(slug) else None


def _group(request, slug, **kwargs):
    # Groups and their terms of reference are not confidential: the permission decides.
    return get_object_or_404(Group.objects.select_related("accountable_to"), slug=slug)


def _meeting(request, pk, **kwargs):
    return get_object_or_404(
        Meeting.objects.select_related("group", "priority", "priority__thematic_lead"), pk=pk
    )
