import datetime as dt
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Max

from partnership.directory.models import Organisation
from partnership.governance.models import Priority
from partnership.web.forms import GovukDateField, UploadField

from .models import (
    Frequency,
    Indicator,
    IndicatorVersion,
    PerformanceSettings,
    Polarity,
    ReportingPeriod,
    Unit,
    financial_year_label,
)
from .spreadsheets import RETURN_DOCUMENT_LIMITS, RETURN_LIMITS


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
    file = UploadField(
        label="Return file",
        extensions=(".xlsx", ".csv"),
        max_bytes=RETURN_LIMITS.max_bytes,
        document_limits=RETURN_DOCUMENT_LIMITS,
        help_text=(
            f"XLSX or CSV, up to {RETURN_LIMITS.max_bytes // (1024 * 1024)}MB and"
            f" {RETURN_LIMITS.max_rows:,} rows"
        ),
    )
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
    year = forms.TypedChoiceField(
        label="Up to the financial year",
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = sorted(
            {
                start.year if start.month >= 4 else start.year - 1
                for start in ReportingPeriod.objects.values_list("start", flat=True)
            },
            reverse=True,
        )
        self.fields["year"].choices = [("", "The latest")] + [
            (str(year), financial_year_label(dt.date(year, 4, 1))) for year in years
        ]

    def until(self) -> dt.date | None:
        """The last day shown: the end of the chosen financial year, or None for today."""
        year = self.cleaned_data.get("year") if self.is_valid() else None
        return dt.date(year + 1, 3, 31) if year is not None else None


# --- Managing the library, the settings and the chasers ------------------------------------

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"


def _number(label, *, required=False, help_text="", min_value=None, decimal_places=2):
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=14,
        decimal_places=decimal_places,
        min_value=min_value,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": f"{label} must be a number",
            "max_decimal_places": f"{label} can have at most 2 decimal places",
            "max_digits": f"{label} is too large",
            "max_whole_digits": f"{label} is too large",
        },
    )


class DefinitionForm(forms.Form):
    """A version of an indicator's definition: what is counted, the target and the dates."""

    definition = forms.CharField(
        label="Definition",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter the definition"},
    )
    numerator = forms.CharField(label="Numerator", required=False, max_length=300)
    denominator = forms.CharField(label="Denominator", required=False, max_length=300)
    target = _number("Target", help_text="In the indicator's unit. Leave blank for no target.")
    tolerance = _number(
        "RAG tolerance",
        help_text="How far on the wrong side of the target is still amber, in the unit."
        " Leave blank for 0.",
    )
    min_value = _number(
        "Lowest allowed value", help_text="Figures below it are refused. Leave blank for 0."
    )
    max_value = _number(
        "Highest allowed value",
        help_text="Figures above it are refused. Leave blank for none (100 for a percentage).",
    )
    source = forms.CharField(label="Data source", required=False, max_length=250)
    valid_from = GovukDateField(
        label="In use from",
        help_text="For example, 1 4 2025. The report for a period uses the definition in use"
        " on the period's last day.",
        error_messages={"required": "Enter the date the definition is in use from"},
    )
    valid_to = GovukDateField(
        label="In use to",
        required=False,
        help_text="Leave blank while it is in use.",
    )
    reason = forms.CharField(label="Why this definition", required=False, max_length=300)

    version_fields = [
        "definition",
        "numerator",
        "denominator",
        "target",
        "tolerance",
        "min_value",
        "max_value",
        "source",
        "valid_from",
        "valid_to",
        "reason",
    ]

    def version(self):
        data = {name: self.cleaned_data.get(name) for name in self.version_fields}
        data["tolerance"] = data["tolerance"] if data["tolerance"] is not None else 0
        for name in ("target", "tolerance", "min_value", "max_value"):
            if data[name] is not None:
                data[name] = Decimal(data[name]).quantize(Decimal("0.01"))
        for name in ("numerator", "denominator", "source", "reason", "definition"):
            data[name] = (data[name] or "").strip()
        return IndicatorVersion(**data)


class IndicatorAddForm(DefinitionForm):
    """A new indicator and its first definition."""

    code = forms.RegexField(
        label="Code",
        regex=CODE_PATTERN,
        max_length=40,
        help_text="Letters, numbers, hyphens and underscores, for example DA04. Agencies use"
        " it in their spreadsheets and the API.",
        error_messages={
            "required": "Enter the indicator's code",
            "invalid": "The code can only have letters, numbers, hyphens and underscores",
        },
    )
    name = forms.CharField(
        label="Name", max_length=250, error_messages={"required": "Enter the indicator's name"}
    )
    unit = forms.ChoiceField(
        label="Unit",
        choices=Unit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the unit"},
    )
    polarity = forms.ChoiceField(
        label="Polarity",
        choices=Polarity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether higher or lower is better"},
    )
    frequency = forms.ChoiceField(
        label="Frequency",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often it is reported"},
    )
    owner = forms.ModelChoiceField(
        label="Owner organisation",
        queryset=Organisation.objects.order_by("name"),
        empty_label="Choose the organisation",
        help_text="The organisation that sends the figure.",
        error_messages={"required": "Choose the organisation that sends the figure"},
    )
    priority = forms.ModelChoiceField(
        label="Linked priority",
        queryset=Priority.objects.all(),
        required=False,
        empty_label="None",
    )

    indicator_fields = ["code", "name", "unit", "polarity", "frequency", "owner", "priority"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.indicator_fields + self.version_fields)
        self.fields["reason"].label = "Notes"

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def indicator(self):
        return Indicator(
            **{name: self.cleaned_data.get(name) for name in self.indicator_fields},
            sort_order=_next_sort_order(),
        )


def _next_sort_order() -> int:
    return (Indicator.objects.aggregate(top=Max("sort_order"))["top"] or 0) + 1


class IndicatorChangeForm(forms.ModelForm):
    """The indicator itself (not its definition). The unit, polarity and frequency can only
    change while no figures have been reported."""

    class Meta:
        model = Indicator
        fields = [
            "name",
            "key_point_subject",
            "unit",
            "polarity",
            "frequency",
            "owner",
            "priority",
            "sort_order",
        ]
        labels = {
            "key_point_subject": "Name in key points",
            "owner": "Owner organisation",
            "priority": "Linked priority",
            "sort_order": "Position in the library",
        }
        widgets = {
            "unit": forms.RadioSelect,
            "polarity": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "sort_order": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        error_messages = {
            "name": {"required": "Enter the indicator's name"},
            "owner": {"required": "Choose the organisation that sends the figure"},
        }

    def __init__(self, *args, fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.order_by("name")
        self.fields["owner"].empty_label = "Choose the organisation"
        self.fields["priority"].empty_label = "None"
        self.fields["sort_order"].error_messages["invalid"] = "The position must be a number"
        self.fixed = fixed
        if fixed:
            for name in ("unit", "polarity", "frequency"):
                del self.fields[name]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = PerformanceSettings
        fields = ["due_working_days", "key_point_threshold"]
        labels = {
            "due_working_days": "Returns are due this many working days after the period ends",
            "key_point_threshold": "A change is a key point from",
        }
        help_texts = {
            "due_working_days": "Counting England and Wales bank holidays. The due dates of"
            " the periods not yet due are worked out again when you save.",
            "key_point_threshold": "Per cent of the previous value, or percentage points for"
            " a percentage.",
        }
        widgets = {
            "due_working_days": forms.TextInput(attrs={"inputmode": "numeric"}),
            "key_point_threshold": forms.TextInput(attrs={"inputmode": "decimal"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = self.fields["due_working_days"]
        days.min_value = 1
        days.validators.append(MinValueValidator(1))
        days.error_messages.update(
            {
                "required": "Enter the number of working days",
                "invalid": "The number of working days must be a whole number",
                "min_value": "Returns must be due at least 1 working day after the period ends",
                "max_value": "Returns must be due within 120 working days of the period's end",
            }
        )
        threshold = self.fields["key_point_threshold"]
        threshold.error_messages.update(
            {
                "required": "Enter the key-point threshold",
                "invalid": "The key-point threshold must be a number",
                "min_value": "The key-point threshold cannot be negative",
                "max_digits": "The key-point threshold must be under 10,000",
                "max_whole_digits": "The key-point threshold must be under 10,000",
                "max_decimal_places": "The key-point threshold can have at most 2 decimal places",
            }
        )


class ChaserForm(forms.Form):
    """A chaser offset: so many days before or after the due date, or on it."""

    BEFORE, ON, AFTER = "before", "on", "after"
    when = forms.ChoiceField(
        label="When is the chaser sent?",
        choices=[
            (BEFORE, "Before the due date"),
            (ON, "On the due date"),
            (AFTER, "After the due date"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when the chaser is sent"},
    )
    days = forms.IntegerField(
        label="How many days before or after",
        required=False,
        help_text="Calendar days. Leave blank for a chaser on the due date.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "The number of days must be a whole number"},
    )

    def clean(self):
        cleaned = super().clean()
        when, days = cleaned.get("when"), cleaned.get("days")
        if when in (self.BEFORE, self.AFTER):
            limit = 60 if when == self.BEFORE else 90
            if "days" in self.errors:
                pass
            elif days is None:
                self.add_error("days", f"Enter how many days {when} the due date")
            elif not 1 <= days <= limit:
                self.add_error("days", f"The number of days {when} must be between 1 and {limit}")
        return cleaned

    @property
    def days_from_due(self) -> int:
        when, days = self.cleaned_data["when"], self.cleaned_data.get("days") or 0
        return {self.BEFORE: -days, self.ON: 0, self.AFTER: days}[when]
