from django import forms

from partnership.web.forms import GovukDateField

from .actors import ActorKind
from .models import Action


class TrailFilterForm(forms.Form):
    actor = forms.CharField(label="Who (name, email, token or job)", required=False, max_length=100)
    actor_kind = forms.ChoiceField(
        label="Kind of actor",
        required=False,
        choices=[("", "Any kind"), *ActorKind.choices],
    )
    organisation = forms.CharField(
        label="For organisation", required=False, max_length=100, help_text="Name or part of it"
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *Action.choices]
    )
    object_type = forms.CharField(
        label="Kind of record",
        required=False,
        max_length=100,
        help_text="For example directory.organisation",
    )
    object_id = forms.CharField(label="Record number", required=False, max_length=64)
    since = GovukDateField(label="From", required=False)
    until = GovukDateField(label="To", required=False)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date must be the same as or after the start date")
        return cleaned
