"""Organisations, departments with aliases, one role per account, and the role checks of views."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from core.models import AuditEvent
from orgs import services
from orgs.access import login_with_membership, role_required
from orgs.models import ADMIN_ROLES, Department, DepartmentAlias, Membership, Role
from orgs.tests.factories import DepartmentFactory, MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def college(db):
    return OrganisationFactory(name="甲学院", slug="jia")


@pytest.fixture
def ufd(college):
    department = DepartmentFactory(organisation=college, name="党委统战部", short_name="统战部")
    DepartmentAlias.objects.create(department=department, name="统一战线工作部")
    return department


def test_department_lookup_by_name_short_name_alias_spacing_and_width(college, ufd):
    lookup = services.department_lookup(college)
    assert lookup.get("党委统战部") == ufd
    assert lookup.get("统战部") == ufd
    assert lookup.get("统一战线工作部") == ufd
    # Scraped documents break words with spaces; spreadsheets mix full- and half-width brackets.
    assert lookup.get("党委 统战 部") == ufd
    centre = DepartmentFactory(organisation=college, name="信息中心(网络中心)")
    assert services.department_lookup(college).get("信息中心（网络中心）") == centre


def test_department_lookup_unknown_blank_or_in_another_organisation(college, ufd):
    other = OrganisationFactory(name="乙学院", slug="yi")
    DepartmentFactory(organisation=other, name="宣传部")
    lookup = services.department_lookup(college)
    assert lookup.get("宣传部") is None
    assert lookup.get("") is None
    assert lookup.get("   ") is None
    assert services.department_lookup(other).get("统战部") is None


def test_department_lookup_spec_lists_short_names_and_aliases(college, ufd):
    DepartmentFactory(organisation=college, name="学生工作处", short_name="")
    spec = dict(services.department_lookup(college).spec())
    assert spec == {"党委统战部": ["统战部", "统一战线工作部"], "学生工作处": []}


def test_department_lookup_reads_in_two_queries(college, ufd, django_assert_num_queries):
    DepartmentFactory(organisation=college, name="学生工作处", short_name="学工处")
    with django_assert_num_queries(2):
        lookup = services.department_lookup(college)
    assert [lookup.get(n).name for n in ("学工处", "统战部")] == ["学生工作处", "党委统战部"]


def test_department_names_unique_within_an_organisation_only(college, ufd):
    other = OrganisationFactory(name="乙学院", slug="yi")
    DepartmentFactory(organisation=other, name="党委统战部")  # another organisation: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(organisation=college, name="党委统战部")


def test_create_department_saves_aliases_and_audits(college):
    admin = UserFactory(username="sys")
    department = services.create_department(
        college, by=admin, name="人事劳资处", short_name="人事处", aliases=["人事部"]
    )
    assert department.alias_names == ["人事部"]
    event = AuditEvent.objects.get(action="create", object_id=str(department.pk))
    assert event.organisation == college
    assert event.username == "sys"
    assert event.changes == {"name": ["", "人事劳资处"], "aliases": ["", "人事部"]}


def test_update_department_replaces_aliases_and_audits_only_changes(college, ufd):
    admin = UserFactory(username="sys")
    services.update_department(ufd, by=admin, data={"short_name": "统战"}, aliases=["统战"])
    ufd.refresh_from_db()
    assert ufd.short_name == "统战"
    assert ufd.alias_names == ["统战"]
    event = AuditEvent.objects.get(action="update", object_id=str(ufd.pk))
    assert event.changes == {"short_name": ["统战部", "统战"], "aliases": ["统一战线工作部", "统战"]}


def test_assign_role_keeps_one_membership_and_departments_only_for_liaisons(college, ufd):
    user = UserFactory(username="li")
    services.assign_role(user, organisation=college, role=Role.LIAISON, departments=[ufd])
    membership = Membership.objects.get(user=user)
    assert list(membership.departments.all()) == [ufd]
    assert list(ufd.liaisons) == [user]

    services.assign_role(user, organisation=college, role=Role.MEMBER, departments=[ufd])
    assert Membership.objects.filter(user=user).count() == 1
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER
    assert list(membership.departments.all()) == []
    assert list(ufd.liaisons) == []
    actions = list(
        AuditEvent.objects.filter(object_type="orgs.membership").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "update"]


def test_a_second_membership_for_one_account_is_refused(college):
    membership = MembershipFactory(organisation=college, role=Role.MEMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=membership.user, organisation=college, role=Role.LEADER)


def test_admin_roles_are_exactly_the_three_admins():
    assert ADMIN_ROLES == {Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN}
    assert MembershipFactory.build(role=Role.AUDITADMIN).is_admin is True
    assert MembershipFactory.build(role=Role.UFD_STAFF).is_admin is False


def test_organisation_children(college):
    province = OrganisationFactory(name="省委统战部", slug="province")
    college.parent = province
    college.save()
    assert list(province.children.all()) == [college]


def _request(user, membership):
    request = RequestFactory().get("/x/")
    request.user = user
    request.membership = membership
    return request


@role_required(Role.UFD_STAFF)
def _staff_only(request):
    return HttpResponse(request.organisation.slug)


def test_role_required_lets_the_role_in_and_sets_the_organisation(college):
    membership = MembershipFactory(organisation=college, role=Role.UFD_STAFF)
    response = _staff_only(_request(membership.user, membership))
    assert response.status_code == 200
    assert response.content == b"jia"


def test_role_required_refuses_other_roles_and_accounts_without_a_role(college):
    leader = MembershipFactory(organisation=college, role=Role.LEADER)
    with pytest.raises(PermissionDenied):
        _staff_only(_request(leader.user, leader))
    with pytest.raises(PermissionDenied):
        _staff_only(_request(UserFactory(), None))


def test_role_required_sends_anonymous_users_to_login(db):
    from django.contrib.auth.models import AnonymousUser

    response = _staff_only(_request(AnonymousUser(), None))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/x/"


def test_login_with_membership_sets_none_for_an_account_without_role(db):
    @login_with_membership
    def view(request):
        return HttpResponse(str(request.organisation))

    response = view(_request(UserFactory(), None))
    assert response.content == b"None"


def test_membership_middleware_reads_the_users_membership(client, college, ufd):
    membership = MembershipFactory(organisation=college, role=Role.LIAISON, user__username="li")
    membership.departments.set([ufd])
    client.force_login(membership.user)
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.membership.role == Role.LIAISON
    assert response.wsgi_request.organisation == college
