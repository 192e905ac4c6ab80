import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import User
from conftest import PASSWORD


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1!", "password_too_short"),
        ("abcdefghijk1", "password_classes"),
        ("Zhangsan-2026x", "password_username"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    with pytest.raises(ValidationError) as error:
        validate_password(password, User(username="zhangsan"))
    assert code in [e.code for e in error.value.error_list]


def test_a_good_password_passes():
    assert validate_password("Tongxin@2026x", User(username="zhangsan")) is None


@pytest.mark.django_db
def test_user_changes_own_password(client, ufd_staff):
    from conftest import PASSWORD

    client.force_login(ufd_staff)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "Another-Pass-99", "new_password2": "Another-Pass-99"},
    )
    assert response.status_code == 302
    ufd_staff.refresh_from_db()
    assert ufd_staff.check_password("Another-Pass-99")


@pytest.mark.django_db
def test_wrong_old_password_changes_nothing(client, ufd_staff):
    from conftest import PASSWORD

    client.force_login(ufd_staff)
    response = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password": "Another-Pass-99", "new_password2": "Another-Pass-99"},
    )
    assert response.status_code == 200
    assert "原密码不正确" in response.content.decode()
    ufd_staff.refresh_from_db()
    assert ufd_staff.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_rules_answer_in_chinese(client, ufd_staff):
    client.force_login(ufd_staff)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "Ab1!x", "new_password2": "Ab1!x"},
    )
    body = response.content.decode()
    assert "密码太短，至少需要 10 个字符。" in body
    assert "too short" not in body


@pytest.mark.django_db
def test_new_password_may_not_equal_the_old_one(client, ufd_staff):
    client.force_login(ufd_staff)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "新密码不能与原密码相同。" in response.content.decode()
    ufd_staff.refresh_from_db()
    assert ufd_staff.check_password(PASSWORD)
