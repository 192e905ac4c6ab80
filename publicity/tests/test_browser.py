"""Browser flow: a UFD user writes a story about a consenting person, a second UFD user approves
it, the public reads it on a phone; withdrawing the person's consent takes it down."""

from datetime import date

import pytest
from PIL import Image

from conftest import log_in, make_user, shot, submit
from notifications.models import Notification
from orgs.models import Role
from people.models import PublicityConsent
from people.tests.factories import PersonFactory
from publicity.models import Story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_story_with_consent_publishes_and_is_taken_down_when_consent_is_withdrawn(
    live_server, browser, page, phone, org, ufd_staff, ufd_department, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    reviewer = make_user(org, Role.UFD_STAFF, "ufd2")
    person = PersonFactory(organisation=org, name="陈思源", department=ufd_department, phone="13900001111")
    PublicityConsent.objects.create(person=person, given_at=date(2026, 3, 1), note="书面同意")

    # The author writes the story, adds a photo and submits it.
    log_in(page, base, "ufd")
    page.click(".sidenav >> text=宣传报道")
    page.click("text=写报道")
    page.fill("input[name=title]", "陈思源：把论文写在产业一线")
    page.select_option("select[name=kind]", "profile")
    page.fill("textarea[name=body]", "陈思源老师长期扎根教学一线。\n\n<script>alert(1)</script>带领团队共建实训基地。")
    page.select_option("select[name=people]", label="陈思源")
    submit(page, "button:has-text('保存草稿')")
    assert page.locator("#story-status").inner_text() == "草稿"
    assert "已同意宣传" in page.locator("#story-people").inner_text()
    photo = tmp_path / "课堂.png"
    Image.new("RGB", (640, 400), (139, 26, 26)).save(photo)
    page.set_input_files("#photo-form input[name=image]", str(photo))
    page.fill("#photo-form input[name=caption]", "课堂上")
    submit(page, "#photo-form button[type=submit]")
    assert page.locator(".story-photos figcaption").inner_text() == "课堂上"
    submit(page, "button:has-text('提交审核')")
    assert page.locator("#story-status").inner_text() == "待审核"
    assert "等待作者以外" in page.locator("#review-wait").inner_text()  # the author cannot approve
    shot(page, "publicity-story-in-review")

    # A second UFD user approves it.
    second = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800}).new_page()
    log_in(second, base, "ufd2")
    second.goto(f"{base}/notifications/")
    second.locator(".notice-link", has_text="宣传报道待审核").click()
    second.fill("#review textarea[name=note]", "同意发布")
    submit(second, "button:has-text('通过并发布')")
    assert second.locator("#story-status").inner_text() == "已发布"
    story = Story.objects.get()
    assert story.reviewed_by == reviewer

    # Anyone reads it on a phone, without logging in; the script was removed.
    phone.goto(f"{base}/p/{org.slug}/stories/")
    phone.click("text=陈思源：把论文写在产业一线")
    article = phone.locator("#story")
    assert "报道人物：陈思源" in article.inner_text()
    assert "带领团队共建实训基地" in article.inner_text() and "alert" not in article.inner_html()
    assert "13900001111" not in phone.content()
    # the photo loads after the page: wait until the browser has it (or gave up on it), then look
    phone.wait_for_function("() => { const i = document.querySelector('.story-photos img'); return i && i.complete; }")
    assert phone.locator(".story-photos img").evaluate("img => img.naturalWidth") == 640
    _no_horizontal_scroll(phone)
    shot(phone, "publicity-public-story-375")

    # The person withdraws consent: the second user records it on the person page.
    second.on("dialog", lambda dialog: dialog.accept())
    second.goto(f"{base}/people/{person.pk}/")
    submit(second, "button:has-text('登记撤回')")
    second.goto(f"{base}/publicity/{story.pk}/")
    assert second.locator("#story-status").inner_text() == "已撤下"
    assert "陈思源 撤回宣传同意" in second.locator("#unpublish-reason").inner_text()
    assert "未同意" in second.locator("#story-people").inner_text()
    shot(second, "publicity-story-unpublished")

    page.goto(f"{base}/notifications/")
    assert "陈思源 已撤回宣传同意，1 篇报道已撤下或退回" in page.locator(".notices").inner_text()
    assert Notification.objects.filter(user=ufd_staff, title__contains="撤回宣传同意").count() == 1
    response = phone.goto(f"{base}/p/{org.slug}/stories/{story.pk}/")
    assert response.status == 404
    phone.goto(f"{base}/p/{org.slug}/stories/")
    assert "暂无已发布的报道" in phone.locator("#public-stories").inner_text()
    second.context.close()
