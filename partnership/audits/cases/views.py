"""The case audits' pages: the programme, an audit, its cases and parts, the discussion,
findings, recommendations and actions, the report, and the picture across audits."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from . import report, services
from .forms import (
    ActionForm,
    CaseAuditForm,
    CaseForm,
    DiscussionForm,
    EvidenceForm,
    FindingForm,
    JudgementForm,
    QuestionForm,
    RecommendationForm,
    SignOffForm,
    answer_form,
)
from .models import (
    CaseAgency,
    CaseAnswer,
    CaseAudit,
    CaseAuditAction,
    CaseAuditQuestion,
    CaseAuditRecommendation,
    CaseAuditStatus,
    CasePartStatus,
)

T = "audits/cases/"


def _visible_audit(request, pk, **kwargs) -> CaseAudit:
    """The audit, if the person may see it (else 404: its existence is not given away)."""
    if not request.user.has_perm("audits.view_case_audits"):
        return None
    queryset = CaseAudit.objects.visible_to(request.user).select_related(
        "group", "priority", "lead", "discussion_meeting__group", "report_paper"
    )
    return get_object_or_404(queryset, pk=pk)


# The programme -------------------------------------------------------------------------------


@permission_required("audits.view_case_audits")
def case_audits(request):
    audits = (
        CaseAudit.objects.visible_to(request.user)
        .select_related("group", "priority", "lead")
        .annotate(
            distributed=Count("cases__agencies", distinct=True),
            returned=Count(
                "cases__agencies",
                filter=Q(cases__agencies__status=CasePartStatus.RETURNED),
                distinct=True,
            ),
        )
        .order_by("-starts_on", "pk")
    )
    return render(request, T + "list.html", {"page": paginate(request, audits)})


@permission_required("audits.add_case_audit")
def case_audit_create(request):
    services.kirklees_template()
    form = CaseAuditForm(posted(request), initial={"lead": request.user.pk})

    def save(data):
        form.instance.grades = data["grades_text"]
        return services.case_audit_save(
            audit=form.instance,
            panel=data["panel"],
            template=data.get("template"),
            actor=actor_for(request),
        )

    return form_page(
        request,
        form,
        template=T + "audit_form.html",
        on_valid=save,
        success=lambda audit: f"The case audit “{audit.title}” is in the programme",
        next_url=lambda audit: audit.get_absolute_url(),
        context={"audit": None},
    )


@permission_required("audits.manage_case_audit", fn=_visible_audit)
def case_audit_edit(request, pk, obj):
    form = CaseAuditForm(posted(request), instance=obj)

    def save(data):
        if data["grades_text"]:
            form.instance.grades = data["grades_text"]
        return services.case_audit_save(
            audit=form.instance, panel=data["panel"], actor=actor_for(request)
        )

    return form_page(
        request,
        form,
        template=T + "audit_form.html",
        on_valid=save,
        success="Your changes have been saved",
        next_url=obj.get_absolute_url(),
        context={"audit": obj},
    )


def _cases_for(user, audit):
    """The audit's cases the person may see listed: all for its managers and panel, else
    those its agency is involved in."""
    cases = audit.cases.all()
    if not (
        user.has_perm("audits.manage_case_audit", audit)
        or user.has_role("independent_chair")
        or audit.panel.filter(pk=user.pk).exists()
    ):
        own = CaseAgency.objects.filter(
            Q(auditor=user) | Q(organisation_id=user.organisation_id or 0)
        ).values("case_id")
        cases = cases.filter(pk__in=own)
    return cases.prefetch_related(
        Prefetch("agencies", queryset=CaseAgency.objects.select_related("organisation"))
    ).order_by("reference")


@permission_required("audits.view_case_audits", fn=_visible_audit)
def case_audit(request, pk, obj):
    audit = obj
    parts = CaseAgency.objects.filter(case__audit=audit)
    counts = parts.aggregate(
        distributed=Count("pk"), returned=Count("pk", filter=Q(status=CasePartStatus.RETURNED))
    )
    sections = audit.sections.prefetch_related("questions")
    return render(
        request,
        T + "audit_detail.html",
        {
            "audit": audit,
            "counts": counts,
            "sections": sections,
            "page": paginate(request, _cases_for(request.user, audit)),
            "findings": audit.findings.all(),
            "recommendations": audit.recommendations.prefetch_related(
                Prefetch("actions", queryset=CaseAuditAction.objects.select_related("owner"))
            ),
            "can_manage": request.user.has_perm("audits.manage_case_audit", audit),
            "panel": audit.panel.all(),
            "next_meeting": services.next_meeting(audit),
        },
    )


@permission_required("audits.manage_case_audit", fn=_visible_audit)
def case_audit_question_add(request, pk, obj):
    form = QuestionForm(posted(request))
    return form_page(
        request,
        form,
        template=T + "question_form.html",
        on_valid=lambda data: services.question_add(audit=obj, actor=actor_for(request), **data),
        success="The question has been added",
        next_url=obj.get_absolute_url() + "#tool",
        context={"audit": obj, "sections": obj.sections.all()},
    )


@permission_required("audits.manage_case_audit", fn=_visible_audit)
def case_audit_case_add(request, pk, obj):
    form = CaseForm(posted(request))
    return form_page(
        request,
        form,
        template=T + "case_form.html",
        on_valid=lambda data: services.case_add(
            audit=obj,
            reference=data["reference"],
            organisations=list(data["organisations"]),
            actor=actor_for(request),
        ),
        success=lambda case: f"Case {case.reference} has been added",
        next_url=obj.get_absolute_url() + "#cases",
        context={"audit": obj},
    )


def _post_step(request, audit, step, success):
    try:
        result = step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success(result))
    return redirect(audit.get_absolute_url())


@require_POST
@permission_required("audits.manage_case_audit", fn=_visible_audit)
def case_audit_distribute(request, pk, obj):
    return _post_step(
        request,
        obj,
        lambda: services.case_audit_distribute(
            audit=obj, on=timezone.localdate(), actor=actor_for(request)
        ),
        lambda n: f"{n} audit forms have gone to the agencies",
    )


@require_POST
@permission_required("audits.manage_case_audit", fn=_visible_audit)
def case_audit_chase(request, pk, obj):
    return _post_step(
        request,
        obj,
        lambda: services.case_audit_chase(
            audit=obj, today=timezone.localdate(), actor=actor_for(request)
        ),
        lambda n: f"{n} audit forms not yet returned have been chased",
    )


@permission_required("audits.manage_case_audit", fn=_visible_audit)
def case_audit_discussion(request, pk, obj):
    form = DiscussionForm(posted(request), audit=obj)
    return form_page(
        request,
        form,
        template=T + "discussion_form.html",
        on_valid=lambda data: services.discussion_open(
            audit=obj, meeting=data["meeting"], on=timezone.localdate(), actor=actor_for(request)
        ),
        success="The discussion is open: each case's answers are now side by side",
        next_url=obj.get_absolute_url() + "#cases",
        context={"audit": obj},
    )


# A case and an agency's part -----------------------------------------------------------------


def _case(request, pk, case, **kwargs):
    audit = _visible_audit(request, pk)
    if audit is None:
        return None
    found = get_object_or_404(_cases_for(request.user, audit), pk=case)
    found.audit = audit
    return found


@permission_required("audits.view_case_audits", fn=_case)
def case_audit_case(request, pk, case, obj):
    case, audit = obj, obj.audit
    parts = list(
        CaseAgency.objects.visible_to(request.user)
        .filter(case=case)
        .select_related("organisation", "case")
        .prefetch_related(Prefetch("answers", queryset=CaseAnswer.objects.all()))
        .order_by("organisation__name")
    )
    hidden = case.agencies.exclude(pk__in=[part.pk for part in parts]).count()
    questions = list(
        CaseAuditQuestion.objects.filter(section__audit=audit).select_related("section")
    )
    if parts:
        services.case_parts_record_view(parts=parts, actor=actor_for(request))
    answers = {(a.part_id, a.question_id): a for part in parts for a in part.answers.all()}
    rows = [
        {
            "question": question,
            "answers": [answers.get((part.pk, question.pk)) for part in parts],
        }
        for question in questions
    ]
    can_manage = request.user.has_perm("audits.manage_case_audit", audit)
    form = None
    if can_manage and audit.discussion_open:
        form = JudgementForm(
            posted(request),
            audit=audit,
            initial={"grade": case.joint_grade, "judgement": case.joint_judgement},
        )
        if request.method == "POST":
            return form_page(
                request,
                form,
                template=T + "case_detail.html",
                on_valid=lambda data: services.case_judgement_record(
                    case=case, on=timezone.localdate(), actor=actor_for(request), **data
                ),
                success=f"The joint judgement on case {case.reference} has been recorded",
                next_url=case.get_absolute_url(),
                context=_case_context(audit, case, parts, rows, hidden, request),
            )
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        T + "case_detail.html",
        {"form": form, **_case_context(audit, case, parts, rows, hidden, request)},
    )


def _case_context(audit, case, parts, rows, hidden, request):
    mine = [
        part
        for part in case.agencies.all()
        if request.user.has_perm("audits.answer_case_audit", part)
    ]
    return {
        "audit": audit,
        "case": case,
        "parts": parts,
        "rows": rows,
        "hidden": hidden,
        "mine": mine,
        "can_manage": request.user.has_perm("audits.manage_case_audit", audit),
    }


def _part(request, pk, case, part, **kwargs):
    found = _case(request, pk, case)
    if found is None:
        return None
    result = get_object_or_404(
        CaseAgency.objects.select_related("organisation", "case"), case=found, pk=part
    )
    result.case.audit = found.audit
    return result


@permission_required("audits.answer_case_audit", fn=_part)
def case_audit_answer(request, pk, case, part, obj):
    part, audit = obj, obj.case.audit
    questions = list(
        CaseAuditQuestion.objects.filter(section__audit=audit).select_related("section")
    )
    existing = {answer.question_id: answer for answer in part.answers.all()}
    initial = {}
    for question_id, answer in existing.items():
        initial[f"grade_{question_id}"] = answer.grade
        initial[f"narrative_{question_id}"] = answer.narrative
    if request.method == "GET" and existing:
        services.case_parts_record_view(parts=[part], actor=actor_for(request))
    form = answer_form(audit, questions, data=posted(request), initial=initial)
    editable = audit.status == CaseAuditStatus.DISTRIBUTED and not part.returned
    if request.method == "POST" and not editable:
        messages.error(request, "This audit form can no longer change: nothing was saved")
        return redirect(part.case.get_absolute_url())

    def save(data):
        answers = {
            q.pk: (data.get(f"grade_{q.pk}") or "", data.get(f"narrative_{q.pk}") or "")
            for q in questions
        }
        return services.case_part_save(
            case=part.case,
            organisation=part.organisation,
            answers=answers,
            submit="return" in request.POST,
            actor=actor_for(request),
        )

    return form_page(
        request,
        form,
        template=T + "answer_form.html",
        on_valid=save,
        success=lambda saved: (
            f"{saved.organisation}'s audit of case {saved.case.reference} has been returned"
            if saved.returned
            else "Your answers have been saved: return the form when it is complete"
        ),
        next_url=lambda saved: saved.case.get_absolute_url(),
        context={
            "audit": audit,
            "part": part,
            "questions": questions,
            "editable": editable,
        },
    )


# Findings, recommendations and actions -------------------------------------------------------


@permission_required("audits.manage_case_audit", fn=_visible_audit)
def case_audit_finding_add(request, pk, obj):
    form = FindingForm(posted(request))
    return form_page(
        request,
        form,
        template=T + "simple_form.html",
        on_valid=lambda data: services.finding_add(audit=obj, actor=actor_for(request), **data),
        success="The finding has been added",
        next_url=obj.get_absolute_url() + "#findings",
        context={"audit": obj, "heading": "Add a finding", "button": "Add the finding"},
    )


@permission_required("audits.manage_case_audit", fn=_visible_audit)
def case_audit_recommendation_add(request, pk, obj):
    form = RecommendationForm(posted(request))
    return form_page(
        request,
        form,
        template=T + "simple_form.html",
        on_valid=lambda data: services.recommendation_add(
            audit=obj, actor=actor_for(request), **data
        ),
        success=lambda r: f"Recommendation {r.number} has been added",
        next_url=obj.get_absolute_url() + "#recommendations",
        context={
            "audit": obj,
            "heading": "Add a recommendation",
            "button": "Add the recommendation",
        },
    )


@permission_required("audits.manage_case_audit", fn=_visible_audit)
def case_audit_action_add(request, pk, number, obj):
    recommendation = get_object_or_404(CaseAuditRecommendation, audit=obj, number=number)
    form = ActionForm(posted(request))
    return form_page(
        request,
        form,
        template=T + "simple_form.html",
        on_valid=lambda data: services.action_add(
            recommendation=recommendation, actor=actor_for(request), **data
        ),
        success="The action has been added",
        next_url=obj.get_absolute_url() + "#recommendations",
        context={
            "audit": obj,
            "heading": f"Add an action for recommendation {recommendation.number}",
            "caption": recommendation.text,
            "button": "Add the action",
        },
    )


def _action(request, pk, action, **kwargs):
    if not request.user.has_perm("audits.view_case_audits"):
        return None
    return get_object_or_404(
        CaseAuditAction.objects.visible_to(request.user).select_related(
            "recommendation__audit", "owner", "organisation", "signed_off_by"
        ),
        pk=action,
        recommendation__audit_id=pk,
    )


@permission_required("audits.view_case_audits", fn=_action)
def case_audit_action(request, pk, action, obj):
    action, audit = obj, obj.recommendation.audit
    user = request.user
    evidence_form = sign_off_form = None
    if user.has_perm("audits.evidence_case_audit_action", action) and action.status != "signed_off":
        evidence_form = EvidenceForm(
            posted(request) if "evidence" in request.POST else None,
            initial={"evidence": action.evidence},
        )
    if user.has_perm("audits.manage_case_audit", audit) and action.status == "evidence_submitted":
        sign_off_form = SignOffForm(posted(request) if "sign_off" in request.POST else None)
    context = {
        "audit": audit,
        "action": action,
        "evidence_form": evidence_form,
        "sign_off_form": sign_off_form,
    }
    if request.method == "POST":
        # Two forms on one page: the button pressed says which step it is.
        steps = (
            ("sign_off", sign_off_form, services.action_sign_off, "The action has been signed off"),
            (
                "evidence",
                evidence_form,
                services.action_submit_evidence,
                "Your evidence has been sent for sign-off",
            ),
        )
        for key, form, service, success in steps:
            if key in request.POST and form is not None:
                return form_page(
                    request,
                    form,
                    template=T + "action_detail.html",
                    on_valid=lambda data, service=service: service(
                        action=action, on=timezone.localdate(), actor=actor_for(request), **data
                    ),
                    success=success,
                    next_url=action.get_absolute_url(),
                    context={**context, "form": form},
                )
        raise Http404
    return render(request, T + "action_detail.html", {**context, "form": None})


# The report and the picture across audits ----------------------------------------------------


@permission_required("audits.view_case_audits", fn=_visible_audit)
def case_audit_report(request, pk, obj):
    return render(request, T + "report.html", report.report_context(obj))


@permission_required("audits.view_case_audits", fn=_visible_audit)
def case_audit_report_pdf(request, pk, obj):
    response = HttpResponse(report.report_pdf(obj), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="case-audit-{obj.pk}.pdf"'
    return response


@require_POST
@permission_required("audits.manage_case_audit", fn=_visible_audit)
def case_audit_report_send(request, pk, obj):
    return _post_step(
        request,
        obj,
        lambda: services.report_send(
            audit=obj, pdf=report.report_pdf(obj), actor=actor_for(request)
        ),
        lambda paper: f"The report is on the agenda of {paper.meeting.title}",
    )


@permission_required("audits.view_case_audit_summary")
def case_audit_summary(request):
    audits = CaseAudit.objects.visible_to(request.user)
    return render(request, T + "summary.html", report.across_audits(audits))
