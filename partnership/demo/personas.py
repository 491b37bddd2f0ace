"""One persona per role, built in code: the demo's sign-ins and every test's users.

Each persona with a role that needs two-factor authentication gets an authenticator with a
fixed secret, so a newcomer can add it to an app (or run `make demo-codes`) and sign in.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.accounts.models import Role, RoleGrant, User
from partnership.governance.models import Membership, MembershipRole

from . import knowsley

DEMO_PASSWORD = "correct horse battery staple"  # noqa: S105 - published demo sign-in


@dataclass(frozen=True)
class Persona:
    key: str
    full_name: str
    email: str
    job_title: str
    organisation: str | None
    roles: tuple[str, ...]
    description: str
    # (group slug, membership role, seat title)
    seats: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)


PERSONAS = [
    Persona(
        "business_unit",
        "Bea Marsh",
        "business.manager@kscp.example.org",
        "KSCP Business Manager",
        "Knowsley Council",
        (Role.BUSINESS_UNIT,),
        "runs the partnership's business unit",
        (
            ("core-business-group", MembershipRole.ADVISER, "Business Manager"),
            ("review-and-learning-group", MembershipRole.ADVISER, "KSCP Business Manager"),
            ("policy-and-performance-group", MembershipRole.ADVISER, "KSCP Business Manager"),
        ),
    ),
    Persona(
        "independent_chair",
        "Ian Chambers",
        "independent.chair@kscp.example.org",
        "Independent Chair",
        None,
        (Role.INDEPENDENT_CHAIR,),
        "chairs the Strategic Forum",
        (("strategic-forum", MembershipRole.CHAIR, "Independent Chair"),),
    ),
    Persona(
        "partner_lead",
        "Priya Lewis",
        "priya.lewis@police.example.org",
        "Detective Superintendent, Public Protection",
        "Merseyside Police",
        (Role.PARTNER_LEAD, Role.GROUP_MEMBER),
        "the police's safeguarding partner lead and thematic lead for child exploitation",
        (
            ("strategic-forum", MembershipRole.MEMBER, "Police"),
            ("core-business-group", MembershipRole.MEMBER, "Thematic lead for child exploitation"),
            ("review-and-learning-group", MembershipRole.MEMBER, "Merseyside Police"),
        ),
    ),
    Persona(
        "group_member",
        "Gareth Morris",
        "gareth.morris@nwbh.example.org",
        "Named Nurse for Safeguarding Children",
        "North West Boroughs Healthcare",
        (Role.GROUP_MEMBER,),
        "a health member of the Review and Learning Group",
        (("review-and-learning-group", MembershipRole.MEMBER, "NWBH"),),
    ),
    Persona(
        "data_submitter",
        "Dana Singh",
        "dana.singh@kht.example.org",
        "Performance Officer",
        "Knowsley Housing Trust",
        (Role.DATA_SUBMITTER,),
        "sends the housing trust's data returns",
    ),
    Persona(
        "reviewer",
        "Rowan Ellis",
        "rowan.ellis@reviewers.example.org",
        "Independent Reviewer",
        "Independent reviewers",
        (Role.REVIEWER,),
        "an external reviewer commissioned for one review",
    ),
    Persona(
        "practitioner",
        "Pat Quinn",
        "pat.quinn@staidans.example.org",
        "Year 4 Teacher",
        "St Aidan's Primary School",
        (Role.PRACTITIONER,),
        "a primary school teacher who books training (password only)",
    ),
    Persona(
        "outsider",
        "Olly Outsider",
        "olly@outsider.example.org",
        "Volunteer",
        None,
        (),
        "a signed-in account with no role at all",
    ),
]

PERSONAS_BY_KEY = {persona.key: persona for persona in PERSONAS}

# The other two partners' leads, who sign off rapid reviews with the police lead.
PARTNER_LEADS = [
    (
        "Claire Doherty",
        "claire.doherty@council.example.org",
        "Director of Children's Services",
        "Knowsley Council",
    ),
    (
        "Dr Aisha Rahman",
        # Her address is from the CCG's days: people kept theirs when it became the ICB.
        "aisha.rahman@ccg.example.org",
        "Designated Nurse for Safeguarding",
        knowsley.HEALTH_PARTNER,
    ),
]


def totp_key(email: str) -> str:
    """A fixed secret per demo account (hex, as django-otp stores it)."""
    return hashlib.sha1(f"demo-totp:{email}".encode()).hexdigest()  # noqa: S324 - not a password


@transaction.atomic
def build_personas(organisations=None, *, password: str = DEMO_PASSWORD) -> dict[str, User]:
    """Create (or update) every persona; returns them by key. Idempotent."""
    if organisations is None:
        organisations = knowsley.build_directory()
        knowsley.build_groups(organisations)
    from partnership.governance.models import Group

    groups = {group.slug: group for group in Group.objects.all()}
    users: dict[str, User] = {}
    for persona in PERSONAS:
        users[persona.key] = _build_user(
            persona.full_name,
            persona.email,
            persona.job_title,
            organisations.get(persona.organisation),
            persona.roles,
            password,
        )
        person = knowsley.person_for(
            persona.full_name,
            persona.job_title,
            organisations.get(persona.organisation) or organisations["Knowsley Council"],
            user=users[persona.key],
        )
        for slug, role, title in persona.seats:
            Membership.objects.get_or_create(
                group=groups[slug],
                person=person,
                ended_on=None,
                defaults={
                    "role": role,
                    "organisation": person.organisation,
                    "title": title,
                    "started_on": knowsley._start(),
                },
            )
    for full_name, email, job_title, organisation_name in PARTNER_LEADS:
        organisation = organisations[organisation_name]
        user = _build_user(
            full_name,
            email,
            job_title,
            organisation,
            (Role.PARTNER_LEAD, Role.GROUP_MEMBER),
            password,
        )
        knowsley.person_for(full_name, job_title, organisation, user=user)
    return users


def _build_user(full_name, email, job_title, organisation, roles, password) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, password, full_name=full_name, job_title=job_title, organisation=organisation
        )
    for role in roles:
        RoleGrant.objects.get_or_create(user=user, role=role)
    if user.needs_two_factor:
        TOTPDevice.objects.get_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": totp_key(email), "confirmed": True},
        )
    return user
