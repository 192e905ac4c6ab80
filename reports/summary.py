"""The year-end work summary (年度工作总结), written from the ledger.

`ledger(organisation, year)` gathers the year's figures through the documented query functions of
plans, events, proposals, people, five ones, study, assessment and budget (a fixed number of
queries whatever the plan's size); `draft_text(data)` writes the editable body; `summary_docx(...)` writes the Word
draft: the body as UFD staff edited it, the highlights they chose, the assessment results, the
budget execution and three charts (PNG)."""

from collections import defaultdict

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports import charts


def cn_date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


def ledger(organisation, year: int) -> dict:
    from assessment.queries import year_results
    from budget.queries import execution
    from events.queries import year_events_by_month, year_held_events
    from fiveones.queries import year_completion
    from people.queries import registry_composition
    from plans.queries import year_plan, year_plan_outline, year_section_progress
    from proposals.queries import year_adopted_titles, year_proposal_funnel

    today = timezone.localdate()
    plan = year_plan(organisation, year)
    outline = year_plan_outline(plan, today) if plan else []
    events = year_held_events(organisation, year)
    by_target = defaultdict(list)
    for event in events:
        for target_id in event["target_ids"]:
            by_target[target_id].append(event)
    return {
        "organisation": organisation,
        "year": year,
        "plan": plan,
        "outline": outline,
        "sections": year_section_progress(plan) if plan else [],
        "events": events,
        "events_by_target": by_target,
        "months": year_events_by_month(organisation, year),
        "funnel": year_proposal_funnel(organisation, year),
        "adopted": year_adopted_titles(organisation, year),
        "registry": registry_composition(organisation),
        "contacts": _contact_count(organisation, year),
        "results": year_results(organisation, year),
        "budget": execution(organisation, year),
        "fiveones": year_completion(organisation, year),
        "study": _study(organisation, year),
    }


def _study(organisation, year: int) -> dict:
    """The study push of the year (study.queries): materials pushed, reach, read, read rate, and
    of the members something was pushed to, how many completed all of it (read, quiz passed if
    any, reflection if required)."""
    from study.queries import member_completion, study_figures

    figures = study_figures(organisation, year)
    rows = [row for row in member_completion(organisation, year) if row.assigned]
    return figures | {"learners": len(rows), "learners_complete": sum(1 for r in rows if r.complete == r.assigned)}


def fiveones_text(data: dict) -> str:
    """One paragraph: the five ones (五个一) completion of the year."""
    figures = data["fiveones"]
    if not figures["members"]:
        return _("本年度没有“五个一”活动记录。")
    text = _(
        "全年%(members)s名统战成员中，%(complete)s人完成“五个一”全部五项，完成率%(rate)s%%，人均完成%(average)s项"
    ) % {k: figures[k] for k in ("members", "complete", "rate", "average")}
    slots = "、".join(_("%(slot)s%(count)s人") % {"slot": slot, "count": count} for slot, count in figures["by_slot"])
    return text + _("；其中%(slots)s。") % {"slots": slots}


def study_text(data: dict) -> str:
    """One paragraph: the study push (学习推送) completion of the year."""
    figures = data["study"]
    if not figures["materials"]:
        return _("本年度没有推送学习材料。")
    return _(
        "全年推送学习材料%(materials)s篇，推送%(reach)s人次，已阅读%(read)s人次，阅读率%(rate)s%%；"
        "%(learners)s名推送对象中%(learners_complete)s人完成全部学习任务。"
    ) % {k: figures[k] for k in ("materials", "reach", "read", "rate", "learners", "learners_complete")}


def fiveones_rows(data: dict) -> list[list[str]]:
    """The five ones table: per slot, members who filled it and their share of all members."""
    figures = data["fiveones"]
    members = figures["members"]

    def share(count: int) -> str:
        return f"{round(count * 100 / members)}%" if members else "—"

    rows = [[_("项目"), _("完成人数"), _("完成率")]]
    rows += [[slot, str(count), share(count)] for slot, count in figures["by_slot"]]
    rows.append([_("全部五项"), str(figures["complete"]), share(figures["complete"])])
    return rows


def _contact_count(organisation, year: int) -> int:
    from people.models import ContactRecord

    return ContactRecord.objects.filter(person__organisation=organisation, date__year=year).count()


def _item_line(item: dict, events_by_target) -> str:
    parts = [f"{item['number']}. {item['title']}"]
    lead = f"（牵头：{item['lead']}）" if item["lead"] else ""
    state = f"{item['status_label']}，进度{item['progress']}%"
    if item["accepted_at"]:
        state = f"已完成（{cn_date(item['accepted_at'])}销号）"
    sentences = [f"{parts[0]}{lead}：{state}。"]
    for target in item["targets"]:
        met = "已完成" if target["achieved"] >= target["count"] else "未完成"
        sentences.append(f"目标“{target['text']}”完成{target['achieved']}/{target['count']}（{met}）。")
        held = events_by_target.get(target["id"], [])
        if held:
            sentences.append(
                "举办"
                + "；".join(f"{e['title']}（{cn_date(e['starts_at'])}，出席{e['attendance']}人）" for e in held)
                + "。"
            )
    if item["reports"]:
        sentences.append(f"报送进展{item['reports']}次。")
    return "".join(sentences)


def overview(data: dict) -> str:
    items = [i for s in data["outline"] for i in s["items"]]
    done = sum(1 for i in items if i["status"] == "done")
    overdue = sum(1 for i in items if i["status"] == "overdue")
    attendance = sum(e["attendance"] for e in data["events"])
    funnel = dict(data["funnel"])
    registry = data["registry"]
    return _(
        "%(year)s年，统战部在学校党委的领导下，认真落实年度统战工作要点。"
        "全年工作要点共%(items)s项任务，已完成%(done)s项，逾期%(overdue)s项；"
        "举办各类统战活动%(events)s场，参加%(attendance)s人次；"
        "收到建言献策%(received)s件，立案%(accepted)s件，答复%(answered)s件，采纳%(adopted)s件；"
        "统战对象名册%(registry)s人，其中留学回国人员%(returned)s人；"
        "全年联谊交友、谈心谈话%(contacts)s次。"
    ) % {
        "year": data["year"],
        "items": len(items),
        "done": done,
        "overdue": overdue,
        "events": len(data["events"]),
        "attendance": attendance,
        "received": funnel["收到"],
        "accepted": funnel["立案"],
        "answered": funnel["答复"],
        "adopted": funnel["采纳"],
        "registry": registry["total"],
        "returned": registry["returned"],
        "contacts": data["contacts"],
    }


def draft_text(data: dict) -> str:
    """The editable body: an overview, then per section and item what was done."""
    title = f"{data['organisation'].name}{data['year']}年统战工作总结"
    lines = [title, "", overview(data), ""]
    if not data["outline"]:
        lines.append(f"（{data['year']}年没有已发布的工作要点。）")
    for number, section in enumerate(data["outline"], start=1):
        marker = section["marker"] or f"{_cn(number)}、"
        lines.append(f"{marker}{section['title']}")
        for item in section["items"]:
            lines.append(_item_line(item, data["events_by_target"]))
        lines.append("")
    number = len(data["outline"]) + 1
    lines.append(f"{_cn(number)}、全年活动开展情况")
    if data["events"]:
        for index, e in enumerate(data["events"], start=1):
            where = f"，{e['department']}组织" if e["department"] else ""
            lines.append(f"{index}. {e['title']}（{cn_date(e['starts_at'])}{where}，出席{e['attendance']}人）。")
    else:
        lines.append("本年度没有已举办的活动记录。")
    lines.append("")
    funnel = dict(data["funnel"])
    lines.append(f"{_cn(number + 1)}、建言献策办理情况")
    lines.append(
        f"全年收到建言献策{funnel['收到']}件，立案{funnel['立案']}件，答复{funnel['答复']}件，"
        f"采纳（含部分采纳）{funnel['采纳']}件。"
    )
    for index, title in enumerate(data["adopted"], start=1):
        lines.append(f"{index}. 《{title}》被采纳。")
    lines.append("")
    lines.append(_("%(number)s、“五个一”活动和学习推送情况") % {"number": _cn(number + 2)})
    lines.append(fiveones_text(data))
    lines.append(study_text(data))
    lines.append("")
    lines.append("下一步，统战部将坚持问题导向，补齐短板，推动统战工作再上新台阶。")
    return "\n".join(lines)


def _cn(number: int) -> str:
    digits = "一二三四五六七八九十"
    if number <= 10:
        return digits[number - 1]
    if number < 20:
        return "十" + digits[number - 11]
    return str(number)


def highlight_choices(data: dict) -> list[str]:
    """Candidates UFD staff choose highlights from: held events, adopted suggestions, finished items."""
    choices = [f"举办{e['title']}（{cn_date(e['starts_at'])}，出席{e['attendance']}人）" for e in data["events"]]
    choices += [f"建言“{title}”被采纳" for title in data["adopted"]]
    choices += [f"完成“{i['title']}”" for s in data["outline"] for i in s["items"] if i["status"] == "done"][:50]
    return choices


def summary_docx(data: dict, *, text: str, highlights: list[str]) -> bytes:
    from docx.shared import Cm

    from assessment.exports import body, heading, new_document, table, title, to_bytes

    document = new_document()
    lines = text.splitlines()
    if lines:
        title(document, lines[0])
        lines = lines[1:]
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if _is_heading(stripped):
            heading(document, stripped)
        else:
            body(document, stripped)

    heading(document, "工作亮点")
    for index, highlight in enumerate(highlights or ["（未选择）"], start=1):
        body(document, f"{index}. {highlight}")

    heading(document, "年度考核结果")
    results = data["results"]
    if results["published"] and results["rows"]:
        rows = [["排名", "部门", "总分", "等次"]]
        rows += [[r["rank"], r["department"], f"{r['total']}", r["grade"]] for r in results["rows"]]
        table(document, rows, [2, 7, 3, 3], size=12)
    else:
        body(document, "本年度考核结果尚未发布。")

    # The paragraphs are in the editable text (its section on the five ones and study); the
    # tables here are read live, like the assessment and budget below.
    heading(document, _("“五个一”和学习推送完成情况"))
    members = data["fiveones"]["members"]
    if members:
        body(document, _("表1　“五个一”各项完成人数（共%(members)s名成员）") % {"members": members})
        table(document, fiveones_rows(data), [7, 4, 4], size=12)
    else:
        body(document, fiveones_text(data))
    study = data["study"]
    if not study["materials"]:
        body(document, study_text(data))
    else:
        body(document, _("表2　学习推送完成情况"))
        rows = [[_("推送材料（篇）"), _("推送（人次）"), _("已阅读（人次）"), _("阅读率"), _("完成全部学习任务（人）")]]
        rows.append(
            [
                str(study["materials"]),
                str(study["reach"]),
                str(study["read"]),
                f"{study['rate']}%",
                f"{study['learners_complete']}/{study['learners']}",
            ]
        )
        table(document, rows, [3, 3, 3, 2.5, 4], size=12)

    heading(document, "经费执行情况")
    budget = data["budget"]
    if budget["lines"]:
        rate = f"{budget['rate']}%" if budget["rate"] is not None else "—"
        body(document, f"全年统战工作经费预算{budget['budget']:.2f}元，已支出{budget['spent']:.2f}元，执行率{rate}。")
        rows = [["类别", "预算（元）", "已支出（元）", "执行率"]]
        rows += [
            [label, f"{b:.2f}", f"{s:.2f}", f"{r}%" if r is not None else "—"]
            for label, b, s, r in budget["by_category"]
        ]
        table(document, rows, [5, 3.5, 3.5, 3], size=12)
    else:
        body(document, "本年度未登记经费预算。")

    heading(document, "附图")
    with translation.override("zh-hans"):  # the Word draft is an official document: its charts stay Chinese
        figures = [
            charts.progress_chart(data["sections"]),
            charts.events_chart(data["months"]),
            charts.funnel_chart(data["funnel"]),
        ]
    for chart in figures:
        import io

        with translation.override("zh-hans"):
            document.add_picture(io.BytesIO(chart.png()), width=Cm(15))
    return to_bytes(document)


def _is_heading(line: str) -> bool:
    return len(line) <= 60 and any(line.startswith(f"{_cn(n)}、") for n in range(1, 20))


def generated_text(organisation, year: int) -> tuple[dict, str]:
    data = ledger(organisation, year)
    with translation.override("zh-hans"):  # the draft becomes the Word document: it stays Chinese
        return data, draft_text(data)
