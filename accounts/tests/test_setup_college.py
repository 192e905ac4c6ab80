"""`setup_college`: the first step of a real installation creates the college and its three
administrators, each able to log in with the password printed once."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from core.models import AuditEvent
from orgs.models import Membership, Organisation, Role

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("setup_college", *args, stdout=out)
    return out.getvalue()


def test_creates_the_college_and_three_separate_administrators():
    output = run("--name", "某某职业技术学院", "--slug", "xxzy")

    org = Organisation.objects.get(slug="xxzy")
    assert org.name == "某某职业技术学院"
    roles = dict(Membership.objects.filter(organisation=org).values_list("user__username", "role"))
    assert roles == {"sysadmin": Role.SYSADMIN, "secadmin": Role.SECADMIN, "auditadmin": Role.AUDITADMIN}
    printed = dict(re.findall(r"用户名 (\S+)  初始密码 (\S+)", output))
    assert set(printed) == {"sysadmin", "secadmin", "auditadmin"}
    for username, password in printed.items():
        assert User.objects.get(username=username).check_password(password)
    assert len(set(printed.values())) == 3  # three different passwords
    created = AuditEvent.objects.filter(action="create", organisation=org)
    assert created.filter(object_type="accounts.user").count() == 3
    assert created.filter(object_type="orgs.organisation").count() == 1


def test_second_run_with_the_same_slug_changes_nothing():
    run("--name", "某某学院", "--slug", "xxzy")
    users = User.objects.count()

    with pytest.raises(CommandError, match="已存在"):
        run("--name", "另一个学院", "--slug", "xxzy")

    assert Organisation.objects.filter(slug="xxzy").get().name == "某某学院"
    assert User.objects.count() == users


def test_taken_usernames_stop_before_anything_is_written():
    User.objects.create(username="secadmin")

    with pytest.raises(CommandError, match="secadmin"):
        run("--name", "某某学院", "--slug", "xxzy")

    assert not Organisation.objects.filter(slug="xxzy").exists()
    assert not User.objects.filter(username="sysadmin").exists()
