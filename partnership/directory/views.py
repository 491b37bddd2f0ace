from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.forms import posted, show_refusal
from partnership.web.pagination import paginate

from . import services
from .forms import OrganisationFilterForm, OrganisationForm, RenameForm, TokenIssueForm
from .models import AgencyToken, FormerName, Organisation, Person


def _organisation(request, slug, **kwargs):
    return get_object_or_404(
        Organisation.objects.select_related("parent").prefetch_related("former_names"), slug=slug
    )


@permission_required("directory.view_organisation")
def organisation_list(request):
    filters = OrganisationFilterForm(request.GET or None)
    # A correlated count, worked out only for the rows on the page (a join and GROUP BY
    # would count every person in the partnership on every page view).
    people = (
        Person.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(count=Func(F("pk"), function="COUNT"))
        .values("count")
    )
    organisations = (
        Organisation.objects.active()
        .select_related("parent")
        .annotate(people_count=Coalesce(Subquery(people), 0))
    )
    if filters.is_valid():
        if query := filters.cleaned_data["q"]:
            # A former name finds the organisation too: people still say "the CCG".
            formerly = FormerName.objects.filter(organisation=OuterRef("pk"), name__icontains=query)
            organisations = organisations.filter(Q(name__icontains=query) | Exists(formerly))
        if filters.cleaned_data["kind"]:
            organisations = organisations.filter(kind=filters.cleaned_data["kind"])
    page = paginate(request, organisations.order_by("kind", "name"))
    return render(request, "directory/organisation_list.html", {"page": page, "filters": filters})


@permission_required("directory.view_organisation", fn=_organisation)
def organisation_detail(request, slug, obj):
    people = (
        Person.objects.filter(organisation=obj)
        .select_related("user")
        .order_by("-is_chief_officer", "full_name")
    )
    page = paginate(request, people)
    children = obj.children.active().only("name", "slug")
    return render(
        request,
        "directory/organisation_detail.html",
        {"organisation": obj, "page": page, "children": children},
    )


@permission_required("directory.change_organisation")
def organisation_create(request):
    form = OrganisationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_save(
            organisation=form.instance, actor=actor_for(request)
        )
        messages.success(request, f"{organisation.name} has been added")
        return redirect(organisation)
    return render(request, "directory/organisation_form.html", {"form": form})


@permission_required("directory.change_organisation", fn=_organisation)
def organisation_edit(request, slug, obj):
    form = OrganisationForm(posted(request), instance=obj)
    if request.method == "POST" and form.is_valid():
        services.organisation_save(organisation=form.instance, actor=actor_for(request))
        messages.success(request, "Your changes have been saved")
        return redirect(obj)
    return render(request, "directory/organisation_form.html", {"form": form, "organisation": obj})


@permission_required("directory.change_organisation", fn=_organisation)
def organisation_rename(request, slug, obj):
    form = RenameForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            former = services.organisation_rename(
                organisation=obj,
                name=form.cleaned_data["name"],
                short_name=form.cleaned_data["short_name"],
                renamed_on=form.cleaned_data["renamed_on"],
                actor=actor_for(request),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"{former.name} is now {former.organisation.name}; records before the "
                "change keep the old name",
            )
            return redirect(obj)
    return render(
        request, "directory/organisation_rename.html", {"form": form, "organisation": obj}
    )


@permission_required("directory.manage_tokens")
def token_list(request):
    """API tokens, scoped: the business unit sees every agency's, others their own."""
    tokens = AgencyToken.objects.select_related("organisation", "created_by").order_by(
        "organisation__name", "-created_at"
    )
    if not request.user.has_role("business_unit"):
        tokens = tokens.filter(organisation_id=request.user.organisation_id)
    page = paginate(request, tokens)
    return render(request, "directory/token_list.html", {"page": page})


@permission_required("directory.manage_organisation_tokens", fn=_organisation)
def token_issue(request, slug, obj):
    form = TokenIssueForm(posted(request))
    if request.method == "POST" and form.is_valid():
        raw = services.token_issue(
            organisation=obj, name=form.cleaned_data["name"], actor=actor_for(request)
        )
        return render(request, "directory/token_issued.html", {"organisation": obj, "raw": raw})
    return render(request, "directory/token_form.html", {"form": form, "organisation": obj})


def _token(request, pk, **kwargs):
    token = get_object_or_404(AgencyToken.objects.select_related("organisation"), pk=pk)
    return token.organisation


@require_POST
@permission_required("directory.manage_organisation_tokens", fn=_token)
def token_revoke(request, pk, obj):
    token = get_object_or_404(AgencyToken.objects.usable(), pk=pk, organisation=obj)
    services.token_revoke(token=token, actor=actor_for(request))
    messages.success(request, f"The token {token.prefix}… has been revoked")
    return redirect("directory:tokens")
