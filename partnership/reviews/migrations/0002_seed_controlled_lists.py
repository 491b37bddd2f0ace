"""The controlled lists' starting terms: learning themes and types of abuse.

Themes are those the seeds name (CSE, missing from home or care, neglect, placement
instability, ...) and the national Panel's common themes. The business unit adds and retires
themes on the site; this only seeds them, and leaves any already there alone.
"""

from django.db import migrations
from django.utils.text import slugify

THEMES = [
    ("Child sexual exploitation (CSE)", "Sexual exploitation of children, online or offline."),
    (
        "Child criminal exploitation",
        "Children exploited into crime: county lines, theft, violence.",
    ),
    ("Neglect", "Persistent failure to meet a child's basic needs."),
    ("Missing from home or care", "Episodes of going missing, and return home interviews."),
    ("Domestic abuse", "Children living with domestic abuse."),
    ("Mental health", "Children's, and parents', mental health and emotional wellbeing."),
    ("Online harm", "Harm through the internet and social media."),
    ("Placement instability", "Repeated moves of looked-after children."),
    ("Information sharing", "Agencies sharing what they know, in time."),
    ("Professional curiosity", "Asking, checking and not taking things at face value."),
    (
        "Education engagement",
        "Attendance, exclusion, and children educated otherwise than at school.",
    ),
    ("Voice of the child", "Hearing and acting on what the child says and shows."),
    ("Parental substance misuse", "Parents' drug and alcohol use."),
    ("Sudden unexpected death in infancy", "Safer sleeping and infant deaths."),
    ("Non-accidental injury", "Physical abuse, including of babies who are not yet mobile."),
    (
        "Adolescent risk and contextual safeguarding",
        "Harm outside the home, in peer groups and places.",
    ),
    ("Multi-agency working", "Agencies working together, escalation and challenge."),
    ("Transitions", "Moving between services, areas or into adulthood."),
    ("Disability", "Safeguarding disabled children."),
    ("Culture, faith and identity", "Understanding the family's culture, faith and identity."),
]

ABUSE_TYPES = [
    ("Neglect", "Persistent failure to meet a child's basic physical or psychological needs."),
    ("Physical abuse", ""),
    ("Sexual abuse", ""),
    ("Emotional abuse", ""),
    ("Child sexual exploitation", ""),
    ("Child criminal exploitation", ""),
    ("Domestic abuse", "Including children witnessing domestic abuse."),
    ("Online abuse", ""),
    ("Female genital mutilation", ""),
    ("Radicalisation", ""),
    ("Trafficking and modern slavery", ""),
    ("Fabricated or induced illness", ""),
]


def seed(apps, schema_editor):
    for model_name, terms in (("LearningTheme", THEMES), ("AbuseType", ABUSE_TYPES)):
        model = apps.get_model("reviews", model_name)
        for order, (name, description) in enumerate(terms, start=1):
            model.objects.get_or_create(
                slug=slugify(name)[:100],
                defaults={"name": name, "description": description, "display_order": order * 10},
            )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
