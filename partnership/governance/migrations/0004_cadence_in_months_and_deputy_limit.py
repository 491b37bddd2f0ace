"""A group's cadence can be "at least every N months", and deputies' attendance has a limit.

The three Knowsley groups that meet "at least every two months" (seed 002) were set to 9
weeks; they move to 2 calendar months. Only a group still on the demo's 9 weeks moves: a
partnership that chose another gap keeps it.
"""

from django.db import migrations, models

EVERY_TWO_MONTHS = [
    "core-business-group",
    "review-and-learning-group",
    "policy-and-performance-group",
]


def every_two_months(apps, schema_editor):
    Group = apps.get_model("governance", "Group")
    Group.objects.filter(slug__in=EVERY_TWO_MONTHS, max_weeks_between_meetings=9).update(
        max_weeks_between_meetings=None, max_months_between_meetings=2
    )


def back_to_nine_weeks(apps, schema_editor):
    Group = apps.get_model("governance", "Group")
    Group.objects.filter(slug__in=EVERY_TWO_MONTHS, max_months_between_meetings=2).update(
        max_weeks_between_meetings=9, max_months_between_meetings=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0003_group_action_reminder_days_actionreminder"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendanceletter",
            name="deputy_limit",
            field=models.PositiveSmallIntegerField(
                default=2,
                help_text="The group's limit on deputies' attendance when it was drafted.",
            ),
        ),
        migrations.AddField(
            model_name="group",
            name="deputy_limit",
            field=models.PositiveSmallIntegerField(
                default=2,
                help_text="Deputies attend only in exceptional circumstances: a seat whose deputy attends more often than this in the attendance window is flagged.",
            ),
        ),
        migrations.AddField(
            model_name="group",
            name="max_months_between_meetings",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text='The longest gap allowed between two meetings, in calendar months ("at least every two months": 2).',
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="group",
            name="max_weeks_between_meetings",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="The longest gap allowed between two meetings, in weeks.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="group",
            name="meetings_per_year",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="The number of meetings the group holds a year, if it has one: a financial year with fewer is flagged.",
                null=True,
            ),
        ),
        migrations.RunPython(every_two_months, back_to_nine_weeks),
    ]
