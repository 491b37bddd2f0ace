from django import forms

from partnership.forms import UploadField

from .models import Unit


class ReturnForm(forms.Form):
    """The web form for a return: a value for each indicator (numerator and denominator for
    percentages and rates), a reason when correcting, and save or submit."""

    reason = forms.CharField(
        label="Why are you changing the figures?",
        required=False,
        max_length=500,
        help_text="Needed when you correct a return already submitted.",
    )

    def __init__(self, *args, indicators, current=None, needs_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.needs_reason = needs_reason
        current = current or {}
        self.groups = []
        for indicator in indicators:
            point = current.get(indicator.pk)
            names = []
            if indicator.unit in (Unit.PERCENTAGE, Unit.RATE):
                for part in ("numerator", "denominator"):
                    name = f"{indicator.code}__{part}"
                    self.fields[name] = forms.CharField(
                        label=f"{part.capitalize()}",
                        required=False,
                        initial=_plain(getattr(point, part, None)),
                        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                    )
                    names.append(name)
            name = f"{indicator.code}__value"
            self.fields[name] = forms.CharField(
                label=f"Value ({indicator.get_unit_display().lower()})",
                required=False,
                initial=_plain(getattr(point, "value", None)),
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            names.append(name)
            self.groups.append((indicator, names))
        self.order_fields([n for _i, names in self.groups for n in names] + ["reason"])

    def rows(self) -> list[dict]:
        rows = []
        for number, (indicator, names) in enumerate(self.groups, start=1):
            row = {"row": number, "code": indicator.code, "columns": {}}
            for name in names:
                part = name.split("__")[1]
                row[part] = self.cleaned_data.get(name)
                row["columns"][part] = name
            if not any(row.get(part) for part in ("numerator", "denominator", "value")):
                continue
            rows.append(row)
        return rows

    def clean(self):
        cleaned = super().clean()
        if self.needs_reason and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why you are changing a submitted return")
        return cleaned


def _plain(value):
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class UploadForm(forms.Form):
    file = UploadField(label="Return file", extensions=(".xlsx", ".csv"))
    reason = forms.CharField(
        label="Why are you changing the figures?",
        required=False,
        max_length=500,
        help_text="Needed when you correct a return already submitted.",
    )
    submit = forms.TypedChoiceField(
        label="When the file is accepted",
        choices=[("yes", "Submit the return"), ("no", "Save it as a draft")],
        widget=forms.RadioSelect,
        initial="yes",
        coerce=lambda v: v == "yes",
    )

    def __init__(self, *args, needs_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_reason = needs_reason

    def clean(self):
        cleaned = super().clean()
        if self.needs_reason and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why you are changing a submitted return")
        return cleaned


class CommentForm(forms.Form):
    body = forms.CharField(label="Group comment", widget=forms.Textarea, max_length=5000)


class CompletenessFilter(forms.Form):
    frequency = forms.ChoiceField(
        label="Returns",
        choices=[("quarterly", "Quarterly"), ("yearly", "Yearly"), ("monthly", "Monthly")],
        required=False,
    )
