import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from partnership.directory.forms import InviteSomeoneNewMixin
from partnership.directory.models import Organisation, OrganisationKind, Person
from partnership.lib.working_days import bank_holiday_name
from partnership.web.forms import GovukDateField, UploadField

from .documents import readable_pdf_pages
from .models import (
    PAPER_EXTENSIONS,
    ActionStatus,
    AttendanceStatus,
    DeclarationOutcome,
    FundingContribution,
    Group,
    InterestKind,
    MembershipRole,
    Priority,
    financial_year_of,
    validate_financial_year,
)

TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


class GovukTimeField(forms.CharField):
    """A time typed as 14:30 (or 2:30pm), as GOV.UK asks for times."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 09:30 or 14:00")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        label = (self.label or "time").lower()
        match = TIME.match(value)
        if not match:
            raise ValidationError(f"Enter the {label} like 09:30 or 14:00", code="invalid")
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        if half:
            if not 1 <= hour <= 12:
                raise ValidationError(f"Enter a real {label}", code="invalid")
            hour = hour % 12 + (12 if half.lower() == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValidationError(f"Enter a real {label}", code="invalid")
        return dt.time(hour, minute)


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


class BankHolidayConfirmMixin(forms.Form):
    """A date on a bank holiday is allowed once confirmed: the form asks, with a checkbox
    that appears with the question (the GOV.UK way), and nothing is saved until it is ticked.
    """

    confirm_bank_holiday = forms.BooleanField(label="Yes, I mean this bank holiday", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bank_holiday: str | None = None

    def check_bank_holiday(self, day: dt.date | None, what: str) -> None:
        name = bank_holiday_name(day) if day else None
        if name is None:
            return
        self.bank_holiday = name
        if not self["confirm_bank_holiday"].data:
            self.add_error(
                "confirm_bank_holiday",
                f"{day.day} {day:%B %Y} is a bank holiday ({name}): confirm {what} on it, "
                "or choose another date",
            )


class MeetingForm(BankHolidayConfirmMixin, forms.Form):
    date = GovukDateField(
        label="Date", error_messages={"required": "Enter the date of the meeting"}
    )
    start_time = GovukTimeField(
        label="Start time", error_messages={"required": "Enter the time the meeting starts"}
    )
    end_time = GovukTimeField(
        label="End time",
        help_text="For example 12:00",
        error_messages={"required": "Enter the time the meeting ends"},
    )
    location = forms.CharField(
        label="Where",
        max_length=200,
        help_text="A room and building, or how to join online",
        error_messages={"required": "Enter where the meeting is"},
    )
    priority = forms.ModelChoiceField(
        label="Theme",
        queryset=Priority.objects.none(),
        required=False,
        empty_label="No theme",
        help_text="The strategic priority the meeting focuses on; its thematic lead reports.",
    )

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["priority"].queryset = Priority.objects.select_related("thematic_lead")
        if not group.themed_meetings:
            del self.fields["priority"]
        else:
            # Each meeting of a themed group has a theme (services._check_theme).
            self.fields["priority"].required = True
            self.fields["priority"].empty_label = "Select the theme"
            self.fields["priority"].error_messages["required"] = (
                f"Select the meeting's theme: each meeting of the {group.name} has a strategic "
                "theme, with its thematic lead reporting"
            )

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["starts_at"], data["ends_at"] = aware(day, start), aware(day, end)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", "The meeting must end after it starts")
        if day and day != self.initial.get("date"):
            self.check_bank_holiday(day, "the meeting is")
        return data


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label="Item", max_length=200, error_messages={"required": "Enter the item's title"}
    )
    presenter = forms.CharField(
        label="Led by", max_length=150, required=False, help_text="Who presents the item"
    )
    description = forms.CharField(
        label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PaperForm(forms.Form):
    title = forms.CharField(
        label="Title of the paper",
        max_length=200,
        error_messages={"required": "Enter the title of the paper"},
    )
    file = UploadField(
        label="Paper",
        extensions=PAPER_EXTENSIONS,
        error_messages={"required": "Select the paper to upload", "empty": "The paper is empty"},
    )
    restricted = forms.BooleanField(
        label="Restricted: only the group's members may see it", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].max_bytes = settings.UPLOAD_MAX_BYTES

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.name.lower().endswith(".pdf") and readable_pdf_pages(upload) is None:
            raise ValidationError(
                "The paper must be a PDF that opens: it may be damaged or password-protected",
                code="unreadable",
            )
        return upload


class AttendanceForm(forms.Form):
    """The register: for each seat, a status and (if a deputy came) who attended.

    Each row carries the person's id, so a tampered or stale form that lists someone twice,
    or someone not seated on the day, is refused with a clear error rather than saved.
    """

    def __init__(self, *args, seats, existing: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = {seat.person_id: seat for seat in seats}
        self.rows = []
        existing = existing or {}
        for n, seat in enumerate(seats):
            row = existing.get(seat.person_id)
            self.fields[f"person_{n}"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=seat.person_id
            )
            self.fields[f"status_{n}"] = forms.ChoiceField(
                label=f"{seat.person.full_name}, {seat.organisation.display_name}",
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                initial=row.status if row else None,
                error_messages={
                    "required": f"Select whether {seat.person.full_name} attended",
                },
            )
            self.fields[f"deputy_{n}"] = forms.CharField(
                label=f"Deputy who attended for {seat.person.full_name}",
                max_length=150,
                required=False,
                initial=(row.deputy_name if row else "")
                or (seat.deputy.full_name if seat.deputy else ""),
            )
            self.rows.append((n, seat))

    def bound_rows(self):
        for n, seat in self.rows:
            yield seat, self[f"person_{n}"], self[f"status_{n}"], self[f"deputy_{n}"]

    def clean(self):
        data = super().clean()
        seen: set[int] = set()
        self.entries = []
        for n, _ in self.rows:
            person_id = data.get(f"person_{n}")
            seat = self.seats.get(person_id)
            if seat is None:
                raise ValidationError(
                    "The register has changed since the page was opened: check it and save again",
                    code="unknown_member",
                )
            if person_id in seen:
                raise ValidationError(
                    f"{seat.person.full_name} is on the register more than once",
                    code="duplicate",
                )
            seen.add(person_id)
            status = data.get(f"status_{n}")
            deputy = (data.get(f"deputy_{n}") or "").strip()
            if status == AttendanceStatus.DEPUTY and not deputy:
                self.add_error(
                    f"deputy_{n}",
                    f"Enter the name of the deputy who attended for {seat.person.full_name}",
                )
            if status:
                self.entries.append((seat, status, deputy))
        return data


class MinutesForm(forms.Form):
    """Notes on each agenda item and the decisions made (one a line)."""

    def __init__(self, *args, items, decisions: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"notes_{item.pk}"] = forms.CharField(
                label=f"Notes on item {item.position}: {item.title}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=item.notes,
            )
            self.fields[f"decisions_{item.pk}"] = forms.CharField(
                label=f"Decisions on item {item.position}",
                help_text="One decision a line",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial="\n".join(decisions.get(item.pk, [])),
            )

    def bound_items(self):
        for item in self.items:
            yield item, self[f"notes_{item.pk}"], self[f"decisions_{item.pk}"]

    @property
    def notes(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"notes_{item.pk}"].strip() for item in self.items}

    @property
    def decisions(self) -> dict[int, list[str]]:
        return {
            item.pk: [
                line.strip()
                for line in self.cleaned_data[f"decisions_{item.pk}"].splitlines()
                if line.strip()
            ]
            for item in self.items
        }


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.full_name}, {person.organisation.display_name}"


class ActionForm(InviteSomeoneNewMixin, BankHolidayConfirmMixin, forms.Form):
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what needs to be done"},
    )
    owner = PersonChoiceField(
        label="Owner",
        queryset=Person.objects.none(),
        empty_label="Select the owner",
        help_text="The member accountable for the action",
        required=False,
        error_messages={
            "required": "Select who owns the action",
            "invalid_choice": "Select who owns the action",
        },
    )
    item = forms.TypedChoiceField(label="Agenda item", coerce=int, required=False, empty_value=None)
    due_on = GovukDateField(
        label="Due date", error_messages={"required": "Enter the date the action is due"}
    )

    def __init__(self, *args, meeting, people, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["owner"].queryset = people
        self.items = {item.pk: item for item in items}
        self.fields["item"].choices = [("", "Not about one item")] + [
            (item.pk, f"{item.position}. {item.title}") for item in items
        ]

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on and due_on < self.meeting.local_date:
            raise ValidationError("The due date must be on or after the day of the meeting")
        self.check_bank_holiday(due_on, "the action is due")
        return due_on

    def clean_item(self):
        pk = self.cleaned_data.get("item")
        return self.items.get(pk) if pk else None

    def clean(self):
        data = super().clean()
        self.clean_invitation("owner", "Select who owns the action")
        return data


class ActionUpdateForm(BankHolidayConfirmMixin, forms.Form):
    note = forms.CharField(
        label="Progress", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    due_on = GovukDateField(label="Due date", required=False)

    def __init__(self, *args, action, **kwargs):
        kwargs.setdefault("initial", {"status": action.status, "due_on": action.due_on})
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("due_on") and data["due_on"] != self.action.due_on:
            self.check_bank_holiday(data["due_on"], "the action is due")
        unchanged = data.get("status") == self.action.status and (
            not data.get("due_on") or data["due_on"] == self.action.due_on
        )
        if unchanged and not (data.get("note") or "").strip():
            self.add_error("note", "Enter the progress made, or change the status or due date")
        return data


class ActionFilterForm(forms.Form):
    SHOW = [
        ("open", "Open actions"),
        ("overdue", "Overdue actions"),
        ("closed", "Completed or withdrawn"),
        ("all", "All actions"),
    ]
    mine = forms.BooleanField(label="Only my actions", required=False)
    show = forms.ChoiceField(label="Show", choices=SHOW, required=False)
    group = forms.ModelChoiceField(
        label="Group",
        queryset=Group.objects.all(),
        required=False,
        empty_label="All groups",
        to_field_name="slug",
    )
    organisation = forms.ModelChoiceField(
        label="Owner's organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="All organisations",
        to_field_name="slug",
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.only("name", "slug")
        self.fields["organisation"].queryset = organisations


class InterestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of interest",
        choices=InterestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of interest"},
    )
    interest = forms.CharField(
        label="Interest",
        max_length=300,
        help_text="The organisation, role or matter, for example “Trustee of Knowsley Foodbank”",
        error_messages={"required": "Enter the interest"},
    )
    details = forms.CharField(
        label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    declared_on = GovukDateField(label="Date declared", required=False)

    def clean_declared_on(self):
        day = self.cleaned_data.get("declared_on")
        if day and day > timezone.localdate():
            raise ValidationError("The date declared must be today or in the past")
        return day


class ItemDeclarationForm(forms.Form):
    item = forms.TypedChoiceField(
        label="Agenda item",
        coerce=int,
        error_messages={"required": "Select the agenda item"},
    )
    person = PersonChoiceField(
        label="Member",
        queryset=Person.objects.none(),
        empty_label="Select the member",
        error_messages={"required": "Select the member declaring an interest"},
    )
    interest = forms.CharField(
        label="Interest",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the interest declared"},
    )
    outcome = forms.ChoiceField(
        label="What the member did",
        choices=DeclarationOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the member did"},
    )

    def __init__(self, *args, items, people, declared, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        self.declared = declared  # {(item id, person id)}
        self.fields["item"].choices = [("", "Select the item")] + [
            (item.pk, f"{item.position}. {item.title}") for item in items
        ]
        self.fields["person"].queryset = people

    def clean_item(self):
        return self.items[self.cleaned_data["item"]]

    def clean(self):
        data = super().clean()
        item, person = data.get("item"), data.get("person")
        if item and person and (item.pk, person.pk) in self.declared:
            self.add_error(
                "person", f"{person.full_name} has already declared an interest on this item"
            )
        return data


class MoneyField(forms.DecimalField):
    """Pounds and pence, written as people write them: £12,500 or 12500.00."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)
        label = (self.label or "amount").lower()
        self.error_messages.update(
            {
                "invalid": f"Enter the {label} in pounds, like 12500 or 12500.50",
                "min_value": f"The {label} must be £0 or more",
                "max_digits": f"The {label} must be less than £10,000,000,000",
                "max_whole_digits": f"The {label} must be less than £10,000,000,000",
                "max_decimal_places": f"Enter the {label} in pounds and pence, like 12500.50",
            }
        )
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace(" ", "").removeprefix("£")
        return super().to_python(value)


class FundingForm(forms.ModelForm):
    agreed_amount = MoneyField(
        label="Amount agreed", error_messages={"required": "Enter the amount agreed"}
    )
    received_amount = MoneyField(label="Amount received", required=False)
    received_on = GovukDateField(label="Date last received", required=False)

    class Meta:
        model = FundingContribution
        fields = [
            "organisation",
            "financial_year",
            "agreed_amount",
            "received_amount",
            "received_on",
            "notes",
        ]
        labels = {"financial_year": "Financial year", "notes": "Notes"}
        help_texts = {"financial_year": "For example 2018/19 (April 2018 to March 2019)"}
        error_messages = {
            "organisation": {"required": "Select the organisation contributing"},
            "financial_year": {"required": "Enter the financial year, like 2018/19"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active().filter(
            kind__in=[OrganisationKind.SAFEGUARDING_PARTNER, OrganisationKind.RELEVANT_AGENCY]
        )
        self.fields["organisation"].empty_label = "Select the organisation"
        if not self.instance.pk:
            self.fields["financial_year"].initial = financial_year_of(timezone.localdate())
        self.fields["notes"].widget.attrs["rows"] = 3

    def clean_financial_year(self):
        year = self.cleaned_data["financial_year"].strip()
        validate_financial_year(year)
        return year

    def clean_received_amount(self):
        return self.cleaned_data.get("received_amount") or Decimal(0)

    def clean(self):
        data = super().clean()
        agreed, received = data.get("agreed_amount"), data.get("received_amount")
        if agreed is not None and received and received > agreed:
            self.add_error("received_amount", "The amount received is more than was agreed")
        organisation, year = data.get("organisation"), data.get("financial_year")
        if (
            organisation
            and year
            and FundingContribution.objects.exclude(pk=self.instance.pk)
            .filter(organisation=organisation, financial_year=year)
            .exists()
        ):
            self.add_error(
                "financial_year",
                "This organisation already has a contribution for that year: change it instead",
            )
        return data

    def _get_validation_exclusions(self):
        # The one-contribution-a-year constraint is checked in clean(), with a clearer message.
        return {*super()._get_validation_exclusions(), "organisation"}


class YearForm(forms.Form):
    year = forms.ChoiceField(label="Financial year", required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]


# Groups and their members -----------------------------------------------------------------


def _whole_number(label: str, low: int, high: int, *, required=True, help_text="", **kwargs):
    """A whole number between `low` and `high`, with errors that say so."""
    message = f"{label} must be a whole number from {low} to {high}"
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        **kwargs,
    )


class GroupForm(forms.ModelForm):
    """A group's terms of reference and its settings (meetings, attendance, reminders)."""

    slug = forms.SlugField(
        label="Web address",
        max_length=80,
        required=False,
        help_text="Lower-case letters, numbers and hyphens, for example "
        "“review-and-learning-group”. Left blank, it is made from the name.",
        error_messages={
            "invalid": "The web address must use only lower-case letters, numbers and hyphens"
        },
    )
    meetings_per_year = _whole_number(
        "Meetings a year",
        1,
        52,
        required=False,
        help_text="A fixed number of meetings a year, if the group has one, for example 3. "
        "A financial year, or the last 12 months, with fewer is flagged",
    )
    max_months_between_meetings = _whole_number(
        "Longest gap between meetings, in months",
        1,
        24,
        required=False,
        help_text="Calendar months: “at least every two months” is 2, so after a meeting on "
        "31 August the next is due by 31 October",
    )
    max_weeks_between_meetings = _whole_number(
        "Longest gap between meetings, in weeks",
        1,
        104,
        required=False,
        help_text="Give the gap in months or in weeks, not both. Leave both blank if the group "
        "meets a fixed number of times a year or as needed",
    )
    attendance_expected_percent = _whole_number(
        "Expected attendance, in per cent",
        1,
        100,
        help_text="Members attending in person less often than this are flagged, for example 75",
    )
    attendance_window_months = _whole_number(
        "Months the attendance rate looks back",
        1,
        60,
        help_text="The rolling period attendance is counted over, for example 12",
    )
    persistent_absence_run = _whole_number(
        "Missed meetings in a row that count as persistent absence",
        1,
        20,
        help_text="With attendance below the expected rate, this many missed meetings in a row "
        "is reported to the member's chief officer, for example 3",
    )
    action_reminder_days = _whole_number(
        "Working days before an action is due to remind its owner",
        0,
        30,
        help_text="Owners are also reminded once the day after an action becomes overdue. "
        "Enter 0 to turn the reminders off",
    )
    deputy_limit = _whole_number(
        "Times a deputy may attend in a member's place",
        0,
        20,
        help_text="Deputies attend only in exceptional circumstances: a member whose deputy "
        "attends more often than this over the attendance period is flagged, for example 2",
    )
    display_order = _whole_number(
        "Position in the list of groups",
        0,
        999,
        help_text="Groups are listed from the lowest number; 0 comes first",
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "slug",
            "purpose",
            "aims",
            "objectives",
            "governance",
            "effectiveness_areas",
            "membership_composition",
            "accountable_to",
            "meetings_per_year",
            "max_months_between_meetings",
            "max_weeks_between_meetings",
            "themed_meetings",
            "publish_minutes",
            "attendance_expected_percent",
            "attendance_window_months",
            "persistent_absence_run",
            "deputy_limit",
            "action_reminder_days",
            "display_order",
        ]
        labels = {
            "name": "Name",
            "purpose": "Purpose",
            "aims": "Aims",
            "objectives": "Objectives",
            "governance": "Governance",
            "effectiveness_areas": "Areas of effectiveness",
            "membership_composition": "Membership",
            "accountable_to": "Accountable to",
            "themed_meetings": "Each meeting is themed on a strategic priority, in turn",
            "publish_minutes": "Publish the approved minutes on the public site",
        }
        help_texts = {
            "purpose": "One or two sentences on what the group is for",
            "aims": "One aim a line",
            "objectives": "One objective a line",
            "governance": "One point a line, for example how the group reports and its quorum",
            "effectiveness_areas": "One area a line. Each becomes a standing item on the agenda",
            "membership_composition": "Who the members are drawn from, one a line",
            "accountable_to": "Leave as it is if the group reports to the three "
            "safeguarding partners directly",
        }
        error_messages = {
            "name": {
                "required": "Enter the name of the group",
                "unique": "There is already a group with this name",
                "max_length": "The name must be 150 characters or fewer",
            },
            "purpose": {"required": "Enter the purpose of the group"},
            "accountable_to": {"invalid_choice": "Select a group from the list"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Group.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["accountable_to"].queryset = others
        self.fields["accountable_to"].empty_label = "The three safeguarding partners"
        self.fields["purpose"].widget.attrs["rows"] = 3
        for name in ("aims", "objectives", "governance", "effectiveness_areas"):
            self.fields[name].widget.attrs["rows"] = 5
        self.fields["membership_composition"].widget.attrs["rows"] = 8
        if self.instance.pk:
            self.fields["slug"].required = True
            self.fields["slug"].help_text = (
                "Lower-case letters, numbers and hyphens. Changing it changes the address "
                "of the group's pages, so links saved elsewhere stop working"
            )
            self.fields["slug"].error_messages["required"] = "Enter the web address"

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        data = super().clean()
        from . import services

        slug = data.get("slug")
        if not slug and data.get("name") and not self.instance.pk:
            slug = slugify(data["name"])[:80].strip("-")
            if not slug:
                self.add_error("name", "The name must include some letters or numbers")
        if slug:
            data["slug"] = slug
            self.instance.slug = slug
            if slug in services.RESERVED_GROUP_SLUGS:
                self.add_error("slug", f"“{slug}” is used by another page: choose another")
            elif Group.objects.exclude(pk=self.instance.pk).filter(slug=slug).exists():
                self.add_error(
                    "slug",
                    f"Another group already has the web address “{slug}”: choose another",
                )
        if data.get("max_months_between_meetings") and data.get("max_weeks_between_meetings"):
            self.add_error(
                "max_months_between_meetings",
                "Give the longest gap between meetings in weeks or in months, not both",
            )
        accountable_to = data.get("accountable_to")
        problem = services.accountability_problem(self.instance, accountable_to)
        if problem:
            self.add_error("accountable_to", problem)
        return data

    def validate_unique(self):
        # The slug's uniqueness is checked (with a clearer message) in clean().
        exclude = self._get_validation_exclusions()
        exclude.add("slug")
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


class MembershipForm(forms.Form):
    person = PersonChoiceField(
        label="Member",
        queryset=Person.objects.none(),
        empty_label="Select the person",
        help_text="From the directory. Add them to the directory first if they are not listed",
        error_messages={
            "required": "Select the person joining the group",
            "invalid_choice": "Select the person joining the group",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=MembershipRole.choices,
        initial=MembershipRole.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the member's role"},
    )
    title = forms.CharField(
        label="Seat",
        max_length=150,
        required=False,
        help_text="For example “Thematic lead for neglect”",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation represented",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="The member's own organisation",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    deputy = PersonChoiceField(
        label="Nominated deputy",
        queryset=Person.objects.none(),
        required=False,
        empty_label="None nominated",
        help_text="Attends in the member's place only in exceptional circumstances",
        error_messages={"invalid_choice": "Select the deputy from the list"},
    )
    started_on = GovukDateField(
        label="Start date", error_messages={"required": "Enter the date the seat starts"}
    )

    def __init__(self, *args, group, **kwargs):
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.group = group
        people = Person.objects.current().select_related("organisation").order_by("full_name")
        self.fields["person"].queryset = people
        self.fields["deputy"].queryset = people
        self.fields["organisation"].queryset = Organisation.objects.active().order_by("name")

    def clean(self):
        data = super().clean()
        person, deputy = data.get("person"), data.get("deputy")
        if person and deputy and person.pk == deputy.pk:
            self.add_error("deputy", "The nominated deputy must be someone other than the member")
        return data


class MembershipEndForm(forms.Form):
    ended_on = GovukDateField(
        label="Last day on the group",
        error_messages={"required": "Enter the last day of the seat"},
    )

    def __init__(self, *args, membership, **kwargs):
        kwargs.setdefault("initial", {"ended_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_ended_on(self):
        ended_on = self.cleaned_data["ended_on"]
        if ended_on and ended_on < self.membership.started_on:
            raise ValidationError(
                "The last day must be on or after the day the seat started, "
                f"{self.membership.started_on:%-d %B %Y}"
            )
        return ended_on


class MinutesCommentForm(forms.Form):
    text = forms.CharField(
        label="Your comment on the draft minutes",
        help_text="Say which item you mean, and what should change",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter your comment on the draft minutes"},
    )


class LetterForm(forms.Form):
    body = forms.CharField(
        label="The letter",
        help_text="Leave a blank line between paragraphs. The date, address, greeting and "
        "signature are added around it.",
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=10000,
        error_messages={"required": "Enter the words of the letter"},
    )
