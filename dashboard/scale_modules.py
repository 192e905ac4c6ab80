"""The later modules of `generate_scale` (dashboard/scale.py, whose `Generator` mixes this in):
suggestion timelines, co-signers, notes, answer templates and outside filings; the five ones;
study pushes with reads, quizzes and points; publicity consent-bound stories; the year's
assessment; budget lines and expenses; unread and read notifications.

Sizes follow the command's arguments and each college's Zipf share (the demo college first):
study pushes ≈ items / 10, stories ≈ events / 10, budget lines ≈ items / 2, expenses ≈ events / 2;
per-person kinds (five-ones entries, filings, study assignments and reads) follow the people.
Files: required file fields (five-ones proof, receipts) point at one tiny file per kind written
once; optional ones stay blank."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from assessment.models import (
    Adjustment,
    DepartmentAssessment,
    Indicator,
    ResponsibilityLetter,
    Scheme,
    Score,
    ScoreChange,
    Statement,
)
from assessment.services import DEFAULT_INDICATORS, grade_results, total_of
from budget.models import BudgetLine, Expense
from budget.models import Category as BudgetCategory
from fiveones.models import SELF_REPORTED, Completion, Entry, Slot
from fiveones.queries import ledgers
from notifications.models import Kind as NoticeKind
from notifications.models import Notification
from proposals.models import (
    AnswerTemplate,
    CoSigner,
    FilingKind,
    FilingLevel,
    FilingStatus,
    OutsideFiling,
    ProposalEvent,
    ProposalNote,
    Status,
)
from publicity.models import Story
from study.models import POINTS, Assignment, Choice, PointEntry, Question, ReadSession, StudyMaterial

from .scale_bulk import new, shares

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
BOOKS = [("乡土中国", "费孝通"), ("中国统一战线史", "中共中央统战部"), ("大国工匠", "新华社"), ("觉醒年代", "龙平平")]
SITES = ["红岩革命纪念馆", "本市党史教育基地", "中国共产党历史展览馆", "统一战线历史陈列馆"]
BODIES = [("市政协", FilingLevel.CITY), ("区人大", FilingLevel.DISTRICT), ("民盟市委", FilingLevel.CITY)]
ARTICLE = "<h2>学习要点</h2><p>深入学习统一战线理论政策，结合学校实际抓好落实。</p>"
STORY = "<p>{topic}：学校统一战线成员立足岗位、建言献策，在服务学校中心工作中发挥了积极作用。</p>"

# A suggestion's timeline by its status: (action, label, from, to, public) in order.
SUBMIT = ("submit", "提交", Status.DRAFT, Status.SUBMITTED, True)
ACCEPT = ("accept", "立案", Status.SUBMITTED, Status.ACCEPTED, True)
ASSIGN = ("assign", "交办", Status.ACCEPTED, Status.ASSIGNED, True)
ANSWER = ("answer", "答复", Status.ASSIGNED, Status.ANSWER_REVIEW, False)
RELEASE = ("release", "审核通过并发布答复", Status.ANSWER_REVIEW, Status.ANSWERED, True)
RATE = ("rate", "评价答复", Status.ANSWERED, Status.CLOSED, True)
DECLINE = ("decline", "不予立案", Status.SUBMITTED, Status.DECLINED, True)
TIMELINES = {
    Status.SUBMITTED: [SUBMIT],
    Status.DECLINED: [SUBMIT, DECLINE],
    Status.ACCEPTED: [SUBMIT, ACCEPT],
    Status.ASSIGNED: [SUBMIT, ACCEPT, ASSIGN],
    Status.ANSWERED: [SUBMIT, ACCEPT, ASSIGN, ANSWER, RELEASE],
    Status.CLOSED: [SUBMIT, ACCEPT, ASSIGN, ANSWER, RELEASE, RATE],
}


class Modules:
    """Mixed into dashboard.scale.Generator: uses its rng, clock, `bulk` and the colleges."""

    def tiny_file(self, name: str) -> str:
        """One small PNG in the media storage, shared by every row of a required file field."""
        files = self.__dict__.setdefault("_files", {})
        if name not in files:
            files[name] = default_storage.save(f"scale/{self.seed}/{name}", ContentFile(PNG))
        return files[name]

    def this_year(self) -> tuple[date, int]:
        """1 January and the days from it to today (at least 1)."""
        start = date(self.today.year, 1, 1)
        return start, max(1, (self.today - start).days)

    # -- proposals: timelines, co-signers, notes, templates, outside filings ------------------------
    def proposal_extras(self, colleges, weights) -> None:
        rng = self.rng
        index = {c.org.pk: c for c in colleges}
        steps, cosigners, notes = [], [], []
        for p in self.proposals:
            college = index[p.organisation_id]
            handler = college.liaisons.get(p.lead_department_id) or college.staff
            at = p.submitted_at
            for action, label, before, after, public in TIMELINES.get(p.status, [SUBMIT]):
                by_department = action in ("answer",)
                steps.append(
                    new(
                        ProposalEvent,
                        proposal_id=p.pk,
                        action=action,
                        label=label,
                        from_status=before,
                        to_status=after,
                        user_id=(handler if by_department else college.staff).pk,
                        department_id=p.lead_department_id if by_department else None,
                        is_public=public,
                        created_at=at,
                    )
                )
                at += timedelta(days=rng.randrange(1, 6))
            if rng.random() < 0.1 and len(college.people) > 2:
                for pid in rng.sample(college.people, 2):
                    if pid != p.submitter_id:
                        confirmed = rng.random() < 0.8
                        cosigners.append(
                            new(
                                CoSigner,
                                proposal_id=p.pk,
                                person_id=pid,
                                confirmed_at=p.submitted_at if confirmed else None,
                                created_at=p.submitted_at,
                            )
                        )
            if p.lead_department_id and rng.random() < 0.1:
                notes.append(
                    new(
                        ProposalNote,
                        proposal_id=p.pk,
                        author_id=college.staff.pk,
                        department_id=p.lead_department_id,
                        text="请结合部门年度计划研究办理，按期答复。",
                        created_at=p.submitted_at + timedelta(days=3),
                    )
                )
        self.bulk(ProposalEvent, steps, "timelines")
        self.bulk(CoSigner, cosigners, "co-signers")
        self.bulk(ProposalNote, notes, "notes")
        templates = [
            new(AnswerTemplate, organisation_id=c.org.pk, title=title, outcome=outcome, text=text)
            for c in colleges
            for title, outcome, text in (
                ("采纳", "adopted", "感谢您的建议，已采纳并纳入工作计划。"),
                ("留作参考", "reference", "感谢您的建议，将在今后工作中参考。"),
            )
        ]
        self.bulk(AnswerTemplate, templates, "templates")
        filings = []
        start, span = self.this_year()
        statuses = [s.value for s in FilingStatus]
        for college in colleges:
            for pid, uid in college.members.items():
                if rng.random() >= 0.15:
                    continue
                body, level = rng.choice(BODIES)
                verified = rng.random() < 0.7
                filings.append(
                    new(
                        OutsideFiling,
                        organisation_id=college.org.pk,
                        person_id=pid,
                        kind=rng.choice(list(FilingKind.values)),
                        body=body,
                        level=level,
                        date=start + timedelta(days=rng.randrange(span)),
                        title=f"关于{rng.choice(self.topics)}的{rng.choice(['提案', '建议', '社情民意'])}",
                        status=rng.choice(statuses),
                        verified_by_id=college.staff.pk if verified else None,
                        verified_at=self.moment(rng.randrange(1, 30)) if verified else None,
                        created_by_id=uid,
                    )
                )
        self.bulk(OutsideFiling, filings, "filings")

    # -- five ones -----------------------------------------------------------------------------------
    def five_ones(self, colleges, weights) -> None:
        """Self-reported entries of the members (most verified), then the year's completions
        from the ledger itself (fiveones.queries.ledgers: events, suggestions, filings, entries)."""
        rng = self.rng
        start, span = self.this_year()
        proof = self.tiny_file("proof.png")
        rows = []
        for college in colleges:
            for pid, uid in college.members.items():
                active = rng.random() < 0.3  # a third report nearly everything, the rest now and then
                for slot in SELF_REPORTED:
                    if rng.random() >= (0.85 if active else 0.25):
                        continue
                    status = rng.choices(list(Entry.Status), weights=[5, 90, 5] if active else [25, 60, 15])[0]
                    on = start + timedelta(days=rng.randrange(span))
                    title, author = {
                        Slot.BOOK: rng.choice(BOOKS),
                        Slot.REPORT: ("新时代统一战线理论专题报告", ""),
                        Slot.SITE: (rng.choice(SITES), ""),
                        Slot.RESEARCH: (f"{rng.choice(self.topics)}调研报告", ""),
                    }[slot]
                    decided = status != Entry.Status.PENDING
                    rows.append(
                        new(
                            Entry,
                            organisation_id=college.org.pk,
                            person_id=pid,
                            year=start.year,
                            slot=slot,
                            title=title,
                            author=author,
                            on=on,
                            reflection="收获很大，对统一战线工作有了更深的理解。",
                            proof=proof,
                            proof_name="照片.png",
                            proof_kind="图片",
                            status=status,
                            reason="证明材料不清晰。" if status == Entry.Status.REJECTED else "",
                            verified_by_id=college.staff.pk if decided else None,
                            verified_at=self.moment(rng.randrange(0, 20)) if decided else None,
                            created_by_id=uid,
                        )
                    )
        self.bulk(Entry, rows, "five ones")
        completions = []
        done = set(Completion.objects.filter(year=start.year).values_list("person_id", flat=True))
        for college in colleges:
            if college.members:
                for ledger in ledgers(college.org, start.year):
                    if ledger.complete and ledger.person.pk not in done:
                        completions.append(
                            new(Completion, organisation_id=college.org.pk, person_id=ledger.person.pk, year=start.year)
                        )
        self.bulk(Completion, completions, "completions")

    # -- study ---------------------------------------------------------------------------------------
    def study(self, colleges, weights) -> None:
        """Pushes (≈ items / 10) to one category each, frozen into assignments; members (people
        with a login) read about three in four, pass most quizzes, some write a reflection."""
        rng = self.rng
        counts = shares(max(len(colleges), self.n_items // 10), weights)
        materials = []
        for college, count in zip(colleges, counts, strict=True):
            for n in range(count):
                published = rng.random() < 0.9
                publish_at = self.moment(rng.randrange(1, 365))
                link = rng.random() < 0.2
                materials.append(
                    new(
                        StudyMaterial,
                        organisation_id=college.org.pk,
                        title=f"学习推送第{n + 1}期：{rng.choice(self.topics)}",
                        kind=StudyMaterial.Kind.LINK if link else StudyMaterial.Kind.ARTICLE,
                        body="" if link else ARTICLE,
                        link="https://www.zytzb.gov.cn/" if link else "",
                        summary="本期学习要点。",
                        publish_at=publish_at,
                        due_at=publish_at + timedelta(days=14),
                        required=rng.random() < 0.7,
                        reflection=rng.choice(["none", "optional", "optional"]),
                        audience_categories=[rng.choice(sorted(college.categories))] if college.categories else [],
                        status=StudyMaterial.Status.PUBLISHED if published else StudyMaterial.Status.DRAFT,
                        published_at=publish_at if published else None,
                        announced_at=publish_at if published else None,
                        created_by_id=college.staff.pk,
                        created_at=publish_at - timedelta(days=1),
                    )
                )
        self.bulk(StudyMaterial, materials, "study pushes")
        questions = []
        for m in materials:
            if rng.random() < 0.5:
                questions += [
                    new(Question, material_id=m.pk, text=f"第{k + 1}题：本期学习的要点是？", order=k) for k in range(2)
                ]
        self.bulk(Question, questions, "questions")
        self.bulk(
            Choice,
            [
                new(Choice, question_id=q.pk, text=text, correct=right, order=k)
                for q in questions
                for k, (text, right) in enumerate([("团结", True), ("无关", False), ("不清楚", False)])
            ],
            "choices",
        )
        with_quiz = {q.material_id for q in questions}
        index = {c.org.pk: c for c in colleges}
        assignments, reads = [], []
        for m in materials:
            if m.status != StudyMaterial.Status.PUBLISHED or not m.audience_categories:
                continue
            college = index[m.organisation_id]
            for pid in college.categories[m.audience_categories[0]]:
                a = new(Assignment, material_id=m.pk, person_id=pid, created_at=m.published_at)
                assignments.append(a)
                if pid in college.members and rng.random() < 0.75:
                    opened = min(m.published_at + timedelta(hours=rng.randrange(1, 240)), self.now)
                    a.opened_at, a.read_at = opened, opened + timedelta(minutes=3)
                    if m.pk in with_quiz:
                        a.quiz_attempts = 1
                        a.quiz_score = rng.choice((50, 100, 100, 100))
                        a.quiz_passed_at = a.read_at + timedelta(minutes=2) if a.quiz_score >= m.pass_mark else None
                    if m.reflection != "none" and rng.random() < 0.2:
                        a.reflection = "通过学习，进一步增强了做好本职工作的责任感。"
                        a.reflection_at = a.read_at + timedelta(minutes=5)
                    reads.append(a)
        self.bulk(Assignment, assignments, "assignments")
        org_of_material = {m.pk: m.organisation_id for m in materials}
        sessions, points = [], []
        for a in reads:
            sessions.append(
                new(
                    ReadSession,
                    assignment_id=a.pk,
                    token=f"{rng.getrandbits(96):024x}",
                    opened_at=a.opened_at,
                    last_beat_at=a.read_at,
                    reached_end=True,
                )
            )
            organisation_id = org_of_material[a.material_id]
            for kind, at in (("read", a.read_at), ("quiz", a.quiz_passed_at), ("reflection", a.reflection_at)):
                if at is not None:
                    points.append(
                        new(
                            PointEntry,
                            organisation_id=organisation_id,
                            person_id=a.person_id,
                            assignment_id=a.pk,
                            kind=kind,
                            points=POINTS[kind],
                            day=timezone.localtime(at).date(),
                            created_at=at,
                        )
                    )
        self.bulk(ReadSession, sessions, "read sessions")
        self.bulk(PointEntry, points, "study points")

    # -- publicity -----------------------------------------------------------------------------------
    def publicity(self, colleges, weights) -> None:
        """Stories (≈ events / 10): profiles and features name only people whose consent stands;
        published and taken-down ones were approved by the college's leader."""
        rng = self.rng
        counts = shares(max(len(colleges), self.n_events // 10), weights)
        stories, featured = [], []
        statuses = [Story.Status.PUBLISHED, Story.Status.REVIEW, Story.Status.DRAFT, Story.Status.UNPUBLISHED]
        for college, count in zip(colleges, counts, strict=True):
            consenting = [pid for pid in college.people if pid in self.consenting]
            for _ in range(count):
                kind = rng.choice(list(Story.Kind)) if consenting else Story.Kind.NEWS
                status = rng.choices(statuses, weights=[65, 10, 15, 10])[0]
                created = self.moment(rng.randrange(5, 365))
                submitted = created + timedelta(days=1) if status != Story.Status.DRAFT else None
                approved = status in (Story.Status.PUBLISHED, Story.Status.UNPUBLISHED)
                topic = rng.choice(self.topics)
                item = rng.choice(college.items) if college.items and rng.random() < 0.3 else None
                stories.append(
                    new(
                        Story,
                        organisation_id=college.org.pk,
                        kind=kind,
                        title=f"{topic}：统战成员在行动",
                        body=STORY.format(topic=topic),
                        item_id=item.pk if item else None,
                        status=status,
                        author_id=college.staff.pk,
                        reviewed_by_id=college.leader.pk if approved else None,
                        review_note="同意发布" if approved else "",
                        submitted_at=submitted,
                        published_at=created + timedelta(days=2) if approved else None,
                        unpublished_at=created + timedelta(days=4) if status == Story.Status.UNPUBLISHED else None,
                        unpublish_reason="内容需要更新。" if status == Story.Status.UNPUBLISHED else "",
                        created_at=created,
                    )
                )
                people = rng.sample(consenting, min(len(consenting), rng.randrange(1, 3))) if kind != "news" else []
                featured.append(people)
        self.bulk(Story, stories, "stories")
        through = Story.people.through
        self.bulk(
            through,
            [
                new(through, story_id=s.pk, person_id=pid)
                for s, people in zip(stories, featured, strict=True)
                for pid in people
            ],
            "story people",
        )

    # -- assessment ----------------------------------------------------------------------------------
    def assessment(self, colleges) -> None:
        """This year's scheme where a college has none: the default indicators, issued letters
        for the plan's lead departments, and each department's assessment at some step (open,
        self-assessed, scored with totals, ranks and grades as assessment.services computes them)."""
        rng = self.rng
        year = self.today.year
        have = set(Scheme.objects.filter(year=year).values_list("organisation_id", flat=True))
        todo = [c for c in colleges if c.org.pk not in have]
        schemes = self.bulk(
            Scheme,
            [
                new(
                    Scheme,
                    organisation_id=c.org.pk,
                    year=year,
                    title=f"{year}年度统战工作目标责任考核方案",
                    letter_preamble=f"为全面落实学校{year}年统战工作要点，压实各部门统战工作责任，制定本目标责任书。",
                    excellent_cap=30,
                    created_by_id=c.staff.pk,
                )
                for c in todo
            ],
            "schemes",
        )
        indicators = self.bulk(
            Indicator,
            [
                new(
                    Indicator,
                    scheme_id=s.pk,
                    name=n,
                    description=d,
                    metric=m,
                    weight=Decimal(w),
                    target_count=t,
                    order=k,
                )
                for s in schemes
                for k, (n, d, m, w, t) in enumerate(DEFAULT_INDICATORS)
            ],
            "indicators",
        )
        by_scheme = {}
        for i in indicators:
            by_scheme.setdefault(i.scheme_id, []).append(i)
        letters, assessments = [], []
        for college, scheme in zip(todo, schemes, strict=True):
            leads = sorted({i.lead_department_id for i in college.items}) or [d.pk for d in college.departments]
            if college.plan is not None and college.items:
                letters += [
                    new(
                        ResponsibilityLetter,
                        plan_id=college.plan.pk,
                        department_id=d,
                        status=ResponsibilityLetter.Status.ISSUED,
                        issued_at=self.moment(200),
                    )
                    for d in leads
                ]
            for d in leads:
                status = rng.choices(list(DepartmentAssessment.Status), weights=[30, 30, 40])[0]
                open_ = status == DepartmentAssessment.Status.OPEN
                assessments.append(
                    new(
                        DepartmentAssessment,
                        scheme_id=scheme.pk,
                        department_id=d,
                        status=status,
                        summary="" if open_ else "全年认真落实牵头任务，按时报送进展。",
                        submitted_at=None if open_ else self.moment(rng.randrange(5, 30)),
                        submitted_by_id=None if open_ else (college.liaisons.get(d) or college.staff).pk,
                    )
                )
        # Scores and bonuses first: the totals, ranks and grades go in with the assessments.
        plans = {}  # assessment index -> ([points per indicator], [bonus])
        for n, a in enumerate(assessments):
            if a.status == DepartmentAssessment.Status.SCORED:
                points = [Decimal(rng.randrange(5000, 10001)) / 100 for _ in by_scheme[a.scheme_id]]
                bonus = [
                    new(
                        Adjustment,
                        kind=Adjustment.Kind.BONUS,
                        points=Decimal(rng.randrange(1, 4)),
                        reason="统战工作获上级表彰",
                    )
                    for _ in range(rng.random() < 0.15)
                ]
                plans[n] = (points, bonus)
                scores = {i.pk: p for i, p in zip(by_scheme[a.scheme_id], points, strict=True)}
                a.total = total_of(by_scheme[a.scheme_id], scores, bonus)
        for scheme in schemes:
            ranked = sorted(
                (a for a in assessments if a.scheme_id == scheme.pk and a.total is not None),
                key=lambda a: (-a.total, a.department_id),
            )
            for a in ranked:
                a.rank, a.grade = grade_results(scheme, [(x.department_id, x.total) for x in ranked])[a.department_id]
        self.bulk(ResponsibilityLetter, letters, "letters")
        self.bulk(DepartmentAssessment, assessments, "assessments")
        staff = {s.pk: c.staff.pk for c, s in zip(todo, schemes, strict=True)}
        statements, scores, adjustments = [], [], []
        for n, a in enumerate(assessments):
            if a.status == DepartmentAssessment.Status.OPEN:
                continue
            statements += [
                new(
                    Statement,
                    assessment_id=a.pk,
                    indicator_id=i.pk,
                    text="已按要求完成。",
                    self_points=rng.randrange(70, 101),
                )
                for i in by_scheme[a.scheme_id]
            ]
            if n in plans:
                points, bonus = plans[n]
                scores += [
                    new(
                        Score,
                        assessment_id=a.pk,
                        indicator_id=i.pk,
                        points=p,
                        computed=i.is_computed,
                        comment="" if i.is_computed else "按工作实绩评定",
                    )
                    for i, p in zip(by_scheme[a.scheme_id], points, strict=True)
                ]
                for line in bonus:
                    line.assessment_id, line.by_id = a.pk, staff[a.scheme_id]
                    adjustments.append(line)
        self.bulk(Statement, statements, "statements")
        self.bulk(Score, scores, "scores")
        by_assessment = {a.pk: a.scheme_id for a in assessments}
        self.bulk(
            ScoreChange,
            [
                new(
                    ScoreChange, score_id=s.pk, before=None, after=s.points, by_id=staff[by_assessment[s.assessment_id]]
                )
                for s in scores
            ],
            "score changes",
        )
        self.bulk(Adjustment, adjustments, "adjustments")

    # -- budget --------------------------------------------------------------------------------------
    def budget(self, colleges, weights) -> None:
        """Lines (≈ items / 2, at least one a college) and expenses (≈ events / 2) this year, a
        third linked to a held event; a line's 80 % / 100 % alert times are where its spending
        crossed them."""
        rng = self.rng
        start, span = self.this_year()
        receipt = self.tiny_file("receipt.png")
        line_counts = shares(max(3 * len(colleges), self.n_items // 2), weights)
        expense_counts = shares(self.n_events // 2, weights)
        categories = list(BudgetCategory)
        lines, expenses = [], []
        for college, n_lines, n_expenses in zip(colleges, line_counts, expense_counts, strict=True):
            own = []
            for k in range(max(1, n_lines)):
                category = categories[k % len(categories)]
                line = new(
                    BudgetLine,
                    organisation_id=college.org.pk,
                    year=start.year,
                    category=category,
                    name=f"{category.label}（{k + 1}）",
                    amount=Decimal(rng.randrange(20, 200) * 500),
                )
                line.spent = Decimal(0)
                own.append(line)
            held = [e for e in college.events if e.held_at is not None and e.starts_at.year == start.year]
            for _ in range(n_expenses):
                line = rng.choice(own)
                amount = Decimal(rng.randrange(10000, 300000)) / 100
                day = start + timedelta(days=rng.randrange(span))
                event = rng.choice(held) if held and rng.random() < 0.3 else None
                expense = new(
                    Expense,
                    date=day,
                    amount=amount,
                    payee=rng.choice(["学校餐厅", "校园文印中心", "市社会主义学院", "慰问品供应商"]),
                    description=f"{line.name}支出",
                    receipt=receipt,
                    receipt_name="票据.png",
                    receipt_kind="图片",
                    event_id=event.pk if event else None,
                    created_by_id=college.staff.pk,
                )
                expense.line = line
                line.spent += amount
                for threshold, name in ((Decimal("0.8"), "alerted_80_at"), (Decimal("1"), "alerted_100_at")):
                    if getattr(line, name) is None and line.spent >= line.amount * threshold:
                        setattr(line, name, self.moment(0))
                expenses.append(expense)
            lines += own
        self.bulk(BudgetLine, lines, "budget lines")
        for expense in expenses:
            expense.line_id = expense.line.pk
        self.bulk(Expense, expenses, "expenses")

    # -- notifications -------------------------------------------------------------------------------
    def notifications(self, colleges, weights) -> None:
        """About six notices a user over three months, shared out by college size; those of the
        last two weeks mostly unread."""
        rng = self.rng
        kinds = [k.value for k in NoticeKind]
        users = [[c.staff.pk, c.leader.pk, *[u.pk for u in c.liaisons.values()], *c.members.values()] for c in colleges]
        counts = shares(6 * sum(len(u) for u in users), weights)
        rows = []
        for college, people, count in zip(colleges, users, counts, strict=True):
            for _ in range(count):
                days = rng.randrange(0, 90)
                at = self.moment(days + rng.random())
                rows.append(
                    new(
                        Notification,
                        user_id=rng.choice(people),
                        organisation_id=college.org.pk,
                        kind=rng.choice(kinds),
                        title=f"关于{rng.choice(self.topics)}的通知",
                        body="请及时查看。",
                        created_at=at,
                        read_at=None if days < 14 and rng.random() < 0.7 else at + timedelta(hours=2),
                    )
                )
        self.bulk(Notification, rows, "notifications")
