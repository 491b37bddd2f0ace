import datetime as dt
import re

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from partnership.accounts.models import User
from partnership.directory.models import Organisation
from partnership.reviews.models import LearningTheme
from partnership.web.forms import GovukDateField

from .models import (
    LEVEL_HINTS,
    Attendance,
    Course,
    CourseType,
    Evaluation,
    ImpactResponse,
    LearningApplied,
    Level,
    NeedsSurvey,
    OutcomesMet,
    PlanEntry,
    PlanSource,
    Session,
    SurveyStatus,
    Trainer,
    TrainingPlan,
    TrainingRules,
    parse_days,
)

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"


def _email_field(label, *, required=True, help_text="", required_message=""):
    return forms.EmailField(
        label=label,
        required=required,
        max_length=254,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": required_message or f"Enter {label[0].lower()}{label[1:]}",
            "invalid": EMAIL_INVALID,
            "max_length": "The email address must be 254 characters or fewer",
        },
    )


class CleanTextMixin:
    """Refuses NUL characters in any text answer (databases cannot store them)."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, "Remove the unusual characters from this answer")
        return cleaned


# The portal ----------------------------------------------------------------------------------


class SessionFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    course_type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "All types"), *CourseType.choices]
    )
    theme = forms.ChoiceField(label="Theme", required=False)
    level = forms.ChoiceField(
        label="Level", required=False, choices=[("", "All levels"), *Level.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "All themes")] + [
            (theme.slug, theme.name) for theme in LearningTheme.objects.filter(is_active=True)
        ]


class OrganisationChoiceMixin:
    """An organisation from the directory, or one typed in when it is not listed."""

    def _setup_organisation(self):
        self.fields["organisation"].queryset = Organisation.objects.active().only("name")
        self.fields["organisation"].empty_label = "My organisation is not listed"

    def _clean_organisation(self, cleaned):
        if (
            not cleaned.get("organisation")
            and not cleaned.get("organisation_other", "").strip()
            and "organisation" not in self.errors
        ):
            self.add_error(
                "organisation_other",
                "Choose your organisation, or enter its name if it is not listed",
            )


class RegisterForm(OrganisationChoiceMixin, CleanTextMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your full name"},
    )
    email = _email_field("Email address", required_message="Enter your email address")
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose your organisation from the list"},
    )
    organisation_other = forms.CharField(
        label="Organisation, if it is not listed",
        max_length=200,
        required=False,
        help_text="For example, the name of your club, group or charity",
    )
    job_title = forms.CharField(
        label="Your role",
        max_length=200,
        help_text="For example: teacher, youth worker, volunteer coach",
        error_messages={"required": "Enter your role"},
    )
    manager_email = _email_field(
        "Your manager's email address",
        required=False,
        help_text="We ask your manager what difference the training has made, some weeks "
        "after it, and tell them if you miss a session you booked",
    )
    password = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. A passphrase of three or more random words is good.",
        error_messages={"required": "Create a password"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_organisation()
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not any(character.isalpha() for character in name):
            raise forms.ValidationError("Enter your full name")
        return name

    def clean(self):
        cleaned = super().clean()
        self._clean_organisation(cleaned)
        password = cleaned.get("password")
        if password:
            candidate = User(
                email=cleaned.get("email") or "", full_name=cleaned.get("full_name") or ""
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class BookForm(CleanTextMixin, forms.Form):
    manager_email = _email_field(
        "Your manager's email address",
        required=False,
        help_text="We ask your manager what difference the training has made, some weeks "
        "after it, and tell them if you miss it",
    )
    access_needs = forms.CharField(
        label="Access needs or adjustments",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything we should arrange so that you can take part fully",
    )


RATINGS = [("5", "5 – very good"), ("4", "4"), ("3", "3"), ("2", "2"), ("1", "1 – very poor")]
CONFIDENCE = [
    ("5", "5 – very confident"),
    ("4", "4"),
    ("3", "3"),
    ("2", "2"),
    ("1", "1 – not confident"),
]


def _rating(label, choices=RATINGS, message="Choose a rating"):
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class EvaluationForm(CleanTextMixin, forms.ModelForm):
    overall = _rating("Overall, how would you rate the course?", message="Rate the course overall")
    trainer = _rating("How would you rate the trainer or trainers?", message="Rate the trainers")
    outcomes_met = forms.ChoiceField(
        label="Were the learning outcomes met?",
        choices=OutcomesMet.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the learning outcomes were met"},
    )
    confidence_before = _rating(
        "Before the course, how confident were you in this area of practice?",
        CONFIDENCE,
        "Say how confident you were before the course",
    )
    confidence_after = _rating(
        "After the course, how confident are you?",
        CONFIDENCE,
        "Say how confident you are after the course",
    )

    class Meta:
        model = Evaluation
        fields = [
            "overall",
            "trainer",
            "outcomes_met",
            "confidence_before",
            "confidence_after",
            "most_useful",
            "will_do_differently",
            "improvements",
        ]
        labels = {
            "most_useful": "What was most useful?",
            "will_do_differently": "What will you do differently in your work?",
            "improvements": "How could the course be better?",
        }
        widgets = {
            "most_useful": forms.Textarea(attrs={"rows": 3}),
            "will_do_differently": forms.Textarea(attrs={"rows": 3}),
            "improvements": forms.Textarea(attrs={"rows": 3}),
        }


class ImpactForm(CleanTextMixin, forms.ModelForm):
    learning_applied = forms.ChoiceField(
        label="Has the learning been put into practice?",
        choices=LearningApplied.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the learning has been put into practice"},
    )
    impact = _rating(
        "How much difference has the training made to practice with children and families?",
        [("5", "5 – a great deal"), ("4", "4"), ("3", "3"), ("2", "2"), ("1", "1 – none")],
        "Say how much difference the training has made",
    )

    class Meta:
        model = ImpactResponse
        fields = ["learning_applied", "impact", "example", "barriers"]
        labels = {
            "example": "An example of a change in practice",
            "barriers": "Anything that has made it hard to use the learning",
        }
        widgets = {
            "example": forms.Textarea(attrs={"rows": 4}),
            "barriers": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, respondent="attendee", **kwargs):
        super().__init__(*args, **kwargs)
        if respondent == "manager":
            self.fields["learning_applied"].label = "Have you seen the learning put into practice?"
            self.fields["example"].label = "An example of a change you have seen"


# Running training ----------------------------------------------------------------------------

TIME_PATTERN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class TimeField(forms.Field):
    """A time of day typed as 10:00 or 14.30 (GOV.UK has no time component)."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 09:30 or 14:00")
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "class": "govuk-input--width-5", "maxlength": "5"}
        )

    def prepare_value(self, value):
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        return value

    def to_python(self, value):
        if isinstance(value, dt.time):
            return value
        value = (value or "").strip()
        if not value:
            return None
        match = TIME_PATTERN.match(value)
        label = (self.label or "time").lower()
        if not match:
            raise forms.ValidationError(
                f"Enter the {label} in the correct format, like 09:30 or 14:00"
            )
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise forms.ValidationError(f"Enter a real {label}, like 09:30 or 14:00")
        return dt.time(hour, minute)


class CourseForm(CleanTextMixin, forms.ModelForm):
    course_type = forms.ChoiceField(
        label="Type",
        choices=CourseType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of course"},
    )
    level = forms.ChoiceField(
        label="Level",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level"},
    )
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes",
        queryset=LearningTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Course
        fields = [
            "title",
            "course_type",
            "level",
            "audience",
            "summary",
            "learning_outcomes",
            "themes",
            "is_published",
        ]
        error_messages = {
            "title": {
                "required": "Enter the course's title",
                "unique": "A course with this title already exists",
            },
            "audience": {"required": "Enter who the course is for"},
            "summary": {"required": "Enter a summary of the course"},
            "learning_outcomes": {"required": "Enter at least one learning outcome"},
        }
        widgets = {"learning_outcomes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = LearningTheme.objects.filter(is_active=True)


class SessionForm(CleanTextMixin, forms.ModelForm):
    date = GovukDateField(label="Date", error_messages={"required": "Enter the date"})
    start_time = TimeField(label="Start time", error_messages={"required": "Enter the start time"})
    end_time = TimeField(label="End time", error_messages={"required": "Enter the end time"})
    end_date = GovukDateField(
        label="Last day, if it runs over more than one day",
        required=False,
    )
    trainers = forms.ModelMultipleChoiceField(
        label="Trainers",
        queryset=Trainer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    online_link = forms.URLField(
        label="Online joining link",
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="Sent to people with a place, never shown publicly",
        error_messages={
            "invalid": "Enter a web address in the correct format, like https://example.org/meeting"
        },
    )

    class Meta:
        model = Session
        fields = [
            "course",
            "venue",
            "online_link",
            "capacity",
            "price",
            "joining_instructions",
        ]
        labels = {"capacity": "Places", "joining_instructions": "Joining instructions"}
        error_messages = {
            "course": {"required": "Choose the course"},
            "capacity": {
                "required": "Enter how many places there are",
                "invalid": "Enter the places as a whole number, like 30",
                "min_value": "There must be at least 1 place",
                "max_value": "Enter 100,000 places or fewer",
            },
            "price": {
                "invalid": "Enter the price in pounds, like 25 or 25.50",
                "min_value": "The price cannot be less than 0",
                "max_digits": "Enter a price under £100,000",
                "max_decimal_places": "Enter the price in pounds and pence, like 25.50",
                "max_whole_digits": "Enter a price under £100,000",
            },
        }
        widgets = {"joining_instructions": forms.Textarea(attrs={"rows": 3})}

    field_order = [
        "course",
        "date",
        "start_time",
        "end_time",
        "end_date",
        "venue",
        "online_link",
        "capacity",
        "trainers",
        "price",
        "joining_instructions",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.only("title")
        self.fields["course"].empty_label = "Choose a course"
        self.fields["trainers"].queryset = Trainer.objects.filter(is_active=True)
        self.fields["capacity"].widget = forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}
        )
        self.fields["price"].widget = forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}
        )
        if self.instance.pk:
            starts = timezone.localtime(self.instance.starts_at)
            ends = timezone.localtime(self.instance.ends_at)
            self.initial.setdefault("date", starts.date())
            self.initial.setdefault("start_time", starts.time())
            self.initial.setdefault("end_time", ends.time())
            if ends.date() != starts.date():
                self.initial.setdefault("end_date", ends.date())
            self.initial.setdefault("trainers", list(self.instance.trainers.all()))
            self.fields["trainers"].queryset = Trainer.objects.filter(
                pk__in=[t.pk for t in self.initial["trainers"]]
            ) | Trainer.objects.filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            last_day = cleaned.get("end_date") or day
            starts_at = timezone.make_aware(dt.datetime.combine(day, start))
            ends_at = timezone.make_aware(dt.datetime.combine(last_day, end))
            if ends_at <= starts_at:
                self.add_error("end_time", "The end time must be after the start time")
            elif ends_at - starts_at > dt.timedelta(days=366):
                self.add_error("end_date", "A session must end within a year of its start")
            elif self.instance.pk is None and starts_at <= timezone.now():
                self.add_error("date", "The session must start in the future")
            else:
                self.instance.starts_at = starts_at
                self.instance.ends_at = ends_at
        if (
            not cleaned.get("venue")
            and not cleaned.get("online_link")
            and "online_link" not in self.errors
        ):
            self.add_error("venue", "Enter the venue, or an online joining link, or both")
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None and capacity < self.instance.places_taken:
            self.add_error(
                "capacity",
                f"The places cannot be fewer than the {self.instance.places_taken} already "
                "booked or offered. Cancel bookings first if the room is smaller",
            )
        return cleaned


class SessionCancelForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        max_length=300,
        help_text="Everyone booked or waiting is emailed with this",
        error_messages={"required": "Enter why the session is cancelled"},
    )


class BookingCancelForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label="Reason", max_length=300, required=False)


class AttendanceForm(forms.Form):
    """One set of radios per person on the register."""

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = list(bookings)
        for booking in self.bookings:
            self.fields[f"booking_{booking.pk}"] = forms.ChoiceField(
                label=f"{booking.full_name}, {booking.organisation_name}",
                choices=Attendance.choices,
                widget=forms.RadioSelect(
                    attrs={"class": "govuk-radios--inline govuk-radios--small"}
                ),
                initial=booking.attendance,
                error_messages={"required": f"Choose whether {booking.full_name} attended"},
            )

    def outcomes(self) -> dict[int, str]:
        return {booking.pk: self.cleaned_data[f"booking_{booking.pk}"] for booking in self.bookings}

    def rows(self):
        return [(booking, self[f"booking_{booking.pk}"]) for booking in self.bookings]


class TrainerForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Trainer
        fields = ["full_name", "job_title", "organisation", "email", "is_active"]
        labels = {"full_name": "Full name", "job_title": "Role"}
        error_messages = {
            "full_name": {"required": "Enter the trainer's name"},
            "email": {"invalid": EMAIL_INVALID},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active().only("name")
        self.fields["organisation"].empty_label = "Not from a partner organisation"


class RulesForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = TrainingRules
        fields = [
            "self_cancel_working_days",
            "reminder_days",
            "offer_hours",
            "impact_weeks",
            "impact_to_manager",
            "no_show_charge",
            "late_cancellation_charge",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["self_cancel_working_days", "offer_hours", "impact_weeks"]:
            self.fields[name].widget = forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
            )
            self.fields[name].error_messages.update(
                {
                    "required": "Enter a number",
                    "invalid": "Enter a whole number",
                    "min_value": "Enter a bigger number",
                    "max_value": "Enter a smaller number",
                }
            )
        for name in ["no_show_charge", "late_cancellation_charge"]:
            self.fields[name].widget = forms.TextInput(
                attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}
            )
            self.fields[name].error_messages.update(
                {
                    "required": "Enter an amount (0 for no charge)",
                    "invalid": "Enter an amount in pounds, like 25 or 25.50",
                    "min_value": "The charge cannot be less than 0",
                    "max_digits": "Enter an amount under £100,000",
                    "max_decimal_places": "Enter the amount in pounds and pence, like 25.50",
                    "max_whole_digits": "Enter an amount under £100,000",
                }
            )

    def clean_reminder_days(self):
        text = self.cleaned_data["reminder_days"]
        if not re.fullmatch(r"[\d,\s]*", text):
            raise forms.ValidationError("Enter days as numbers separated by commas, like 14, 2")
        days = parse_days(text)
        if any(day < 1 or day > 90 for day in days):
            raise forms.ValidationError("Each reminder must be between 1 and 90 days before")
        return ", ".join(str(day) for day in days)


class SurveyForm(CleanTextMixin, forms.ModelForm):
    closes_on = GovukDateField(label="Responses due by", required=False)
    status = forms.ChoiceField(
        label="Status", choices=SurveyStatus.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = NeedsSurvey
        fields = ["year", "introduction", "closes_on", "status"]
        error_messages = {
            "year": {
                "required": "Enter the year, like 2027 for April 2027 to March 2028",
                "invalid": "Enter the year as 4 numbers, like 2027",
                "unique": "There is already a needs analysis for that year",
                "min_value": "Enter a year from 2000",
                "max_value": "Enter a year before 2200",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget = forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}
        )
        self.fields["year"].help_text = "The April it starts: 2027 means April 2027 to March 2028"


class NeedsLineForm(CleanTextMixin, forms.Form):
    theme = forms.ModelChoiceField(
        label="Learning theme",
        queryset=LearningTheme.objects.none(),
        empty_label="Choose a theme",
        error_messages={
            "required": "Choose a learning theme",
            "invalid_choice": "Choose a learning theme",
        },
    )
    level = forms.ChoiceField(
        label="Level",
        choices=[(value, f"{label}. {LEVEL_HINTS[value]}") for value, label in Level.choices],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level"},
    )
    staff = forms.IntegerField(
        label="How many staff need it",
        min_value=1,
        max_value=100_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter how many staff need it",
            "invalid": "Enter a whole number, like 12",
            "min_value": "Enter 1 or more",
            "max_value": "Enter 100,000 or fewer",
        },
    )
    notes = forms.CharField(label="Notes", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = LearningTheme.objects.filter(is_active=True)


class NeedsSubmitForm(CleanTextMixin, forms.Form):
    workforce = forms.IntegerField(
        label="How many staff and volunteers are in contact with children",
        required=False,
        min_value=0,
        max_value=1_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "invalid": "Enter a whole number, like 120",
            "min_value": "Enter 0 or more",
            "max_value": "Enter 1,000,000 or fewer",
        },
    )
    comments = forms.CharField(
        label="Anything else the training plan should take into account",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PlanForm(CleanTextMixin, forms.ModelForm):
    status = forms.ChoiceField(
        label="Status",
        choices=TrainingPlan._meta.get_field("status").choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = TrainingPlan
        fields = ["year", "survey", "summary", "status"]
        labels = {"survey": "Built from the needs analysis"}
        error_messages = {
            "year": {
                "required": "Enter the year, like 2027 for April 2027 to March 2028",
                "invalid": "Enter the year as 4 numbers, like 2027",
                "unique": "There is already a plan for that year",
                "min_value": "Enter a year from 2000",
                "max_value": "Enter a year before 2200",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget = forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}
        )
        self.fields["year"].help_text = "The April it starts: 2027 means April 2027 to March 2028"
        self.fields["survey"].empty_label = "None"


class PlanEntryForm(CleanTextMixin, forms.ModelForm):
    source = forms.ChoiceField(
        label="Why it is in the plan",
        choices=PlanSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why it is in the plan"},
    )
    level = forms.ChoiceField(
        label="Level",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level"},
    )

    class Meta:
        model = PlanEntry
        fields = [
            "title",
            "source",
            "theme",
            "priority",
            "level",
            "course",
            "places_planned",
            "rationale",
        ]
        error_messages = {
            "title": {"required": "Enter a title"},
            "places_planned": {
                "required": "Enter how many places are planned",
                "invalid": "Enter a whole number, like 120",
                "max_value": "Enter 1,000,000 or fewer",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from partnership.governance.models import Priority

        self.fields["theme"].queryset = LearningTheme.objects.filter(is_active=True)
        self.fields["theme"].empty_label = "None"
        self.fields["priority"].queryset = Priority.objects.all()
        self.fields["priority"].empty_label = "None"
        self.fields["course"].queryset = Course.objects.only("title")
        self.fields["course"].empty_label = "Not yet decided"
        self.fields["places_planned"].widget = forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}
        )


class ReportFilterForm(forms.Form):
    GROUPS = [
        ("course", "Course"),
        ("agency", "Agency"),
        ("theme", "Learning theme"),
        ("month", "Month"),
        ("year", "Year (April to March)"),
    ]
    group = forms.ChoiceField(label="Show by", choices=GROUPS, required=False)
    start = GovukDateField(label="From", required=False)
    end = GovukDateField(label="To", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", "The end date must be on or after the start date")
        return cleaned
