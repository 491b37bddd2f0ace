from django import forms
from django.core.exceptions import ValidationError

from .models import ErasureGround
from .registry import holdable_kinds


class RetentionForm(forms.Form):
    permanent = forms.BooleanField(
        label="Keep these records permanently",
        required=False,
        help_text="They are never proposed for destruction.",
    )
    years = forms.IntegerField(label="Years", min_value=0, max_value=150, required=False)
    months = forms.IntegerField(label="And months", min_value=0, max_value=11, required=False)
    note = forms.CharField(
        label="Why the partnership chose this period",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if data.get("permanent"):
            data["total_months"] = None
            return data
        total = (data.get("years") or 0) * 12 + (data.get("months") or 0)
        if total < 1 and not self.errors:
            raise ValidationError(
                {"years": "Enter how long to keep these records, or keep them permanently"}
            )
        data["total_months"] = total
        return data


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of record")
    object_id = forms.IntegerField(
        label="Record id",
        min_value=1,
        help_text="The number in the record's web address, for example 12 in /reviews/12/.",
    )
    reason = forms.CharField(
        label="Why it must be kept",
        help_text="For example: a claim, an inquiry, a coroner's request, a complaint.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose a kind of record")] + [
            (kind.key, kind.label) for kind in holdable_kinds()
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked the list and understand the records will be destroyed for good",
        error_messages={"required": "Confirm that you have checked the list"},
    )


class EmptyForm(forms.Form):
    pass


class SubjectForm(forms.Form):
    email = forms.EmailField(
        label="The person's email address",
        help_text="Their account, directory entries and bookings in this address are found.",
        max_length=254,
    )


class SubjectAccessForm(SubjectForm):
    reference = forms.CharField(
        label="Your reference for the request", required=False, max_length=100
    )


class ErasureForm(SubjectForm):
    ground = forms.ChoiceField(
        label="Ground for erasure (UK GDPR Article 17)",
        choices=[("", "Choose a ground"), *ErasureGround.choices],
    )
    notes = forms.CharField(
        label="Notes (your reference, how the request came in)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    confirm = forms.BooleanField(
        label="I have checked what will be erased and what will be kept",
        error_messages={"required": "Confirm that you have checked what will be erased"},
    )
