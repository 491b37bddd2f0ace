"""Letters to chief officers about persistent non-attendance."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required
from partnership.directory.models import Person
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from .. import documents, services
from ..forms import LetterForm
from ..models import (
    AttendanceLetter,
    LetterStatus,
)
from .lookups import _group


@permission_required("governance.view_letters")
def letter_list(request):
    letters = AttendanceLetter.objects.select_related(
        "group", "person", "organisation", "chief_officer"
    ).order_by("status", "-created_at")
    page = paginate(request, letters)
    return render(request, "governance/letter_list.html", {"page": page})


@require_POST
@permission_required("governance.manage_letters", fn=_group)
def letter_create(request, slug, obj):
    person_id = request.POST.get("person", "")
    person = (
        Person.objects.filter(pk=person_id).first()
        if person_id.isdigit() and len(person_id) < 19
        else None
    )
    if person is None:
        raise Http404("No such member")
    try:
        letter = services.attendance_letter_draft(
            group=obj, person=person, actor=actor_for(request)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("governance:group-attendance", slug=obj.slug)
    return redirect(letter)


def _letter(request, pk, **kwargs):
    return get_object_or_404(
        AttendanceLetter.objects.select_related("group", "person", "organisation", "chief_officer"),
        pk=pk,
    )


@permission_required("governance.view_letters", fn=_letter)
def letter_detail(request, pk, obj):
    return render(
        request,
        "governance/letter_detail.html",
        {"letter": obj, "text": documents.letter_text(obj)},
    )


@permission_required("governance.view_letters", fn=_letter)
def letter_download(request, pk, fmt, obj):
    if fmt == "pdf":
        body, content_type = documents.letter_pdf(obj), "application/pdf"
    else:
        body = documents.letter_docx(obj)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    services.attendance_letter_record_download(letter=obj, fmt=fmt, actor=actor_for(request))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="attendance-letter-{obj.pk}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("governance.approve_letters", fn=_letter)
def letter_edit(request, pk, obj):
    if obj.status != LetterStatus.DRAFT:
        raise Http404("Only a draft letter can be changed")
    body = obj.body or "\n\n".join(documents.drafted_paragraphs(obj))
    return form_page(
        request,
        LetterForm(posted(request), initial={"body": body}),
        template="governance/letter_form.html",
        on_valid=lambda data: services.attendance_letter_edit(
            letter=obj, body=data["body"], actor=actor_for(request)
        ),
        success="The letter has been changed",
        next_url=obj.get_absolute_url(),
        context={"letter": obj},
    )


@require_POST
@permission_required("governance.approve_letters", fn=_letter)
def letter_approve(request, pk, obj):
    try:
        services.attendance_letter_approve(letter=obj, actor=actor_for(request))
    except ValidationError as problem:
        messages.error(request, problem.messages[0])
    else:
        messages.success(request, "The letter is approved: the business unit can send it")
    return redirect(obj)


@permission_required("governance.manage_letters", fn=_letter)
def letter_mark_sent(request, pk, obj):
    if obj.status != LetterStatus.APPROVED:
        raise Http404("Only a letter the chair has approved is sent")
    error = None
    if request.method == "POST":
        try:
            services.attendance_letter_mark_sent(letter=obj, actor=actor_for(request))
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, f"The letter is on its way to {obj.chief_officer}")
            return redirect(obj)
    return render(request, "governance/letter_sent.html", {"letter": obj, "error": error})
