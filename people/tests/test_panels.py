"""The person page's panels: other apps add them through `people.panels`; people never imports them."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from events.tests.factories import EventFactory
from people import panels
from people.models import ContactRecord, PublicityConsent
from proposals.models import Status
from proposals.tests.factories import make_proposal


def test_panels_come_in_order_and_skip_the_empty_ones(monkeypatch):
    monkeypatch.setattr(panels, "_PANELS", {})
    panels.register_panel("second", order=2, render=lambda person, request: {"template": "b.html", "n": 2})
    panels.register_panel("first", order=1, render=lambda person, request: {"template": "a.html", "n": person})
    panels.register_panel("nothing", order=0, render=lambda person, request: None)
    assert panels.panels_for("李明", None) == [
        {"name": "first", "template": "a.html", "context": {"n": "李明"}},
        {"name": "second", "template": "b.html", "context": {"n": 2}},
    ]
    panels.unregister_panel("first")
    assert [p["name"] for p in panels.panels_for("李明", None)] == ["second"]


def test_events_and_proposals_register_their_panels():
    assert {"events", "proposals"} <= set(panels._PANELS)


def test_people_imports_neither_events_nor_proposals():
    root = Path(settings.BASE_DIR)
    for path in (root / "people").rglob("*.py"):
        if "tests" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"^\s*(from|import)\s+(events|proposals)\b", text, re.M), path
    for path in (root / "templates" / "people").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "events_tags" not in text and '{% include "events/' not in text, path


def _past_event(org, title, days):
    start = timezone.now() - timedelta(days=days)
    return EventFactory(organisation=org, title=title, starts_at=start, ends_at=start + timedelta(hours=2))


@pytest.mark.django_db
def test_person_page_shows_events_suggestions_and_contacts(client, org, ufd_staff, member):
    person = member.person
    for title, days in (("统战知识培训", 30), ("党外人士座谈会", 10)):
        Registration.objects.create(
            event=_past_event(org, title, days), person=person, status="registered", checked_in_at=timezone.now()
        )
    absent = _past_event(org, "未签到的调研", 5)
    Registration.objects.create(event=absent, person=person, status="registered")
    make_proposal(org, person, Status.SUBMITTED, title="关于实验室开放的建议")
    make_proposal(org, person, Status.DRAFT, title="还没提交的草稿")
    ContactRecord.objects.create(
        person=person,
        date=timezone.localdate(),
        recorded_by=ufd_staff,
        met_by="王同心",
        method="talk",
        raised="关心子女入学",
    )
    client.force_login(ufd_staff)
    response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "模块启用后" not in html
    events = html[html.index('id="person-events"') :]
    events = events[: events.index("</section>")]
    assert "参加的活动（2）" in events
    assert events.index("党外人士座谈会") < events.index("统战知识培训")  # latest first
    assert "未签到的调研" not in events
    proposals = html[html.index('id="person-proposals"') :]
    proposals = proposals[: proposals.index("</section>")]
    assert "提交的建言（1）" in proposals
    assert "关于实验室开放的建议" in proposals and "待审核" in proposals
    assert "还没提交的草稿" not in proposals
    assert "关心子女入学" in html  # the contact log


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 25])
def test_person_page_query_count_is_bounded(client, org, ufd_staff, member, n, django_assert_max_num_queries):
    person = member.person
    for i in range(n):
        Registration.objects.create(
            event=_past_event(org, f"活动{i}", 3 + i), person=person, status="registered", checked_in_at=timezone.now()
        )
        make_proposal(org, person, Status.SUBMITTED)
    PublicityConsent.objects.create(person=person, given_at=timezone.localdate(), note="书面同意")
    client.force_login(ufd_staff)
    client.get(reverse("people:detail", args=[person.pk]))  # the organisation's audit chain head exists
    # Session, user, membership with its organisation, the person with department, categories and
    # cadres (3), the audit row of the view with its chain head (savepoint, head, insert, head
    # update, release: 5, issue 11), consents (once for the card and the 宣传同意 line), the
    # pending change, events attended and their count, proposals and their count, unread notices,
    # parties, posts, study abroad, awards, contacts, history: 24 (issue 16).
    with django_assert_max_num_queries(24):
        response = client.get(reverse("people:detail", args=[person.pk]))
    html = response.content.decode()
    assert f"参加的活动（{n}）" in html and f"提交的建言（{n}）" in html
    assert "<dd>已同意</dd>" in html and "书面同意" in html
    assert html.count('href="/events/') >= min(n, 20)
