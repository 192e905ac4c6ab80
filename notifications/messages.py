"""Message templates for outside channels: defaults, the placeholders each allows, and a safe
renderer. Placeholders are plain names in braces ({title}); attribute or index access
({title.x}, {title[0]}), conversions and format specs are refused, so a template can never
reach into an object. Write {{ and }} for literal braces."""

from string import Formatter

from django.utils.translation import gettext_lazy as _

from notifications.models import TemplateKey

DEFAULTS = {
    TemplateKey.EVENT_PUBLISHED: "【新活动】{title}\n时间：{date}\n地点：{place}\n详情与报名：{url}",
    TemplateKey.STUDY_PUBLISHED: "【学习推送】{title}\n请于{date}前完成学习：{url}",
    TemplateKey.DEADLINE: "【截止提醒】{title}将于{date}截止，请抓紧办理：{url}",
    TemplateKey.PERSONAL: "{name}老师，您在同心平台有一条新通知，请登录查看：{url}",
}

PLACEHOLDERS = {
    TemplateKey.EVENT_PUBLISHED: {
        "title": _("活动名称"),
        "date": _("开始时间"),
        "place": _("地点"),
        "url": _("链接"),
        "org": _("单位"),
    },
    TemplateKey.STUDY_PUBLISHED: {"title": _("材料标题"), "date": _("截止日期"), "url": _("链接"), "org": _("单位")},
    TemplateKey.DEADLINE: {"title": _("事项"), "date": _("截止日期"), "url": _("链接"), "org": _("单位")},
    TemplateKey.PERSONAL: {"name": _("姓名"), "title": _("通知标题"), "url": _("链接"), "org": _("单位")},
}

SAMPLES = {
    "title": "2024年统战工作座谈会",
    "date": "2024年5月8日 14:30",
    "place": "行政楼三楼会议室",
    "url": "https://tongxin.example.edu.cn/events/m/1/",
    "org": "示例职业技术学院",
    "name": "张建言",
}


class TemplateError(ValueError):
    """The template is malformed or uses a placeholder it may not; the message says which."""


def fields(text: str) -> list[str]:
    """The placeholder names used in `text`; raises TemplateError on anything but plain names."""
    names = []
    try:
        parsed = list(Formatter().parse(text))
    except ValueError as e:
        raise TemplateError(_("花括号不成对；如需显示花括号本身，请写成 {{ 或 }}。")) from e
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise TemplateError(_("占位符只能是 {名称} 形式，例如 {title}。"))
        names.append(name)
    return names


def check(text: str, key: str) -> None:
    unknown = sorted(set(fields(text)) - set(PLACEHOLDERS[key]))
    if unknown:
        allowed = "、".join(f"{{{n}}}" for n in PLACEHOLDERS[key])
        raise TemplateError(
            _("不能使用占位符 %(unknown)s；可用：%(allowed)s")
            % {"unknown": "、".join(f"{{{n}}}" for n in unknown), "allowed": allowed}
        )


def render(text: str, context: dict) -> str:
    """`text` with each {name} replaced by str(context[name]) (missing names: empty)."""
    out = []
    for literal, name, _spec, _conversion in Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(str(context.get(name, "")))
    return "".join(out)
