"""A data submitter sees no other agency's figures anywhere (issue 11, point 7): one scope,
`Indicator.objects.figures_visible_to`, for every page that shows figures."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.accounts.models import Role, RoleGrant, User
from partnership.conftest import sign_in
from partnership.governance.models import Priority
from partnership.performance.models import Indicator

from . import factories as f

pytestmark = pytest.mark.django_db

POLICE_FIGURE = "4,321"
HOUSING_FIGURE = "2,468"


@pytest.fixture
def figures(personas):
    police, housing = f.organisation("Merseyside Police"), f.organisation()
    priority, _ = Priority.objects.get_or_create(
        slug="child-exploitation",
        defaults={"name": "Child exploitation", "thematic_lead": police},
    )
    referrals = f.indicator("CE01", police, priority=priority, name="CE referrals")
    households = f.indicator("KH01", housing, name="Households supported")
    year = f.year(2024)
    f.submit(police, year, {referrals: 4321})
    f.submit(housing, year, {households: 2468})
    return priority


def _police_data_submitter():
    police = f.organisation("Merseyside Police")
    user = User.objects.create_user(
        "data.officer@police.example.org", "pw", full_name="Dee Officer", organisation=police
    )
    RoleGrant.objects.create(user=user, role=Role.DATA_SUBMITTER)
    TOTPDevice.objects.create(user=user, name="Tests", key="00" * 20, confirmed=True)
    return user


def _verified(user):
    """As the request's user is once the second factor is checked (django-otp's middleware)."""
    user.is_verified = lambda: True
    return user


def test_data_submitter_sees_her_own_indicators_figure_and_not_another_agencys(figures, client_as):
    dana = client_as("data_submitter")  # Dana Singh, Knowsley Housing Trust
    police_page = dana.get("/performance/indicators/CE01/").content.decode()
    assert "CE referrals" in police_page  # the library itself is for all partnership staff
    assert POLICE_FIGURE not in police_page
    assert "Shown to Merseyside Police, the readers of the key-points report" in police_page
    own_page = dana.get("/performance/indicators/KH01/").content.decode()
    assert HOUSING_FIGURE in own_page
    assert (
        POLICE_FIGURE
        in client_as("business_unit").get("/performance/indicators/CE01/").content.decode()
    )


def test_a_data_submitter_at_the_thematic_lead_sees_no_dashboard_its_partner_lead_does(
    figures, client_as
):
    # The police lead child exploitation. Its partner lead (Priya Lewis) reads the dashboard,
    # with the figures of every agency's indicator for the priority; its data submitter,
    # who only sends the police's figures, does not.
    officer = _police_data_submitter()
    dashboard = "/performance/dashboards/child-exploitation/"
    assert sign_in(Client(), officer).get(dashboard).status_code == 403
    scope = Indicator.objects.figures_visible_to(_verified(officer))
    assert list(scope.values_list("code", flat=True)) == ["CE01"]  # the police's own
    page = client_as("partner_lead").get(dashboard).content.decode()
    assert POLICE_FIGURE in page


def test_the_scope_of_figures_by_persona(figures, personas):
    # By hand, from the rule: every figure for the key-points report's readers; the own
    # organisation's for an agency's people; nothing for a practitioner, an outsider, nobody.
    codes = {
        key: sorted(Indicator.objects.figures_visible_to(_verified(personas[key])).values_list("code", flat=True))
        for key in ("business_unit", "independent_chair", "partner_lead", "data_submitter",
                    "group_member", "practitioner", "outsider")
    }  # fmt: skip
    assert codes == {
        "business_unit": ["CE01", "KH01"],
        "independent_chair": ["CE01", "KH01"],
        "partner_lead": ["CE01", "KH01"],
        "data_submitter": ["KH01"],
        "group_member": [],  # North West Boroughs Healthcare sends neither
        "practitioner": [],
        "outsider": [],
    }
    assert not Indicator.objects.figures_visible_to(None).exists()
