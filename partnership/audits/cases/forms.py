"""The case audits' forms: Django validates, the GOV.UK macros draw (partnership.web.forms)."""

from django import forms

from partnership.accounts.models import Role, User
from partnership.directory.models import Organisation
from partnership.governance.models import Group, Meeting, Priority
from partnership.web.forms import GovukDateField

from .models import (
    CaseAudit,
    CaseAuditTemplate,
    CaseAuditTheme,
    CaseFindingKind,
    validate_case_reference,
)

STAFF_ROLES = [Role.BUSINESS_UNIT, Role.INDEPENDENT_CHAIR, Role.PARTNER_LEAD, Role.GROUP_MEMBER]


def staff():
    return User.objects.filter(is_active=True, role_grants__role__in=STAFF_ROLES).distinct()


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation_id else obj.full_name


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation_id else obj.full_name


class CaseAuditForm(forms.ModelForm):
    starts_on = GovukDateField(label="Planned start")
    report_due_on = GovukDateField(label="Report due")
    lead = PersonField(queryset=staff(), label="Audit lead")
    panel = PeopleField(
        queryset=staff(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Audit panel",
        help_text="The panel sees the whole audit once the discussion opens.",
    )
    template = forms.ModelChoiceField(
        queryset=CaseAuditTemplate.objects.all(),
        required=False,
        label="Start from a template",
        help_text="Its sections, questions and grade scale are copied into the audit.",
    )
    grades_text = forms.CharField(
        label="Grade scale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One grade a line, best first. Leave empty for Ofsted's four judgements "
        "(or the template's scale).",
    )

    class Meta:
        model = CaseAudit
        fields = ["title", "theme", "priority", "group", "lead", "starts_on", "report_due_on"]
        labels = {"priority": "Strategic priority", "group": "Owning group"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = CaseAuditTheme.choices
        self.fields["priority"].queryset = Priority.objects.all()
        self.fields["group"].queryset = Group.objects.all()
        self.fields["lead"].queryset = staff()
        self.fields["panel"].queryset = staff()
        if self.instance.pk:
            del self.fields["template"]
            self.initial.setdefault("panel", list(self.instance.panel.all()))
            self.initial.setdefault("grades_text", "\n".join(self.instance.grade_scale))

    def clean_grades_text(self):
        grades = [line.strip() for line in self.cleaned_data["grades_text"].splitlines()]
        grades = [grade for grade in grades if grade]
        if len(set(grades)) != len(grades):
            raise forms.ValidationError("Each grade on the scale must be different")
        if grades and len(grades) < 2:
            raise forms.ValidationError("A grade scale needs at least two grades")
        if any(len(grade) > 60 for grade in grades):
            raise forms.ValidationError("Keep each grade to 60 characters or fewer")
        return grades


class QuestionForm(forms.Form):
    section_title = forms.CharField(
        label="Section", max_length=200, help_text="An existing section's title, or a new one."
    )
    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 3}))


class CaseForm(forms.Form):
    reference = forms.CharField(
        label="Case reference",
        max_length=40,
        validators=[validate_case_reference],
        help_text="The reference only, such as CSE-014. Never a child's name.",
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Agencies involved",
        error_messages={"required": "Choose the agencies involved in the case"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.active().order_by("name")


def answer_form(audit, questions, data=None, initial=None):
    """A form with a grade and a narrative for each of the audit's questions."""
    scale = audit.grade_scale
    form = forms.Form(data=data, initial=initial or {})
    message = f"Choose a grade on the audit's scale: {', '.join(scale)}"
    for question in questions:
        form.fields[f"grade_{question.pk}"] = forms.ChoiceField(
            label=f"Grade: {question.text}",
            choices=[(grade, grade) for grade in scale],
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": message},
        )
        form.fields[f"narrative_{question.pk}"] = forms.CharField(
            label="What the case shows",
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    return form


class DiscussionForm(forms.Form):
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        label="The meeting at which the agencies discuss the cases",
    )

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.not_cancelled().filter(group_id=audit.group_id).order_by("starts_at")
        )


class JudgementForm(forms.Form):
    grade = forms.ChoiceField(label="Joint grade", widget=forms.RadioSelect)
    judgement = forms.CharField(
        label="The joint judgement", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        scale = audit.grade_scale
        self.fields["grade"].choices = [(grade, grade) for grade in scale]
        self.fields["grade"].error_messages["invalid_choice"] = (
            f"Choose a grade on the audit's scale: {', '.join(scale)}"
        )


class FindingForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of finding", choices=CaseFindingKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label="Finding", widget=forms.Textarea(attrs={"rows": 3}))


class RecommendationForm(forms.Form):
    text = forms.CharField(label="Recommendation", widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    description = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}))
    owner = PersonField(queryset=User.objects.none(), label="Owner")
    due_on = GovukDateField(label="Due date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff().filter(organisation__isnull=False)


class EvidenceForm(forms.Form):
    evidence = forms.CharField(
        label="Evidence that the action is complete", widget=forms.Textarea(attrs={"rows": 4})
    )


class SignOffForm(forms.Form):
    notes = forms.CharField(
        label="Sign-off notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
