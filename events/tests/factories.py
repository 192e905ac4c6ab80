from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Event
from orgs.tests.factories import OrganisationFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"统战工作座谈会{n}")
    type = "symposium"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "行政楼三楼会议室"
    status = Event.Status.PUBLISHED
