import factory

from orgs.tests.factories import OrganisationFactory
from people.models import Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"成员{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    email = factory.Sequence(lambda n: f"p{n}@example.edu.cn")
