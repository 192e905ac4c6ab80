"""Computed indicators: each takes (organisation, year, department, indicator) and returns a
`Computed` — the ratio (0–1), the numbers it came from, the rule in words, and the records that
produced it. Figures come only from the documented query functions of plans, events and
proposals. A department with nothing to count (no led items, no suggestions assigned) gets full
points, said so in the explanation."""

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessment.models import TWO, Metric


@dataclass
class Computed:
    numerator: int
    denominator: int
    rule: str
    records: list[str] = field(default_factory=list)
    cap: int | None = None  # EVENTS_HELD: the denominator is the target, the ratio is capped at 1

    @property
    def ratio(self) -> Decimal:
        if self.denominator == 0:
            return Decimal(1)
        return min(Decimal(self.numerator) / Decimal(self.denominator), Decimal(1))

    def points(self, max_points: Decimal) -> Decimal:
        return (self.ratio * max_points).quantize(TWO, rounding=ROUND_HALF_UP)

    def as_dict(self, max_points: Decimal) -> dict:
        data = asdict(self)
        data["points"] = str(self.points(max_points))
        data["ratio"] = f"{self.ratio * 100:.1f}%"
        if self.denominator == 0:
            data["rule"] += _("（无相关记录，按满分计）")
        return data


def _date(value) -> str:
    if not value:
        return "—"
    return date_format(value, _("Y年n月j日"))


def items_on_time(organisation, year, department, indicator) -> Computed:
    from django.utils import timezone

    from plans.queries import year_items_led

    items = year_items_led(organisation, year, department.pk)
    records, done = [], 0
    for item in items:
        accepted = timezone.localtime(item["accepted_at"]).date() if item["accepted_at"] else None
        on_time = accepted is not None and accepted <= item["due_date"]
        done += on_time
        state = _("%(date)s销号") % {"date": _date(accepted)} if accepted else _("未办结")
        records.append(
            _("任务%(number)s“%(title)s”：时限%(due)s，%(state)s")
            % {"number": item["number"], "title": item["title"], "due": _date(item["due_date"]), "state": state}
            + (_("，按时") if on_time else _("，未按时"))
        )
    return Computed(done, len(items), _("按时办结的牵头任务数 ÷ 牵头任务数"), records)


def targets_achieved(organisation, year, department, indicator) -> Computed:
    from plans.queries import year_items_led

    achieved = total = 0
    records = []
    for item in year_items_led(organisation, year, department.pk):
        for target in item["targets"]:
            counted = min(target["achieved"], target["count"])
            achieved += counted
            total += target["count"]
            records.append(
                _("任务%(number)s“%(text)s”：完成%(counted)s/%(count)s")
                % {"number": item["number"], "text": target["text"], "counted": counted, "count": target["count"]}
            )
    return Computed(achieved, total, _("牵头任务量化目标完成数之和 ÷ 目标数之和（超额不计）"), records)


def _role(role: str) -> str:
    """plans.queries names the department's role in Chinese (牵头 / 配合)."""
    return {"牵头": _("牵头"), "配合": _("配合")}.get(role, role)


def reports_submitted(organisation, year, department, indicator) -> Computed:
    from plans.queries import year_items_reported

    items = year_items_reported(organisation, year, department.pk)
    with_reports = sum(1 for i in items if i["reports"])
    records = [
        _("任务%(number)s“%(title)s”（%(role)s）：报送%(reports)s次")
        % {"number": i["number"], "title": i["title"], "role": _role(i["role"]), "reports": i["reports"]}
        for i in items
    ]
    return Computed(with_reports, len(items), _("报送过进展的牵头和配合任务数 ÷ 牵头和配合任务数"), records)


def proposals_on_time(organisation, year, department, indicator) -> Computed:
    from proposals.queries import year_department_answers

    rows = year_department_answers(organisation, year, department.pk)
    on_time = sum(1 for r in rows if r["on_time"])
    records = [
        _("%(case)s“%(title)s”：时限%(due)s，%(state)s")
        % {
            "case": r["case_number"] or _("未编号"),
            "title": r["title"],
            "due": _date(r["due_date"]),
            "state": _("按时答复") if r["on_time"] else (_("逾期答复") if r["first_answered_at"] else _("逾期未答复")),
        }
        for r in rows
    ]
    return Computed(on_time, len(rows), _("按时答复的交办建言数 ÷ 已答复或已逾期的交办建言数"), records)


def events_held(organisation, year, department, indicator) -> Computed:
    from events.queries import year_held_events

    events = year_held_events(organisation, year, department.pk)
    records = [
        _("%(title)s（%(date)s，出席%(attendance)s人）")
        % {"title": e["title"], "date": _date(e["starts_at"]), "attendance": e["attendance"]}
        for e in events
    ]
    target = max(indicator.target_count, 1)
    return Computed(
        len(events),
        target,
        _("本部门组织并已举办的活动场次 ÷ 目标%(target)s场（达到即满分）") % {"target": target},
        records,
    )


def participation(organisation, year, department, indicator) -> Computed:
    from events.queries import year_department_participation

    figures = year_department_participation(organisation, year, department.pk)
    return Computed(
        figures["attended"],
        figures["people"],
        _("本部门统战对象中本年度至少出席一次活动的人数 ÷ 本部门统战对象人数"),
        [_("出席：%(name)s") % {"name": name} for name in figures["names"]],
    )


METRICS = {
    Metric.ITEMS_ON_TIME: items_on_time,
    Metric.TARGETS_ACHIEVED: targets_achieved,
    Metric.REPORTS_SUBMITTED: reports_submitted,
    Metric.PROPOSALS_ON_TIME: proposals_on_time,
    Metric.EVENTS_HELD: events_held,
    Metric.PARTICIPATION: participation,
}


def compute(indicator, department) -> Computed:
    scheme = indicator.scheme
    return METRICS[indicator.metric](scheme.organisation, scheme.year, department, indicator)
