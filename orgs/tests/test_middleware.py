"""MembershipMiddleware (issue 16, the per-request floor): the membership and its organisation in
one query, the departments only for the role that has any, and `user.membership` served from it."""

import pytest
from django.test import RequestFactory

from conftest import make_user
from orgs.middleware import MembershipMiddleware
from orgs.models import Membership, Role
from orgs.tests.factories import DepartmentFactory, UserFactory


def _request(user):
    from accounts.models import User

    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)  # a fresh row: nothing cached on it
    MembershipMiddleware(lambda r: r)(request)
    return request


@pytest.mark.django_db
def test_staff_membership_and_organisation_in_one_query(ufd_staff, org, django_assert_num_queries):
    request = _request(ufd_staff)
    with django_assert_num_queries(1):
        assert request.membership.role == Role.UFD_STAFF
        assert request.membership.organisation.name == org.name
        # Code that reads the user's own relation gets the same row, not a second query.
        assert request.user.membership.organisation == org
        assert request.user.membership.pk == request.membership.pk
        assert request.membership.user.pk == ufd_staff.pk


@pytest.mark.django_db
def test_liaison_departments_come_with_the_membership(org, django_assert_num_queries):
    first = DepartmentFactory(organisation=org, name="学生工作处")
    second = DepartmentFactory(organisation=org, name="教务处")
    liaison = make_user(org, Role.LIAISON, "liaison2", [first, second])
    request = _request(liaison)
    with django_assert_num_queries(2):
        assert request.membership.role == Role.LIAISON
    with django_assert_num_queries(0):
        assert {d.name for d in request.membership.departments.all()} == {"教务处", "学生工作处"}


@pytest.mark.django_db
def test_other_roles_still_read_their_departments_from_the_database(ufd_staff, org):
    """Only liaisons have departments (orgs.services.set_role clears the others'); a row that has
    some anyway is still read as it is stored, not as an empty list."""
    department = DepartmentFactory(organisation=org, name="宣传部")
    Membership.objects.get(user=ufd_staff).departments.add(department)
    request = _request(ufd_staff)
    assert [d.name for d in request.membership.departments.all()] == ["宣传部"]


@pytest.mark.django_db
def test_account_without_membership(django_assert_num_queries):
    user = UserFactory(username="nobody")
    request = _request(user)
    with django_assert_num_queries(1):
        assert not request.membership
        assert getattr(request.user, "membership", None) is None


@pytest.mark.django_db
def test_anonymous_has_no_membership(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    MembershipMiddleware(lambda r: r)(request)
    with django_assert_num_queries(0):
        assert not request.membership
