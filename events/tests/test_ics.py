"""iCalendar per RFC 5545: CRLF, TEXT escaping, folding at 75 octets, UTC times."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.exports import event_ics, fold, ics_escape
from events.tests.factories import EventFactory


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_escape_backslash_semicolon_comma_and_newlines():
    assert ics_escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_folding_keeps_lines_short_and_reversible(text):
    line = "DESCRIPTION:" + ics_escape(text)
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded) == line


def test_folding_never_splits_a_chinese_character():
    folded = fold("SUMMARY:" + "统战工作座谈会" * 10)
    for part in folded.split("\r\n"):
        part.encode("utf-8").decode("utf-8")
        assert len(part.encode("utf-8")) <= 75


@pytest.mark.django_db
def test_event_ics_document(org, settings):
    settings.TONGXIN_BASE_URL = "https://tongxin.example.edu.cn"
    start = datetime(2023, 5, 8, 6, 30, tzinfo=UTC)  # 14:30 in Beijing
    event = EventFactory(
        organisation=org,
        title="座谈会：建言献策, 共谋发展; 第1次",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="行政楼301",
        description="请准备发言\n每人5分钟",
    )
    text = event_ics(event)
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = unfold(text).split("\r\n")
    assert "DTSTART:20230508T063000Z" in lines
    assert "DTEND:20230508T083000Z" in lines
    assert "SUMMARY:座谈会：建言献策\\, 共谋发展\\; 第1次" in lines
    assert "DESCRIPTION:请准备发言\\n每人5分钟" in lines
    assert f"UID:event-{event.pk}@tongxin.example.edu.cn" in lines
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]


@pytest.mark.django_db
def test_event_ics_is_read_back_by_the_icalendar_library(org, settings):
    import icalendar

    settings.TONGXIN_BASE_URL = "https://tongxin.example.edu.cn"
    start = datetime(2023, 5, 8, 6, 30, tzinfo=UTC)
    event = EventFactory(
        organisation=org,
        title="座谈会：建言献策, 共谋发展; 第1次" + "长标题" * 20,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="行政楼301",
        description="请准备发言\n每人5分钟",
    )
    calendar = icalendar.Calendar.from_ical(event_ics(event))
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "座谈会：建言献策, 共谋发展; 第1次" + "长标题" * 20
    assert str(vevent["DESCRIPTION"]) == "请准备发言\n每人5分钟"
    assert str(vevent["LOCATION"]) == "行政楼301"
    assert vevent.decoded("DTSTART") == start
    assert vevent.decoded("DTEND") == start + timedelta(hours=2)
    assert str(vevent["UID"]) == f"event-{event.pk}@tongxin.example.edu.cn"
