from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partnership.accounts import services as account_services
from partnership.accounts.decorators import permission_required
from partnership.accounts.models import RoleGrant
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted, show_refusal
from partnership.web.pagination import paginate

from . import onboarding, services
from .forms import (
    DeactivateForm,
    InviteForm,
    NewPersonInviteForm,
    OrganisationFilterForm,
    OrganisationForm,
    PeopleImportForm,
    PersonEndForm,
    PersonForm,
    RenameForm,
    RoleGrantForm,
    RoleHolderFilterForm,
    TokenIssueForm,
)
from .models import AgencyToken, FormerName, Organisation, PeopleImport, Person
from .tasks import people_import_task


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
        # Current people first; those who have left stay listed, marked as ended.
        .order_by(F("ended_on").desc(nulls_first=True), "-is_chief_officer", "full_name", "pk")
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


# People and their accounts -------------------------------------------------------------


def _person(request, pk, **kwargs):
    if not request.user.has_perm("directory.view_person"):
        raise PermissionDenied  # a refusal, not a "not found", for those with no access
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organisation", "user"), pk=pk
    )


def _account_user(request, pk, **kwargs):
    """The person whose account is being managed; 404 if they have none."""
    person = _person(request, pk)
    if person.user is None:
        raise Http404("This person has no account")
    return person


@permission_required("directory.change_person", fn=_organisation)
def person_add(request, slug, obj):
    form = PersonForm(posted(request), initial={"organisation": obj})
    return form_page(
        request,
        form,
        template="directory/person_form.html",
        on_valid=lambda data: services.person_add(**data, actor=actor_for(request)),
        success=lambda person: f"{person} has been added to {person.organisation}",
        next_url=lambda person: person.get_absolute_url(),
        context={"organisation": obj, "back": obj.get_absolute_url()},
    )


@permission_required("directory.change_person", fn=_organisation)
def person_invite_new(request, slug, obj):
    """Add someone to the directory and invite them to an account, in one step."""
    form = NewPersonInviteForm(posted(request), initial={"organisation": obj})
    return form_page(
        request,
        form,
        template="directory/person_invite_new.html",
        on_valid=lambda data: services.person_invite(
            organisation=data["organisation"],
            full_name=data["full_name"],
            email=data["email"],
            job_title=data["job_title"],
            phone=data["phone"],
            roles=form.role_pairs(),
            actor=actor_for(request),
        ),
        success=lambda person: f"{person} has been added and sent an invitation to {person.email}",
        next_url=lambda person: person.get_absolute_url(),
        context={"organisation": obj, "invitation_days": settings.INVITATION_EXPIRY_DAYS},
    )


@permission_required("directory.view_person", fn=_person)
def person_detail(request, pk, obj):
    context = {"person": obj}
    if request.user.has_perm("accounts.manage_users") and obj.user is not None:
        context["grants"] = list(obj.user.role_grants.select_related("organisation"))
        context["invitation"] = obj.user.invitations.first()
    return render(request, "directory/person_detail.html", context)


@permission_required("directory.change_person", fn=_person)
def person_edit(request, pk, obj):
    initial = {name: getattr(obj, name) for name in services.PERSON_FIELDS}
    form = PersonForm(posted(request), initial=initial)
    return form_page(
        request,
        form,
        template="directory/person_form.html",
        on_valid=lambda data: services.person_change(person=obj, **data, actor=actor_for(request)),
        success="Your changes have been saved",
        next_url=obj.get_absolute_url(),
        context={"person": obj, "back": obj.get_absolute_url()},
    )


@permission_required("directory.change_person", fn=_person)
def person_end(request, pk, obj):
    form = PersonEndForm(posted(request))
    return form_page(
        request,
        form,
        template="directory/person_end.html",
        on_valid=lambda data: services.person_end(person=obj, **data, actor=actor_for(request)),
        success=lambda person: f"{person} has been recorded as having left",
        next_url=obj.get_absolute_url(),
        context={"person": obj},
    )


@permission_required("accounts.manage_users", fn=_person)
def person_invite(request, pk, obj):
    if obj.user is not None:
        messages.info(request, f"{obj} has an account already")
        return redirect(obj)
    form = InviteForm(posted(request))
    return form_page(
        request,
        form,
        template="directory/person_invite.html",
        on_valid=lambda data: services.person_invite(
            person=obj, roles=form.role_pairs(), actor=actor_for(request)
        ),
        success=lambda person: f"An invitation has been sent to {person.email}",
        next_url=obj.get_absolute_url(),
        context={"person": obj, "invitation_days": settings.INVITATION_EXPIRY_DAYS},
    )


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
@permission_required("accounts.manage_users", fn=_account_user)
def invitation_resend(request, pk, obj):
    try:
        account_services.invitation_send(user=obj.user, resend=True, actor=actor_for(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            f"A new invitation has been sent to {obj.user.email}; the old link no longer works",
        )
    return redirect(obj)


@require_POST
@permission_required("accounts.manage_users", fn=_account_user)
def invitation_withdraw(request, pk, obj):
    invitation = obj.user.invitations.open().first()
    if invitation is None:
        messages.error(request, "There is no open invitation to withdraw")
    else:
        account_services.invitation_withdraw(invitation=invitation, actor=actor_for(request))
        messages.success(request, "The invitation has been withdrawn: its link no longer works")
    return redirect(obj)


@permission_required("accounts.manage_users", fn=_account_user)
def role_grant(request, pk, obj):
    form = RoleGrantForm(posted(request))
    return form_page(
        request,
        form,
        template="directory/role_grant.html",
        on_valid=lambda data: account_services.role_grant(
            user=obj.user, role=data["role"], organisation=data["scope"], actor=actor_for(request)
        ),
        success=lambda grant: (
            f"{obj} is now a {grant.description[0].lower()}{grant.description[1:]}"
        ),
        next_url=obj.get_absolute_url(),
        context={"person": obj},
    )


@require_POST
@permission_required("accounts.manage_users", fn=_account_user)
def role_remove(request, pk, grant_pk, obj):
    grant = get_object_or_404(
        RoleGrant.objects.select_related("organisation"), pk=grant_pk, user=obj.user
    )
    try:
        account_services.role_remove(grant=grant, actor=actor_for(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, f"{obj} is no longer a {grant.description[0].lower()}{grant.description[1:]}"
        )
    return redirect(obj)


@permission_required("accounts.manage_users", fn=_account_user)
def account_deactivate(request, pk, obj):
    form = DeactivateForm(posted(request))
    return form_page(
        request,
        form,
        template="directory/account_deactivate.html",
        on_valid=lambda data: services.account_deactivate(
            user=obj.user, reason=data["reason"], actor=actor_for(request)
        ),
        success=f"{obj}'s account has been deactivated: they are signed out and cannot sign in",
        next_url=obj.get_absolute_url(),
        context={"person": obj},
    )


@require_POST
@permission_required("accounts.manage_users", fn=_account_user)
def account_reactivate(request, pk, obj):
    try:
        services.account_reactivate(user=obj.user, actor=actor_for(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            f"{obj}'s account has been reactivated: send an invitation so they can set a new password",
        )
    return redirect(obj)


@permission_required("accounts.manage_users")
def role_holders(request):
    """Who holds which role, filtered by role and organisation."""
    filters = RoleHolderFilterForm(request.GET or None)
    grants = RoleGrant.objects.select_related(
        "user", "user__organisation", "organisation", "user__person"
    )
    if filters.is_valid():
        if role := filters.cleaned_data["role"]:
            grants = grants.filter(role=role)
        if organisation := filters.cleaned_data["organisation"]:
            grants = grants.filter(
                Q(organisation=organisation)
                | Q(organisation__isnull=True, user__organisation=organisation)
            )
    page = paginate(request, grants.order_by("role", "user__full_name", "pk"))
    for grant in page.object_list:
        grant.person = getattr(grant.user, "person", None)
    return render(request, "directory/role_holders.html", {"page": page, "filters": filters})


# Bulk onboarding -----------------------------------------------------------------------


@permission_required("accounts.manage_users")
def people_import_new(request):
    form = PeopleImportForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            people_import = services.people_import_start(
                file_name=uploaded.name, content=uploaded.read(), actor=actor_for(request)
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            people_import_task.enqueue(people_import.pk)
            return redirect(people_import)
    recent = PeopleImport.objects.filter(created_by=request.user).defer("content")[:5]
    return render(
        request,
        "directory/people_import_new.html",
        {"form": form, "recent": recent, "max_rows": onboarding.MAX_ROWS},
    )


SPREADSHEET_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@permission_required("accounts.manage_users")
def people_import_template(request, extension):
    if extension not in SPREADSHEET_TYPES:
        raise Http404("No such template")
    content = onboarding.template_xlsx() if extension == "xlsx" else onboarding.template_csv()
    response = HttpResponse(content, content_type=SPREADSHEET_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="people-template.{extension}"'
    return response


def _people_import(request, pk, **kwargs):
    return get_object_or_404(PeopleImport.objects.defer("content"), pk=pk)


@permission_required("accounts.manage_users", fn=_people_import)
def people_import(request, pk, obj):
    """The import's progress; the page reloads itself (no script) until it has finished."""
    return render(request, "directory/people_import.html", {"people_import": obj})
