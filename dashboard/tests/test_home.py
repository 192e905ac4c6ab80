import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from orgs.models import Department, Organisation, Role
from people.models import Person

# The navigation links each role sees on its home page.
NAV = {
    Role.UFD_STAFF: [
        "首页",
        "工作要点",
        "督办",
        "统战对象",
        "活动",
        "建言献策",
        "五个一",
        "学习推送",
        "宣传报道",
        "消息推送",
        "年度考核",
        "统战工作经费",
        "年度工作总结",
    ],
    Role.LIAISON: ["首页", "工作要点", "本部门任务", "联系对象", "交办件", "年度考核"],
    Role.LEADER: [
        "首页",
        "工作要点",
        "督办",
        "统战对象统计",
        "活动",
        "建言献策",
        "五个一",
        "学习完成情况",
        "宣传报道",
        "年度考核",
        "统战工作经费",
        "年度工作总结",
    ],
    Role.SYSADMIN: ["首页", "账号管理", "部门管理", "系统对接"],
    Role.SECADMIN: ["首页", "角色分配", "安全策略"],
    Role.AUDITADMIN: ["首页", "审计日志", "身份查询申请"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(NAV))
def test_each_role_sees_only_its_navigation(client, personas, role):
    client.force_login(personas[role])
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert [item["label"] for item in response.context["nav_items"]] == NAV[role]


@pytest.mark.django_db
def test_member_home_has_the_phone_tab_bar(client, member):
    client.force_login(member)
    response = client.get(reverse("dashboard:home"))
    assert [t["label"] for t in response.context["member_tabs"]] == ["首页", "活动", "建言", "学习", "我的"]
    assert 'class="tabbar"' in response.content.decode()
    assert response.context["nav_items"][0]["label"] == "首页"


@pytest.mark.django_db
def test_account_without_role_is_told_to_ask(client, user_factory, org):
    from orgs.models import Membership

    user = user_factory()
    Membership.objects.create(user=user, organisation=org, role="")
    client.force_login(user)
    assert "尚未分配角色" in client.get(reverse("dashboard:home")).content.decode()
    assert client.get(reverse("people:list")).status_code == 403


@pytest.mark.django_db
def test_admin_homes_show_no_personal_data(client, personas, person):
    for role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN):
        client.force_login(personas[role])
        body = client.get(reverse("dashboard:home")).content.decode()
        assert person.name not in body
        assert person.phone not in body


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 40])
def test_staff_home_query_count_is_bounded(client, ufd_staff, org, rows, django_assert_max_num_queries):
    from people.tests.factories import PersonFactory

    for _ in range(rows):
        PersonFactory(organisation=org).category_links.create(category="non_party")
    client.force_login(ufd_staff)
    with django_assert_max_num_queries(29 + 5):  # + the year's charts
        response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_english_is_available(client, ufd_staff):
    client.force_login(ufd_staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert next(item["label"] for item in response.context["nav_items"]) == "首页"  # labels are msgids
    assert ">Home</a>" in body
    assert "Log out" in body
    assert "UFD staff" in body


@pytest.mark.django_db
def test_load_demo_is_idempotent(capsys):
    call_command("load_demo")
    counts = (Organisation.objects.count(), Department.objects.count(), User.objects.count(), Person.objects.count())
    call_command("load_demo")
    out = capsys.readouterr().out
    assert counts == (1, 14, 27, 30)  # 7 role accounts + 11 five-ones member logins + 9 more liaisons
    assert (
        Organisation.objects.count(),
        Department.objects.count(),
        User.objects.count(),
        Person.objects.count(),
    ) == counts
    assert "已存在，未改动" in out
    assert "用户名 ufd" in out and "Tongxin@2026" in out
    member = User.objects.get(username="member")
    assert member.person.name == "张建言"
    assert member.membership.role == Role.MEMBER
    liaison = User.objects.get(username="liaison")
    assert [d.name for d in liaison.membership.departments.all()] == ["学生工作处"]


@pytest.mark.django_db
def test_demo_aliases_resolve(capsys):
    from orgs.services import department_lookup

    call_command("load_demo")
    lookup = department_lookup(Organisation.objects.get(slug="demo"))
    assert {alias: lookup.get(alias).name for alias in ["统战部", "宣传部", "组织部", "人事处", "学工处"]} == {
        "统战部": "党委统战部",
        "宣传部": "党委宣传部",
        "组织部": "党委组织部",
        "人事处": "人事劳资处",
        "学工处": "学生工作处",
    }
    assert lookup.get("不存在的部门") is None
