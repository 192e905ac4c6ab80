"""`{% pkurl %}` and `|display` (core/templatetags/lists.py, core/choices.py) give what `{% url %}`
and `get_FOO_display` give (issue 16)."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix
from django.utils.translation import override

from core.choices import choice_label
from core.templatetags.lists import pk_url
from events.models import Event
from people.models import Party, PartyMembership, Person
from proposals.models import Proposal

NAMES = ["people:detail", "people:edit", "people:contact-create", "events:detail", "plans:item-detail"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 7, 918273645, 123456789012])
def test_pk_url_is_the_reversed_url(name, pk):
    assert pk_url(name, pk) == reverse(name, args=[pk])


def test_pk_url_follows_the_script_prefix():
    assert pk_url("people:detail", 5) == "/people/5/"
    set_script_prefix("/tongxin/")
    try:
        assert pk_url("people:detail", 5) == "/tongxin/people/5/"
    finally:
        set_script_prefix("/")
    assert pk_url("people:detail", 5) == "/people/5/"


def test_a_pk_that_is_not_an_int_is_reversed_as_is():
    assert pk_url("people:detail", "12") == "/people/12/"


def test_the_tag_renders_what_url_renders():
    context = Context({"p": {"pk": 42}})
    fast = Template("{% load lists %}<a href=\"{% pkurl 'people:edit' p.pk %}\">").render(context)
    slow = Template("<a href=\"{% url 'people:edit' p.pk %}\">").render(context)
    assert fast == slow == '<a href="/people/42/edit/">'


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_choice_label_is_get_display(language):
    with override(language):
        for value in [*Person.Gender.values, "", "X"]:
            person = Person(gender=value)
            assert choice_label(person, "gender") == person.get_gender_display()
        for value in Party.values:
            membership = PartyMembership(party=value)
            assert choice_label(membership, "party") == membership.get_party_display()
        for value in Event.Status.values:
            event = Event(status=value)
            assert choice_label(event, "status") == event.get_status_display()
        for value in Proposal._meta.get_field("kind").choices:
            proposal = Proposal(kind=value[0])
            assert choice_label(proposal, "kind") == proposal.get_kind_display()


def test_labels_follow_the_language():
    person = Person(gender=Person.Gender.FEMALE)
    assert choice_label(person, "gender") == "女"
    with override("en"):
        assert choice_label(person, "gender") == person.get_gender_display() != "女"


def test_the_filter_escapes_like_a_variable():
    event = Event(status="<b>")
    html = Template('{% load lists %}{{ e|display:"status" }}|{{ e.get_status_display }}').render(Context({"e": event}))
    assert html == "&lt;b&gt;|&lt;b&gt;"
