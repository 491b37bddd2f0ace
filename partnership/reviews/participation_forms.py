"""The forms of the pages for people outside the business unit, the rapid review report and
withdrawing a publication (forms.py holds the rest)."""

from django import forms

from partnership.directory.models import Person
from partnership.web.forms import UploadField

from .forms import text_area
from .models import REPORT_SECTIONS

SUMMARY_HELP = (
    "Your contact with the child and family, what was known, the decisions made and why, any "
    "immediate actions to keep children safe and any learning so far. Use the pseudonym only."
)
REQUEST_HELP = (
    "What the review has asked of your agency, written here or in the document you attach "
    "(then say here what it holds). Use the pseudonym only."
)


class ContributionForm(forms.Form):
    """What an agency's contact writes and sends: `what` names it ("summary",
    "chronology", "learning summary")."""

    def __init__(self, *args, what: str = "summary", help_text: str = SUMMARY_HELP, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contribution"] = text_area(
            f"Your agency's {what}",
            rows=14,
            help_text=help_text,
            message=f"Enter your agency's {what}",
        )
        # Made here, not on the class, so the size limit is the setting's current value.
        self.fields["file"] = UploadField(
            label="A document with it (optional)",
            extensions=(".pdf", ".docx"),
            required=False,
        )


class DelegatedPartnerForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Delegated safeguarding partner",
        queryset=Person.objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Choose the person who signs off for the partner"},
        help_text="Only people at the partner who have an account are listed.",
    )

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.current()
            .filter(organisation=partner, user__isnull=False, user__is_active=True)
            .order_by("full_name")
        )


class ReportForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, heading in REPORT_SECTIONS:
            self.fields[field] = text_area(heading, required=False, rows=8)


class WithdrawForm(forms.Form):
    reason = text_area(
        "Why the publication is withdrawn",
        help_text="It is kept on the review's record.",
        message="Enter why the publication is withdrawn",
    )
