"""English-interface tests on the demo data (`load_demo`), for the year-close and engagement apps
(five ones, study, publicity, assessment, budget, reports).

    leftovers = english_leftovers(client.get(url))   # [] when the page is fully English

User data: every value of the demo's free-text fields (names, titles, plan text, stories,
materials, reflections…) as stored, line by line, and the runs of Chinese characters of the few
long texts that pages shorten (story bodies in the public list, section titles on chart labels).
Choice fields store English codes, so a data value never hides an untranslated label; the audit
log and notifications (written by the code) are not user data.

Strings that other apps own and translate in their own catalogues (the menu, the header, people's
categories and parties, event types, plans' lead/support roles) are allowed on a page only while
they are still untranslated: once their catalogue has the English, `gettext` returns it and the
test requires it on the page."""

from django.apps import apps
from django.db import models
from django.utils import translation

from core.tests.english import CJK, chinese_outside, visible_text

SKIP_APPS = {"core", "notifications", "sessions", "admin", "contenttypes", "auth"}

# Translated by other apps' catalogues: the header, menu and tab bar (templates/base.html,
# member_base.html, dashboard/navigation.py), rendered through {% translate %}, and the labels that
# other apps' query functions return (proposals.queries: 未答复)…
CHROME = [
    "账号安全",
    "通知",
    "退出",
    "统战工作平台",
    "同心",
    "主导航",
    "底部导航",
    "首页",
    "工作要点",
    "本部门任务",
    "督办",
    "统战对象",
    "统战对象统计",
    "联系对象",
    "活动",
    "建言献策",
    "交办件",
    "五个一",
    "学习推送",
    "学习完成情况",
    "宣传报道",
    "消息推送",
    "年度考核",
    "统战工作经费",
    "年度工作总结",
    "建言",
    "学习",
    "我的",
    "未答复",
]
# …and the choice labels of other apps that these pages show (a label is translated once its app
# marks it with gettext_lazy).
CHOICES = [
    "orgs.models.Role",
    "people.models.Category",
    "people.models.Party",
    "events.models.EventType",
    "proposals.models.Outcome",
]


def demo_user_data() -> list[str]:
    data = set()
    for model in apps.get_models():
        if model._meta.app_label in SKIP_APPS:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                if value and CJK.search(value):
                    data.add(value.strip())
                    data.update(line.strip() for line in visible_text(value).splitlines() if CJK.search(line))
    return sorted(data)


def runs_of(*texts) -> list[str]:
    """The runs of Chinese characters of texts a page shows shortened (truncated bodies, chart labels)."""
    return [run for text in texts for run in CJK.findall(text or "")]


def still_untranslated() -> list[str]:
    from django.utils.module_loading import import_string

    with translation.override("en"):
        left = [text for text in CHROME if translation.gettext(text) == text]
        for path in CHOICES:
            for _value, label in import_string(path).choices:
                with translation.override("zh-hans"):
                    chinese = str(label)
                if str(label) == chinese:
                    left.append(chinese)
    return left


def english_leftovers(response, *, user_data=(), extra=(), status=200) -> list[str]:
    assert response.status_code == status, response.status_code
    return chinese_outside(response, user_data=[*user_data, *extra, *still_untranslated()])
