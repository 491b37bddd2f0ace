import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from partnership.accounts.models import Role, User
from partnership.directory.models import Organisation, OrganisationKind, Person
from partnership.governance.models import Group, Membership

pytestmark = pytest.mark.django_db


def test_demo_refuses_to_load_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert not Organisation.objects.exists()


def test_demo_builds_the_knowsley_partnership_from_the_seeds(settings):
    settings.DEBUG = True
    call_command("load_demo")
    assert set(Organisation.objects.partners().values_list("name", flat=True)) == {
        "Knowsley Council",
        "NHS Cheshire and Merseyside Integrated Care Board",
        "Merseyside Police",
    }
    assert Organisation.objects.filter(kind=OrganisationKind.RELEVANT_AGENCY).count() == 16
    assert list(Group.objects.values_list("name", flat=True)) == [
        "Strategic Forum",
        "Core Business Group",
        "Safeguarding Review and Learning Group",
        "Policy and Performance Review Group",
    ]
    forum = Group.objects.get(slug="strategic-forum")
    assert forum.meetings_per_year == 3
    assert "Front-line visits" in forum.effectiveness_areas_list
    assert Membership.objects.get(group=forum, role="chair").person.full_name == "Ian Chambers"
    assert Person.objects.filter(
        is_chief_officer=True, organisation__slug="merseyside-police"
    ).exists()
    for role in Role:
        assert User.objects.filter(role_grants__role=role).exists(), role


def test_loading_the_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo")
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("load_demo")
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts


def test_demo_loads_when_forced_with_debug_off(settings):
    settings.DEBUG = False
    call_command("load_demo", "--force")
    assert Group.objects.count() == 4


# The health partner: an Integrated Care Board since 1 July 2022 (Health and Care Act 2022) --

ICB = "NHS Cheshire and Merseyside Integrated Care Board"
CCG = "Knowsley Clinical Commissioning Group"


def test_the_demo_health_partner_is_the_icb_and_was_the_ccg_until_30_june_2022(settings):
    import datetime as dt

    settings.DEBUG = True
    call_command("load_demo")
    icb = Organisation.objects.partners().get(slug="knowsley-ccg")
    assert (icb.name, icb.short_name) == (ICB, "ICB")
    # The CCG's last day was 30 June 2022; the ICB took over its work on 1 July 2022.
    assert icb.name_on(dt.date(2022, 6, 30)) == CCG
    assert icb.display_name_on(dt.date(2022, 6, 30)) == "CCG"
    assert icb.name_on(dt.date(2022, 7, 1)) == ICB
    assert icb.display_name_on(dt.date(2022, 7, 1)) == "ICB"
    # Its lead sits for the ICB as a safeguarding partner lead; her address is unchanged.
    lead = User.objects.get(email="aisha.rahman@ccg.example.org")
    assert lead.organisation == icb
    assert {grant.role for grant in lead.role_grants.all()} >= {Role.PARTNER_LEAD}
    chief = Person.objects.get(organisation=icb, is_chief_officer=True)
    assert (chief.full_name, chief.job_title) == ("Dr Marcus Hale", "Chief Executive")
    assert not Organisation.objects.filter(name=CCG).exists()


def test_the_old_name_still_finds_the_health_partner_in_the_demo_directory(db):
    from partnership.demo import knowsley

    organisations = knowsley.build_directory()
    assert organisations[CCG] is organisations[ICB]
    assert CCG in organisations
    assert organisations.get(CCG) is organisations[ICB]
    assert organisations.get("No such agency") is None
    # Listed once, under today's name: 3 partners + 16 relevant agencies + 3 others = 22.
    assert len(list(organisations.items())) == 22
    assert CCG not in list(organisations)


def test_a_demo_loaded_before_the_renaming_is_renamed_not_duplicated(settings):
    settings.DEBUG = True
    # A database from an older demo: the health partner under the seeds' name.
    Organisation.objects.create(
        name=CCG, short_name="CCG", slug="knowsley-ccg", kind=OrganisationKind.SAFEGUARDING_PARTNER
    )
    call_command("load_demo")
    partners = Organisation.objects.partners().filter(slug="knowsley-ccg")
    assert list(partners.values_list("name", "short_name")) == [(ICB, "ICB")]
    assert list(partners.get().former_names.values_list("name", flat=True)) == [CCG]


def test_today_s_groups_and_personas_do_not_call_the_health_partner_a_ccg(settings):
    from partnership.demo.personas import PERSONAS

    settings.DEBUG = True
    call_command("load_demo")
    for group in Group.objects.all():
        for text in (group.governance, group.membership_composition):
            assert "Clinical Commissioning" not in text, group.name
            assert "CCG" not in text, group.name
    titles = set(Membership.objects.filter(ended_on=None).values_list("title", flat=True))
    assert "Clinical Commissioning Group" not in titles
    assert "Integrated Care Board" in titles
    for persona in PERSONAS:
        assert "CCG" not in persona.description
        assert "Clinical Commissioning" not in persona.description


def test_records_from_before_july_2022_show_the_ccg_and_later_ones_the_icb(settings, client_as):
    from django.urls import reverse

    from partnership.performance.models import DataReturn
    from partnership.reviews.models import Review

    settings.DEBUG = True
    call_command("load_demo")
    client = client_as("business_unit")
    # Child Sam (June 2020): the CCG was asked for its agency summary on 9 June 2020.
    sam = Review.objects.get(title="Child Sam")
    page = client.get(reverse("reviews:rapid-review", kwargs={"pk": sam.pk})).content.decode()
    assert f'<td class="govuk-table__cell">{CCG}</td>' in page
    # The health partner's yearly returns: 2021/22 ended on 31 March 2022, before the change;
    # 2022/23 ended on 31 March 2023, after it.
    returns = DataReturn.objects.filter(organisation__slug="knowsley-ccg")
    before = returns.get(period__label="2021/22").get_absolute_url()
    after = returns.get(period__label="2022/23").get_absolute_url()
    assert f'<span class="govuk-caption-l">{CCG}</span>' in client.get(before).content.decode()
    assert f'<span class="govuk-caption-l">{ICB}</span>' in client.get(after).content.decode()


def _renamed_after(day):
    """Move the demo's renaming so that `day` falls before it (the ICB from the next day)."""
    import datetime as dt

    from partnership.directory.models import FormerName

    FormerName.objects.filter(organisation__slug="knowsley-ccg").update(used_until=day)
    Organisation.objects.filter(slug="knowsley-ccg").update(name_since=day + dt.timedelta(days=1))


def test_minutes_and_agenda_packs_name_the_health_partner_as_it_was_on_the_day(settings, client_as):
    import datetime as dt

    from django.template.loader import render_to_string
    from django.utils import timezone

    from partnership.governance.models import Attendance, Meeting

    settings.DEBUG = True
    call_command("load_demo")
    client = client_as("business_unit")
    attended = Attendance.objects.filter(organisation__slug="knowsley-ccg")
    meeting = Meeting.objects.filter(attendance__in=attended).earliest("starts_at")
    minutes = f"/groups/meetings/{meeting.pk}/minutes/"
    cell = '<td class="govuk-table__cell">{}</td>'
    day = timezone.localdate(meeting.starts_at)
    _renamed_after(day)  # the meeting was the CCG's last day
    assert cell.format(CCG) in client.get(minutes).content.decode()
    _renamed_after(day - dt.timedelta(days=1))  # the meeting was the ICB's first day
    page = client.get(minutes).content.decode()
    assert cell.format(ICB) in page and CCG not in page

    themed = Meeting.objects.filter(priority__thematic_lead__slug="knowsley-ccg").first()

    def pack() -> str:
        from partnership.governance.documents import agenda_pack_context

        themed.refresh_from_db()
        context = agenda_pack_context(themed, include_restricted=False)
        return render_to_string("governance/print/pack.html", context)

    _renamed_after(timezone.localdate(themed.starts_at))
    assert f"(thematic lead: {CCG})" in pack()
    _renamed_after(timezone.localdate(themed.starts_at) - dt.timedelta(days=1))
    assert f"(thematic lead: {ICB})" in pack()


def test_the_loaded_demo_trail_is_checkpointed_and_verifies(
    settings, django_capture_on_commit_callbacks
):
    from io import StringIO

    from partnership.trail import checkpoints
    from partnership.trail.models import AuditEntry

    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    [checkpoint] = checkpoints.load().checkpoints
    # It anchors the whole trail, its own entry included.
    assert checkpoint.entries == AuditEntry.objects.count()
    assert checkpoint.last_id == AuditEntry.objects.latest("id").id
    out = StringIO()
    call_command("verify_audit_trail", stdout=out)
    assert "checkpoint" in out.getvalue().lower()
