from django import forms

from .models import EmailStatus


class EmailFilterForm(forms.Form):
    to = forms.CharField(
        label="Recipient", required=False, max_length=254, help_text="Email address or part of it"
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *EmailStatus.choices]
    )
    kind = forms.ChoiceField(label="Kind of email", required=False)
    batch = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Any kind"), *((kind, kind) for kind in kinds)]
