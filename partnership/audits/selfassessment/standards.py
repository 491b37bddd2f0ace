"""The standard sets a new partnership starts with, in the import format (see `exchange.py`).

- Working Together to Safeguard Children (2023, chapter 2): the arrangements organisations
  and agencies under section 11 of the Children Act 2004 should have in place.
- A local set of 8 standards, the shape many partnerships' section 11 tools use.
- Keeping Children Safe in Education (section 175/157 of the Education Act 2002), for schools,
  colleges and early years settings.
"""

WORKING_TOGETHER = {
    "kind": "section_11",
    "slug": "working-together-section-11",
    "version": 1,
    "name": "Working Together: section 11 arrangements",
    "description": "The arrangements Working Together to Safeguard Children 2023 sets out for "
    "organisations and agencies under section 11 of the Children Act 2004.",
    "standards": [
        {
            "code": "1",
            "title": "A clear line of accountability for the commissioning and provision of "
            "services designed to safeguard and promote the welfare of children",
            "theme": "Leadership and accountability",
            "items": ["A named line of accountability to the chief officer"],
        },
        {
            "code": "2",
            "title": "A senior board-level lead to take leadership responsibility for the "
            "organisation's safeguarding arrangements",
            "theme": "Leadership and accountability",
            "items": ["The lead is named, with the role in their job description"],
        },
        {
            "code": "3",
            "title": "A culture of listening to children and taking account of their wishes and "
            "feelings, in individual decisions and the development of services",
            "theme": "Voice of the child",
            "items": ["Children's views change services, and the organisation can show how"],
        },
        {
            "code": "4",
            "title": "Clear whistleblowing procedures and a culture that enables issues about "
            "safeguarding to be addressed",
            "theme": "Whistleblowing and escalation",
            "items": ["The procedure is referenced in staff training and codes of conduct"],
        },
        {
            "code": "5",
            "title": "Clear escalation policies for staff to follow when their child "
            "safeguarding concerns are not being addressed",
            "theme": "Whistleblowing and escalation",
            "items": ["Staff know the partnership's escalation procedure"],
        },
        {
            "code": "6",
            "title": "Arrangements which set out clearly the processes for sharing information "
            "with other practitioners and with safeguarding partners",
            "theme": "Information sharing",
            "items": ["Staff know when and how to share information without consent"],
        },
        {
            "code": "7",
            "title": "A designated practitioner (or designated and named practitioners in "
            "health) for child safeguarding",
            "theme": "Leadership and accountability",
            "items": ["The designated practitioner has the time and training for the role"],
        },
        {
            "code": "8",
            "title": "Safe recruitment practices and ongoing safe working practices for "
            "individuals who work regularly with children",
            "theme": "Safer recruitment",
            "items": ["Criminal record checks are made and renewed as policy says"],
        },
        {
            "code": "9",
            "title": "Appropriate supervision and support for staff, including undertaking "
            "safeguarding training",
            "theme": "Training and supervision",
            "items": ["Training records show every member of staff is up to date"],
        },
        {
            "code": "10",
            "title": "Creating a culture of safety, equality and protection within the services "
            "provided",
            "theme": "Culture of safety",
            "items": ["Equality duties are considered in how services protect children"],
        },
        {
            "code": "11",
            "title": "A clear policy for dealing with allegations against people who work with "
            "children",
            "theme": "Managing allegations",
            "items": ["Allegations are referred to the designated officer (LADO)"],
        },
    ],
}

LOCAL_EIGHT = {
    "kind": "section_11",
    "slug": "local-eight-standards",
    "version": 1,
    "name": "Section 11: the local 8 standards",
    "description": "The 8 standards many partnerships' section 11 audits use, with the items "
    "under each.",
    "standards": [
        {
            "code": "1",
            "title": "Senior management commitment to the importance of safeguarding",
            "theme": "Leadership and accountability",
            "items": ["Safeguarding is in the organisation's strategic plans"],
        },
        {
            "code": "2",
            "title": "A clear statement of the agency's responsibilities towards children",
            "theme": "Leadership and accountability",
            "items": ["The statement is available to all staff"],
        },
        {
            "code": "3",
            "title": "A clear line of accountability within the organisation",
            "theme": "Leadership and accountability",
            "items": ["Accountability reaches the board"],
        },
        {
            "code": "4",
            "title": "Service development takes account of the need to safeguard children and "
            "is informed by their views",
            "theme": "Voice of the child",
            "items": ["Children and families are consulted on new services"],
        },
        {
            "code": "5",
            "title": "Training on safeguarding for all staff working with or in contact with "
            "children and families",
            "theme": "Training and supervision",
            "items": ["A training needs analysis is kept up to date"],
        },
        {
            "code": "6",
            "title": "Safer recruitment procedures, including vetting and managing allegations",
            "theme": "Safer recruitment",
            "items": ["Recruitment panels include a trained member"],
        },
        {
            "code": "7",
            "title": "Effective inter-agency working to safeguard children",
            "theme": "Working together",
            "items": ["The agency attends case conferences and core groups"],
        },
        {
            "code": "8",
            "title": "Information sharing",
            "theme": "Information sharing",
            "items": ["Information-sharing agreements are in place"],
        },
    ],
}

KCSIE = {
    "kind": "section_175",
    "slug": "keeping-children-safe-in-education",
    "version": 1,
    "name": "Keeping Children Safe in Education: section 175/157",
    "description": "The safeguarding standards of Keeping Children Safe in Education for "
    "schools, colleges and early years settings.",
    "standards": [
        {
            "code": "1",
            "title": "Governors and proprietors have a safeguarding policy, reviewed every year",
            "theme": "Governance",
            "items": ["The policy is on the website"],
        },
        {
            "code": "2",
            "title": "A designated safeguarding lead from the leadership team, with deputies",
            "theme": "Designated safeguarding lead",
            "items": ["The lead's training is renewed every two years"],
        },
        {
            "code": "3",
            "title": "All staff have read Part one of Keeping Children Safe in Education",
            "theme": "Staff training",
            "items": ["Staff have confirmed they have read it"],
        },
        {
            "code": "4",
            "title": "Staff have safeguarding and child protection training at induction, "
            "updated regularly",
            "theme": "Staff training",
            "items": ["Training records are complete"],
        },
        {
            "code": "5",
            "title": "Safer recruitment: the single central record is complete and checked",
            "theme": "Safer recruitment",
            "items": ["A governor checks the single central record each term"],
        },
        {
            "code": "6",
            "title": "Online safety: filtering and monitoring meet the standards",
            "theme": "Online safety",
            "items": ["Filtering and monitoring are reviewed every year"],
        },
        {
            "code": "7",
            "title": "Children missing from education are followed up",
            "theme": "Children missing education",
            "items": ["Unexplained absence is followed up the same day"],
        },
        {
            "code": "8",
            "title": "Child-on-child abuse: a policy and a culture in which it is not tolerated",
            "theme": "Child-on-child abuse",
            "items": ["Incidents are recorded and reviewed"],
        },
        {
            "code": "9",
            "title": "Allegations against staff are managed and referred to the LADO",
            "theme": "Managing allegations",
            "items": ["Low-level concerns are recorded"],
        },
        {
            "code": "10",
            "title": "Children are taught about safeguarding, including online, through the "
            "curriculum",
            "theme": "Relationships and online safety education",
            "items": ["Relationships education covers consent"],
        },
        {
            "code": "11",
            "title": "Looked after and previously looked after children have a designated teacher",
            "theme": "Looked after children",
            "items": ["The designated teacher works with the virtual school head"],
        },
        {
            "code": "12",
            "title": "Child protection records are kept securely and transferred on a move",
            "theme": "Records and information sharing",
            "items": ["Files are transferred within 5 school days"],
        },
    ],
}

DEFAULT_SETS = (WORKING_TOGETHER, LOCAL_EIGHT, KCSIE)
