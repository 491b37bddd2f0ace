"""A case audit action's page: its owner sends the evidence, then the business unit signs it
off, each through its own form on the same page."""

import pytest
from django.core.management import call_command

from partnership.audits.cases.models import CaseAuditAction

pytestmark = pytest.mark.django_db


def test_the_owner_sends_evidence_and_the_business_unit_signs_it_off(settings, client_as):
    settings.DEBUG = True
    call_command("load_demo")
    settings.DEBUG = False
    action = CaseAuditAction.objects.filter(
        owner__email="business.manager@kscp.example.org", status="open"
    ).first()
    client = client_as("business_unit")
    url = action.get_absolute_url()
    assert client.post(url, {"evidence": "Plans now go out within 2 days."}).status_code == 302
    action.refresh_from_db()
    assert action.status == "evidence_submitted"
    assert client.post(url, {"sign_off": "1", "notes": "Seen at the group."}).status_code == 302
    action.refresh_from_db()
    assert action.status == "signed_off"
