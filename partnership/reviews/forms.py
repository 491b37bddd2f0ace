"""Forms for case reviews: validation and GOV.UK error messages. The rules that need the
database (who may sign off, dates against other records) are the services' to enforce."""

import re

from django import forms

from partnership.accounts.models import Role, User
from partnership.directory.forms import InviteSomeoneNewMixin
from partnership.directory.models import Organisation, OrganisationKind
from partnership.web.forms import GovukDateField, UploadField

from .models import (
    CRITERIA_SECTIONS,
    AbuseType,
    ActionItem,
    AgencyRequest,
    AppealOutcome,
    ConflictRecommendation,
    Decision,
    DocumentKind,
    Incident,
    IncidentOutcome,
    LearningProduct,
    LearningTheme,
    MonitoringEntry,
    PractitionerEvent,
    ProductKind,
    Publication,
    Quality,
    Recommendation,
    RequestKind,
    ReviewRules,
    ReviewStatus,
    StartingEvent,
    Timeliness,
    parse_offsets,
)

# "Child Q", "Child Sam", "Baby T", "Young person 3", "Care leaver A": the words the
# partnership uses.
PSEUDONYM = re.compile(r"^(Child|Baby|Young person|Sibling|Care leaver) [A-Z0-9][A-Za-z0-9]{0,11}$")
PSEUDONYM_HINT = (
    'For example "Child Q" or "Child Sam". Never the child\'s real name, initials or date of birth.'
)


def date_field(label: str, *, required=True, help_text=None, message=None):
    return GovukDateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": message or f"Enter the {label.lower()}"},
    )


def text_area(label: str, *, required=True, help_text=None, message=None, rows=5):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or f"Enter the {label.lower()}"},
    )


def user_by_email(email: str, *, field_label="email address") -> User:
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise forms.ValidationError(
            f"No one with that {field_label} has an account: check the address, or ask for an "
            "account to be made first"
        )
    return user


def email_field(label: str, help_text: str | None = None):
    return forms.EmailField(
        label=label,
        max_length=254,
        help_text=help_text,
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


def involved_organisations():
    # Schools are many (one each) and rarely named on the incident; they can be added later.
    return (
        Organisation.objects.active().exclude(kind=OrganisationKind.SCHOOL).order_by("kind", "name")
    )


class IncidentForm(forms.ModelForm):
    child_pseudonym = forms.CharField(
        label="Child's pseudonym",
        max_length=40,
        help_text=PSEUDONYM_HINT,
        error_messages={"required": "Enter the child's pseudonym, like Child Q"},
    )
    aware_on = date_field("Date the local authority became aware")
    occurred_on = date_field("Date of the incident")
    outcome = forms.ChoiceField(
        label="What happened",
        choices=IncidentOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child died or was seriously harmed"},
    )
    abuse_types = forms.ModelMultipleChoiceField(
        label="Types of abuse or harm",
        queryset=AbuseType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply.",
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies involved with the child",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Each is asked for a summary for the rapid review.",
    )

    class Meta:
        model = Incident
        fields = [
            "child_pseudonym",
            "aware_on",
            "occurred_on",
            "outcome",
            "looked_after",
            "child_protection_plan",
            "educated_otherwise",
            "institutional_setting",
            "setting_description",
            "abuse_types",
            "agencies",
            "summary",
        ]
        labels = {"setting_description": "The institutional setting, if there was one"}
        help_texts = {
            "looked_after": "If the child died, the Secretary of State and Ofsted are notified too.",
            "summary": "Only what the rapid review needs. Use pseudonyms for everyone.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = involved_organisations()
        self.fields["child_pseudonym"].widget.attrs.update(
            {"spellcheck": "false", "autocomplete": "off"}
        )

    def clean_child_pseudonym(self):
        value = " ".join(self.cleaned_data["child_pseudonym"].split())
        if not PSEUDONYM.match(value):
            raise forms.ValidationError(
                'Enter a pseudonym like "Child Q" or "Child Sam", never the child\'s real name'
            )
        return value

    def clean(self):
        data = super().clean()
        if data.get("institutional_setting") and not data.get("setting_description", "").strip():
            self.add_error("setting_description", "Describe the institutional setting")
        return data


class ReviewOpeningFields(forms.Form):
    """The review a first incident opens: its title, case manager and themes."""

    title = forms.CharField(
        label="Review title",
        max_length=200,
        required=False,
        help_text="Leave blank to use the child's pseudonym. For a combined review, "
        'for example "Child Q and Child S". Never a real name.',
    )
    case_manager = forms.ModelChoiceField(
        label="Case manager",
        queryset=User.objects.none(),
        required=False,
        help_text="The member of the business unit reminded of the review's deadlines.",
        empty_label="Choose later",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes",
        queryset=LearningTheme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = business_unit_users()

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


class NewReviewForm(ReviewOpeningFields, IncidentForm):
    """The first incident, and the review it opens."""

    class Meta(IncidentForm.Meta):
        fields = ["title", "case_manager", *IncidentForm.Meta.fields, "themes"]


class CareLeaverDeathForm(IncidentForm):
    """The death of a care leaver: notified to the Secretary of State and Ofsted; a serious
    incident as well (and so a rapid review) only if abuse or neglect is known or suspected."""

    outcome = None  # always a death (set on the instance)
    child_pseudonym = forms.CharField(
        label="Pseudonym",
        max_length=40,
        help_text='For example "Care leaver A" or "Young person 3". Never their real name, '
        "initials or date of birth.",
        error_messages={"required": "Enter the care leaver's pseudonym, like Care leaver A"},
    )
    age = forms.IntegerField(
        label="Age when they died",
        help_text="The Secretary of State and Ofsted are told of the death of a care leaver up "
        "to and including the age of 24.",
        error_messages={
            "required": "Enter the care leaver's age when they died",
            "invalid": "Enter the age as a whole number, like 19",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    aware_on = date_field("Date the local authority became aware of the death")
    occurred_on = date_field("Date they died", message="Enter the date they died")
    abuse_or_neglect = forms.BooleanField(
        label="Abuse or neglect is known or suspected",
        required=False,
        help_text="Then the death is a serious incident as well: the Child Safeguarding Practice "
        "Review Panel and the safeguarding partners are notified too, and a rapid review opens.",
    )

    class Meta(IncidentForm.Meta):
        fields = [
            "child_pseudonym",
            "age",
            "aware_on",
            "occurred_on",
            "abuse_or_neglect",
            "abuse_types",
            "agencies",
            "summary",
        ]
        help_texts = {"summary": "Only what is needed. Use pseudonyms for everyone."}

    def __init__(self, *args, instance=None, **kwargs):
        instance = instance if instance is not None else Incident()
        if instance.pk is None:
            instance.abuse_or_neglect = False
        instance.care_leaver, instance.outcome = True, IncidentOutcome.DIED
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["abuse_types"].help_text = "If abuse or neglect is suspected. " + (
            self.fields["abuse_types"].help_text or ""
        )
        self.fields["agencies"].help_text = "The agencies that knew the care leaver."

    def clean_child_pseudonym(self):
        value = " ".join(self.cleaned_data["child_pseudonym"].split())
        if not PSEUDONYM.match(value):
            raise forms.ValidationError(
                'Enter a pseudonym like "Care leaver A" or "Young person 3", never their real name'
            )
        return value


class NewCareLeaverDeathForm(ReviewOpeningFields, CareLeaverDeathForm):
    """The death of a care leaver, and the record it opens."""

    class Meta(CareLeaverDeathForm.Meta):
        fields = ["title", "case_manager", *CareLeaverDeathForm.Meta.fields, "themes"]


def business_unit_users():
    return User.objects.filter(is_active=True, role_grants__role=Role.BUSINESS_UNIT).order_by(
        "full_name"
    )


class ReviewDetailsForm(forms.Form):
    title = forms.CharField(
        label="Review title",
        max_length=200,
        help_text="The children's pseudonyms. Never a real name.",
        error_messages={"required": "Enter the review's title"},
    )
    case_manager = forms.ModelChoiceField(
        label="Case manager", queryset=User.objects.none(), required=False, empty_label="None"
    )
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes",
        queryset=LearningTheme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = business_unit_users()


class DateForm(forms.Form):
    """A single date: "sent on", "received on"."""

    def __init__(self, *args, label="Date", field="date", hint=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[field] = date_field(label, help_text=hint)


class LettersForm(forms.Form):
    sent_on = date_field("Date the letters were sent")
    organisations = forms.ModelMultipleChoiceField(
        label="Agencies asked for a summary",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the agencies asked for a summary"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = involved_organisations()


class SummaryAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Agency",
        queryset=Organisation.objects.none(),
        error_messages={"required": "Select the agency"},
    )
    requested_on = date_field("Date requested")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active().order_by("name")


class MeetingForm(forms.Form):
    held_on = date_field("Date of the rapid review meeting", required=False)
    immediate_actions = text_area(
        "Immediate actions to keep children safe",
        required=False,
        help_text="What was done, or needs doing now, for this child and any other children.",
    )

    def __init__(self, *args, assessments=None, suggested=(), **kwargs):
        super().__init__(*args, **kwargs)
        assessments = assessments or {}
        self.sections = []
        for heading, criteria in CRITERIA_SECTIONS:
            names = []
            for criterion in criteria:
                existing = assessments.get(criterion.value)
                met_name, notes_name = f"met_{criterion.value}", f"notes_{criterion.value}"
                self.fields[met_name] = forms.BooleanField(
                    label=criterion.label,
                    required=False,
                    initial=existing.met if existing else criterion.value in suggested,
                )
                self.fields[notes_name] = forms.CharField(
                    label="Notes",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=existing.notes if existing else "",
                )
                names.append((met_name, notes_name))
            self.sections.append((heading, names))

    def assessments(self) -> dict[str, tuple[bool, str]]:
        return {
            criterion.value: (
                self.cleaned_data[f"met_{criterion.value}"],
                self.cleaned_data[f"notes_{criterion.value}"].strip(),
            )
            for _, criteria in CRITERIA_SECTIONS
            for criterion in criteria
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    rationale = text_area(
        "Rationale",
        help_text="Why, against the local and national criteria.",
        message="Enter the rationale for the decision, against the criteria",
        rows=8,
    )
    decided_on = date_field("Date of the decision")

    def clean_rationale(self):
        value = self.cleaned_data["rationale"].strip()
        if not value:
            raise forms.ValidationError(
                "Enter the rationale for the decision, against the criteria"
            )
        return value


class SignOffForm(forms.Form):
    """The partner's delegated representative signs off, themselves, on the day."""

    confirm = forms.BooleanField(
        label="I have read the decision and its rationale, and sign it off",
        error_messages={"required": "Confirm that you have read the decision and sign it off"},
    )


class PanelResponseForm(forms.Form):
    response = text_area("The Panel's response")
    response_on = date_field("Date of the Panel's response")


class TermsForm(forms.Form):
    terms_of_reference = text_area(
        "Terms of reference",
        rows=12,
        help_text="The scope, the period covered, the questions the review will answer and how.",
    )


class CommissionForm(InviteSomeoneNewMixin, forms.Form):
    reviewer = forms.ModelChoiceField(
        label="Reviewer",
        queryset=User.objects.none(),
        required=False,
        error_messages={"required": "Select the reviewer"},
        help_text="People with the reviewer role. They will see this review and no other.",
    )
    role = forms.CharField(label="Role", max_length=100, initial="Lead reviewer")
    commissioned_on = date_field("Date commissioned")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(
            is_active=True, role_grants__role=Role.REVIEWER
        ).order_by("full_name")

    def clean(self):
        data = super().clean()
        self.clean_invitation("reviewer", "Select the reviewer")
        return data


class InformedForm(forms.Form):
    panel_on = date_field("Date the Panel was told", required=False)
    ofsted_on = date_field("Date Ofsted was told", required=False)
    dfe_on = date_field("Date the Department for Education was told", required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(f) for f in ("panel_on", "ofsted_on", "dfe_on")):
            raise forms.ValidationError("Enter at least one date")
        return data


class PanelMemberForm(forms.Form):
    email = email_field("Email address")
    role = forms.CharField(label="Role on the panel", max_length=100, required=False)

    def clean_email(self):
        return user_by_email(self.cleaned_data["email"])


class DeclarationForm(forms.Form):
    interest = text_area(
        "The interest declared",
        help_text="The member's direct involvement in the case.",
        message="Describe the interest",
    )
    declared_on = date_field("Date declared")


class ConflictRecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(
        label="The panel's recommendation",
        choices=ConflictRecommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's recommendation"},
    )
    notes = text_area("Reasons", required=False)
    recommended_on = date_field("Date of the recommendation")


class AppealForm(forms.Form):
    grounds = text_area("Grounds for the appeal", message="Enter the grounds for the appeal")
    appealed_on = date_field("Date of the appeal")


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="The independent chair's decision",
        choices=AppealOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the independent chair's decision"},
    )
    notes = text_area("Reasons", required=False)
    decided_on = date_field("Date of the decision")


class AgencyRequestForm(forms.ModelForm):
    requested_on = date_field("Date requested")
    due_on = date_field("Due date", message="Enter the due date")
    kind = forms.ChoiceField(
        label="What is asked for",
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what is asked for"},
    )

    class Meta:
        model = AgencyRequest
        fields = ["organisation", "kind", "requested_on", "due_on"]
        labels = {"organisation": "Agency"}
        error_messages = {"organisation": {"required": "Select the agency"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active().order_by("name")


class PractitionerEventForm(forms.ModelForm):
    held_on = date_field("Date held")

    class Meta:
        model = PractitionerEvent
        fields = ["title", "held_on", "attendance", "notes"]
        labels = {"attendance": "Number of practitioners who took part"}
        error_messages = {"title": {"required": "Enter the event's title"}}


class MonitoringForm(forms.ModelForm):
    recorded_on = date_field("Date of the check")
    timeliness = forms.ChoiceField(
        label="Time taken",
        choices=Timeliness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the review is doing for time"},
    )
    quality = forms.ChoiceField(
        label="Quality",
        choices=Quality.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the quality of the review"},
    )

    class Meta:
        model = MonitoringEntry
        fields = ["recorded_on", "timeliness", "quality", "notes"]
        error_messages = {"notes": {"required": "Enter what was found"}}
        labels = {"notes": "What was found"}


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of document",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of document"},
    )
    title = forms.CharField(label="Title", max_length=200, required=False)

    def __init__(self, *args, reviewer=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Made here, not on the class, so the size limit is the setting's current value.
        self.fields["file"] = UploadField(
            label="File",
            extensions=(".pdf", ".docx"),
            error_messages={"required": "Select a PDF or DOCX file"},
        )
        if reviewer:  # a commissioned reviewer sends drafts and the final report
            self.fields["kind"].choices = [
                (DocumentKind.DRAFT_REPORT, DocumentKind.DRAFT_REPORT.label),
                (DocumentKind.FINAL_REPORT, DocumentKind.FINAL_REPORT.label),
            ]


class PublicationForm(forms.ModelForm):
    report_published = forms.TypedChoiceField(
        label="Is the report published?",
        choices=[
            ("yes", "Yes, with the report"),
            ("no", "No: publish information about the improvements instead"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the report is published"},
    )

    class Meta:
        model = Publication
        fields = [
            "title",
            "summary",
            "response",
            "report_published",
            "report",
            "executive_summary",
            "not_published_reason",
            "improvements",
            "notice_not_needed_reason",
        ]
        labels = {
            "notice_not_needed_reason": "Why no pre-publication notice is needed",
            "title": "Title on the website",
            "summary": "Summary of the case and its learning",
            "response": "The partnership's response: what we have done",
            "report": "Final report",
            "executive_summary": "Executive summary",
            "not_published_reason": "Why the report is not published",
            "improvements": "Information about the improvements made",
        }
        error_messages = {
            "title": {"required": "Enter the title for the website"},
            "summary": {"required": "Enter the summary"},
            "response": {"required": "Enter the partnership's response"},
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 8}),
            "response": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        documents = review.documents.all()
        self.fields["report"].queryset = documents.filter(kind=DocumentKind.FINAL_REPORT)
        self.fields["report"].empty_label = "None"
        self.fields["executive_summary"].queryset = documents.filter(
            kind=DocumentKind.EXECUTIVE_SUMMARY
        )
        self.fields["executive_summary"].empty_label = "None"
        if self.instance.pk:
            self.initial["report_published"] = "yes" if self.instance.report_published else "no"

    def clean(self):
        data = super().clean()
        if data.get("report_published") is False:
            if not (data.get("not_published_reason") or "").strip():
                self.add_error("not_published_reason", "Enter why the report is not published")
            if not (data.get("improvements") or "").strip():
                self.add_error("improvements", "Enter the information about the improvements made")
        return data


class RecommendationForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes",
        queryset=LearningTheme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Recommendation
        fields = ["text", "themes"]
        labels = {"text": "Recommendation"}
        error_messages = {"text": {"required": "Enter the recommendation"}}


class ActionForm(forms.ModelForm):
    owner_email = email_field(
        "Email address of the owner", help_text="The person who will do it and send the evidence."
    )
    due_on = date_field("Due date")

    class Meta:
        model = ActionItem
        fields = ["description", "organisation", "owner_email", "due_on"]
        labels = {"description": "Action", "organisation": "Organisation responsible"}
        error_messages = {
            "description": {"required": "Describe the action"},
            "organisation": {"required": "Select the organisation responsible"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active().order_by("name")
        if self.instance.pk and self.instance.owner_id:
            self.initial["owner_email"] = self.instance.owner.email

    def clean_owner_email(self):
        return user_by_email(self.cleaned_data["owner_email"])


class EvidenceForm(forms.Form):
    evidence = text_area(
        "Evidence of completion",
        help_text="What was done, and how you know it made a difference.",
        message="Describe the evidence that the action is complete",
        rows=8,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = UploadField(label="Supporting file", required=False)


class ActionSignOffForm(forms.Form):
    signed_off_on = date_field("Date the group signed off")
    notes = text_area("Notes", required=False, help_text="For example, the minute of the meeting.")


class LearningProductForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label="Kind",
        choices=ProductKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of learning product"},
    )
    published_on = date_field("Date published", required=False)
    link = forms.URLField(
        label="Web address",
        required=False,
        max_length=300,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address in the correct format, like https://example.org"
        },
    )
    recommendations = forms.ModelMultipleChoiceField(
        label="Recommendations it answers",
        queryset=Recommendation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = LearningProduct
        fields = ["kind", "title", "summary", "link", "published_on", "recommendations"]
        labels = {"link": "Web address"}
        error_messages = {"title": {"required": "Enter the title"}}

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].queryset = review.recommendations.all()
        self.fields["recommendations"].label_from_instance = lambda r: f"{r.number}. {r.text[:120]}"


class AccessForm(forms.Form):
    email = email_field("Email address", help_text="They must already have an account.")

    def clean_email(self):
        return user_by_email(self.cleaned_data["email"])


class RulesForm(forms.ModelForm):
    rapid_review_starts_from = forms.ChoiceField(
        label="The rapid review's clock starts from",
        choices=StartingEvent.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ReviewRules
        fields = [
            "notification_working_days",
            "rapid_review_working_days",
            "rapid_review_starts_from",
            "letters_day",
            "summaries_day",
            "meeting_day",
            "sign_off_day",
            "publication_months",
            "pre_publication_notice_working_days",
            "published_for_months",
            "reminder_working_days",
            "due_soon_working_days",
            "notify_partners",
            "notify_looked_after_deaths",
            "care_leaver_age_limit",
            "chair_sees_reviews",
        ]
        help_texts = {
            "notify_partners": "Working Together 2023: yes. The Panel is always notified, "
            "through the Child Safeguarding Incident Notification System.",
            "notify_looked_after_deaths": "Working Together 2023: yes.",
            "care_leaver_age_limit": "Working Together 2023: 24.",
            "chair_sees_reviews": "Default: yes. Every look is on the record, as anyone's is.",
            "notification_working_days": "Statutory default: 5.",
            "rapid_review_working_days": "Default: 15.",
            "publication_months": "Default: 6.",
            "pre_publication_notice_working_days": "Default: 7.",
            "published_for_months": "At least 12.",
            "reminder_working_days": 'Working days before each deadline, separated by commas, for example "5, 1".',
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField):
                # Range checked in clean(), with a message that names the rule.
                field.validators = []
                field.widget.attrs.pop("min", None)
                field.widget.attrs.pop("max", None)
                field.error_messages.update(
                    {
                        "required": f"Enter a number for \u201c{field.label}\u201d",
                        "invalid": f"\u201c{field.label}\u201d must be a whole number",
                    }
                )

    def clean_reminder_working_days(self):
        value = self.cleaned_data["reminder_working_days"]
        try:
            offsets = parse_offsets(value)
        except ValueError:
            raise forms.ValidationError(
                'Enter whole numbers of working days separated by commas, like "5, 1"'
            ) from None
        if not offsets or any(o < 0 or o > 60 for o in offsets):
            raise forms.ValidationError("Enter between 1 and 60 working days for each reminder")
        return ", ".join(str(o) for o in offsets)

    def clean_published_for_months(self):
        value = self.cleaned_data["published_for_months"]
        if value is not None and value < 12:
            raise forms.ValidationError(
                "Published reports stay on the website for at least 12 months"
            )
        return value

    def clean(self):
        data = super().clean()
        days = [
            (name, data.get(name))
            for name in ("letters_day", "summaries_day", "meeting_day", "sign_off_day")
        ]
        total = data.get("rapid_review_working_days")
        if all(value is not None for _, value in days) and total is not None:
            values = [value for _, value in days]
            if values != sorted(values):
                self.add_error(
                    "summaries_day",
                    "The rapid review's steps must come in order: letters, summaries, meeting, sign-off",
                )
            elif values[-1] > total:
                self.add_error(
                    "sign_off_day",
                    "The partners' sign-off must fall within the rapid review's working days",
                )
        for name, field in self.fields.items():
            value = data.get(name)
            if (
                isinstance(field, forms.IntegerField)
                and value is not None
                and not 0 <= value <= 366
            ):
                self.add_error(name, f"\u201c{field.label}\u201d must be between 0 and 366")
        age_limit = data.get("care_leaver_age_limit")
        if age_limit is not None and age_limit < 16:
            self.add_error(
                "care_leaver_age_limit", "Care leavers are aged 16 or over: enter 16 or more"
            )
        for name in (
            "notification_working_days",
            "rapid_review_working_days",
            "publication_months",
        ):
            if data.get(name) == 0:
                self.add_error(name, f"\u201c{self.fields[name].label}\u201d must be more than 0")
        return data


class ThemeForm(forms.ModelForm):
    class Meta:
        model = LearningTheme
        fields = ["name", "description", "is_active", "display_order"]
        labels = {
            "is_active": "In use (offered when tagging reviews and recommendations)",
            "display_order": "Order in lists",
        }
        error_messages = {
            "name": {
                "required": "Enter the theme's name",
                "unique": "A theme with this name already exists",
            }
        }


class ReviewFilterForm(forms.Form):
    q = forms.CharField(label="Reference or title", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "All stages"), *ReviewStatus.choices]
    )
    theme = forms.ModelChoiceField(
        label="Theme",
        required=False,
        queryset=LearningTheme.objects.all(),
        empty_label="All themes",
    )


class DeadlineFilterForm(forms.Form):
    WHEN = [
        ("", "Overdue and due soon"),
        ("overdue", "Overdue"),
        ("soon", "Due soon"),
        ("all", "All open"),
    ]
    when = forms.ChoiceField(label="Show", required=False, choices=WHEN)
    mine = forms.BooleanField(label="Only mine", required=False)


class ActionFilterForm(forms.Form):
    STATUS = [
        ("", "All not signed off"),
        ("overdue", "Overdue"),
        ("evidence_submitted", "Evidence submitted"),
        ("signed_off", "Signed off"),
    ]
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS)
    organisation = forms.ModelChoiceField(
        label="Organisation",
        required=False,
        queryset=Organisation.objects.none(),
        empty_label="All organisations",
    )
    mine = forms.BooleanField(label="Only mine", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active().order_by("name")
