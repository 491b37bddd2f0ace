"""Scale data: N times a realistic year of a large partnership, for benchmarks and load tests.

At scale 1: about 200 organisations, 5,000 users (300 of them staff with an authenticator),
a person per user plus chief officers, 8 groups with terms of reference and about 25 current
members each, a few API tokens and 20,000 audit entries. Everything is written with
`bulk_create` in batches, from one seeded `random.Random`, so a run is quick and repeatable.

Every email address and slug starts with "scale-" (`PREFIX`), so the scale data never
collides with the Knowsley demo. Scale data goes into a database you can throw away.

One function per module, each filling in a shared `ScaleData`; a later module adds its own
`scale_<module>` function and calls it from `generate`.
"""

import datetime as dt
import json
import random
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.accounts.models import ROLES_NEEDING_TWO_FACTOR, Role, RoleGrant, User
from partnership.audits.cases.scale import scale_case_audits
from partnership.directory.models import AgencyToken, Organisation, OrganisationKind, Person
from partnership.governance.models import Group, Membership, MembershipRole
from partnership.governance.scale import scale_meetings
from partnership.performance.scale import scale_performance
from partnership.plans.scale import scale_plans
from partnership.reviews.scale import scale_reviews
from partnership.trail.actors import ActorKind
from partnership.trail.models import CHAIN_VERSION, Action, AuditChainHead, AuditEntry
from partnership.training.scale import scale_training

from .personas import DEMO_PASSWORD, totp_key

PREFIX = "scale-"
BATCH = 1000

# What scale 1 makes: a large partnership's year.
PER_SCALE = {
    "partners": 3,
    "relevant_agencies": 25,
    "schools": 150,
    "other_organisations": 22,
    "users": 5000,
    "staff": 300,
    "groups": 8,
    "members_per_group": 25,
    "former_members_per_group": 5,
    "tokens": 5,
    "audit_entries": 20000,
}

STAFF_ROLES = [  # (role, share of the staff)
    (Role.GROUP_MEMBER, 40),
    (Role.DATA_SUBMITTER, 20),
    (Role.BUSINESS_UNIT, 15),
    (Role.PARTNER_LEAD, 10),
    (Role.REVIEWER, 10),
    (Role.INDEPENDENT_CHAIR, 5),
]

FIRST_NAMES = [
    "Aaron", "Abigail", "Adam", "Aisha", "Alex", "Alice", "Amir", "Amy", "Andrew", "Anna",
    "Ben", "Beth", "Callum", "Chloe", "Chris", "Claire", "Conor", "Daisy", "Daniel", "David",
    "Dean", "Eleanor", "Ellie", "Emma", "Ethan", "Faye", "Finn", "Gemma", "George", "Grace",
    "Hannah", "Harry", "Helen", "Imran", "Isla", "Jack", "Jade", "James", "Jamie", "Jane",
    "Jenny", "Joe", "John", "Josh", "Julie", "Karen", "Kate", "Kieran", "Laura", "Leah",
    "Liam", "Lisa", "Lucy", "Mark", "Martin", "Megan", "Mia", "Michael", "Molly", "Naomi",
    "Nathan", "Nicola", "Noah", "Oliver", "Olivia", "Owen", "Paul", "Paula", "Priya", "Rachel",
    "Rebecca", "Rhys", "Ruth", "Ryan", "Sam", "Sarah", "Scott", "Sean", "Sophie", "Stephen",
    "Tom", "Vicky", "Will", "Zara", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Ali", "Allen", "Ashworth", "Bailey", "Baker", "Barnes", "Begum", "Bell",
    "Bennett", "Brown", "Byrne", "Campbell", "Carter", "Clarke", "Collins", "Cooper", "Davies",
    "Doherty", "Edwards", "Evans", "Fisher", "Foster", "Gallagher", "Green", "Griffiths",
    "Hall", "Harris", "Hughes", "Jackson", "James", "Jones", "Kaur", "Kelly", "Khan", "Lee",
    "Lewis", "Lloyd", "Marsh", "Martin", "Mason", "Moore", "Morgan", "Morris", "Murphy",
    "Nolan", "O'Brien", "Owen", "Parry", "Patel", "Phillips", "Price", "Quinn", "Roberts",
    "Robinson", "Rogers", "Ryan", "Scott", "Shaw", "Singh", "Smith", "Taylor", "Thomas",
    "Thompson", "Turner", "Walker", "Ward", "Watson", "White", "Williams", "Wilson", "Wood",
    "Wright", "Young",
]  # fmt: skip
PLACES = [
    "Ashfield", "Beechwood", "Brookside", "Cherryfield", "Cronton", "Eastcroft", "Fairfield",
    "Greenhill", "Halsnead", "Hillside", "Holly Bank", "Kirkby", "Longview", "Millbrook",
    "Northwood", "Oakfield", "Page Moss", "Pinehurst", "Prescot", "Rainhill", "Redbrook", "Roby",
    "Sandfield", "Stockbridge", "Swanside", "Tower Hill", "Westvale", "Whiston", "Willow Park",
    "Woolfall",
]  # fmt: skip
SCHOOL_KINDS = [
    "Primary School",
    "Catholic Primary School",
    "Church of England Primary School",
    "Infant School",
    "Junior School",
    "Nursery School",
    "Academy",
    "High School",
    "Special School",
]
AGENCY_KINDS = [
    ("Community Health Services", "Community Health"),
    ("Mental Health Trust", "Mental Health"),
    ("Housing Association", "Housing"),
    ("Youth Justice Service", "Youth Justice"),
    ("Probation Delivery Unit", "Probation"),
    ("Fire and Rescue", "Fire"),
    ("Ambulance Service", "Ambulance"),
    ("Children's Hospital", "Hospital"),
    ("Further Education College", "College"),
    ("Early Years Service", "Early Years"),
    ("Drug and Alcohol Service", "Substance Misuse"),
    ("Domestic Abuse Service", "Domestic Abuse"),
]
OTHER_KINDS = [
    "Multi-Academy Trust",
    "Sports Club",
    "Faith Centre",
    "Youth Club",
    "Children's Charity",
    "Foster Care Agency",
    "Nursery",
    "Family Hub",
]
PARTNER_KINDS = [
    ("Borough Council", "Council"),
    ("Integrated Care Board", "ICB"),
    ("Constabulary", "Police"),
]
STAFF_TITLES = [
    "Designated Safeguarding Lead",
    "Head of Safeguarding",
    "Named Nurse for Safeguarding Children",
    "Service Manager",
    "Detective Inspector",
    "Performance Officer",
    "Team Manager",
    "Quality Assurance Officer",
    "Head of Service",
    "Safeguarding Adviser",
]
PRACTITIONER_TITLES = [
    "Social Worker",
    "Health Visitor",
    "Youth Worker",
    "Family Support Worker",
    "Police Constable",
    "Housing Officer",
    "GP",
    "Paramedic",
    "Coach",
    "Volunteer",
]
SCHOOL_TITLES = [
    "Class Teacher",
    "Teaching Assistant",
    "Head of Year",
    "Special Educational Needs Co-ordinator",
    "Early Years Practitioner",
    "School Nurse",
    "Learning Mentor",
]
GROUP_NAMES = [
    "Executive Board",
    "Child Exploitation Subgroup",
    "Neglect Subgroup",
    "Domestic Abuse Subgroup",
    "Learning and Development Subgroup",
    "Quality Assurance Subgroup",
    "Education Safeguarding Forum",
    "Health Safeguarding Forum",
    "Child Death Overview Panel",
    "Voice of the Child Subgroup",
    "Online Safety Subgroup",
    "Early Help Subgroup",
]
AREAS = [
    "Performance",
    "Delivery of business plan",
    "Multi-agency audits",
    "Emerging strategic issues (local / national)",
    "Learning from reviews",
    "Training evaluation",
    "Section 11 and section 175 returns",
    "Front-line visits",
    "Voice of the child",
    "Thresholds",
]


def _count(key: str, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(PER_SCALE[key] * scale))


@dataclass
class ScaleData:
    """What the scale functions have made so far, for the ones after them."""

    scale: float
    now: dt.datetime = field(default_factory=timezone.now)
    organisations: list[Organisation] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    staff: list[User] = field(default_factory=list)
    roles: dict[int, list[str]] = field(default_factory=dict)  # user id -> roles
    people: dict[int, Person] = field(default_factory=dict)  # user id -> person
    groups: list[Group] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def exists() -> bool:
    return (
        Organisation.objects.filter(slug__startswith=PREFIX).exists()
        or User.objects.filter(email__startswith=PREFIX).exists()
        or Group.objects.filter(slug__startswith=PREFIX).exists()
    )


def generate(scale: float, rng: random.Random) -> dict[str, int]:
    """Make the scale data in one transaction; returns what was made, by kind."""
    if scale <= 0:
        raise ValueError("The scale must be more than 0.")
    data = ScaleData(scale=scale)
    with transaction.atomic():
        scale_directory(data, rng)
        scale_accounts(data, rng)
        scale_groups(data, rng)
        data.counts.update(scale_meetings(data.scale, rng))
        data.counts.update(scale_reviews(data.scale, rng))
        data.counts.update(scale_training(data.scale, rng))
        data.counts.update(scale_performance(data.scale, rng))
        data.counts.update(scale_plans(data.scale, rng))
        data.counts.update(scale_case_audits(data.scale, rng))
        scale_audit(data, rng)
    return data.counts


# Directory ---------------------------------------------------------------------------------


def scale_directory(data: ScaleData, rng: random.Random) -> None:
    """Partners, relevant agencies, schools and other organisations, and their chief officers."""
    taken = set(Organisation.objects.values_list("name", flat=True))
    slugs: set[str] = set()

    def organisation(name, short, kind, parent=None) -> Organisation:
        base, n = name, 1
        while name in taken:
            n += 1
            name = f"{base} ({n})"
        taken.add(name)
        slug = PREFIX + slugify(name)[:60]
        base_slug, n = slug, 1
        while slug in slugs:
            n += 1
            slug = f"{base_slug}-{n}"
        slugs.add(slug)
        return Organisation(
            name=name,
            short_name=short,
            slug=slug,
            kind=kind,
            parent=parent,
            description=f"{name} ({OrganisationKind(kind).label.lower()}) in the scale partnership.",
            website=f"https://{slug}.example.org/",
            created_at=data.now - dt.timedelta(days=rng.randint(30, 2000)),
        )

    borough = "Scalesby"
    partners = [
        organisation(f"{borough} {kind}", short, OrganisationKind.SAFEGUARDING_PARTNER)
        for kind, short in _cycle(PARTNER_KINDS, _count("partners", data.scale, minimum=3))
    ]
    Organisation.objects.bulk_create(partners)
    agencies = []
    for kind, short in _cycle(AGENCY_KINDS, _count("relevant_agencies", data.scale)):
        place = rng.choice(PLACES)
        # About one in five is part of a partner (e.g. the council's youth justice service).
        parent = rng.choice(partners) if rng.random() < 0.2 else None
        agencies.append(
            organisation(
                f"{place} {kind}", f"{place} {short}", OrganisationKind.RELEVANT_AGENCY, parent
            )
        )
    Organisation.objects.bulk_create(agencies, batch_size=BATCH)
    others = []
    for kind in _cycle(OTHER_KINDS, _count("other_organisations", data.scale)):
        place = rng.choice(PLACES)
        others.append(organisation(f"{place} {kind}", "", OrganisationKind.OTHER))
    Organisation.objects.bulk_create(others, batch_size=BATCH)
    trusts = [o for o in others if "Trust" in o.name]
    schools = []
    for _ in range(_count("schools", data.scale)):
        place = rng.choice(PLACES)
        kind = rng.choice(SCHOOL_KINDS)
        # Academies belong to a trust; a few schools are run by the council.
        if trusts and kind in ("Academy", "High School") and rng.random() < 0.6:
            parent = rng.choice(trusts)
        elif rng.random() < 0.1:
            parent = partners[0]
        else:
            parent = None
        schools.append(organisation(f"{place} {kind}", "", OrganisationKind.SCHOOL, parent))
    Organisation.objects.bulk_create(schools, batch_size=BATCH)
    data.organisations = partners + agencies + others + schools

    chiefs = []
    for org in data.organisations:
        title = "Head Teacher" if org.kind == OrganisationKind.SCHOOL else "Chief Executive"
        full_name = _name(rng)
        chiefs.append(
            Person(
                full_name=full_name,
                job_title=title,
                email=_email(full_name, len(chiefs), org, "chief"),
                phone=_phone(rng),
                organisation=org,
                is_chief_officer=True,
            )
        )
    Person.objects.bulk_create(chiefs, batch_size=BATCH)
    data.counts.update(
        {
            "organisations": len(data.organisations),
            "organisations with a parent": sum(1 for o in data.organisations if o.parent),
            "chief officers": len(chiefs),
        }
    )


# Accounts ----------------------------------------------------------------------------------


def scale_accounts(data: ScaleData, rng: random.Random) -> None:
    """Users (most practitioners), their roles, authenticators and people; a few API tokens."""
    password = make_password(DEMO_PASSWORD)  # once: hashing 5,000 times would take minutes
    by_kind: dict[str, list[Organisation]] = {}
    for org in data.organisations:
        by_kind.setdefault(org.kind, []).append(org)
    workplaces = by_kind.get(OrganisationKind.SAFEGUARDING_PARTNER, []) + by_kind.get(
        OrganisationKind.RELEVANT_AGENCY, []
    )
    schools = by_kind.get(OrganisationKind.SCHOOL, []) or workplaces
    others = by_kind.get(OrganisationKind.OTHER, []) or workplaces

    total = _count("users", data.scale, minimum=10)
    staff_count = min(total, _count("staff", data.scale, minimum=len(STAFF_ROLES)))
    roles = [role for role, _ in STAFF_ROLES]
    weights = [weight for _, weight in STAFF_ROLES]
    users, user_roles = [], []
    for i in range(total):
        if i < staff_count:
            # Every staff role at least once, then by share.
            role = roles[i] if i < len(roles) else rng.choices(roles, weights)[0]
            org = rng.choice(workplaces if rng.random() < 0.9 else others)
            title = rng.choice(STAFF_TITLES)
            granted = [role] + ([Role.GROUP_MEMBER] if role == Role.PARTNER_LEAD else [])
        else:
            pick = rng.random()
            org = rng.choice(schools if pick < 0.6 else workplaces if pick < 0.9 else others)
            school = org.kind == OrganisationKind.SCHOOL
            title = rng.choice(SCHOOL_TITLES if school else PRACTITIONER_TITLES)
            granted = [Role.PRACTITIONER]
        full_name = _name(rng)
        users.append(
            User(
                email=_email(full_name, i, org),
                full_name=full_name,
                organisation=org,
                job_title=title,
                password=password,
                date_joined=data.now - dt.timedelta(days=rng.uniform(1, 365)),
            )
        )
        user_roles.append(granted)
    User.objects.bulk_create(users, batch_size=BATCH)
    data.users = users
    data.staff = users[:staff_count]
    data.roles = {user.pk: granted for user, granted in zip(users, user_roles, strict=True)}

    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=user, role=role, granted_at=user.date_joined)
            for user, granted in zip(users, user_roles, strict=True)
            for role in granted
        ],
        batch_size=BATCH,
    )
    devices = [
        # The demo's fixed secret per address, so `totp_key(email)` gives a scale user's codes.
        TOTPDevice(user=user, name="Scale authenticator", key=totp_key(user.email), confirmed=True)
        for user in data.staff
        if set(data.roles[user.pk]) & ROLES_NEEDING_TWO_FACTOR
    ]
    TOTPDevice.objects.bulk_create(devices, batch_size=BATCH)

    people = [
        Person(
            full_name=user.full_name,
            job_title=user.job_title,
            email=user.email,
            phone=_phone(rng),
            organisation=user.organisation,
            user=user,
        )
        for user in users
    ]
    Person.objects.bulk_create(people, batch_size=BATCH)
    data.people = {person.user.pk: person for person in people}

    business_unit = [u for u in data.staff if Role.BUSINESS_UNIT in data.roles[u.pk]]
    tokens = 0
    for org in rng.sample(workplaces, min(len(workplaces), _count("tokens", data.scale))):
        # Random secrets, never printed: nobody is meant to call the API with these.
        AgencyToken.issue(
            organisation=org,
            name=f"{org.display_name} case management system",
            created_by=rng.choice(business_unit) if business_unit else None,
            raw=PREFIX + secrets.token_urlsafe(32),
        )
        tokens += 1
    data.counts.update(
        {
            "users": len(users),
            "staff users": staff_count,
            "role grants": sum(len(granted) for granted in user_roles),
            "authenticators": len(devices),
            "people for users": len(people),
            "API tokens": tokens,
        }
    )


# Governance --------------------------------------------------------------------------------


def scale_groups(data: ScaleData, rng: random.Random) -> None:
    """Groups with terms of reference, their current members and those who have left."""
    taken = set(Group.objects.values_list("name", flat=True))
    groups = []
    for n, base in enumerate(_cycle(GROUP_NAMES, _count("groups", data.scale))):
        name, k = base, 1
        while name in taken:
            k += 1
            name = f"{base} {k}"
        taken.add(name)
        areas = rng.sample(AREAS, 5)
        groups.append(
            Group(
                name=name,
                slug=PREFIX + slugify(name)[:60],
                purpose=f"Leads the scale partnership's work on {base.lower()}, and reports "
                "to the Executive Board.",
                aims="\n".join(
                    [
                        f"To lead the partnership's work on {base.lower()}",
                        "To be assured that agencies work together to keep children safe",
                        "To learn from practice and share that learning",
                    ]
                ),
                objectives="\n".join(
                    f"To {verb} {area.lower()}"
                    for verb, area in zip(
                        ["review", "monitor", "report on", "improve"], areas, strict=False
                    )
                ),
                governance="\n".join(
                    [
                        "The Chair is appointed by the three safeguarding partners",
                        "In exceptional circumstances a nominated deputy may attend",
                        "75% attendance is expected and persistent failure to attend is "
                        "reported to the relevant Chief Officer",
                    ]
                ),
                effectiveness_areas="\n".join(areas),
                membership_composition="\n".join(
                    ["Chair", "Children's Services", "Health", "Police", "Education"]
                ),
                meetings_per_year=rng.choice([None, 4, 6]),
                max_weeks_between_meetings=rng.choice([None, 9, 13]),
                display_order=100 + n,
            )
        )
    Group.objects.bulk_create(groups)
    board = groups[0]
    Group.objects.filter(pk__in=[g.pk for g in groups[1:]]).update(accountable_to=board)
    data.groups = groups

    today = data.now.date()
    members = [data.people[user.pk] for user in data.staff]
    # A group's size does not grow with the partnership: only the number of groups does.
    size = min(len(members), PER_SCALE["members_per_group"])
    memberships = []
    current = 0
    for group in groups:
        seats = rng.sample(members, size)
        for n, person in enumerate(seats):
            role = (
                MembershipRole.CHAIR
                if n == 0
                else MembershipRole.DEPUTY_CHAIR
                if n == 1
                else MembershipRole.ADVISER
                if n < 4
                else MembershipRole.MEMBER
            )
            deputy = rng.choice(members) if rng.random() < 0.5 else None
            memberships.append(
                Membership(
                    group=group,
                    person=person,
                    role=role,
                    organisation=person.organisation,
                    deputy=None if deputy is person else deputy,
                    title=person.organisation.display_name,
                    started_on=today - dt.timedelta(days=rng.randint(30, 1500)),
                )
            )
            current += 1
        former = min(len(members), PER_SCALE["former_members_per_group"])
        for person in rng.sample(members, former):
            ended = today - dt.timedelta(days=rng.randint(1, 330))
            memberships.append(
                Membership(
                    group=group,
                    person=person,
                    organisation=person.organisation,
                    title=person.organisation.display_name,
                    started_on=ended - dt.timedelta(days=rng.randint(100, 1000)),
                    ended_on=ended,
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    data.counts.update(
        {
            "groups": len(groups),
            "current memberships": current,
            "former memberships": len(memberships) - current,
        }
    )


# Audit trail -------------------------------------------------------------------------------

AUDITED_ACTIONS = [  # (action, share)
    (Action.VIEW, 45),
    (Action.SIGN_IN, 25),
    (Action.UPDATE, 10),
    (Action.SIGN_OUT, 6),
    (Action.DOWNLOAD, 4),
    (Action.CREATE, 4),
    (Action.SIGN_IN_FAILED, 3),
    (Action.EXPORT, 1),
    (Action.GRANT, 1),
    (Action.REVOKE, 1),
]


def scale_audit(data: ScaleData, rng: random.Random) -> None:
    """A year of audit entries, appended to the hash chain as `audit_record` would.

    The fast path: the hashes are computed here, in order, from the chain head (locked for
    the transaction), the entries bulk-created in that order, and the head moved to the
    last one, so `manage.py verify_audit_trail` passes afterwards.
    """
    total = _count("audit_entries", data.scale)
    actions = [action for action, _ in AUDITED_ACTIONS]
    weights = [weight for _, weight in AUDITED_ACTIONS]
    staff = data.staff or data.users
    organisations = data.organisations
    groups = data.groups
    start = data.now - dt.timedelta(days=365)
    moments = sorted(rng.uniform(0, 365 * 86400 - 60) for _ in range(total))
    labels = {}

    def label(user) -> str:
        if user.pk not in labels:
            labels[user.pk] = f"{user.full_name} <{user.email}>, {user.organisation}"
        return labels[user.pk]

    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    previous = head.last_hash
    entries = []
    for seconds in moments:
        action = rng.choices(actions, weights)[0]
        # Staff do most of what is audited; practitioners mostly sign in and out.
        if action in (Action.SIGN_IN, Action.SIGN_OUT, Action.SIGN_IN_FAILED):
            actor = rng.choice(data.users)
        else:
            actor = rng.choice(staff)
        changes: dict = {}
        if action in (Action.SIGN_IN, Action.SIGN_OUT, Action.SIGN_IN_FAILED):
            obj_type, obj_id, obj_label = "accounts.user", str(actor.pk), str(actor)
            summary = {
                Action.SIGN_IN: "Signed in with a password",
                Action.SIGN_OUT: "",
                Action.SIGN_IN_FAILED: "Wrong password",
            }[action]
        elif action in (Action.GRANT, Action.REVOKE):
            user = rng.choice(data.users)
            obj_type, obj_id, obj_label = "accounts.user", str(user.pk), str(user)
            role = rng.choice(list(Role))
            summary = f"{'Granted' if action == Action.GRANT else 'Revoked'} {role.label}"
            changes = {"role": [None, role.value] if action == Action.GRANT else [role.value, None]}
        elif groups and rng.random() < 0.3:
            group = rng.choice(groups)
            obj_type, obj_id, obj_label = "governance.group", str(group.pk), group.name
            summary = (
                "" if action == Action.VIEW else f"{Action(action).label} the terms of reference"
            )
            if action == Action.UPDATE:
                changes = {"purpose": ["(earlier wording)", group.purpose[:80]]}
        else:
            org = rng.choice(organisations)
            obj_type, obj_id, obj_label = "directory.organisation", str(org.pk), org.name
            summary = ""
            if action == Action.UPDATE:
                changes = {"website": [None, org.website], "is_active": [True, True]}
        at = start + dt.timedelta(seconds=seconds)
        failed = action == Action.SIGN_IN_FAILED
        entry = AuditEntry(
            at=at.astimezone(dt.UTC),
            chain_version=CHAIN_VERSION,
            actor=None if failed else actor,
            actor_label="Visitor (not signed in): sign-in form" if failed else label(actor),
            actor_kind=str(ActorKind.VISITOR if failed else ActorKind.USER),
            actor_organisation_id=None if failed else actor.organisation_id,
            actor_job="sign-in form" if failed else None,
            ip_address=f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randint(1, 254)}",
            action=str(action),
            object_type=obj_type,
            object_id=obj_id,
            object_label=obj_label[:300],
            summary=summary,
            # As audit_record stores it: plain JSON, so the hash matches what is read back.
            changes=json.loads(json.dumps(changes)),
            previous_hash=previous,
        )
        entry.entry_hash = entry.compute_hash(previous)
        previous = entry.entry_hash
        entries.append(entry)

    last_id = None
    for i in range(0, len(entries), BATCH):
        batch = entries[i : i + BATCH]
        AuditEntry.objects.bulk_create(batch)
        ids = [entry.pk for entry in batch]
        if None in ids:  # a database that does not return keys from bulk inserts
            last_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
        else:
            # The chain is read back in id order, so the ids must follow the chain's order.
            if ids != sorted(ids) or (last_id is not None and ids[0] <= last_id):
                raise RuntimeError("Audit entries were given ids out of order.")
            last_id = ids[-1]
    if entries:
        head.last_hash = previous
        head.last_entry_id = last_id
        head.save(update_fields=["last_hash", "last_entry_id"])
    data.counts["audit entries"] = len(entries)


# Helpers -----------------------------------------------------------------------------------


def _cycle(items: list, count: int) -> list:
    return [items[i % len(items)] for i in range(count)]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _email(full_name: str, n: int, org: Organisation, kind: str = "user") -> str:
    local = ".".join(part for part in slugify(full_name).split("-") if part)
    domain = org.slug.removeprefix(PREFIX)[:40]
    return f"{PREFIX}{kind}{n:05d}.{local}@{domain}.example.org"


def _phone(rng: random.Random) -> str:
    return f"0151 {rng.randint(200, 999)} {rng.randint(1000, 9999)}"
