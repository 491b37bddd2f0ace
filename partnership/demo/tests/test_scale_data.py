from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.accounts.models import ROLES_NEEDING_TWO_FACTOR, Role, User
from partnership.demo.scale import PREFIX
from partnership.directory.models import Organisation, Person
from partnership.governance.models import Group, Membership
from partnership.trail.actors import Actor
from partnership.trail.models import AuditChainHead, AuditEntry
from partnership.trail.services import audit_record, audit_verify_chain

pytestmark = pytest.mark.django_db


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_scale_data", "--scale", "0.02", "--force", *args, stdout=out)
    return out.getvalue()


def test_makes_a_small_partnership_beside_the_demo(personas):
    demo_users = User.objects.count()
    output = generate()

    assert "Took" in output
    organisations = Organisation.objects.filter(slug__startswith=PREFIX)
    assert organisations.count() >= 3
    assert organisations.filter(kind="partner").count() == 3
    users = User.objects.filter(email__startswith=PREFIX)
    assert users.count() > 50
    assert User.objects.count() == demo_users + users.count()  # the demo is untouched
    assert Person.objects.filter(user__in=users).count() == users.count()
    assert Person.objects.filter(organisation__in=organisations, is_chief_officer=True).count() == (
        organisations.count()
    )
    staff = users.filter(role_grants__role__in=ROLES_NEEDING_TWO_FACTOR).distinct()
    assert {g.role for u in staff for g in u.role_grants.all()} >= set(ROLES_NEEDING_TWO_FACTOR)
    assert users.filter(role_grants__role=Role.PRACTITIONER).count() > staff.count()
    for user in staff:
        assert user.needs_two_factor
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists(), user
    groups = Group.objects.filter(slug__startswith=PREFIX)
    assert groups.exists()
    assert Membership.objects.current().filter(group__in=groups).count() >= groups.count() * 3
    assert AuditEntry.objects.count() >= 400


def test_the_audit_chain_stays_valid_before_and_after():
    user = User.objects.create_user("before@example.org", "x" * 16, full_name="Before")
    audit_record(
        actor=Actor.for_user(user), action="create", obj=user, summary="written the slow way"
    )
    generate()
    assert audit_verify_chain() == []
    head = AuditChainHead.objects.get(id=1)
    assert head.last_entry_id == AuditEntry.objects.order_by("-id").first().pk
    # The ordinary path carries on from where the fast path left the chain.
    audit_record(actor=Actor.for_user(user), action="update", obj=user, summary="written after")
    assert audit_verify_chain() == []
    call_command("verify_audit_trail", stdout=StringIO())


def test_refuses_to_run_twice_unless_told_to_skip():
    generate()
    users = User.objects.filter(email__startswith=PREFIX).count()
    with pytest.raises(CommandError, match="already here"):
        generate()
    output = generate("--if-missing")
    assert "nothing to do" in output
    assert User.objects.filter(email__startswith=PREFIX).count() == users
    assert audit_verify_chain() == []


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("generate_scale_data", "--scale", "0.02", stdout=StringIO())
