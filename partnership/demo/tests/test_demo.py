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
        "Knowsley Clinical Commissioning Group",
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
