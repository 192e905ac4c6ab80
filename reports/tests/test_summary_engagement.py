"""The year-end summary names the year's five ones (五个一) and study-push completion, read through
fiveones.queries and study.queries: in the generated draft, the Word export (checked with
python-docx), the page and the year_summary command. Every expected number is counted by hand
from the records built here."""

from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from fiveones.models import Entry
from fiveones.queries import year_completion
from fiveones.tests.conftest import attend, event_of
from fiveones.tests.factories import make_entry
from orgs.models import Role
from people.tests.factories import PersonFactory
from proposals.models import Status
from proposals.tests.factories import make_proposal
from reports import services
from reports.tests.test_summary import docx_text
from study.models import Assignment, StudyMaterial
from study.tests.factories import add_quiz, make_material

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
VERIFIED, PENDING, REJECTED = Entry.Status.VERIFIED, Entry.Status.PENDING, Entry.Status.REJECTED

# 3 members (registry people with a login): 王一 fills all five, 李二 two (report, book), 张三 none.
# 1 of 3 complete → 33 %; 5 + 2 + 0 = 7 slots filled → 7 / 3 = 2.3 on average.
FIVEONES_TEXT = (
    "全年3名统战成员中，1人完成“五个一”全部五项，完成率33%，人均完成2.3项；"
    "其中读一本好书2人、听一场报告2人、参观一处教育基地1人、进行一项调研1人、提交一份议案1人。"
)
# 2 materials published this year: 通知 to 3 people (2 read), 条例 with a quiz to 2 people (2 read,
# 1 passed) → reach 5, read 4, 80 %; of 3 learners only 王一 completed all (李二 failed the quiz).
STUDY_TEXT = "全年推送学习材料2篇，推送5人次，已阅读4人次，阅读率80%；3名推送对象中1人完成全部学习任务。"


def aware(month, day=10, year=YEAR):
    return timezone.make_aware(datetime(year, month, day, 9, 0))


def member(org, username, name):
    return PersonFactory(organisation=org, user=make_user(org, Role.MEMBER, username), name=name)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def year_records(org):
    wang, li, zhang = member(org, "m1", "王一"), member(org, "m2", "李二"), member(org, "m3", "张三")
    on = date(YEAR, 5, 1)
    # 王一: four verified self-reported entries and a suggestion submitted this year
    for slot in ("book", "report", "site", "research"):
        make_entry(wang, slot=slot, status=VERIFIED, on=on, title=f"{slot}记录")
    make_proposal(org, wang, Status.SUBMITTED, submitted_at=aware(5), title="关于延长图书馆开放时间的建议")
    # 李二: checked in at a lecture, a verified book; a visit still waiting for verification
    attend(event_of(org, "lecture", title="新时代统一战线专题报告"), li)
    make_entry(li, slot="book", status=VERIFIED, on=on)
    make_entry(li, slot="site", status=PENDING, on=on, title="红岩革命纪念馆")
    # 张三: a refused research report and last year's book count for nothing
    make_entry(zhang, slot="research", status=REJECTED, on=on, title="调研")
    make_entry(zhang, slot="book", status=VERIFIED, on=date(YEAR - 1, 5, 1))
    # not a member (no login): not counted
    make_entry(PersonFactory(organisation=org, name="无账号"), slot="book", status=VERIFIED, on=on)

    notice = make_material(org, people=[wang, li, zhang], title="通知", publish_at=aware(3))
    rules = make_material(org, people=[wang, li], title="条例", publish_at=aware(6))
    add_quiz(rules)
    Assignment.objects.filter(material=notice, person__in=[wang, li]).update(read_at=aware(3, 12))
    Assignment.objects.filter(material=rules, person=wang).update(read_at=aware(6, 12), quiz_passed_at=aware(6, 12))
    Assignment.objects.filter(material=rules, person=li).update(read_at=aware(6, 13), quiz_score=40)
    # a draft and last year's material are not this year's push
    make_material(org, people=[wang], title="草稿", published=False, publish_at=aware(7))
    old = make_material(org, people=[wang, li], title="去年", publish_at=aware(6, year=YEAR - 1))
    Assignment.objects.filter(material=old).update(read_at=aware(6, 20, year=YEAR - 1))
    assert StudyMaterial.objects.count() == 4
    return wang, li, zhang


def test_generated_draft_names_the_five_ones_and_study_figures(year_records, org, ufd_staff):
    text = services.generate_draft(org, by=ufd_staff, year=YEAR).text
    lines = text.splitlines()
    # no plan: 一、活动 二、建言 三、五个一和学习
    assert "三、“五个一”活动和学习推送情况" in lines
    heading = lines.index("三、“五个一”活动和学习推送情况")
    assert lines[heading + 1 : heading + 3] == [FIVEONES_TEXT, STUDY_TEXT]


def test_word_export_has_the_paragraphs_and_tables(client, year_records, org, ufd_staff):
    client.force_login(ufd_staff)
    client.post(reverse("reports:summary-generate"), {"year": YEAR})
    response = client.get(f"{reverse('reports:summary-docx')}?year={YEAR}")
    assert response.status_code == 200
    text, _ = docx_text(b"".join(response.streaming_content))
    assert FIVEONES_TEXT in text and STUDY_TEXT in text
    assert "表1　“五个一”各项完成人数（共3名成员）" in text
    rows = [
        "项目 | 完成人数 | 完成率",
        "读一本好书 | 2 | 67%",  # 2 of 3
        "听一场报告 | 2 | 67%",
        "参观一处教育基地 | 1 | 33%",
        "进行一项调研 | 1 | 33%",
        "提交一份议案 | 1 | 33%",
        "全部五项 | 1 | 33%",
    ]
    assert all(row in text.splitlines() for row in rows), text
    assert "推送材料（篇） | 推送（人次） | 已阅读（人次） | 阅读率 | 完成全部学习任务（人）" in text
    assert "2 | 5 | 4 | 80% | 1/3" in text


def test_summary_page_shows_the_figures(client, year_records, leader):
    client.force_login(leader)
    page = client.get(f"{reverse('reports:summary')}?year={YEAR}").content.decode()
    assert FIVEONES_TEXT in page and STUDY_TEXT in page
    assert '<td>参观一处教育基地</td><td class="num">1</td><td class="num">33%</td>' in page


def test_year_summary_command_writes_the_figures(year_records, org, tmp_path):
    out = tmp_path / "summary.docx"
    call_command("year_summary", "--org", org.slug, "--year", str(YEAR), "-o", str(out))
    text, _ = docx_text(out.read_bytes())
    assert FIVEONES_TEXT in text and STUDY_TEXT in text
    assert "全部五项 | 1 | 33%" in text and "2 | 5 | 4 | 80% | 1/3" in text


def test_a_year_without_records_says_so(org, tmp_path, member):
    out = tmp_path / "summary.docx"
    call_command("year_summary", "--org", org.slug, "--year", str(YEAR - 3), "-o", str(out))
    text, _ = docx_text(out.read_bytes())
    # the `member` persona has a login: one member, nothing filled
    assert "全年1名统战成员中，0人完成“五个一”全部五项，完成率0%，人均完成0.0项" in text
    assert "本年度没有推送学习材料。" in text and "表2" not in text


def test_a_year_without_members_says_so(org, tmp_path):
    out = tmp_path / "summary.docx"
    call_command("year_summary", "--org", org.slug, "--year", str(YEAR), "-o", str(out))
    text, _ = docx_text(out.read_bytes())
    assert "本年度没有“五个一”活动记录。" in text and "表1" not in text


@pytest.mark.parametrize("members", [1, 12])
def test_year_completion_queries_are_bounded(org, members, django_assert_max_num_queries):
    people = [member(org, f"q{i}", f"成员{i}") for i in range(members)]
    for person in people:
        make_entry(person, slot="book", status=VERIFIED, on=date(YEAR, 4, 1))
    with django_assert_max_num_queries(5):
        figures = year_completion(org, YEAR)
    assert (figures["members"], figures["complete"], figures["average"]) == (members, 0, "1.0")
    assert figures["by_slot"][0] == ("读一本好书", members)
