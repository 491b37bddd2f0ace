from django import forms

from partnership.web.forms import GovukDateField

from .models import EmailChoice
from .providers import ACTION_SOURCES


class ActionFilterForm(forms.Form):
    STATUS = [("open", "Open"), ("overdue", "Overdue"), ("done", "Done"), ("all", "All")]
    status = forms.ChoiceField(label="Status", choices=STATUS, required=False)
    module = forms.ChoiceField(
        label="Where",
        choices=[("", "Everywhere")] + [(s.module, s.label) for s in ACTION_SOURCES],
        required=False,
    )
    due_before = GovukDateField(label="Due before", required=False)


class EmailPreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label="When something new is asked of you",
        choices=EmailChoice.choices,
        widget=forms.RadioSelect,
    )
