from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from partnership.directory.models import Organisation, Person
from partnership.governance.models import lines
from partnership.web.forms import GovukDateField, UploadField

from .models import PlanStatus, RagRating


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.full_name}, {person.organisation.display_name}"


class PlanForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=150,
        error_messages={"required": "Enter the plan's title, for example Business plan 2020-2022"},
    )
    slug = forms.SlugField(
        label="Short name for the web address",
        max_length=80,
        help_text="Lower-case letters, numbers and hyphens, for example 2020-2022",
        error_messages={
            "required": "Enter a short name for the web address",
            "invalid": "The short name can only have lower-case letters, numbers and hyphens",
        },
    )
    starts_on = GovukDateField(
        label="Start date", error_messages={"required": "Enter the date the plan starts"}
    )
    ends_on = GovukDateField(
        label="End date", error_messages={"required": "Enter the date the plan ends"}
    )
    status = forms.ChoiceField(
        label="Status", choices=PlanStatus.choices, widget=forms.RadioSelect, initial="draft"
    )
    vision = forms.CharField(
        label="Vision",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the vision"},
    )
    mission = forms.CharField(
        label="Mission",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the mission"},
    )
    enablers = forms.CharField(
        label="Enablers", widget=forms.Textarea, required=False, help_text="One a line"
    )
    principles = forms.CharField(
        label="Guiding principles", widget=forms.Textarea, required=False, help_text="One a line"
    )
    key_outcomes = forms.CharField(
        label="Key outcomes", widget=forms.Textarea, required=False, help_text="One a line"
    )

    def __init__(self, *args, taken_slugs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.taken_slugs = set(taken_slugs)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in self.taken_slugs:
            raise ValidationError("Another plan already has this short name")
        return slug

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", "The end date must be after the start date")
        for name in ("enablers", "principles", "key_outcomes"):
            data[name] = lines(data.get(name) or "")
        return data


class PriorityForm(forms.Form):
    priority = forms.ModelChoiceField(
        label="Strategic priority",
        queryset=None,
        empty_label="Select the priority",
        help_text="The Strategic Forum's meetings are themed on these",
        error_messages={"required": "Select the priority", "invalid_choice": "Select the priority"},
    )
    statement = forms.CharField(
        label="How the plan words it", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    lead_organisation = forms.ModelChoiceField(
        label="Thematic lead organisation",
        queryset=None,
        empty_label="Select the organisation",
        error_messages={
            "required": "Select the thematic lead organisation",
            "invalid_choice": "Select the thematic lead organisation",
        },
    )
    lead = PersonChoiceField(
        label="Named lead",
        queryset=None,
        required=False,
        empty_label="No named lead yet",
        help_text="The named lead may add progress updates to this priority's actions",
    )

    def __init__(self, *args, priorities, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities
        self.fields["lead_organisation"].queryset = Organisation.objects.filter(
            pk__in=people.values("organisation_id")
        ).order_by("name")
        self.fields["lead"].queryset = people


def position_field(count: int, what: str) -> forms.IntegerField:
    """The place of an item in its list, 1 to `count`."""
    message = f"Enter a number from 1 to {count} for the {what}'s place in the order"
    return forms.IntegerField(
        label="Place in the order",
        min_value=1,
        max_value=count,
        help_text=f"1 is first; there are {count}. The others move up or down to make room",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


class PriorityChangeForm(PriorityForm):
    """Change a plan priority: its wording, leads and place in the order (not which priority
    it is: remove it and add the right one instead)."""

    def __init__(self, *args, count, current=None, **kwargs):
        super().__init__(*args, priorities=None, **kwargs)
        del self.fields["priority"]
        self.fields["position"] = position_field(count, "priority")
        if current is not None:
            # The present leads stay choosable even if they no longer sit on a group.
            organisations = self.fields["lead_organisation"].queryset
            self.fields["lead_organisation"].queryset = Organisation.objects.filter(
                Q(pk__in=organisations.values("pk")) | Q(pk=current.lead_organisation_id)
            ).order_by("name")
            people = self.fields["lead"].queryset
            self.fields["lead"].queryset = (
                Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk=current.lead_id))
                .select_related("organisation")
                .order_by("full_name")
            )


class OutcomeForm(forms.Form):
    text = forms.CharField(
        label="Outcome",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How will we achieve the priority?",
        error_messages={"required": "Enter the outcome"},
    )

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.fields["position"] = position_field(count, "outcome")


class RemoveForm(forms.Form):
    """Confirming a removal: no fields, only the rule's refusal as an error."""


class ActionForm(forms.Form):
    title = forms.CharField(
        label="Action",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter what will be done"},
    )
    outcome = forms.TypedChoiceField(
        label="Outcome",
        coerce=int,
        error_messages={
            "required": "Select the outcome the action serves",
            "invalid_choice": "Select the outcome the action serves",
        },
    )
    owner = PersonChoiceField(
        label="Owner",
        queryset=Person.objects.none(),
        empty_label="Select the owner",
        help_text="The person accountable for the action",
        error_messages={
            "required": "Select who owns the action",
            "invalid_choice": "Select who owns the action",
        },
    )
    due_on = GovukDateField(
        label="Due date", error_messages={"required": "Enter the date the action is due"}
    )
    measure_of_success = forms.CharField(
        label="Measure of success",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter how we will know the action has worked"},
    )
    recommendations = forms.TypedMultipleChoiceField(
        label="Review recommendations it answers",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.TypedMultipleChoiceField(
        label="Performance indicators it should move",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, outcomes, people, recommendations, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", "Select the outcome")] + [
            (outcome.pk, outcome.text[:120]) for outcome in outcomes
        ]
        self.fields["owner"].queryset = people
        self.fields["recommendations"].choices = [
            (r.pk, f"{r.review.reference}, recommendation {r.number}: {r.text[:100]}")
            for r in recommendations
        ]
        self.fields["indicators"].choices = [(i.pk, f"{i.code}: {i.name}") for i in indicators]
        if not indicators:
            del self.fields["indicators"]


class ProgressUpdateForm(forms.Form):
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=RagRating.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a RAG rating",
            "invalid_choice": "Select a RAG rating",
        },
    )
    note = forms.CharField(
        label="Progress since the last update",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the progress made"},
    )
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What shows the progress: an audit, figures, a report",
    )
    evidence_file = UploadField(label="Evidence file", required=False)


class CarryOverForm(forms.Form):
    to_plan = forms.TypedChoiceField(
        label="Carry the unfinished actions over to",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the plan to carry the actions over to",
            "invalid_choice": "Select the plan to carry the actions over to",
        },
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_plan"].choices = [(plan.pk, plan.title) for plan in plans]


class ThematicNarrativeForm(forms.Form):
    text = forms.CharField(
        label="Your account as thematic lead",
        help_text="What has gone well, what has not, and what you ask of the meeting. "
        "Leave a blank line between paragraphs.",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        error_messages={"required": "Enter your account as thematic lead"},
    )
