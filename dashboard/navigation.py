"""The navigation each role sees: only what the role may use."""

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from orgs.models import Role

# (label, url name, roles); labels are translated in the templates ({% translate item.label %})
ENTRIES = [
    (gettext_noop("首页"), "dashboard:home", set(Role) | {""}),
    (gettext_noop("工作要点"), "plans:list", {Role.UFD_STAFF, Role.LEADER, Role.LIAISON}),
    (gettext_noop("本部门任务"), "plans:my-department", {Role.LIAISON}),
    (gettext_noop("督办"), "plans:supervision", {Role.UFD_STAFF, Role.LEADER}),
    (gettext_noop("统战对象"), "people:list", {Role.UFD_STAFF}),
    (gettext_noop("统战对象统计"), "people:figures", {Role.LEADER}),
    (gettext_noop("联系对象"), "people:contacts", {Role.LIAISON}),
    (gettext_noop("活动"), "events:list", {Role.UFD_STAFF, Role.LEADER}),
    (gettext_noop("建言献策"), "proposals:inbox", {Role.UFD_STAFF, Role.LEADER}),
    (gettext_noop("交办件"), "proposals:assigned", {Role.LIAISON}),
    (gettext_noop("五个一"), "fiveones:overview", {Role.UFD_STAFF, Role.LEADER}),
    (gettext_noop("学习推送"), "study:list", {Role.UFD_STAFF}),
    (gettext_noop("学习完成情况"), "study:members", {Role.LEADER}),
    (gettext_noop("宣传报道"), "publicity:list", {Role.UFD_STAFF, Role.LEADER}),
    (gettext_noop("消息推送"), "notifications:robots", {Role.UFD_STAFF}),
    (gettext_noop("年度考核"), "assessment:scheme-list", {Role.UFD_STAFF, Role.LEADER}),
    (gettext_noop("年度考核"), "assessment:mine", {Role.LIAISON}),
    (gettext_noop("统战工作经费"), "budget:index", {Role.UFD_STAFF, Role.LEADER}),
    (gettext_noop("年度工作总结"), "reports:summary", {Role.UFD_STAFF, Role.LEADER}),
    (gettext_noop("账号管理"), "accounts:user-list", {Role.SYSADMIN}),
    (gettext_noop("部门管理"), "accounts:department-list", {Role.SYSADMIN}),
    (gettext_noop("系统对接"), "integrations:overview", {Role.SYSADMIN}),
    (gettext_noop("角色分配"), "accounts:role-list", {Role.SECADMIN}),
    (gettext_noop("安全策略"), "accounts:policy", {Role.SECADMIN}),
    (gettext_noop("审计日志"), "accounts:audit-log", {Role.AUDITADMIN}),
    (gettext_noop("身份查询申请"), "accounts:audit-lookups", {Role.AUDITADMIN}),
]

MEMBER_TABS = [
    (gettext_noop("首页"), "dashboard:home"),
    (gettext_noop("活动"), "events:m-list"),
    (gettext_noop("建言"), "proposals:mine"),
    (gettext_noop("学习"), "study:m-list"),
    (gettext_noop("我的"), "people:me"),
]


# (role, script prefix, URL configuration) -> ([(label, url)] of ENTRIES, [(label, url)] of MEMBER_TABS):
# the addresses a role's navigation links to, reversed once per process (issue 16).
_links: dict[tuple, tuple[list, list]] = {}


def role_links(role: str) -> tuple[list, list]:
    key = (role, get_script_prefix(), get_urlconf())
    try:
        return _links[key]
    except KeyError:
        entries = [(label, reverse(name)) for label, name, roles in ENTRIES if role in roles]
        tabs = [(label, reverse(name)) for label, name in MEMBER_TABS] if role == Role.MEMBER else []
        _links[key] = (entries, tabs)
        return entries, tabs


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    role = membership.role if membership else ""
    path = request.path
    entries, member_tabs = role_links(role)
    items = [{"label": label, "url": url, "active": False} for label, url in entries]
    # Only the most specific entry is highlighted: on /plans/supervision/ that is 督办, not also
    # 工作要点 (/plans/), whose address is a prefix of it.
    matching = [i for i in items if (path == i["url"] if i["url"] == "/" else path.startswith(i["url"]))]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    tabs = [{"label": label, "url": url, "active": path == url} for label, url in member_tabs]
    from notifications.models import Notification

    return {
        # Counted when a template shows it (once, however often it is shown), not for responses
        # that never render the page frame (HTMX fragments, JSON, redirects after a render call).
        "unread_count": SimpleLazyObject(lambda: Notification.objects.filter(user=user).unread().count()),
        "nav_items": items,
        "member_tabs": tabs,
        "current_role": role,
        "current_role_label": Role(role).label if role else _("未分配角色"),
        "current_organisation": membership.organisation if membership else None,
    }
