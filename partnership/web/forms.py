"""Django forms rendered through the GOV.UK Frontend components.

Django forms stay the validation layer. `field_params` turns a bound field into the
parameters of the matching GOV.UK macro (input, textarea, select, radios, checkboxes, date
input, file upload, password input), and `error_summary` builds the error summary that links
to each field. The macro `field` in `jinja2/includes/forms.html` does the rendering.
"""

import datetime
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from partnership.lib.uploads import DocumentLimits, FileRefused, document_check

DOCUMENT_LIMITS = DocumentLimits()


def posted(request):
    """The submitted data on a POST, else None: an empty POST is still a submission to check.

    (`request.POST or None` would treat an empty submission as no submission, and show the
    blank form again without saying what is missing.)
    """
    return request.POST if request.method == "POST" else None


def show_refusal(form, error: ValidationError) -> None:
    """Show a rule a service enforced (and so saved nothing) as errors on the form: against
    the field it names where the form has that field, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for message in ValidationError(errors).messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year in three boxes."""

    template_name = "django/forms/widgets/multiwidget.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class GovukDateField(forms.Field):
    """A date entered as day, month and year, with the GOV.UK error messages."""

    widget = GovukDateWidget

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        if not value or not any((part or "").strip() for part in value):
            return None
        day, month, year = ((part or "").strip() for part in value)
        label = (self.label or "date").lower()
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise ValidationError(
                f"The {label} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"The {label} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        if not 1900 <= int(year) <= 2200:
            raise ValidationError(f"The {label} must be between 1900 and 2200", code="invalid_year")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError as error:
            raise ValidationError(f"The {label} must be a real date", code="invalid") from error


def _error_text(bound_field) -> str | None:
    return " ".join(str(error) for error in bound_field.errors) or None


def _choices(bound_field):
    value = bound_field.value()
    if isinstance(value, list | tuple):
        selected = {str(item) for item in value}
    else:
        selected = {"" if value is None else str(value)}
    for choice_value, choice_label in bound_field.field.choices:
        yield str(choice_value), str(choice_label), str(choice_value) in selected


def field_params(bound_field, **overrides) -> dict:
    """The GOV.UK macro for a bound field and its parameters.

    Returns {"component": "input" | "textarea" | ..., "params": {...}}.
    """
    widget = bound_field.field.widget
    widget_type = bound_field.widget_type
    label_text = str(bound_field.label)
    if not bound_field.field.required and widget_type not in {"checkbox"}:
        label_text += " (optional)"
    error = _error_text(bound_field)
    params: dict = {
        "id": bound_field.auto_id,
        "name": bound_field.html_name,
        "label": {"text": label_text, "classes": "govuk-label--s"},
        "attributes": {
            key: value
            for key, value in widget.attrs.items()
            if key not in {"class", "id", "name"} and value not in (None, False)
        },
    }
    if bound_field.help_text:
        params["hint"] = {"text": str(bound_field.help_text)}
    if error:
        params["errorMessage"] = {"text": error}

    if widget_type == "govukdate":
        parts = bound_field.value()
        if isinstance(parts, datetime.date):
            parts = widget.decompress(parts)
        parts = list(parts or [None, None, None])
        params["fieldset"] = {
            "legend": {"text": label_text, "classes": "govuk-fieldset__legend--s"}
        }
        params.pop("label")
        params.pop("name")
        params["items"] = [
            {
                "id": f"{bound_field.auto_id}_{suffix}",
                "name": f"{bound_field.html_name}_{suffix}",
                "label": suffix.capitalize(),
                "value": parts[index] or "",
                "classes": ("govuk-input--width-4" if suffix == "year" else "govuk-input--width-2")
                + (" govuk-input--error" if error else ""),
                "autocomplete": overrides.pop("autocomplete_" + suffix, None),
            }
            for index, suffix in enumerate(("day", "month", "year"))
        ]
        component = "date"
    elif widget_type in {"radioselect"}:
        params["fieldset"] = {
            "legend": {"text": label_text, "classes": "govuk-fieldset__legend--s"}
        }
        params.pop("label")
        params["idPrefix"] = params.pop("id")
        params["items"] = [
            {"value": value, "text": text, "checked": checked}
            for value, text, checked in _choices(bound_field)
            if value != ""
        ]
        component = "radios"
    elif widget_type in {"checkboxselectmultiple"}:
        params["fieldset"] = {
            "legend": {"text": label_text, "classes": "govuk-fieldset__legend--s"}
        }
        params.pop("label")
        params["idPrefix"] = params.pop("id")
        params["items"] = [
            {"value": value, "text": text, "checked": checked}
            for value, text, checked in _choices(bound_field)
        ]
        component = "checkboxes"
    elif widget_type == "checkbox":
        params.pop("label")
        params["idPrefix"] = params.pop("id")
        params["items"] = [
            {
                "value": "on",
                "text": str(bound_field.label),
                "checked": bool(bound_field.value()),
                "id": bound_field.auto_id,
            }
        ]
        component = "checkboxes"
    elif widget_type in {"select", "nullbooleanselect"}:
        params["items"] = [
            {"value": value, "text": text, "selected": selected}
            for value, text, selected in _choices(bound_field)
        ]
        component = "select"
    elif widget_type == "textarea":
        params["value"] = bound_field.value() or ""
        params["rows"] = widget.attrs.get("rows", 5)
        component = "textarea"
    elif widget_type in {"clearablefile", "file"}:
        component = "file"
        accept = getattr(bound_field.field, "accept", None)
        if accept:
            params["attributes"]["accept"] = accept
    elif widget_type == "password":
        params["autocomplete"] = widget.attrs.get("autocomplete", "current-password")
        params["attributes"].pop("autocomplete", None)
        component = "password"
    else:
        value = bound_field.value()
        params["value"] = "" if value is None else value
        input_type = getattr(widget, "input_type", "text")
        params["type"] = {"number": "text"}.get(input_type, input_type)
        if input_type == "number":
            params["inputmode"] = "numeric"
        if "autocomplete" in params["attributes"]:
            params["autocomplete"] = params["attributes"].pop("autocomplete")
        component = "input"
    params.update(overrides)
    return {"component": component, "params": params}


def error_summary(*forms_) -> dict | None:
    """The GOV.UK error summary for one or more forms: each error links to its field."""
    items = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        for error in form.non_field_errors():
            items.append({"text": str(error), "href": "#main-content"})
        for bound_field in form:
            if not bound_field.errors:
                continue
            anchor = bound_field.auto_id
            if bound_field.widget_type == "govukdate":
                anchor += "_day"
            for error in bound_field.errors:
                items.append({"text": str(error), "href": f"#{anchor}"})
    if not items:
        return None
    return {"titleText": "There is a problem", "errorList": items}


class UploadField(forms.FileField):
    """A file upload checked for its size and its whole structure, not only its name.

    A PDF must parse (pypdf, pages capped) and not be password-protected; a DOCX, XLSX or
    PPTX must be a sound zip (no zip bomb, checksums right) with its content-types part and
    main part; an image must open and verify in Pillow. A file that fails is refused with a
    clear error on the form, so nothing is stored. CSV is checked by its reader
    (`partnership.web.uploads.upload_rows`). `max_bytes` caps this field (at most the site's
    `UPLOAD_MAX_BYTES`); `document_limits` (a `DocumentLimits`) tightens the structure checks.
    """

    signatures = {
        ".pdf": (b"%PDF-",),
        ".docx": (b"PK\x03\x04",),
        ".xlsx": (b"PK\x03\x04",),
        ".pptx": (b"PK\x03\x04",),
        ".png": (b"\x89PNG\r\n\x1a\n",),
        ".jpg": (b"\xff\xd8\xff",),
        ".jpeg": (b"\xff\xd8\xff",),
        ".csv": None,
    }

    def __init__(
        self, *, extensions=(".pdf", ".docx"), max_bytes=None, document_limits=None, **kwargs
    ):
        self.extensions = tuple(extensions)
        self.document_limits = document_limits or DOCUMENT_LIMITS
        self.max_bytes = min(max_bytes or settings.UPLOAD_MAX_BYTES, settings.UPLOAD_MAX_BYTES)
        self.accept = ",".join(self.extensions)
        kwargs.setdefault(
            "help_text",
            f"{' or '.join(ext.lstrip('.').upper() for ext in self.extensions)}, "
            f"up to {self.max_bytes // (1024 * 1024)}MB",
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded or uploaded is initial:
            return uploaded
        label = (self.label or "file").lower()
        name = uploaded.name.lower()
        extension = next((ext for ext in self.extensions if name.endswith(ext)), None)
        allowed = " or ".join(ext.lstrip(".").upper() for ext in self.extensions)
        if extension is None:
            raise ValidationError(f"The {label} must be a {allowed}", code="file_type")
        if uploaded.size > self.max_bytes:
            raise ValidationError(
                f"The {label} must be smaller than {self.max_bytes // (1024 * 1024)}MB",
                code="file_size",
            )
        if uploaded.size == 0:
            raise ValidationError(f"The {label} is empty", code="file_empty")
        signatures = self.signatures.get(extension)
        if signatures:
            head = uploaded.read(8)
            uploaded.seek(0)
            if not any(head.startswith(signature) for signature in signatures):
                raise ValidationError(f"The {label} must be a {allowed}", code="file_type")
        try:
            document_check(
                uploaded.file, extension=extension, size=uploaded.size, limits=self.document_limits
            )
        except FileRefused as error:
            # "The paper must be a PDF that opens...", not "The file must be...".
            message = re.sub(
                r"^(The|One part of the) file ", lambda m: f"{m.group(1)} {label} ", str(error)
            )
            raise ValidationError(message, code="file_structure") from error
        finally:
            uploaded.seek(0)
        return uploaded
