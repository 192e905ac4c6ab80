"""Browser walk of the issue-11 screens: the security admin clears a lockout and a slowed address
and approves a password reset; the holder sets the password from the e-mailed link; the audit
admin sees a pseudonym and asks for a look-up; staff remove an external sign-up. Desktop and phone."""

import re

import pytest
from django.core import mail

from conftest import log_in, shot, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "Brand-New-Pass-2026"


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    from accounts import services

    monkeypatch.setattr(services, "_sleep", lambda seconds: None)


def test_security_admin_clears_a_lockout_and_approves_a_reset(live_server, page, secadmin, sysadmin, ufd_staff):
    for _ in range(5):
        log_in(page, live_server.url, "ufd", "Wrong-password-1")
    page.context.clear_cookies()
    log_in(page, live_server.url, "secadmin")
    page.click("text=角色分配")
    lockouts = page.locator("#lockouts").inner_text()
    assert "ufd（连续失败 5 次" in lockouts and "127.0.0.1（失败 5 次" in lockouts
    shot(page, "security-lockouts")
    submit(page, "#lockouts button:has-text('解除锁定')")
    submit(page, "#lockouts button:has-text('解除限速')")
    assert "没有被锁定的账号。" in page.locator("#lockouts").inner_text()
    assert "没有被限速的地址。" in page.locator("#lockouts").inner_text()

    ufd_staff.email = "ufd@example.edu.cn"
    ufd_staff.save()
    page.context.clear_cookies()
    log_in(page, live_server.url, "sysadmin")
    page.click("text=账号管理")
    page.click("tr:has-text('ufd') >> text=申请重置密码")
    shot(page, "sysadmin-reset-request")
    submit(page, "button:has-text('提交申请')")
    assert "待安全管理员批准" in page.locator(".messages, main").first.inner_text()

    page.context.clear_cookies()
    log_in(page, live_server.url, "secadmin")
    page.goto(f"{live_server.url}/accounts/security/password-resets/")
    shot(page, "security-reset-requests")
    submit(page, "button:has-text('批准')")
    link = re.search(r"http://\S+/accounts/reset/\S+/", mail.outbox[-1].body).group(0)

    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/reset/" + link.split("/accounts/reset/")[1])
    shot(page, "reset-confirm")
    page.fill("input[name=new_password]", NEW)
    page.fill("input[name=new_password2]", NEW)
    submit(page, "button[type=submit]")
    log_in(page, live_server.url, "ufd", NEW)
    assert page.url.rstrip("/") == live_server.url


def test_reset_link_page_on_a_phone(live_server, phone, ufd_staff):
    from accounts.services import set_password_link

    phone.goto(live_server.url + "/accounts/reset/" + set_password_link(ufd_staff).split("/accounts/reset/")[1])
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "reset-confirm-375")


def test_auditor_sees_a_pseudonym_and_asks_for_a_look_up(live_server, page, auditor, ufd_staff, person):
    log_in(page, live_server.url, "ufd")
    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.context.clear_cookies()
    log_in(page, live_server.url, "auditor")
    page.click("text=审计日志")
    body = page.locator("main").inner_text()
    assert f"统战对象 #{person.pk}" in body and person.name not in body
    shot(page, "audit-log-pseudonyms")
    page.click("text=身份查询申请")
    page.select_option("select[name=object_type]", "people.person")
    page.fill("input[name=object_id]", str(person.pk))
    page.fill("input[name=reason]", "核查异常访问")
    submit(page, "button:has-text('提交申请')")
    assert "待审批" in page.locator("table").inner_text()
    shot(page, "audit-lookups")


def test_staff_remove_an_external_sign_up(live_server, page, ufd_staff, org):
    from events.models import ExternalRegistration
    from events.tests.factories import EventFactory

    event = EventFactory(organisation=org, public_signup=True, capacity=20)
    ExternalRegistration.objects.create(event=event, name="捣乱者", unit="无")
    log_in(page, live_server.url, "ufd")
    page.goto(f"{live_server.url}/events/{event.pk}/attendance/")
    shot(page, "attendance-externals")
    submit(page, "#externals button:has-text('移除')")
    assert "已移除校外报名：捣乱者（无）" in page.locator("main").inner_text()
    assert ExternalRegistration.objects.count() == 0


def test_owner_restarts_a_killed_import(live_server, page, ufd_staff, org, settings, tmp_path):
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from core import jobs
    from core.models import BackgroundJob
    from people import imports
    from people.tests.xlsx import row, workbook_bytes

    settings.MEDIA_ROOT = tmp_path
    token = imports.keep_upload(SimpleUploadedFile("名单.xlsx", workbook_bytes([row(姓名="甲", 工号="K1")])))
    job = jobs.create_job(
        "导入统战对象", user=ufd_staff, organisation=org, task="people.import", params={"token": token, "source": "x"}
    )
    BackgroundJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now() - timedelta(hours=1))
    jobs.fail_stale_jobs()
    log_in(page, live_server.url, "ufd")
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    assert "任务中断" in page.locator(".job").inner_text()
    shot(page, "job-restart")
    submit(page, "button:has-text('重新开始')")
    page.wait_for_selector("text=导入完成", timeout=15000)
    assert "新增 1 人" in page.locator(".job").inner_text()
