import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from partnership.accounts.tests.matrix_support import STAFF, everyone, only
from partnership.directory.models import Organisation, Person
from partnership.governance import services
from partnership.governance.models import (
    AttendanceLetter,
    FundingContribution,
    Group,
    InterestDeclaration,
    Meeting,
    MinutesStatus,
    Paper,
    PaperType,
)
from partnership.governance.tests.factories import SETUP

BUSINESS_UNIT = ["business_unit"]
OVERSIGHT = ["business_unit", "independent_chair"]
# The Review and Learning Group: the business unit advises it; the police lead and the NWBH
# member sit on it; the independent chair and the data submitter do not.
RLG_MEMBERS = ["business_unit", "partner_lead", "group_member"]
RLG = "review-and-learning-group"


def _meeting(days_ago=7, minutes=MinutesStatus.DRAFT) -> Meeting:
    group = Group.objects.get(slug=RLG)
    starts_at = timezone.now() - dt.timedelta(days=days_ago)
    meeting = services.meeting_schedule(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="Huyton",
        actor=SETUP,
    )
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=minutes)
    return meeting


def draft_minutes(personas):
    return {"pk": _meeting().pk}


def a_meeting_and_item(personas):
    meeting = _meeting()
    return {"pk": meeting.pk, "item_pk": meeting.items.first().pk}


def a_meeting_after_a_draft(personas):
    _meeting(days_ago=60)
    return {"pk": _meeting(days_ago=1, minutes=MinutesStatus.NOT_STARTED).pk}


def a_restricted_paper(personas):
    meeting = _meeting()
    paper = Paper(
        meeting=meeting,
        item=meeting.items.first(),
        title="Case summary",
        file_name="case.pdf",
        file_type=PaperType.PDF,
        size_bytes=9,
        restricted=True,
    )
    paper.file.save("case.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    paper.save()
    return {"pk": paper.pk}


def the_nwbh_members_action(personas):
    """An action of the Review and Learning Group owned by the NWBH member."""
    meeting = _meeting()
    action = services.action_create(
        meeting=meeting,
        description="Share the learning",
        owner=personas["group_member"].person,
        due_on=timezone.localdate(),
        actor=SETUP,
    )
    return {"pk": action.pk}


def the_nwbh_member(personas):
    return {"pk": personas["group_member"].person.pk}


def the_nwbh_members_interest(personas):
    declaration = InterestDeclaration.objects.create(
        person=personas["group_member"].person, kind="professional", interest="Trustee"
    )
    return {"pk": declaration.pk}


def a_letter(personas):
    housing = Organisation.objects.get(slug="knowsley-housing-trust")
    member = Person.objects.create(full_name="Matrix Member", organisation=housing)
    letter = AttendanceLetter.objects.create(
        group=Group.objects.get(slug=RLG),
        person=member,
        organisation=housing,
        chief_officer=Person.objects.get(organisation=housing, is_chief_officer=True),
        signatory_name="Ian Chambers",
        window_start=dt.date(2019, 7, 1),
        window_end=dt.date(2020, 6, 30),
        meetings_expected=6,
        meetings_attended=2,
        longest_absence_run=3,
    )
    return {"pk": letter.pk}


def an_approved_letter(personas):
    found = a_letter(personas)
    AttendanceLetter.objects.filter(pk=found["pk"]).update(status="approved")
    return found


def circulated_minutes(personas):
    meeting = _meeting()
    Meeting.objects.filter(pk=meeting.pk).update(minutes_circulated_at=timezone.now())
    return {"pk": meeting.pk}


def approved_minutes_as_pdf(personas):
    # Long ago, so as not to be the previous meeting another row's meeting approves.
    return {"pk": _meeting(days_ago=400, minutes=MinutesStatus.APPROVED).pk, "fmt": "pdf"}


def published_minutes(personas):
    Group.objects.filter(slug=RLG).update(publish_minutes=True)
    return {"pk": _meeting(days_ago=420, minutes=MinutesStatus.APPROVED).pk}


def a_letter_as_pdf(personas):
    return {**a_letter(personas), "fmt": "pdf"}


def a_contribution(personas):
    contribution = FundingContribution.objects.create(
        organisation=Organisation.objects.get(slug="merseyside-police"),
        financial_year="2018/19",
        agreed_amount=50000,
    )
    return {"pk": contribution.pk}


def a_membership(personas):
    """The NWBH member's seat on the Review and Learning Group."""
    seat = personas["group_member"].person.memberships.get(group__slug=RLG, ended_on__isnull=True)
    return {"slug": RLG, "pk": seat.pk}


ROWS = {
    "governance:groups": ("get", {}, only(STAFF)),
    "governance:group": ("get", {"slug": RLG}, only(STAFF)),
    "governance:group-create": ("get", {}, only(BUSINESS_UNIT)),
    "governance:group-edit": ("get", {"slug": RLG}, only(BUSINESS_UNIT)),
    "governance:group-members": ("get", {"slug": RLG}, only(BUSINESS_UNIT)),
    "governance:membership-create": ("get", {"slug": RLG}, only(BUSINESS_UNIT)),
    "governance:membership-end": ("get", a_membership, only(BUSINESS_UNIT)),
    "governance:group-attendance": ("get", {"slug": RLG}, only(STAFF)),
    "governance:attendance-report": ("get", {"slug": RLG}, only(STAFF)),
    "governance:meeting-create": ("get", {"slug": RLG}, only(BUSINESS_UNIT)),
    "governance:letter-create": ("post", {"slug": RLG}, only(BUSINESS_UNIT, 404)),
    "governance:meetings": ("get", {}, only(STAFF)),
    "governance:meeting": ("get", draft_minutes, only(STAFF)),
    "governance:meeting-edit": ("get", draft_minutes, only(BUSINESS_UNIT)),
    "governance:meeting-cancel": ("get", draft_minutes, only(BUSINESS_UNIT)),
    "governance:pack": ("get", draft_minutes, only(STAFF)),
    "governance:pack-send": ("get", draft_minutes, only(BUSINESS_UNIT)),
    "governance:meeting-ics": ("get", draft_minutes, only(STAFF)),
    "governance:item-create": ("get", draft_minutes, only(BUSINESS_UNIT)),
    "governance:item-edit": ("get", a_meeting_and_item, only(BUSINESS_UNIT)),
    "governance:item-remove": ("get", a_meeting_and_item, only(BUSINESS_UNIT)),
    "governance:agenda-order": ("get", draft_minutes, only(BUSINESS_UNIT)),
    "governance:paper-upload": ("get", a_meeting_and_item, only(BUSINESS_UNIT)),
    "governance:attendance-record": ("get", draft_minutes, only(BUSINESS_UNIT)),
    # Draft minutes: the group's members and the business unit only.
    "governance:minutes": ("get", draft_minutes, only(RLG_MEMBERS)),
    "governance:minutes-edit": ("get", draft_minutes, only(BUSINESS_UNIT)),
    "governance:minutes-circulate": ("post", draft_minutes, only(BUSINESS_UNIT, code=302)),
    "governance:minutes-comment": ("get", circulated_minutes, only(RLG_MEMBERS)),
    "governance:minutes-download": ("get", approved_minutes_as_pdf, only(STAFF)),
    "governance:published-minutes": ("get", {}, everyone()),
    "governance:published-minutes-pdf": ("get", published_minutes, everyone()),
    "governance:minutes-approve": ("get", a_meeting_after_a_draft, only(BUSINESS_UNIT)),
    "governance:action-create": ("get", draft_minutes, only(BUSINESS_UNIT)),
    "governance:item-declaration-create": ("get", draft_minutes, only(RLG_MEMBERS)),
    # A restricted paper: the group's members and the business unit only.
    "governance:paper": ("get", a_restricted_paper, only(RLG_MEMBERS)),
    "governance:paper-remove": ("get", a_restricted_paper, only(BUSINESS_UNIT)),
    "governance:actions": ("get", {}, only(STAFF)),
    # The owner, the group's members, the business unit and the independent chair.
    "governance:action": (
        "get",
        the_nwbh_members_action,
        only(["business_unit", "independent_chair", "partner_lead", "group_member"]),
    ),
    "governance:action-update": (
        "get",
        the_nwbh_members_action,
        only(["business_unit", "group_member"]),
    ),
    "governance:member": ("get", the_nwbh_member, only(STAFF)),
    "governance:interest-create": (
        "get",
        the_nwbh_member,
        only(["business_unit", "group_member"]),
    ),
    "governance:interests": ("get", {}, only(STAFF)),
    "governance:interest-end": (
        "get",
        the_nwbh_members_interest,
        only(["business_unit", "group_member"]),
    ),
    "governance:cadence": ("get", {}, only(OVERSIGHT)),
    "governance:letters": ("get", {}, only(OVERSIGHT)),
    "governance:letter": ("get", a_letter, only(OVERSIGHT)),
    "governance:letter-download": ("get", a_letter_as_pdf, only(OVERSIGHT)),
    "governance:letter-sent": ("get", an_approved_letter, only(BUSINESS_UNIT)),
    # The chair edits and approves the letter; the business unit sends it.
    "governance:letter-edit": ("get", a_letter, only(["independent_chair"])),
    "governance:letter-approve": ("post", a_letter, only(["independent_chair"], code=302)),
    "governance:funding": (
        "get",
        {},
        only(["business_unit", "independent_chair", "partner_lead"]),
    ),
    "governance:funding-create": ("get", {}, only(BUSINESS_UNIT)),
    "governance:funding-edit": ("get", a_contribution, only(BUSINESS_UNIT)),
    "governance:calendar": ("get", {}, only(STAFF)),
    # No session needed, and an unknown token reveals nothing to anyone.
    "governance:calendar-feed": ("get", {"token": "not-a-real-token"}, everyone(404)),
    "api:list_groups": ("get", {}, everyone(401)),
    "api:get_group": ("get", {"slug": "strategic-forum"}, everyone(401)),
}
