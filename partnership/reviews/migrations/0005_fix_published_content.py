"""The public page of a review now shows what was fixed when it was published: each review
already published has its content fixed as it stands (its recommendations included)."""

from django.db import migrations

from partnership.reviews.models.publication import public_content


def fix_published_content(apps, schema_editor):
    Publication = apps.get_model("reviews", "Publication")
    Recommendation = apps.get_model("reviews", "Recommendation")
    for publication in Publication.objects.filter(status="published").select_related(
        "report", "executive_summary"
    ):
        recommendations = Recommendation.objects.filter(review_id=publication.review_id).order_by(
            "number"
        )
        publication.published_content = public_content(
            publication, recommendations.values_list("number", "text"), publication.published_on
        )
        publication.save(update_fields=["published_content"])


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_agencies_partners_report_publication")]

    operations = [migrations.RunPython(fix_published_content, migrations.RunPython.noop)]
