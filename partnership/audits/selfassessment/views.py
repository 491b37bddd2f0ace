"""Pages of the section 11 and section 175 self-assessments. Returns are read only through
`SelfAssessment.objects.visible_to(user)`, and every read of one is on the trail."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required
from partnership.outputs.pdf import html_to_pdf
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate, pagination_params
from partnership.web.storage import file_download

from . import invitations, reports, services
from .forms import (
    ActionForm,
    AnswerForm,
    ChallengeAnswerForm,
    ChallengeEventForm,
    CycleForm,
    FileForm,
    InviteForm,
    ModerateForm,
    ReopenForm,
    TimetableForm,
)
from .models import (
    ActionPlanItem,
    Answer,
    AssessmentKind,
    Cycle,
    Evidence,
    SelfAssessment,
    StandardSet,
    TimetableSettings,
)


def _today():
    return timezone.localdate()


def _cycle(request, pk, **kwargs):
    return get_object_or_404(
        Cycle.objects.visible_to(request.user).select_related(
            "standard_set", "challenge_meeting__group", "challenge_meeting__priority"
        ),
        pk=pk,
    )


def _assessment(request, pk, **kwargs):
    return get_object_or_404(
        SelfAssessment.objects.visible_to(request.user).select_related(
            "cycle", "cycle__standard_set", "organisation", "submitted_by"
        ),
        pk=pk,
    )


def _answer(request, pk, answer_pk, **kwargs):
    assessment = _assessment(request, pk)
    answer = get_object_or_404(assessment.answers.select_related("standard"), pk=answer_pk)
    answer.assessment = assessment
    return answer


def _page(request, queryset, per_page=50):
    page = paginate(request, queryset, per_page)
    return page, pagination_params(request, page)


# --- The module's home and the library ----------------------------------------------------


@permission_required("audits.access")
def home(request):
    cycles = Cycle.objects.visible_to(request.user).select_related("standard_set")
    page, pagination = _page(request, cycles, 20)
    return render(
        request, "audits/selfassessment/home.html", {"page": page, "pagination": pagination}
    )


@permission_required("audits.manage_self_assessments")
def standards(request):
    sets = StandardSet.objects.all()
    page, pagination = _page(request, sets)
    return render(
        request, "audits/selfassessment/standards.html", {"page": page, "pagination": pagination}
    )


@permission_required("audits.manage_self_assessments")
def standard_set(request, pk):
    item = get_object_or_404(StandardSet, pk=pk)
    return render(
        request,
        "audits/selfassessment/standard_set.html",
        {"standard_set": item, "standards": list(item.standards.all())},
    )


@permission_required("audits.manage_self_assessments")
def standards_import(request):
    form = FileForm(posted(request), request.FILES or None)

    def save(data):
        return services.standard_set_import(content=data["file"].read(), actor=actor_for(request))

    return form_page(
        request,
        form,
        template="audits/selfassessment/standards_import.html",
        on_valid=save,
        success=lambda s: f"{s} is in the library",
        next_url=lambda s: s.get_absolute_url(),
    )


@require_POST
@permission_required("audits.manage_self_assessments")
def standards_defaults(request):
    made = services.standard_sets_install_defaults(actor=actor_for(request))
    messages.success(
        request,
        f"{len(made)} standard sets added"
        if made
        else "The default sets are already in the library",
    )
    return redirect("audits:sa-standards")


@permission_required("audits.manage_self_assessments")
def timetable_settings(request):
    form = TimetableForm(posted(request), instance=TimetableSettings.load())

    def save(data):
        form.save()

    return form_page(
        request,
        form,
        template="audits/selfassessment/settings.html",
        on_valid=save,
        success="The default timetable is saved",
        next_url="audits:home",
    )


# --- Cycles -------------------------------------------------------------------------------


@permission_required("audits.manage_self_assessments")
def cycle_add(request):
    form = CycleForm(posted(request))

    def save(data):
        return services.cycle_open(
            kind=data["kind"],
            name=data["name"],
            standard_set=data["standard_set"],
            scale=data["scale"],
            starts_on=data["starts_on"],
            organisations=data["organisations"],
            moderators=data["moderators"],
            actor=actor_for(request),
        )

    return form_page(
        request,
        form,
        template="audits/selfassessment/cycle_add.html",
        on_valid=save,
        success=lambda c: f"{c.name} is open",
        next_url=lambda c: c.get_absolute_url(),
        context={"has_sets": StandardSet.objects.exists()},
    )


@permission_required("audits.view_self_assessment_cycle", _cycle)
def cycle(request, pk, obj):
    returns = (
        SelfAssessment.objects.visible_to(request.user)
        .filter(cycle=obj)
        .select_related("organisation", "cycle")
        .order_by("organisation__name")
    )
    status = request.GET.get("status", "")
    if status:
        returns = returns.filter(status=status)
    page, pagination = _page(request, returns)
    return render(
        request,
        "audits/selfassessment/cycle.html",
        {
            "cycle": obj,
            "page": page,
            "pagination": pagination,
            "today": _today(),
            "status": status,
        },
    )


@permission_required("audits.view_self_assessment_dashboard", _cycle)
def dashboard(request, pk, obj):
    today = _today()
    rows = reports.standards_table(obj)
    context = {
        "cycle": obj,
        "completion": reports.completion(obj, today),
        "rows": rows,
        "chart": reports.comparison_chart(rows, obj.name) if rows else "",
        "chart_text": reports.chart_text(rows),
        "themes": reports.training_themes(rows),
        "phases": None,
    }
    if obj.kind == AssessmentKind.SECTION_175:
        context["phases"] = reports.by_phase(obj)
    return render(request, "audits/selfassessment/dashboard.html", context)


@permission_required("audits.view_self_assessment_dashboard", _cycle)
def cycle_summary_pdf(request, pk, obj):
    content = reports.summary_pdf(obj, _today())
    services.cycle_export_read(cycle=obj, actor=actor_for(request))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cycle-{obj.pk}-summary.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@permission_required("audits.manage_self_assessments")
def cycle_summary_send(request, pk):
    item = get_object_or_404(Cycle, pk=pk)
    try:
        paper = services.cycle_summary_send(
            cycle=item, pdf=reports.summary_pdf(item, _today()), actor=actor_for(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"The summary is a paper for {paper.item.title} at {paper.meeting.title}"
        )
    return redirect("audits:sa-dashboard", pk=item.pk)


@permission_required("audits.view_self_assessment_dashboard", _cycle)
def cycle_xlsx(request, pk, obj):
    assessments = list(obj.returns.select_related("organisation").order_by("organisation__name"))
    content = reports.cycle_xlsx(obj, assessments)
    services.cycle_export_read(cycle=obj, actor=actor_for(request))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="cycle-{obj.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@permission_required("audits.manage_self_assessments")
def cycle_chase(request, pk):
    item = get_object_or_404(Cycle, pk=pk)
    count = services.chasers_send(cycle=item, actor=actor_for(request), today=_today())
    messages.success(request, f"Chasers sent to {count} organisations")
    return redirect(item.get_absolute_url())


@permission_required("audits.manage_self_assessments")
def challenge_event(request, pk):
    item = get_object_or_404(Cycle, pk=pk)
    form = ChallengeEventForm(
        posted(request), cycle=item, initial={"meeting": item.challenge_meeting_id}
    )

    def save(data):
        return services.cycle_challenge_event_set(
            cycle=item, meeting=data["meeting"], actor=actor_for(request)
        )

    return form_page(
        request,
        form,
        template="audits/selfassessment/challenge_event.html",
        on_valid=save,
        success="The challenge event is set",
        next_url=item.get_absolute_url(),
        context={"cycle": item},
    )


@permission_required("audits.manage_self_assessments")
def cycle_invite(request, pk):
    item = get_object_or_404(Cycle, pk=pk, kind=AssessmentKind.SECTION_175)
    form = InviteForm(posted(request), request.FILES or None)

    def save(data):
        leads = invitations.read_leads(data["file"])
        return services.leads_invite(cycle=item, leads=leads, actor=actor_for(request))

    return form_page(
        request,
        form,
        template="audits/selfassessment/invite.html",
        on_valid=save,
        success=lambda n: f"{n} designated safeguarding leads invited",
        next_url=item.get_absolute_url(),
        context={"cycle": item},
    )


@permission_required("audits.manage_self_assessments")
def return_import(request):
    form = FileForm(posted(request), request.FILES or None)

    def save(data):
        upload = data["file"]
        return services.assessment_import(
            content=upload.read(), file_name=upload.name, actor=actor_for(request)
        )

    return form_page(
        request,
        form,
        template="audits/selfassessment/return_import.html",
        on_valid=save,
        success=lambda a: f"{a.organisation.name}'s return is imported",
        next_url=lambda a: a.get_absolute_url(),
    )


# --- Returns ------------------------------------------------------------------------------


@permission_required("audits.view_self_assessment", _assessment)
def assessment(request, pk, obj):
    services.assessment_read(assessment=obj, actor=actor_for(request))
    answers = list(
        obj.answers.select_related("standard", "action", "action__owner").prefetch_related(
            "evidence"
        )
    )
    submissions = list(obj.submissions.select_related("submitted_by"))
    # The organisation's final score on each standard last cycle, for the comparison.
    last_cycle = {}
    if obj.carried_from_id:
        for code, score, moderated in Answer.objects.filter(
            assessment_id=obj.carried_from_id
        ).values_list("standard__code", "score", "moderated_score"):
            last_cycle[code] = score if moderated is None else moderated
    return render(
        request,
        "audits/selfassessment/return.html",
        {
            "assessment": obj,
            "cycle": obj.cycle,
            "answers": answers,
            "submissions": submissions,
            "today": _today(),
            "last_cycle": last_cycle,
        },
    )


@permission_required("audits.change_self_assessment", _assessment)
def answer_edit(request, pk, answer_pk, obj):
    answer = get_object_or_404(obj.answers.select_related("standard"), pk=answer_pk)
    answer.assessment = obj
    if request.method == "GET":
        services.assessment_read(assessment=obj, actor=actor_for(request))
    form = AnswerForm(
        posted(request),
        request.FILES or None,
        cycle=obj.cycle,
        initial={"score": answer.score, "narrative": answer.narrative},
    )

    def save(data):
        return services.answer_save(
            answer=answer,
            score=data["score"],
            narrative=data["narrative"],
            upload=data.get("evidence"),
            actor=actor_for(request),
        )

    return form_page(
        request,
        form,
        template="audits/selfassessment/answer.html",
        on_valid=save,
        success=f"Standard {answer.standard.code} is saved",
        next_url=obj.get_absolute_url(),
        context={"assessment": obj, "answer": answer, "evidence": list(answer.evidence.all())},
    )


@permission_required("audits.view_self_assessment", _assessment)
def evidence(request, pk, evidence_pk, obj):
    item = get_object_or_404(Evidence.objects.filter(answer__assessment=obj), pk=evidence_pk)
    if not item.file:
        raise Http404("The file stays with the platform the return was imported from")
    services.evidence_read(evidence=item, actor=actor_for(request))
    return file_download(item.file, filename=item.name)


@require_POST
@permission_required("audits.change_self_assessment", _assessment)
def evidence_remove(request, pk, evidence_pk, obj):
    item = get_object_or_404(Evidence.objects.filter(answer__assessment=obj), pk=evidence_pk)
    services.evidence_remove(evidence=item, actor=actor_for(request))
    messages.success(request, f"{item.name} is removed")
    return redirect(obj.get_absolute_url())


@require_POST
@permission_required("audits.submit_self_assessment", _assessment)
def submit(request, pk, obj):
    try:
        services.assessment_submit(assessment=obj, actor=actor_for(request), today=_today())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The return is submitted")
    return redirect(obj.get_absolute_url())


@permission_required("audits.reopen_self_assessment", _assessment)
def reopen(request, pk, obj):
    form = ReopenForm(posted(request))

    def save(data):
        return services.assessment_reopen(
            assessment=obj,
            reason=data["reason"],
            due_on=data["due_on"],
            actor=actor_for(request),
            today=_today(),
        )

    return form_page(
        request,
        form,
        template="audits/selfassessment/reopen.html",
        on_valid=save,
        success="The return is reopened",
        next_url=obj.get_absolute_url(),
        context={"assessment": obj},
    )


@permission_required("audits.moderate_self_assessment", _assessment)
def moderate(request, pk, answer_pk, obj):
    answer = get_object_or_404(obj.answers.select_related("standard"), pk=answer_pk)
    answer.assessment = obj
    if request.method == "GET":
        services.assessment_read(assessment=obj, actor=actor_for(request))
    initial = {"moderated_score": answer.final_score, "challenge": answer.challenge}
    form = ModerateForm(posted(request), cycle=obj.cycle, initial=initial)

    def save(data):
        return services.answer_moderate(
            answer=answer,
            moderated_score=data["moderated_score"],
            challenge=data["challenge"],
            actor=actor_for(request),
        )

    return form_page(
        request,
        form,
        template="audits/selfassessment/moderate.html",
        on_valid=save,
        success=f"Standard {answer.standard.code} is moderated",
        next_url=obj.get_absolute_url(),
        context={"assessment": obj, "answer": answer},
    )


@permission_required("audits.answer_self_assessment_challenge", _assessment)
def challenge(request, pk, answer_pk, obj):
    answer = get_object_or_404(obj.answers.select_related("standard"), pk=answer_pk)
    answer.assessment = obj
    form = ChallengeAnswerForm(posted(request), initial={"response": answer.challenge_response})

    def save(data):
        return services.challenge_answer(
            answer=answer, response=data["response"], actor=actor_for(request)
        )

    return form_page(
        request,
        form,
        template="audits/selfassessment/challenge.html",
        on_valid=save,
        success="Your answer to the challenge is saved",
        next_url=obj.get_absolute_url(),
        context={"assessment": obj, "answer": answer},
    )


def _action(request, pk, **kwargs):
    return get_object_or_404(
        ActionPlanItem.objects.visible_to(request.user).select_related(
            "answer__standard",
            "answer__assessment__organisation",
            "answer__assessment__cycle",
            "owner",
        ),
        pk=pk,
    )


@permission_required("audits.change_self_assessment_action", _action)
def action(request, pk, obj):
    assessment = obj.answer.assessment
    form = ActionForm(
        posted(request),
        organisation=assessment.organisation,
        initial={
            "owner": obj.owner_id,
            "due_on": obj.due_on,
            "progress": obj.progress,
            "status": obj.status,
        },
    )

    def save(data):
        return services.action_update(
            action=obj,
            owner=data["owner"],
            due_on=data["due_on"],
            progress=data["progress"],
            status=data["status"],
            actor=actor_for(request),
        )

    return form_page(
        request,
        form,
        template="audits/selfassessment/action.html",
        on_valid=save,
        success="The action is updated",
        next_url=assessment.get_absolute_url(),
        context={"action": obj, "assessment": assessment},
    )


@permission_required("audits.view_self_assessment", _assessment)
def assessment_pdf(request, pk, obj):
    answers = list(obj.answers.select_related("standard", "action").prefetch_related("evidence"))
    services.assessment_read(assessment=obj, actor=actor_for(request))
    html = render_to_string(
        "audits/selfassessment/return_print.html",
        {"assessment": obj, "cycle": obj.cycle, "answers": answers},
        request=request,
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="return-{obj.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("audits.view_self_assessment", _assessment)
def assessment_export(request, pk, obj):
    content = services.assessment_export(assessment=obj, actor=actor_for(request))
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="return-{obj.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response
