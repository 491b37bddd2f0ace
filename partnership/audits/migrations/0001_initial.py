# The audits app's first migration holds nothing: its two parts (case audits and
# self-assessments) were built side by side, each starting from here.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = []
