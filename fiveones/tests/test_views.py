"""The member's card and reporting form; the staff overview, ledger, queue and export."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEvent
from fiveones.models import Entry
from fiveones.tests.conftest import YEAR, at, attend, event_of
from fiveones.tests.factories import PNG, make_entry
from proposals.models import Status
from proposals.tests.factories import make_proposal

pytestmark = pytest.mark.django_db


def test_card_shows_what_fills_each_slot_and_what_is_missing(client, org, member):
    person = member.person
    event = event_of(org, "lecture", title="统一战线理论专题讲座")
    attend(event, person)
    make_proposal(org, person, Status.SUBMITTED, submitted_at=at(5), title="关于校园绿化的建议")
    client.force_login(member)

    response = client.get(reverse("fiveones:card"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "2/5" in html
    assert "还差：读一本好书、参观一处教育基地、进行一项调研" in html
    assert f'href="/events/m/{event.pk}/"' in html
    assert "报告/讲座·统一战线理论专题讲座" in html
    assert "关于校园绿化的建议" in html
    assert reverse("fiveones:report", args=["book"]) in html


def test_report_a_book_with_proof(client, member):
    client.force_login(member)
    proof = SimpleUploadedFile("cover.png", PNG, content_type="image/png")

    response = client.post(
        reverse("fiveones:report", args=["book"]),
        {"title": "乡土中国", "author": "费孝通", "on": f"{YEAR}-03-01", "reflection": "很有启发", "proof": proof},
    )

    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.person, entry.title, entry.author, entry.status, entry.year) == (
        member.person,
        "乡土中国",
        "费孝通",
        "pending",
        YEAR,
    )


def test_report_refuses_a_fake_image_and_a_future_date(client, member):
    client.force_login(member)
    fake = SimpleUploadedFile("cover.png", b"not an image at all", content_type="image/png")

    response = client.post(
        reverse("fiveones:report", args=["site"]),
        {"title": "红岩纪念馆", "on": f"{YEAR + 1}-01-01", "proof": fake},
    )

    assert response.status_code == 200
    assert Entry.objects.count() == 0
    form = response.context["form"]
    assert form.errors["on"] == ["日期不能晚于今天。"]
    assert "内容不是允许的类型" in form.errors["proof"][0]


def test_report_research_needs_a_pdf_or_word_report(client, member):
    client.force_login(member)
    image = SimpleUploadedFile("report.png", PNG, content_type="image/png")

    response = client.post(
        reverse("fiveones:report", args=["research"]), {"title": "产教融合", "on": f"{YEAR}-03-01", "proof": image}
    )

    assert response.status_code == 200
    assert "PDF、Word 文档" in response.context["form"].errors["proof"][0]


def test_proposal_slot_has_no_report_form(client, member):
    client.force_login(member)
    assert client.get(reverse("fiveones:report", args=["proposal"])).status_code == 404


def test_member_cannot_delete_or_download_another_members_entry(client, member, make_member):
    other = make_entry(make_member())
    client.force_login(member)

    assert client.post(reverse("fiveones:entry-delete", args=[other.pk])).status_code == 404
    assert client.get(reverse("fiveones:proof", args=[other.pk])).status_code == 404
    assert Entry.objects.filter(pk=other.pk).exists()


def test_staff_verify_and_reject_from_the_queue(client, ufd_staff, member):
    book = make_entry(member.person)
    site = make_entry(member.person, slot="site", title="纪念馆")
    client.force_login(ufd_staff)

    queue = client.get(reverse("fiveones:queue"))
    assert [e.pk for e in queue.context["entries"]] == [book.pk, site.pk]

    client.post(reverse("fiveones:verify", args=[book.pk]))
    client.post(reverse("fiveones:reject", args=[site.pk]), {"reason": ""})
    site.refresh_from_db()
    assert site.status == "pending"  # a reason is required
    client.post(reverse("fiveones:reject", args=[site.pk]), {"reason": "照片模糊"})

    book.refresh_from_db()
    site.refresh_from_db()
    assert (book.status, site.status, site.reason) == ("verified", "rejected", "照片模糊")


def test_staff_cannot_verify_another_organisations_entry(client, other_personas, member):
    entry = make_entry(member.person)
    from orgs.models import Role

    client.force_login(other_personas[Role.UFD_STAFF])
    assert client.post(reverse("fiveones:verify", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.status == "pending"


def test_export_is_audited(client, ufd_staff, member):
    client.force_login(ufd_staff)

    response = client.get(reverse("fiveones:export") + f"?year={YEAR}")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(4, 2).value == "张建言"
    assert AuditEvent.objects.get(action="export").user == ufd_staff


@pytest.mark.parametrize("url", ["fiveones:overview", "fiveones:ledger"])
def test_staff_pages_are_bounded_with_one_and_many_members(
    client, org, ufd_staff, make_member, django_assert_max_num_queries, url
):
    client.force_login(ufd_staff)
    first = make_member("甲")
    attend(event_of(org, "visit"), first)
    with django_assert_max_num_queries(20) as one:
        response = client.get(reverse(url))
    assert response.status_code == 200
    assert "甲" in response.content.decode()

    for n in range(25):
        person = make_member(f"乙{n}")
        attend(event_of(org, "visit", title=f"参观{n}"), person)
        make_entry(person, on=date(YEAR, 1, 2))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse(url))
    assert response.status_code == 200
    assert "乙24" in response.content.decode()


def test_overview_links_a_target(client, org, ufd_staff):
    from plans.tests.factories import TargetFactory

    target = TargetFactory(item__section__plan__organisation=org, text="开展五个一活动")
    client.force_login(ufd_staff)

    client.post(reverse("fiveones:target-link"), {"target": target.pk, "year": YEAR})

    response = client.get(reverse("fiveones:overview") + f"?year={YEAR}")
    assert [link.target for link in response.context["links"]] == [target]


def test_queue_is_bounded_with_one_and_many_entries(client, ufd_staff, make_member, django_assert_max_num_queries):
    client.force_login(ufd_staff)
    make_entry(make_member("甲"))
    with django_assert_max_num_queries(20) as one:
        response = client.get(reverse("fiveones:queue"))
    assert "甲" in response.content.decode()
    for n in range(20):
        make_entry(make_member(f"乙{n}"), slot="site", title=f"基地{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("fiveones:queue"))
    assert response.status_code == 200
    assert "基地19" in response.content.decode()
