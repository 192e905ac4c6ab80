from datetime import date

import factory

from orgs.tests.factories import OrganisationFactory
from plans.models import Item, Plan, Section, Target


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    organisation = factory.SubFactory(OrganisationFactory)
    year = factory.LazyFunction(lambda: date.today().year)
    title = factory.LazyAttribute(lambda p: f"{p.year}年统战工作要点")
    status = Plan.Status.PUBLISHED


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    marker = "一、"
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"第{n}部分")
    order = factory.Sequence(lambda n: n)


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    section = factory.SubFactory(SectionFactory)
    plan = factory.SelfAttribute("section.plan")
    marker = "1."
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"任务{n}")
    due_date = factory.LazyFunction(lambda: date(date.today().year, 12, 31))
    order = factory.Sequence(lambda n: n)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    item = factory.SubFactory(ItemFactory)
    text = "召开一次统战工作座谈会"
    count = 1
