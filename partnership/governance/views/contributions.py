"""The partners' funding contributions."""

from django.db.models import Sum
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted

from .. import services
from ..forms import (
    FundingForm,
    YearForm,
)
from ..models import (
    FundingContribution,
    financial_year_of,
)


@permission_required("governance.view_funding")
def funding(request):
    years = list(
        FundingContribution.objects.order_by("-financial_year")
        .values_list("financial_year", flat=True)
        .distinct()
    )
    this_year = financial_year_of(timezone.localdate())
    form = YearForm(request.GET or None, years=years or [this_year])
    year = (form.cleaned_data["year"] if form.is_valid() else None) or (
        years[0] if years else this_year
    )
    contributions = list(
        FundingContribution.objects.filter(financial_year=year)
        .select_related("organisation")
        .order_by("organisation__kind", "organisation__name")
    )
    totals = FundingContribution.objects.filter(financial_year=year).aggregate(
        agreed=Sum("agreed_amount"), received=Sum("received_amount")
    )
    by_year = list(
        FundingContribution.objects.values("financial_year")
        .annotate(agreed=Sum("agreed_amount"), received=Sum("received_amount"))
        .order_by("-financial_year")
    )
    return render(
        request,
        "governance/funding.html",
        {
            "form": form,
            "year": year,
            "contributions": contributions,
            "totals": totals,
            "by_year": by_year,
        },
    )


@permission_required("governance.change_funding")
def funding_create(request):
    form = FundingForm(posted(request))
    return form_page(
        request,
        form,
        template="governance/funding_form.html",
        on_valid=lambda data: services.funding_save(
            contribution=form.instance, actor=actor_for(request)
        ),
        success=lambda contribution: f"The contribution from {contribution.organisation} is saved",
        next_url=lambda contribution: f"{_funding_url()}?year={contribution.financial_year}",
    )


def _contribution(request, pk, **kwargs):
    return get_object_or_404(FundingContribution.objects.select_related("organisation"), pk=pk)


@permission_required("governance.change_funding", fn=_contribution)
def funding_edit(request, pk, obj):
    form = FundingForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="governance/funding_form.html",
        on_valid=lambda data: services.funding_save(
            contribution=form.instance, actor=actor_for(request)
        ),
        success="Your changes have been saved",
        next_url=lambda contribution: f"{_funding_url()}?year={contribution.financial_year}",
        context={"contribution": obj},
    )


def _funding_url() -> str:
    return reverse("governance:funding")
