"""Forms of the self-assessment pages (validation only: the services make the changes)."""

from django import forms

from partnership.accounts.models import User
from partnership.directory.models import Organisation, OrganisationKind
from partnership.web.forms import GovukDateField, UploadField

from . import exchange
from .models import ActionStatus, AssessmentKind, Scale, StandardSet, TimetableSettings

EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".docx", ".xlsx", ".pptx", ".png", ".jpg", ".jpeg")


class CycleForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of self-assessment",
        choices=AssessmentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of self-assessment"},
    )
    name = forms.CharField(
        label="Name of the cycle",
        max_length=200,
        error_messages={"required": "Enter the name of the cycle"},
    )
    standard_set = forms.ModelChoiceField(
        label="Standard set",
        queryset=StandardSet.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the standard set"},
    )
    scale = forms.ChoiceField(
        label="Rating scale",
        choices=Scale.choices,
        initial=Scale.NUMERIC,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the rating scale"},
    )
    starts_on = GovukDateField(
        label="Start date",
        error_messages={"required": "Enter the start date"},
        help_text="The timetable is worked out from this date.",
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations to invite",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to invite every safeguarding partner and relevant agency "
        "(for section 11) or every school (for section 175).",
    )
    moderators = forms.ModelMultipleChoiceField(
        label="Moderation panel",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard_set"].queryset = StandardSet.objects.order_by(
            "kind", "name", "-version"
        )
        self.fields["organisations"].queryset = (
            Organisation.objects.active()
            .filter(
                kind__in=(OrganisationKind.SAFEGUARDING_PARTNER, OrganisationKind.RELEVANT_AGENCY)
            )
            .order_by("name")
        )
        self.fields["moderators"].queryset = (
            User.objects.filter(
                is_active=True,
                role_grants__role__in=("business_unit", "partner_lead", "group_member"),
            )
            .distinct()
            .order_by("full_name")
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and not data.get("organisations"):
            kinds = (
                (OrganisationKind.SCHOOL,)
                if kind == AssessmentKind.SECTION_175
                else (OrganisationKind.SAFEGUARDING_PARTNER, OrganisationKind.RELEVANT_AGENCY)
            )
            data["organisations"] = list(Organisation.objects.active().filter(kind__in=kinds))
        return data


def score_choices(cycle):
    return [(str(score), label) for score, label in cycle.scale_labels.items()]


class AnswerForm(forms.Form):
    score = forms.TypedChoiceField(
        label="Score",
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        empty_value=None,
    )
    narrative = forms.CharField(
        label="What your organisation does, and how you know",
        widget=forms.Textarea,
        required=False,
        max_length=20_000,
    )
    evidence = UploadField(
        label="Evidence file",
        required=False,
        extensions=EVIDENCE_TYPES,
        max_bytes=EVIDENCE_BYTES,
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = score_choices(cycle)
        self.fields["score"].error_messages["invalid_choice"] = (
            f"The score must be from 0 to {cycle.top_score}"
        )


class ModerateForm(forms.Form):
    moderated_score = forms.TypedChoiceField(
        label="Moderated score",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the moderated score"},
    )
    challenge = forms.CharField(
        label="Challenge notes",
        widget=forms.Textarea,
        required=False,
        max_length=20_000,
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moderated_score"].choices = score_choices(cycle)
        self.fields["moderated_score"].error_messages["invalid_choice"] = (
            f"The moderated score must be from 0 to {cycle.top_score}"
        )


class ChallengeAnswerForm(forms.Form):
    response = forms.CharField(
        label="Your answer to the challenge",
        widget=forms.Textarea,
        max_length=20_000,
        error_messages={"required": "Enter your answer to the challenge"},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why it is reopened",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Say why the return is reopened"},
    )
    due_on = GovukDateField(
        label="New date for the return",
        error_messages={"required": "Enter the new date for the return"},
    )


class ActionForm(forms.Form):
    owner = forms.ModelChoiceField(label="Owner", queryset=User.objects.none(), required=False)
    due_on = GovukDateField(label="Due date", error_messages={"required": "Enter the due date"})
    progress = forms.CharField(
        label="Progress", widget=forms.Textarea, required=False, max_length=20_000
    )
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, organisation=organisation
        ).order_by("full_name")


class FileForm(forms.Form):
    file = forms.FileField(label="File (JSON)", error_messages={"required": "Choose a file"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > exchange.MAX_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {exchange.MAX_BYTES // (1024 * 1024)}MB"
            )
        if not upload.name.lower().endswith(".json"):
            raise forms.ValidationError("The file must be a JSON file (.json)")
        return upload


class InviteForm(forms.Form):
    file = forms.FileField(
        label="Settings and their designated safeguarding leads (CSV)",
        help_text="Columns: setting, phase, lead's name, lead's email. Up to 1,000 rows.",
        error_messages={"required": "Choose a CSV file"},
    )


class TimetableForm(forms.ModelForm):
    class Meta:
        model = TimetableSettings
        fields = [
            "window_weeks",
            "moderation_weeks",
            "challenge_weeks",
            "feedback_weeks",
            "action_weeks",
            "cycle_years",
        ]


class ChallengeEventForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label="Meeting",
        queryset=None,
        empty_label="Choose a meeting",
        error_messages={"required": "Choose the meeting"},
        help_text="The challenge event is a meeting of one of the partnership's groups.",
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        from partnership.governance.models import Meeting

        self.fields["meeting"].queryset = (
            Meeting.objects.filter(starts_at__date__gte=cycle.starts_on)
            .select_related("group", "priority")
            .order_by("starts_at")
        )
        self.fields["meeting"].label_from_instance = lambda meeting: meeting.title
