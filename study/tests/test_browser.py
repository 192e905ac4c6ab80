"""Browser flows: UFD staff create, quiz and publish a material on the desktop; a member reads it on
a 375 px phone (the read counts only after the minimum time), passes the quiz and earns points."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import log_in, shot, submit
from study.models import Assignment, StudyMaterial
from study.tests.factories import add_quiz, make_material

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_staff_create_add_question_and_publish(live_server, page, org, ufd_staff, member):
    base = live_server.url
    log_in(page, base, "ufd")
    page.click(".sidenav >> text=学习推送")
    page.click("text=新建学习材料")
    page.fill("input[name=title]", "学习中央统战工作会议精神")
    page.fill("textarea[name=body]", "<h2>会议精神</h2><p>坚持大统战工作格局。</p>")
    page.select_option("select[name=audience_people]", str(member.person.pk))
    submit(page, "button:has-text('保存')")
    page.fill("input[name=text]", "统一战线是什么？")
    page.fill("textarea[name=choices]", "一般方法\n重要法宝")
    page.fill("input[name=correct]", "2")
    submit(page, "button:has-text('添加测验题')")
    assert "已添加测验题" in page.locator(".messages").inner_text()
    submit(page, "button:has-text('发布推送')")
    assert "已发布，推送给 1 人" in page.locator(".messages").inner_text()
    assert page.locator("#reach").inner_text() == "1"
    shot(page, "study-detail-1280")
    assert StudyMaterial.objects.get().status == "published"


def test_phone_read_with_minimum_time_pass_quiz_earn_points(live_server, phone, org, member, settings):
    settings.STUDY_MIN_READ_SECONDS = 3
    settings.STUDY_MIN_FINISH_SECONDS = 3
    base = live_server.url
    material = make_material(org, people=[member.person], title="学习统一战线工作条例", pass_mark=100)
    add_quiz(material)

    log_in(phone, base, "member")
    phone.click(".tabbar >> text=学习")
    assert phone.locator(".m-study", has_text="学习统一战线工作条例").locator(".badge.amber").inner_text() == "未读"
    phone.click("text=学习统一战线工作条例")
    opened = timezone.now()
    _no_horizontal_scroll(phone)

    # Just opened: the end of the short article is on screen at once, but it does not count yet.
    phone.wait_for_timeout(1000)
    assert Assignment.objects.get().read_at is None
    phone.wait_for_selector("#read-status.green", timeout=15000)
    assert phone.locator("#read-status").inner_text() == "已读，已计入阅读"
    read_at = Assignment.objects.get().read_at
    assert (read_at - opened).total_seconds() >= 2.5
    shot(phone, "study-read-375")

    # The quiz: 重要法宝, and 民主党派成员 + 无党派人士.
    phone.check("#quiz label:has-text('重要法宝') input")
    phone.check("#quiz label:has-text('民主党派成员') input")
    phone.check("#quiz label:has-text('无党派人士') input")
    submit(phone, "button:has-text('提交测验')")
    assert "测验得分 100，已通过" in phone.locator(".messages").inner_text()
    assert phone.locator("#earned").inner_text().count("+") == 2
    assert "阅读 +2" in phone.locator("#earned").inner_text()
    assert "测验 +3" in phone.locator("#earned").inner_text()
    shot(phone, "study-quiz-375")

    phone.goto(f"{base}{reverse('study:m-points')}")
    assert phone.locator("#points-total").inner_text() == "5"
    _no_horizontal_scroll(phone)
    shot(phone, "study-points-375")
