"""Background jobs of the directory: adding a spreadsheet of people."""

from django_tasks import task

from partnership.trail.actors import Actor

from . import services
from .models import PeopleImport


@task()
def people_import_task(import_id: int) -> None:
    """Check and add the people of an uploaded spreadsheet, for the person who uploaded it."""
    people_import = PeopleImport.objects.select_related("created_by").get(pk=import_id)
    services.people_import_run(
        people_import=people_import, actor=Actor.for_user(people_import.created_by)
    )
