"""Demo stories for `make run` (called from dashboard/demo.py): two published stories reporting
on seed item 9 (强化宣传教育 … 推出专题报道), written by `ufd` and approved by `leader`."""

from orgs.models import Role
from people.queries import people_with_consent
from plans.models import Item, Target
from publicity import services
from publicity.models import Story

PROFILE_BODY = """<p>{name}老师是学校党外知识分子中的业务骨干，长期扎根教学一线，带领团队与区内企业共建实训基地。</p>
<h3>把课堂搬进车间</h3>
<p>近三年，{name}老师指导学生完成企业真实项目十余项，多名学生在省级职业技能大赛中获奖。</p>
<blockquote>“党外知识分子要把个人专长融入学校发展大局。”</blockquote>
<p>作为统一战线代表人士，{name}老师积极建言献策，提出的“双导师制”建议已被学校采纳。</p>"""

NEWS_BODY = """<p>5月8日下午，学校召开2023年统战工作座谈会。各民主党派、无党派人士和党外知识分子代表参加会议。</p>
<p>与会代表围绕人才培养、产教融合、青年教师发展等议题踊跃发言，提出意见建议十余条。</p>
<ul><li>建议增加党外教师参与专业建设论证的机会；</li><li>希望完善青年教师访学支持政策。</li></ul>
<p>校党委书记在讲话中感谢大家的真知灼见，要求相关部门认真研究、逐条落实。</p>"""


def load_demo_stories(org, users: dict) -> list[Story]:
    """Two published stories: a 人物风采 of a consenting member and a 工作动态 of the symposium.
    Item 9 gets the counted target "推出专题报道2篇" when the parsed plan has none, so the two
    stories show as 2/2 on the item."""
    item = Item.objects.for_org(org).filter(number=9, title__contains="宣传").first()
    if item is not None and not item.targets.exists():
        Target.objects.create(item=item, text="推出专题报道2篇", count=2)
    person = people_with_consent(org).order_by("staff_number").exclude(user__isnull=False).first()
    ufd, leader = users["ufd"], users["leader"]
    drafts = [
        {
            "title": f"{person.name}：把论文写在产业一线" if person else "党外专家风采：把论文写在产业一线",
            "kind": Story.Kind.PROFILE,
            "body": PROFILE_BODY.format(name=person.name if person else "该"),
            "people": [person] if person else [],
            "item": item,
        },
        {
            "title": "学校召开2023年统战工作座谈会",
            "kind": Story.Kind.NEWS,
            "body": NEWS_BODY,
            "people": [],
            "item": item,
        },
    ]
    stories = []
    for data in drafts:
        story = services.create_story(org, by=ufd, data=data)
        story = services.submit_story(story, by=ufd)
        stories.append(services.approve_story(story, by=leader, role=Role.LEADER, note="同意发布"))
    return stories
