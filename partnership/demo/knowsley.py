"""The Knowsley partnership as its published arrangements describe it (seed 002).

Organisations, the four groups with their terms of reference (Appendix B), and their
membership. People's names are invented: the seeds name roles, not the people in them.

The seeds (2019) name the health partner Knowsley Clinical Commissioning Group. The Health
and Care Act 2022 abolished clinical commissioning groups on 1 July 2022, and the health
partner is now NHS Cheshire and Merseyside Integrated Care Board; the demo records the CCG's
name as a former name, so records from before July 2022 keep it, and the groups' terms of
reference and seats say Integrated Care Board where the seeds say Clinical Commissioning Group.
"""

import datetime

from partnership.directory.models import FormerName, Organisation, OrganisationKind, Person
from partnership.governance.models import Group, Membership, MembershipRole

HEALTH_PARTNER = "NHS Cheshire and Merseyside Integrated Care Board"
CCG = "Knowsley Clinical Commissioning Group"

PARTNERS = [
    ("Knowsley Council", "Council", "knowsley-council"),
    # The slug stays as it was: a renaming keeps the organisation's links.
    (HEALTH_PARTNER, "ICB", "knowsley-ccg"),
    ("Merseyside Police", "Police", "merseyside-police"),
]

# Names an organisation had before today's: {today's name: (name, short name, used until)}.
FORMER_NAMES = {
    HEALTH_PARTNER: (CCG, "CCG", datetime.date(2022, 6, 30)),
}

# People kept their email addresses when the CCG's work passed to the ICB.
EMAIL_DOMAINS = {HEALTH_PARTNER: "ccg"}

# "The following agencies have been nominated as relevant agencies" (seed 002).
RELEVANT_AGENCIES = [
    ("NHS England", "NHS England"),
    ("North West Boroughs Healthcare", "NWBH"),
    ("Knowsley Council Education Services", "Education"),
    ("Knowsley Secondary Schools representative", "Secondary schools"),
    ("Knowsley Primary Schools representative", "Primary schools"),
    ("Knowsley College of Further Education", "Knowsley College"),
    ("Merseyside Community Rehabilitation Company (Interserve)", "CRC"),
    ("National Probation Service", "Probation"),
    ("Youth Offending Service", "YOS"),
    ("Children and Families Court Advisory Support Service (CAFCASS)", "CAFCASS"),
    ("Knowsley Housing Trust", "KHT"),
    ("Merseyside Fire and Rescue Service", "Fire and Rescue"),
    ("Faith Groups", "Faith groups"),
    ("Knowsley Youth Mutual", "Youth Mutual"),
    ("Knowsley Adult Social Care", "Adult Social Care"),
    ("Merseyside Safeguarding Adults Board", "MSAB"),
]

OTHERS = [
    (
        "St Aidan's Primary School",
        "St Aidan's",
        OrganisationKind.SCHOOL,
        "Knowsley Primary Schools representative",
    ),
    (
        "Halewood Academy",
        "Halewood Academy",
        OrganisationKind.SCHOOL,
        "Knowsley Secondary Schools representative",
    ),
    ("Independent reviewers", "Reviewers", OrganisationKind.OTHER, None),
]

CHIEF_OFFICERS = {
    "Knowsley Council": ("Helen Ashworth", "Chief Executive"),
    HEALTH_PARTNER: ("Dr Marcus Hale", "Chief Executive"),
    "Merseyside Police": ("Joanne Kerr", "Chief Constable"),
    "North West Boroughs Healthcare": ("Simon Price", "Chief Executive"),
    "Knowsley Housing Trust": ("Angela Turner", "Chief Executive"),
    "Youth Offending Service": ("Colin Baines", "Head of Service"),
    "National Probation Service": ("Ruth Okafor", "Head of Probation Delivery Unit"),
    "Merseyside Fire and Rescue Service": ("Paul Devlin", "Chief Fire Officer"),
}

GROUPS = [
    {
        "name": "Strategic Forum",
        "slug": "strategic-forum",
        "purpose": "Provides the strategic direction and governance around the development and "
        "delivery of local safeguarding arrangements. Meets three times a year, each meeting "
        "themed on one strategic priority.",
        "meetings_per_year": 3,
        "aims": """To provide strategic direction and governance around the development and delivery of local safeguarding arrangements
Fulfil statutory responsibility for promoting and maintaining safeguarding and welfare of children
To be assured early help provisions are in place that promote the welfare of children
To provide governance to sustain continuous improvement in performance""",
        "objectives": """To develop policies and procedures for safeguarding and promoting the welfare of children in our area
To develop clear thresholds for intervention
To ensure multi-agency training and development
To ensure organisations have policies and procedures in relation to the recruitment and supervision of persons who work with children
To develop policies and procedures in relation to investigations of allegations against persons working with children
To develop policies and procedures in relation to the safety and welfare of children who are privately fostered
To ensure cooperation with children's services in neighbouring authorities and their partners
To build on the success of the Improvement Board by providing rigour and governance to sustain continuous improvement in performance
To monitor and evaluate the effectiveness of the multi-agency partnership and identify opportunities for improvement
To commission and oversee serious child safeguarding reviews or if appropriate reflective reviews""",
        "governance": """Chaired by an Independent Chair appointed by the three safeguarding partners
The Deputy Chair is appointed by the three safeguarding partners
Members are nominated by their agencies and should be able to speak with authority for the agency they represent
In exceptional circumstances a nominated deputy may attend although this should not be a regular occurrence
75% attendance is expected, an attendance log will be maintained and persistent failure to attend will be reported to the relevant Chief Officer
The Strategic Forum will meet three times per year
Each meeting will have a strategic theme based on each of the strategic priorities
Each meeting will allow the respective thematic lead to report on the progress of their relevant strategic priority
Supported by the Business Manager and the administrator""",
        "effectiveness_areas": """Performance
Serious case reviews
Policy
Delivery of business plan
Emerging strategic issues (local / national)
Multi-agency inspections
Improvement Board
Review Group updates
Multi-agency learning
Section 11, section 175 reviews
Front-line visits""",
        "membership_composition": """Independent Chair
Children's Services
Integrated Care Board
Police
Education
Merseyside Fire and Rescue Service
Public Health
Youth Offending Service
Knowsley Housing Trust
Council Member
Lay Members
CAFCASS
Chair of Health Forum (currently NWBH)
National Probation Service
Community Rehabilitation Company
Knowsley Community College
Head Teacher secondary schools
Head Teacher primary schools
Knowsley Youth Mutual
Knowsley Adult Social Care
Merseyside Safeguarding Adults Board""",
    },
    {
        "name": "Core Business Group",
        "slug": "core-business-group",
        "purpose": "Supports the delivery of the business plan, with the three thematic leads "
        "accountable for driving its activity. Accountable to the Strategic Forum.",
        "max_months_between_meetings": 2,
        "aims": """To support the Strategic Forum in the development and delivery of local safeguarding arrangements
To support the delivery of the KSCP business plan through a robust governance structure""",
        "objectives": """To provide leadership and strategic focus on the priority of neglect / domestic abuse, child exploitation
To review and drive activity contained within the business plan, ensuring activity is scrutinised and challenged
To implement and review action plans, within the parameters of the local business plan
To hold people to account in delivering the business plan
To implement measures that reduce risk and promote the safety of wellbeing of children
To identify good practice and share learning
To commission research to enhance performance""",
        "governance": """The Chair is appointed by the three safeguarding partners
The Deputy Chair is appointed by the three safeguarding partners
Three thematic leads for each of the strategic priorities are members: child exploitation (Merseyside Police), domestic abuse (Knowsley Council), neglect (ICB)
In exceptional circumstances, a nominated deputy may attend although this should not be a regular occurrence
75% attendance is expected, an attendance log will be maintained and persistent failure to attend will be reported to the relevant Chief Officer
Meets at least every two months and may meet more frequently if its workload so demands""",
        "effectiveness_areas": """Delivery of business plan
Performance
Serious child safeguarding case reviews
Policy
Emerging strategic issues (local / national)
Multi-agency inspections
Improvement Board
Group updates
Multi-agency learning
Section 11, section 175 reviews
Front-line visits""",
        "membership_composition": """Chair
Children's Services
Integrated Care Board
Police
Education
Thematic lead for child exploitation
Thematic lead for domestic abuse
Thematic lead for neglect
Community Safety Partnership
Group Chairs
Business Manager
Performance unit representative""",
    },
    {
        "name": "Safeguarding Review and Learning Group",
        "slug": "review-and-learning-group",
        "purpose": "Manages serious child safeguarding cases and reviews, acts as the local "
        "conduit for national reviews, and drives the training plan. Accountable to the "
        "Strategic Forum.",
        "max_months_between_meetings": 2,
        "aims": """To facilitate the effective management of serious child safeguarding review cases, which in their opinion raises issues of importance in relation to their area
To act as the conduit at a local level for the delivery of serious child safeguarding review cases undertaken by the National Child Safeguarding Review Panel
To develop and drive the implementation of a training plan, influenced by the strategic priorities and from learning identified within serious child safeguarding review cases""",
        "objectives": """To ensure an effective child-focused referral and assessment process is in place
To implement a robust governance structure that quality assures the review process
To develop effective means of communication with internal and external stakeholders to promote an ethos of sharing good practice and learning from 'near misses'
To implement an evaluation process that considers the impact of multi-agency training""",
        "governance": """The Chair is appointed by the three safeguarding partners
The deputy chair is appointed by the three key safeguarding partners
Members of the group undertake the functions of the serious child safeguarding review criteria panel
Members should not have had direct involvement in the case and will declare an interest should they have had direct involvement, for panel consideration; the Panel makes a recommendation about potential conflicts of interest and any appeal is made to the independent Chair
The group reviews and monitors the progress of action plans arising from the recommendations of serious child safeguarding reviews
Meets at least every two months and may meet more frequently if its workload so demands
Supported by the Business Manager and the administrator""",
        "effectiveness_areas": """New serious case review referrals
Current serious case review cases
Review of actions
Learning from serious case reviews
Emerging issues (national / local)
Development and review of training plan
Evaluation and quality assurance of training
Review of Review Group work plan""",
        "membership_composition": """Integrated Care Board
Children's Services
Safeguarding & Quality Assurance Unit
Merseyside Police
Education
KSCP Business Manager
KSCP Training Officer
Legal Services Representative
NWBH
Youth Offending Service
Public Health""",
    },
    {
        "name": "Policy and Performance Review Group",
        "slug": "policy-and-performance-group",
        "purpose": "Reports against the performance framework, develops thresholds, policies "
        "and procedures, and drives multi-agency audits. Accountable to the Strategic Forum.",
        "max_months_between_meetings": 2,
        "aims": """To deliver a performance framework that is focused on improving outcomes for children
To develop and implement appropriate thresholds, policies and procedures (including guidance and protocols) focused on improving outcomes for children and families
To support the Local Safeguarding Partnership in providing strategic direction and governance""",
        "objectives": """To develop and implement an effective performance framework that is focused on the strategic priorities of the partnership
To ensure accountability by scrutinising and challenging performance
To provide scrutiny and challenge to Children's Social Care to ensure that it continues to provide effective safeguarding services
To develop and publish thresholds guidance
To develop multi-agency audit processes to identify good practice and areas for improvement
To inform the partnership on the progress of performance and highlight areas of risk
To identify and acknowledge good practice and share learning
To commission research to enhance performance where areas for development are identified
To develop and communicate effective multi or joint agency policy and procedures
To oversee the implementation of recommendations from reflective reviews""",
        "governance": """The Chair is appointed by the three safeguarding partners
The Deputy Chair is appointed by the three key safeguarding partners
The group reviews and monitors the progress of action plans arising from the recommendations of serious child safeguarding reviews
Meets at least every two months and may meet more frequently if its workload so demands
Supported by the Business Manager and the administrator""",
        "effectiveness_areas": """Review of core data set
Thematic review of performance
New / review policies
Emerging strategic issues (local / national)
JTAI
Improvement Board
Section 11, section 175 reviews
Front-line visits
Multi-agency audits
Reflective reviews""",
        "membership_composition": """Integrated Care Board
Children's Services
Safeguarding & Quality Assurance Unit
Merseyside Police
Community Safety Partnership
KSCP Business Manager
NWBH as chair of health forum
Youth Offending Service
Education
Public Health""",
    },
]

# Named members of each group who are not personas: (name, job title, organisation, role, title).
MEMBERS = {
    "strategic-forum": [
        (
            "Claire Doherty",
            "Director of Children's Services",
            "Knowsley Council",
            MembershipRole.DEPUTY_CHAIR,
            "Children's Services",
        ),
        (
            "Dr Aisha Rahman",
            "Designated Nurse for Safeguarding",
            HEALTH_PARTNER,
            MembershipRole.MEMBER,
            "Integrated Care Board",
        ),
        (
            "Mark Fenwick",
            "Head of Education Services",
            "Knowsley Council Education Services",
            MembershipRole.MEMBER,
            "Education",
        ),
        (
            "Tom Gallagher",
            "Area Manager",
            "Merseyside Fire and Rescue Service",
            MembershipRole.MEMBER,
            "",
        ),
        ("Lisa Moran", "Head of Service", "Youth Offending Service", MembershipRole.MEMBER, ""),
        (
            "Karen Whitfield",
            "Director of Housing",
            "Knowsley Housing Trust",
            MembershipRole.MEMBER,
            "",
        ),
        (
            "Owen Pryce",
            "Service Manager",
            "Children and Families Court Advisory Support Service (CAFCASS)",
            MembershipRole.MEMBER,
            "",
        ),
        (
            "Naomi Clarke",
            "Head of Safeguarding",
            "North West Boroughs Healthcare",
            MembershipRole.MEMBER,
            "Chair of Health Forum",
        ),
        (
            "Derek Hughes",
            "Senior Probation Officer",
            "National Probation Service",
            MembershipRole.MEMBER,
            "",
        ),
        (
            "Fiona Marsh",
            "Head Teacher",
            "Knowsley Secondary Schools representative",
            MembershipRole.MEMBER,
            "Head Teacher secondary schools",
        ),
        (
            "Gail Roberts",
            "Head Teacher",
            "Knowsley Primary Schools representative",
            MembershipRole.MEMBER,
            "Head Teacher primary schools",
        ),
        (
            "Peter Nolan",
            "Principal",
            "Knowsley College of Further Education",
            MembershipRole.MEMBER,
            "",
        ),
        ("Sam Whitley", "Chief Executive", "Knowsley Youth Mutual", MembershipRole.MEMBER, ""),
        (
            "Janet Lowe",
            "Head of Adult Social Care",
            "Knowsley Adult Social Care",
            MembershipRole.MEMBER,
            "",
        ),
        (
            "Bernard Cole",
            "Board Manager",
            "Merseyside Safeguarding Adults Board",
            MembershipRole.MEMBER,
            "",
        ),
        (
            "Steve Rimmer",
            "Head of Operations",
            "Merseyside Community Rehabilitation Company (Interserve)",
            MembershipRole.MEMBER,
            "",
        ),
    ],
    "core-business-group": [
        (
            "Claire Doherty",
            "Director of Children's Services",
            "Knowsley Council",
            MembershipRole.CHAIR,
            "Thematic lead for domestic abuse",
        ),
        (
            "Dr Aisha Rahman",
            "Designated Nurse for Safeguarding",
            HEALTH_PARTNER,
            MembershipRole.DEPUTY_CHAIR,
            "Thematic lead for neglect",
        ),
        (
            "Mark Fenwick",
            "Head of Education Services",
            "Knowsley Council Education Services",
            MembershipRole.MEMBER,
            "Education",
        ),
        (
            "Hannah Byrne",
            "Performance Manager",
            "Knowsley Council",
            MembershipRole.ADVISER,
            "Performance unit representative",
        ),
    ],
    "review-and-learning-group": [
        (
            "Dr Aisha Rahman",
            "Designated Nurse for Safeguarding",
            HEALTH_PARTNER,
            MembershipRole.CHAIR,
            "Integrated Care Board",
        ),
        (
            "Julie Kavanagh",
            "Head of Safeguarding and Quality Assurance",
            "Knowsley Council",
            MembershipRole.DEPUTY_CHAIR,
            "Safeguarding & Quality Assurance Unit",
        ),
        (
            "Mark Fenwick",
            "Head of Education Services",
            "Knowsley Council Education Services",
            MembershipRole.MEMBER,
            "Education",
        ),
        ("Lisa Moran", "Head of Service", "Youth Offending Service", MembershipRole.MEMBER, ""),
        (
            "Rachel Ince",
            "Training Officer",
            "Knowsley Council",
            MembershipRole.ADVISER,
            "KSCP Training Officer",
        ),
        (
            "Adam Fairclough",
            "Solicitor",
            "Knowsley Council",
            MembershipRole.ADVISER,
            "Legal Services Representative",
        ),
    ],
    "policy-and-performance-group": [
        (
            "Julie Kavanagh",
            "Head of Safeguarding and Quality Assurance",
            "Knowsley Council",
            MembershipRole.CHAIR,
            "Safeguarding & Quality Assurance Unit",
        ),
        (
            "Naomi Clarke",
            "Head of Safeguarding",
            "North West Boroughs Healthcare",
            MembershipRole.DEPUTY_CHAIR,
            "NWBH as chair of health forum",
        ),
        (
            "Dr Aisha Rahman",
            "Designated Nurse for Safeguarding",
            HEALTH_PARTNER,
            MembershipRole.MEMBER,
            "Integrated Care Board",
        ),
        ("Lisa Moran", "Head of Service", "Youth Offending Service", MembershipRole.MEMBER, ""),
        (
            "Mark Fenwick",
            "Head of Education Services",
            "Knowsley Council Education Services",
            MembershipRole.MEMBER,
            "Education",
        ),
        (
            "Hannah Byrne",
            "Performance Manager",
            "Knowsley Council",
            MembershipRole.MEMBER,
            "Community Safety Partnership",
        ),
    ],
}


class OrganisationsByName(dict):
    """The demo's organisations by today's name; a former name finds the organisation too
    (`organisations["Knowsley Clinical Commissioning Group"]` is the ICB), without appearing
    when the organisations are listed, so each is listed once."""

    def __init__(self, *args, aliases: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.aliases = dict(aliases or {})

    def __missing__(self, name: str) -> Organisation:
        if name in self.aliases:
            return self[self.aliases[name]]
        raise KeyError(name)

    def __contains__(self, name) -> bool:
        return super().__contains__(name) or name in self.aliases

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default


def build_directory() -> OrganisationsByName:
    """Create (or find) the organisations and their chief officers. Idempotent."""
    organisations = OrganisationsByName(
        aliases={former: name for name, (former, _, _) in FORMER_NAMES.items()}
    )
    for name, short, slug in PARTNERS:
        # By slug: a database loaded before the renaming has the partner under its old name.
        organisations[name], _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "kind": OrganisationKind.SAFEGUARDING_PARTNER,
            },
        )
        if name in FORMER_NAMES:
            _record_former_name(organisations[name], name, short, *FORMER_NAMES[name])
    for name, short in RELEVANT_AGENCIES:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "slug": _slug(name),
                "kind": OrganisationKind.RELEVANT_AGENCY,
            },
        )
    for name, short, kind, parent in OTHERS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "slug": _slug(name),
                "kind": kind,
                "parent": organisations.get(parent),
            },
        )
    for organisation_name, (full_name, job_title) in CHIEF_OFFICERS.items():
        Person.objects.get_or_create(
            organisation=organisations[organisation_name],
            is_chief_officer=True,
            defaults={
                "full_name": full_name,
                "job_title": job_title,
                "email": _email(full_name, organisations[organisation_name]),
            },
        )
    return organisations


def _record_former_name(
    organisation: Organisation,
    name: str,
    short: str,
    former: str,
    former_short: str,
    used_until: datetime.date,
) -> None:
    """As `directory.services.organisation_rename` records a renaming (the demo has no one
    to audit it yet), and renames a partner loaded under its old name by an older demo."""
    FormerName.objects.get_or_create(
        organisation=organisation,
        used_until=used_until,
        defaults={"name": former, "short_name": former_short},
    )
    name_since = used_until + datetime.timedelta(days=1)
    if (organisation.name, organisation.short_name, organisation.name_since) != (
        name,
        short,
        name_since,
    ):
        organisation.name, organisation.short_name, organisation.name_since = (
            name,
            short,
            name_since,
        )
        organisation.save(update_fields=["name", "short_name", "name_since"])


def build_groups(organisations: OrganisationsByName) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for order, spec in enumerate(GROUPS):
        groups[spec["slug"]], _ = Group.objects.get_or_create(
            slug=spec["slug"], defaults={**spec, "display_order": order}
        )
    forum = groups["strategic-forum"]
    Group.objects.exclude(pk=forum.pk).filter(accountable_to__isnull=True).update(
        accountable_to=forum
    )
    for slug, members in MEMBERS.items():
        for full_name, job_title, organisation_name, role, title in members:
            organisation = organisations[organisation_name]
            person = person_for(full_name, job_title, organisation)
            Membership.objects.get_or_create(
                group=groups[slug],
                person=person,
                ended_on=None,
                defaults={
                    "role": role,
                    "organisation": organisation,
                    "title": title,
                    "started_on": _start(),
                },
            )
    return groups


def person_for(full_name: str, job_title: str, organisation: Organisation, user=None) -> Person:
    person, _ = Person.objects.get_or_create(
        full_name=full_name,
        organisation=organisation,
        defaults={"job_title": job_title, "email": _email(full_name, organisation), "user": user},
    )
    if user is not None and person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    return person


def _start():
    import datetime

    return datetime.date(2019, 9, 1)


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name)[:70]


def _email(full_name: str, organisation: Organisation) -> str:
    local = ".".join(
        part for part in full_name.lower().replace("dr ", "").split() if part.isalpha()
    )
    domain = EMAIL_DOMAINS.get(organisation.name) or (
        (organisation.short_name or organisation.name).lower().replace(" ", "").replace("'", "")
    )
    return f"{local}@{domain}.example.org"
