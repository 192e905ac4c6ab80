"""Demo data for the study push (called from dashboard/demo.py, after the five ones, which gives
the demo members their logins): two published materials with read receipts, quiz results, a
reflection and points; seed item 1 ("建立常态化的线上学习推送机制") gets a counted target —
12 pushes a year — that both materials count towards."""

from datetime import timedelta

from django.utils import timezone

from people.models import Category, Person
from plans.models import Item, Target
from study import services
from study.models import Assignment

ARTICLE = """<h2>一、把握条例的主要内容</h2>
<p>《中国共产党统一战线工作条例》共十一章四十九条，对统一战线的性质、地位、作用和工作范围作出了系统规定。</p>
<h2>二、结合学校实际抓好落实</h2>
<ul><li>深入学习，读原文、悟原理；</li><li>围绕学校中心工作建言献策；</li><li>在教书育人中发挥党外人士作用。</li></ul>
<blockquote>统一战线是党克敌制胜、执政兴国的重要法宝。</blockquote>"""


def load_demo_study(org, users: dict) -> None:
    ufd = users["ufd"]
    now = timezone.now()
    members = list(Person.objects.for_org(org).filter(user__isnull=False).order_by("staff_number"))
    item = Item.objects.filter(plan__organisation=org, number=1).order_by("-plan__year").first()
    targets = []
    if item is not None:
        targets = [Target.objects.create(item=item, text="线上学习推送（每月一期）", count=12, order=1)]

    article = services.create_material(
        org,
        by=ufd,
        data={
            "title": "学习《中国共产党统一战线工作条例》",
            "kind": "article",
            "summary": "第一期线上学习：条例的主要内容和学习要求。",
            "body": ARTICLE,
            "publish_at": now - timedelta(days=20),
            "due_at": now - timedelta(days=6),
            "required": True,
            "reflection": "optional",
            "pass_mark": 60,
            "audience_categories": [Category.DEMOCRATIC_PARTY],
            "audience_people": members,
            "targets": targets,
        },
    )
    services.add_question(
        article, by=ufd, text="统一战线是党克敌制胜、执政兴国的什么？", multiple=False,
        choices=[("一般方法", False), ("重要法宝", True), ("临时措施", False)],
    )  # fmt: skip
    services.add_question(
        article, by=ufd, text="学习条例应做到哪些？", multiple=True,
        choices=[("读原文、悟原理", True), ("围绕中心工作建言献策", True), ("只看标题", False)],
    )  # fmt: skip
    services.publish_material(article, by=ufd, now=now - timedelta(days=20))

    link = services.create_material(
        org,
        by=ufd,
        data={
            "title": "中央统战工作会议精神解读",
            "kind": "link",
            "summary": "第二期线上学习：会议精神权威解读（外部链接）。",
            "link": "https://www.zytzb.gov.cn/",
            "publish_at": now - timedelta(days=2),
            "due_at": now + timedelta(days=12),
            "required": False,
            "reflection": "none",
            "pass_mark": 60,
            "audience_people": members,
            "targets": targets,
        },
    )
    services.publish_material(link, by=ufd, now=now - timedelta(days=2))

    # Receipts (only people with a login can read): most members read the article, some passed
    # its quiz, one wrote a reflection; a few have opened the second one.
    questions = list(article.questions.prefetch_related("choices"))
    right = {q.pk: {c.pk for c in q.choices.all() if c.correct} for q in questions}
    readers = Assignment.objects.filter(material=article, person__user__isnull=False).select_related("person")
    for n, assignment in enumerate(readers.order_by("person__staff_number")):
        if n % 4 == 3:
            continue  # not read
        day = now - timedelta(days=18 - n % 10)
        session = services.open_material(assignment, now=day)
        services.record_reading(session, now=day + timedelta(minutes=3))
        if n % 2 == 0:
            services.submit_quiz(assignment, answers=right, now=day + timedelta(minutes=5))
        if n == 0:
            services.submit_reflection(
                assignment, text="学习条例后，我对党外知识分子在学校发展中的作用有了新的认识。",
                now=day + timedelta(minutes=8),
            )  # fmt: skip
    for assignment in (
        Assignment.objects.filter(material=link).select_related("person").order_by("person__staff_number")[:4]
    ):
        session = services.open_material(assignment, now=now - timedelta(days=1))
        services.record_reading(session, now=now - timedelta(days=1) + timedelta(minutes=2))
