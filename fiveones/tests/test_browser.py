"""Browser flow on a 375 px phone: a member's five ones card filled from an event they checked in to
and a suggestion they made; they report a book; UFD staff verify it on the desktop; the card shows 3/5."""

import pytest
from django.urls import reverse

from conftest import log_in, shot, submit
from fiveones.tests.conftest import at, attend, event_of
from fiveones.tests.factories import PNG
from proposals.models import Status
from proposals.tests.factories import make_proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_phone_card_report_a_book_and_staff_verify(live_server, phone, page, org, member, ufd_staff, tmp_path):
    base = live_server.url
    person = member.person
    attend(event_of(org, "lecture", title="统一战线理论专题讲座"), person)
    attend(event_of(org, "visit", title="只报名未签到的参观"), person, checked_in=False)
    make_proposal(org, person, Status.SUBMITTED, submitted_at=at(5), title="关于改善教师公寓的建议")

    # The member opens their card from the home page.
    log_in(phone, base, "member")
    phone.click("text=查看和填报五个一")
    phone.wait_for_url(f"{base}{reverse('fiveones:card')}")
    assert phone.locator("#five-progress strong").inner_text() == "2/5"
    assert phone.locator("#slot-report .badge").inner_text() == "已完成"
    assert "统一战线理论专题讲座" in phone.locator("#slot-report").inner_text()
    assert phone.locator("#slot-site .badge").inner_text() == "未完成"  # registered, never checked in
    assert "关于改善教师公寓的建议" in phone.locator("#slot-proposal").inner_text()
    _no_horizontal_scroll(phone)
    shot(phone, "fiveones-card-375")

    # One tap to report the book.
    phone.click("#slot-book a.m-button")
    phone.fill("input[name=title]", "乡土中国")
    phone.fill("input[name=author]", "费孝通")
    phone.fill("input[name=on]", f"{at(3).year}-03-01")
    phone.fill("textarea[name=reflection]", "理解了中国基层社会的结构。")
    proof = tmp_path / "cover.png"
    proof.write_bytes(PNG)
    phone.set_input_files("input[name=proof]", str(proof))
    _no_horizontal_scroll(phone)
    submit(phone, "button:has-text('提交')")
    assert "等待党委统战部核实" in phone.locator(".messages").inner_text()
    assert phone.locator("#slot-book .badge").inner_text() == "待核实"

    # UFD staff verify it from the queue.
    log_in(page, base, "ufd")
    page.click(".sidenav >> text=五个一")
    page.click("text=待核实")
    row = page.locator("#queue-table tbody tr", has_text="乡土中国")
    assert "张建言" in row.inner_text()
    shot(page, "fiveones-queue-1280")
    with page.expect_navigation():
        row.locator("button:has-text('核实通过')").click()
    assert "已核实：张建言" in page.locator(".messages").inner_text()
    page.goto(f"{base}{reverse('fiveones:overview')}")
    shot(page, "fiveones-overview-1280")

    # Back on the phone: three of five.
    phone.goto(f"{base}{reverse('fiveones:card')}")
    assert phone.locator("#five-progress strong").inner_text() == "3/5"
    assert phone.locator("#slot-book .badge").inner_text() == "已完成"
    assert "《乡土中国》" in phone.locator("#slot-book").inner_text()
    shot(phone, "fiveones-card-verified-375")
