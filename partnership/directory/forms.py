from django import forms

from partnership.web.forms import GovukDateField

from .models import Organisation, OrganisationKind


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={
            "invalid": "Enter a web address in the correct format, like https://example.org"
        },
    )
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of organisation"},
    )

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "parent", "description", "website"]
        labels = {"short_name": "Short name", "parent": "Part of"}
        error_messages = {
            "name": {
                "required": "Enter the organisation's name",
                "unique": "An organisation with this name already exists",
                "max_length": "The name must be 200 characters or fewer",
            },
            "website": {
                "invalid": "Enter a web address in the correct format, like https://example.org"
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Organisation.objects.active().only("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "Not part of another organisation"
        self.fields["name"].widget.attrs["spellcheck"] = "false"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not any(character.isalnum() for character in name):
            raise forms.ValidationError("The name must include some letters or numbers")
        return name

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        ancestor = parent
        while ancestor is not None and self.instance.pk:
            if ancestor.pk == self.instance.pk:
                raise forms.ValidationError("An organisation cannot be part of itself")
            ancestor = ancestor.parent
        return parent


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *OrganisationKind.choices]
    )


class TokenIssueForm(forms.Form):
    name = forms.CharField(
        label="What the token is for",
        max_length=100,
        help_text='For example "Quarterly data returns from our case management system".',
        error_messages={"required": "Enter what the token is for"},
    )


class RenameForm(forms.Form):
    """A renaming: the new name and the day it came into use (the rules are the service's)."""

    name = forms.CharField(
        label="New name",
        max_length=200,
        error_messages={
            "required": "Enter the new name",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    short_name = forms.CharField(
        label="New short name",
        max_length=60,
        required=False,
        help_text="For example ICB. Leave it empty if the organisation has none.",
        error_messages={"max_length": "The short name must be 60 characters or fewer"},
    )
    renamed_on = GovukDateField(
        label="Date of the change",
        help_text="The first day of the new name, for example 1 7 2022. Records before this "
        "day keep the old name.",
        error_messages={"required": "Enter the date of the change"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["spellcheck"] = "false"
