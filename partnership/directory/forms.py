from django import forms

from partnership.accounts.models import ROLES_WITH_ORGANISATION_SCOPE, Role
from partnership.web.forms import GovukDateField, UploadField

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


# People and their accounts -------------------------------------------------------------

EMAIL_ERRORS = {"invalid": "Enter an email address in the correct format, like name@example.org"}


class OrganisationChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Organisation.objects.active().only("name"))
        kwargs.setdefault("empty_label", "Select the organisation")
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Select the organisation",
                "invalid_choice": "Select the organisation",
            },
        )
        super().__init__(**kwargs)


class PersonForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter their full name"}
    )
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    email = forms.EmailField(
        label="Email address", max_length=254, required=False, error_messages=EMAIL_ERRORS
    )
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    organisation = OrganisationChoiceField(label="Organisation")
    started_on = GovukDateField(label="Start date", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "off"})


class PersonEndForm(forms.Form):
    ended_on = GovukDateField(
        label="Date they left", error_messages={"required": "Enter the date they left"}
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        help_text="For example: left the school; moved to another post. It is kept on the trail.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why they are leaving"},
    )


def role_choices():
    return Role.choices


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Roles")
        kwargs.setdefault("choices", role_choices)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class InviteForm(forms.Form):
    """Invite a person already in the directory: the roles to give them with the account."""

    roles = RolesField(
        help_text="Every role but practitioner sets up an authenticator app after the password."
    )
    scope = OrganisationChoiceField(
        label="Organisation they send data for",
        required=False,
        empty_label="Their own organisation",
        help_text="For a data submitter only.",
    )

    def role_pairs(self) -> list[tuple]:
        scope = self.cleaned_data.get("scope")
        return [
            (role, scope if role in ROLES_WITH_ORGANISATION_SCOPE else None)
            for role in self.cleaned_data.get("roles", [])
        ]


class NewPersonInviteForm(PersonForm, InviteForm):
    """Add a person and invite them in one step: the directory entry, then the account."""

    field_order = ["full_name", "email", "job_title", "phone", "organisation", "roles", "scope"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("started_on")
        self.fields["email"].required = True
        self.fields["email"].error_messages["required"] = "Enter their email address"


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=role_choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )
    scope = OrganisationChoiceField(
        label="Organisation they send data for",
        required=False,
        empty_label="Their own organisation",
        help_text="For a data submitter only: the agency whose returns they send.",
    )


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: left the partnership. It is kept on the trail.",
        error_messages={"required": "Enter why the account is being deactivated"},
    )


class RoleHolderFilterForm(forms.Form):
    role = forms.ChoiceField(label="Role", required=False)
    organisation = forms.ModelChoiceField(
        label="Organisation",
        required=False,
        queryset=Organisation.objects.only("name"),
        empty_label="All organisations",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "All roles"), *role_choices()]


class InviteSomeoneNewMixin(forms.Form):
    """ "Someone not listed: invite them", for a form that picks a person (an action's owner).

    Add it to the form's bases and call `clean_invitation(picked_field)` from `clean()`:
    either a person is picked from the list or the new person's details are given, not both.
    `invitation_details()` returns the details for `directory.services.person_invite`.
    """

    invite_full_name = forms.CharField(label="Full name", max_length=150, required=False)
    invite_email = forms.EmailField(
        label="Email address", max_length=254, required=False, error_messages=EMAIL_ERRORS
    )
    invite_organisation = OrganisationChoiceField(label="Organisation", required=False)
    invite_job_title = forms.CharField(label="Job title", max_length=200, required=False)

    INVITE_FIELDS = ("invite_full_name", "invite_email", "invite_organisation", "invite_job_title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("invite_full_name", "invite_email"):
            self.fields[name].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    @property
    def inviting(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.INVITE_FIELDS) or any(
            self.has_error(name) for name in self.INVITE_FIELDS
        )

    def clean_invitation(self, picked_field: str, missing_message: str) -> None:
        picked = self.cleaned_data.get(picked_field)
        if self.inviting:
            if picked:
                self.add_error(
                    "invite_full_name",
                    "Either select someone from the list or invite someone new, not both",
                )
                return
            required = {
                "invite_full_name": "Enter the full name of the person to invite",
                "invite_email": "Enter the email address of the person to invite",
                "invite_organisation": "Select the organisation of the person to invite",
            }
            for name, message in required.items():
                if not self.cleaned_data.get(name) and not self.has_error(name):
                    self.add_error(name, message)
        elif not picked and not self.has_error(picked_field):
            self.add_error(picked_field, missing_message)

    def invitation_details(self) -> dict | None:
        if not self.inviting:
            return None
        data = self.cleaned_data
        return {
            "full_name": data["invite_full_name"],
            "email": data["invite_email"],
            "organisation": data["invite_organisation"],
            "job_title": data["invite_job_title"],
        }


class PeopleImportForm(forms.Form):
    file = UploadField(
        label="Spreadsheet of people",
        extensions=(".xlsx", ".csv"),
        max_bytes=2 * 1024 * 1024,
        error_messages={"required": "Select the spreadsheet to upload"},
    )
