"""The review page catches what the parser misses: every field editable, items merged, split and
moved, and the parser's warnings shown beside the rows they concern."""

import copy

import pytest
from django.urls import reverse

from plans.models import Item, Plan, PlanImport
from plans.parsing import edits
from plans.tests.test_import import form_data, upload_and_review

PARSED = {
    "title": "2024年工作要点",
    "year": 2024,
    "preamble": "",
    "warnings": [],
    "sections": [
        {
            "marker": "一、",
            "number": 1,
            "title": "加强政治引领",
            "text": "",
            "departments": {"lead": [], "support": []},
            "targets": [],
            "children": [
                {
                    "marker": "1.",
                    "number": 1,
                    "title": "加强理论学习",
                    "text": "组织学习。召开1次座谈会。",
                    "departments": {"lead": ["党委统战部"], "support": []},
                    "targets": [{"text": "召开1次座谈会", "count": 1}],
                    "children": [],
                },
                {
                    "marker": "2.",
                    "number": 2,
                    "title": "开展调研",
                    "text": "形成报告。",
                    "departments": {"lead": ["党委宣传部"], "support": ["团委"]},
                    "targets": [],
                    "children": [],
                },
            ],
        },
        {
            "marker": "二、",
            "number": 2,
            "title": "加强队伍建设",
            "text": "",
            "departments": {"lead": [], "support": []},
            "targets": [],
            "children": [],
        },
    ],
}


def test_merge_into_previous_joins_text_targets_and_departments():
    parsed = copy.deepcopy(PARSED)
    assert edits.merge_into_previous(parsed, "0.1") == "0.0"
    [merged] = parsed["sections"][0]["children"]
    assert merged["title"] == "加强理论学习"
    assert merged["text"] == "组织学习。召开1次座谈会。\n开展调研。形成报告。"
    assert merged["departments"] == {"lead": ["党委统战部", "党委宣传部"], "support": ["团委"]}
    assert merged["targets"] == [{"text": "召开1次座谈会", "count": 1}]


def test_split_makes_a_new_item_from_the_text_and_moves_its_targets():
    parsed = copy.deepcopy(PARSED)
    assert edits.split(parsed, "0.0", "召开1次座谈会") == "0.1"
    first, new, last = parsed["sections"][0]["children"]
    assert (first["title"], first["text"], first["targets"]) == ("加强理论学习", "组织学习", [])
    assert (new["title"], new["number"]) == ("召开1次座谈会", 2)
    assert new["targets"] == [{"text": "召开1次座谈会", "count": 1}]
    assert new["departments"] == {"lead": ["党委统战部"], "support": []}
    assert last["title"] == "开展调研"


def test_move_to_another_section():
    parsed = copy.deepcopy(PARSED)
    assert edits.move_to_section(parsed, "0.1", 1) == "1.0"
    assert [c["title"] for c in parsed["sections"][0]["children"]] == ["加强理论学习"]
    assert [c["title"] for c in parsed["sections"][1]["children"]] == ["开展调研"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: edits.merge_into_previous(p, "0.0"), "这是本级第一项，前面没有可以合并的任务"),
        (lambda p: edits.merge_into_previous(p, "1"), "部分不能合并，请合并其中的任务"),
        (lambda p: edits.split(p, "0.0", "没有这句"), "在这项任务的正文中找不到要拆分的文字"),
        (lambda p: edits.move_to_section(p, "0.0", 5), "请选择要移入的部分"),
        (lambda p: edits.merge_into_previous(p, "0.9"), "找不到要修改的条目，请刷新页面后重试"),
        (lambda p: edits.merge_into_previous(p, "x"), "找不到要修改的条目，请刷新页面后重试"),
    ],
)
def test_edits_that_do_not_apply_say_why_and_change_nothing(call, message):
    parsed = copy.deepcopy(PARSED)
    with pytest.raises(edits.EditError) as error:
        call(parsed)
    assert error.value.message == message
    assert parsed == PARSED


PLAN = (
    "某某学院2024年统战工作要点\n一、加强政治引领\n"
    "1.加强理论学习。组织学习。召开1次座谈会。（牵头单位：党委统战部）\n"
    "3.开展调研。形成报告。（牵头单位：党委统战部）\n"
    "二、加强队伍建设\n4.做好培训。举办培训班。（牵头单位：党委统战部）\n"
)


@pytest.fixture
def ufd_department_only(org, ufd_department):
    return ufd_department


@pytest.mark.django_db(transaction=True)
def test_review_shows_warnings_beside_the_row_and_saves_edited_fields(client, ufd_staff, ufd_department_only):
    client.force_login(ufd_staff)
    _, review = upload_and_review(client, text=PLAN)
    rows = {r["node"]["title"]: r for r in review.context["rows"]}
    assert rows["开展调研"]["warnings"] == ["编号不连续：“3.”前一项是 1"]
    assert rows["加强理论学习"]["warnings"] == []
    assert "⚠ 编号不连续：“3.”前一项是 1" in review.content.decode()

    data = form_data(review.context)
    key = rows["开展调研"]["key"]
    data |= {
        f"r{key}-marker": "2.",
        f"r{key}-text": "形成调研报告一份。",
        f"r{key}-targets": "形成调研报告（1）\n召开调研座谈会（2）",
    }
    response = client.post(review.request["PATH_INFO"], data)
    assert response.status_code == 302
    item = Item.objects.get(title="开展调研")
    assert (item.marker, item.text) == ("2.", "形成调研报告一份。")
    assert [(t.text, t.count) for t in item.targets.order_by("order")] == [("形成调研报告", 1), ("召开调研座谈会", 2)]


@pytest.mark.django_db(transaction=True)
def test_review_refuses_a_malformed_target_line_and_saves_nothing(client, ufd_staff, ufd_department_only):
    client.force_login(ufd_staff)
    _, review = upload_and_review(client, text=PLAN)
    data = form_data(review.context)
    key = review.context["rows"][1]["key"]
    data[f"r{key}-targets"] = "召开座谈会很多次"
    response = client.post(review.request["PATH_INFO"], data)
    assert response.status_code == 200
    assert "第 1 行格式不对：请写成“目标内容（数量）”，数量为正整数。" in response.content.decode()
    assert Plan.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_merge_split_and_move_on_the_review_page_keep_other_edits(client, ufd_staff, ufd_department_only):
    client.force_login(ufd_staff)
    _, review = upload_and_review(client, text=PLAN)
    url = review.request["PATH_INFO"]
    record = PlanImport.objects.get()

    data = form_data(review.context) | {"r0.0-title": "加强理论武装", "op": "move:0.1", "move-0.1": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("plans:import-review", args=[record.pk]) + "#row-1.1"
    record.refresh_from_db()
    assert [c["title"] for c in record.parsed["sections"][0]["children"]] == ["加强理论武装"]
    assert [c["title"] for c in record.parsed["sections"][1]["children"]] == ["做好培训", "开展调研"]

    review = client.get(url)
    response = client.post(url, form_data(review.context) | {"op": "merge:1.1"})
    assert response.status_code == 302
    record.refresh_from_db()
    [merged] = record.parsed["sections"][1]["children"]
    assert merged["text"] == "举办培训班。\n开展调研。形成报告。"

    review = client.get(url)
    response = client.post(url, form_data(review.context) | {"op": "split:1.0", "at-1.0": "开展调研"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert [c["title"] for c in record.parsed["sections"][1]["children"]] == ["做好培训", "开展调研"]

    review = client.get(url)
    response = client.post(url, form_data(review.context) | {"op": "split:1.0", "at-1.0": "不存在的句子"}, follow=True)
    assert "在这项任务的正文中找不到要拆分的文字" in response.content.decode()
    assert Plan.objects.count() == 0  # nothing saved until 确认导入


@pytest.mark.django_db(transaction=True)
def test_departments_on_a_section_heading_apply_to_its_items(client, ufd_staff, ufd_department_only):
    client.force_login(ufd_staff)
    text = (
        "2024年统战工作要点\n一、加强队伍建设（牵头单位：党委统战部）\n"
        "1.做好培训。举办培训班。\n2.做好联络。定期走访。（牵头单位：另一个部门）\n"
    )
    _, review = upload_and_review(client, text=text)
    data = form_data(review.context)
    for form in review.context["unresolved_forms"]:
        data[form.add_prefix("action")] = "ignore"
    response = client.post(review.request["PATH_INFO"], data)
    assert response.status_code == 302
    leads = dict(Item.objects.values_list("title", "lead_department__name"))
    assert leads == {"做好培训": "党委统战部", "做好联络": None}
