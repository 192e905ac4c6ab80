import logging

from django.contrib.auth import get_user_model
from huey.contrib.djhuey import db_task

from orgs.models import Organisation
from people import services

log = logging.getLogger(__name__)


@db_task()
def import_people_task(job_id: str, organisation_id: int, user_id: int, token: str, source: str) -> None:
    organisation = Organisation.objects.get(pk=organisation_id)
    user = get_user_model().objects.get(pk=user_id)
    services.run_import(job_id, organisation=organisation, by=user, token=token, source=source)
