"""Single sign-on (issue 17) against the in-process CAS server and OIDC provider on loopback."""

import urllib.parse

import pytest
from django.test import Client
from django.urls import reverse

from accounts import security, sso
from accounts.models import User, UserSession
from accounts.tests.sso_providers import CASServer, OIDCProvider
from conftest import PASSWORD, make_user
from core.models import AuditEvent
from orgs.models import Membership, Role
from people.models import Person
from people.tests.factories import PersonFactory

CALLBACK = "http://testserver/accounts/sso/cas/callback/"
USERS = {
    "T1001": {"name": ["王老师"], "groups": ["统战部"]},
    "T2002": {"name": ["赵老师"], "groups": ["教师"]},
    "member": {"name": ["张建言"]},
}


@pytest.fixture(autouse=True)
def _fresh_discovery():
    sso._cache.clear()
    yield
    sso._cache.clear()


@pytest.fixture
def cas(settings):
    with CASServer(USERS) as server:
        settings.CAS_SERVER_URL = server.url
        settings.CAS_VERSION = "3"
        yield server


@pytest.fixture
def oidc(settings):
    users = {
        name: {"preferred_username": name, "name": v["name"][0], "groups": v.get("groups", [])}
        for name, v in USERS.items()
    }
    with OIDCProvider(users) as provider:
        settings.OIDC_ISSUER = provider.issuer
        settings.OIDC_CLIENT_ID = provider.CLIENT_ID
        settings.OIDC_CLIENT_SECRET = provider.CLIENT_SECRET
        yield provider


def cas_login(client, cas, username):
    """The browser's round trip: to the app, to CAS, sign in there, back with the ticket."""
    start = client.get(reverse("accounts:sso-cas"))
    assert start.status_code == 302
    assert start.url == f"{cas.url}/login?service={urllib.parse.quote(CALLBACK, safe='')}"
    back = cas.sign_in(start.url, username)
    assert back.startswith(CALLBACK + "?ticket=ST-")
    return client.get(back.removeprefix("http://testserver"))


def oidc_login(client, oidc, username):
    start = client.get(reverse("accounts:sso-oidc"))
    assert start.status_code == 302
    assert start.url.startswith(f"{oidc.url}/authorize?")
    back = oidc.sign_in(start.url, username)
    assert back.startswith("http://testserver/accounts/sso/oidc/callback/?code=")
    return client.get(back.removeprefix("http://testserver"))


def logged_in_user(client):
    response = client.get(reverse("dashboard:home"))
    return response.wsgi_request.user if response.status_code == 200 else None


def last_event(action):
    return AuditEvent.objects.filter(action=action).order_by("-pk").first()


def staff(org, staff_number, role=Role.UFD_STAFF, username=None):
    user = make_user(org, role, username or f"u{staff_number}")
    user.staff_number = staff_number
    user.save(update_fields=["staff_number"])
    return user


# --- Login page -----------------------------------------------------------------------------


def test_login_page_without_sso_has_no_buttons(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert "统一身份认证登录" not in body


def test_login_page_shows_the_buttons_when_configured(client, cas, oidc):
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'href="/accounts/sso/cas/"' in body
    assert 'href="/accounts/sso/oidc/"' in body
    assert body.count("统一身份认证登录") == 2


def test_unconfigured_sso_sends_back_to_login(client, db):
    response = client.get(reverse("accounts:sso-cas"), follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "未启用该统一身份认证方式" in response.content.decode()


# --- CAS ------------------------------------------------------------------------------------


def test_cas3_signs_in_the_account_with_that_staff_number(client, cas, org):
    user = staff(org, "T1001")
    response = cas_login(client, cas, "T1001")
    assert response.status_code == 302
    assert response.url == "/"
    assert logged_in_user(client) == user
    assert "/p3/serviceValidate" in cas.paths()
    event = last_event("login.sso")
    assert (event.user, event.changes, event.organisation) == (user, {"protocol": "cas"}, org)


def test_cas2_validates_at_service_validate(client, cas, org, settings):
    settings.CAS_VERSION = "2"
    user = staff(org, "T2002", role=Role.LIAISON)
    cas_login(client, cas, "T2002")
    assert logged_in_user(client) == user
    assert "/serviceValidate" in cas.paths()
    assert "/p3/serviceValidate" not in cas.paths()


def test_cas_matches_by_username_too(client, cas, member):
    cas_login(client, cas, "member")
    assert logged_in_user(client) == member


def test_cas_sends_on_to_next(client, cas, org):
    staff(org, "T1001")
    start = client.get(reverse("accounts:sso-cas") + "?next=/people/")
    back = cas.sign_in(start.url, "T1001")
    response = client.get(back.removeprefix("http://testserver"))
    assert response.url == "/people/"


def test_cas_bad_ticket_is_refused_and_audited(client, cas, org):
    staff(org, "T1001")
    response = client.get(reverse("accounts:sso-cas-callback") + "?ticket=ST-made-up", follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "统一身份认证未能完成" in response.content.decode()
    assert logged_in_user(client) is None
    event = last_event("login.sso.failed")
    assert event.changes == {"protocol": "cas", "reason": "cas_invalid_ticket"}
    assert event.result == AuditEvent.Result.FAILURE


def test_cas_ticket_is_good_once(client, cas, org):
    staff(org, "T1001")
    ticket = cas.issue_ticket("T1001", CALLBACK)
    client.get(reverse("accounts:sso-cas-callback") + f"?ticket={ticket}")
    client.logout()
    client.get(reverse("accounts:sso-cas-callback") + f"?ticket={ticket}")
    assert logged_in_user(client) is None


def test_cas_unknown_user_creates_nothing(client, cas, org):
    users_before = User.objects.count()
    response = cas_login(client, cas, "T1001")
    assert response.url == "/accounts/login/"
    assert User.objects.count() == users_before
    event = last_event("login.sso.failed")
    assert (event.username, event.changes["reason"]) == ("T1001", "unknown_account")
    page = client.get(response.url).content.decode()
    assert "没有与您的工号对应的账号" in page


def test_cas_rejects_entities_in_the_answer(cas):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        b'<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess>'
        b"<cas:user>&a;</cas:user></cas:authenticationSuccess></cas:serviceResponse>"
    )
    with pytest.raises(sso.SSOError) as error:
        sso.parse_cas_response(bomb)
    assert error.value.code.startswith("cas_bad_xml")


def test_cas_v3_attributes_are_read(cas):
    service = "http://testserver/x/"
    ticket = cas.issue_ticket("T1001", service)
    identity = sso.cas_identity(ticket, service)
    assert (identity.identifier, identity.name, identity.groups) == ("T1001", "王老师", ["统战部"])


# --- Provisioning ---------------------------------------------------------------------------


def test_provisioning_off_creates_nothing_for_a_registry_person(client, cas, org):
    PersonFactory(organisation=org, name="王老师", staff_number="T1001")
    cas_login(client, cas, "T1001")
    assert logged_in_user(client) is None
    assert not User.objects.filter(username="T1001").exists()


def test_provisioning_on_creates_a_member_linked_to_the_person(client, cas, org):
    org.sso_provisioning = True
    org.save()
    person = PersonFactory(organisation=org, name="王老师", staff_number="T1001")
    cas_login(client, cas, "T1001")
    user = User.objects.get(staff_number="T1001")
    assert logged_in_user(client) == user
    assert (user.username, user.name, user.has_usable_password()) == ("T1001", "王老师", False)
    assert Membership.objects.get(user=user).role == Role.MEMBER
    assert Membership.objects.get(user=user).organisation == org
    person.refresh_from_db()
    assert person.user == user
    assert last_event("account.sso_provisioned").changes["role"] == Role.MEMBER


def test_provisioning_needs_the_person_of_an_allowing_organisation(client, cas, org, other_org):
    other_org.sso_provisioning = True
    other_org.save()
    PersonFactory(organisation=org, name="王老师", staff_number="T1001")
    cas_login(client, cas, "T1001")
    assert not User.objects.filter(staff_number="T1001").exists()


def test_a_person_already_linked_signs_in_as_that_account(client, cas, org):
    user = make_user(org, Role.MEMBER, "wang")
    PersonFactory(organisation=org, name="王老师", staff_number="T1001", user=user)
    cas_login(client, cas, "T1001")
    assert logged_in_user(client) == user


# --- Roles ----------------------------------------------------------------------------------


def test_role_is_not_taken_from_the_idp_without_a_map(client, cas, org):
    user = staff(org, "T1001", role=Role.MEMBER)
    cas_login(client, cas, "T1001")
    assert Membership.objects.get(user=user).role == Role.MEMBER


def test_role_map_gives_the_mapped_role(client, cas, org, settings):
    settings.SSO_ROLE_MAP = {"统战部": "ufd_staff"}
    user = staff(org, "T1001", role=Role.MEMBER)
    cas_login(client, cas, "T1001")
    assert Membership.objects.get(user=user).role == Role.UFD_STAFF


def test_role_map_applies_on_provisioning(client, cas, org, settings):
    settings.SSO_ROLE_MAP = {"统战部": "ufd_staff"}
    org.sso_provisioning = True
    org.save()
    PersonFactory(organisation=org, name="王老师", staff_number="T1001")
    cas_login(client, cas, "T1001")
    assert Membership.objects.get(user__staff_number="T1001").role == Role.UFD_STAFF


def test_role_map_never_gives_or_takes_an_admin_role(client, cas, org, settings):
    settings.SSO_ROLE_MAP = {"统战部": "secadmin"}
    user = staff(org, "T1001", role=Role.MEMBER)
    cas_login(client, cas, "T1001")
    assert Membership.objects.get(user=user).role == Role.MEMBER
    client.logout()
    settings.SSO_ROLE_MAP = {"统战部": "ufd_staff"}
    admin = staff(org, "T2002", role=Role.SYSADMIN, username="sys2")
    USERS["T2002"]["groups"] = ["统战部"]
    try:
        cas_login(client, cas, "T2002")
    finally:
        USERS["T2002"]["groups"] = ["教师"]
    assert Membership.objects.get(user=admin).role == Role.SYSADMIN


# --- Second factor, inactive accounts ----------------------------------------------------------


def test_sso_session_skips_the_local_second_factor(client, cas, org, settings):
    settings.TWO_FACTOR_REQUIRED = True
    staff(org, "T1001")
    cas_login(client, cas, "T1001")
    assert client.session[security.STEPS] == []
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_inactive_account_is_refused(client, cas, org):
    user = staff(org, "T1001")
    user.is_active = False
    user.save()
    cas_login(client, cas, "T1001")
    assert logged_in_user(client) is None
    assert last_event("login.sso.failed").changes["reason"] == "inactive_account"


# --- OpenID Connect -------------------------------------------------------------------------


def test_oidc_signs_in_with_pkce_state_and_nonce(client, oidc, org):
    user = staff(org, "T1001")
    response = oidc_login(client, oidc, "T1001")
    assert response.url == "/"
    assert logged_in_user(client) == user
    authorize = next(r for r in oidc.requests if r[1] == "/authorize")[2]
    assert authorize["code_challenge_method"] == "S256"
    assert len(authorize["state"]) >= 20 and len(authorize["nonce"]) >= 20
    assert authorize["redirect_uri"] == "http://testserver/accounts/sso/oidc/callback/"
    token = next(r for r in oidc.requests if r[1] == "/token")[3]
    assert len(token["code_verifier"]) >= 43
    assert last_event("login.sso").changes == {"protocol": "oidc"}


def test_oidc_bad_state_is_refused(client, oidc, org):
    staff(org, "T1001")
    start = client.get(reverse("accounts:sso-oidc"))
    back = oidc.sign_in(start.url, "T1001")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))
    response = client.get(reverse("accounts:sso-oidc-callback"), {"code": query["code"], "state": "forged"})
    assert response.url == "/accounts/login/"
    assert logged_in_user(client) is None
    assert last_event("login.sso.failed").changes["reason"] == "oidc_bad_state"
    assert "/token" not in oidc.paths()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"nonce": "replayed"}, "oidc_bad_nonce"),
        ({"aud": "another-client"}, "oidc_wrong_audience"),
        ({"exp": 1_000_000_000, "iat": 999_999_000}, "oidc_expired"),
        ({"iss": "http://evil.example"}, "oidc_wrong_issuer"),
    ],
)
def test_oidc_id_token_claims_are_checked(client, oidc, org, change, reason):
    staff(org, "T1001")
    oidc.token_changes = change
    response = oidc_login(client, oidc, "T1001")
    assert response.url == "/accounts/login/"
    assert logged_in_user(client) is None
    assert last_event("login.sso.failed").changes == {"protocol": "oidc", "reason": reason}


def test_oidc_bad_signature_is_refused(client, oidc, org):
    staff(org, "T1001")
    oidc.sign_with_other_key = True
    oidc_login(client, oidc, "T1001")
    assert logged_in_user(client) is None
    assert last_event("login.sso.failed").changes["reason"] == "oidc_bad_signature"


def test_oidc_unknown_user_creates_nothing(client, oidc, org):
    users_before = User.objects.count()
    oidc_login(client, oidc, "T2002")
    assert User.objects.count() == users_before
    assert last_event("login.sso.failed").changes["reason"] == "unknown_account"


# --- Logout ---------------------------------------------------------------------------------


def test_cas_logout_ends_the_session_and_goes_to_cas_logout(client, cas, org):
    staff(org, "T1001")
    cas_login(client, cas, "T1001")
    response = client.post(reverse("accounts:logout"))
    expected = f"{cas.url}/logout?service={urllib.parse.quote('http://testserver/accounts/login/', safe='')}"
    assert response.status_code == 200
    assert response.context["url"] == expected
    assert f'content="0;url={expected.replace("&", "&amp;")}"' in response.content.decode()
    assert logged_in_user(client) is None


def single_logout(cas, ticket):
    """The CAS server's back-channel POST: its own client, no cookie, no CSRF token."""
    other = Client(enforce_csrf_checks=True)
    return other.post(reverse("accounts:sso-cas-callback"), {"logoutRequest": cas.logout_request(ticket)})


def test_cas_single_logout_ends_the_session_signed_in_with_that_ticket(client, cas, org):
    user = staff(org, "T1001")
    cas_login(client, cas, "T1001")
    ticket = cas.issued[-1]
    bystander = Client()
    bystander_user = staff(org, "T2002", role=Role.LIAISON)
    cas_login(bystander, cas, "T2002")
    assert logged_in_user(client) == user
    response = single_logout(cas, ticket)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies  # no session made for the CAS server
    assert logged_in_user(client) is None
    assert logged_in_user(bystander) == bystander_user  # another ticket's session stays
    assert not UserSession.objects.filter(user=user).exists()
    event = last_event("logout.sso")
    assert (event.user, event.organisation) == (user, org)
    assert event.changes == {"protocol": "cas", "sessions_ended": 1}


def test_cas_single_logout_follows_a_session_whose_key_changed(client, cas, org):
    user = staff(org, "T1001")
    cas_login(client, cas, "T1001")
    ticket = cas.issued[-1]
    session = client.session
    session.cycle_key()  # as a password change does
    session.save()
    client.cookies["sessionid"] = session.session_key
    assert logged_in_user(client) == user  # the middleware moves the tracked row to the new key
    single_logout(cas, ticket)
    assert logged_in_user(client) is None


def test_cas_single_logout_with_an_unknown_ticket_ends_nothing(client, cas, org):
    user = staff(org, "T1001")
    cas_login(client, cas, "T1001")
    assert single_logout(cas, "ST-not-issued").status_code == 200
    assert logged_in_user(client) == user
    assert last_event("logout.sso") is None


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not xml",
        '<!DOCTYPE x [<!ENTITY e "ST-1">]><samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">'
        "<samlp:SessionIndex>&e;</samlp:SessionIndex></samlp:LogoutRequest>",
        '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"></samlp:LogoutRequest>',
        '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:user>T1001</cas:user></cas:serviceResponse>',
    ],
)
def test_cas_single_logout_refuses_bad_requests_and_signs_no_one_in(client, cas, org, body):
    staff(org, "T1001")
    response = Client(enforce_csrf_checks=True).post(reverse("accounts:sso-cas-callback"), {"logoutRequest": body})
    assert response.status_code == 400
    assert response.wsgi_request.user.is_anonymous
    assert "sessionid" not in response.cookies


def test_cas_callback_post_is_refused_when_cas_is_off(client, org):
    response = Client(enforce_csrf_checks=True).post(
        reverse("accounts:sso-cas-callback"), {"logoutRequest": CASServer.logout_request("ST-1")}
    )
    assert response.status_code == 400


def test_oidc_logout_goes_to_end_session_with_the_id_token(client, oidc, org):
    staff(org, "T1001")
    oidc_login(client, oidc, "T1001")
    id_token = client.session[sso.SESSION]["id_token"]
    response = client.post(reverse("accounts:logout"))
    url = urllib.parse.urlsplit(response.context["url"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{oidc.url}/end_session"
    query = dict(urllib.parse.parse_qsl(url.query))
    assert query == {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": "http://testserver/accounts/login/",
        "client_id": "tongxin",
    }
    assert logged_in_user(client) is None


def test_local_logout_stays_local(client, cas, member):
    client.force_login(member)
    response = client.post(reverse("accounts:logout"))
    assert (response.status_code, response.url) == (302, "/accounts/login/")


# --- Local passwords ------------------------------------------------------------------------


def test_local_login_refused_for_non_admins_when_switched_off(client, member, settings):
    settings.LOCAL_LOGIN = "admins"
    response = client.post(reverse("accounts:login"), {"username": "member", "password": PASSWORD})
    assert response.status_code == 400
    assert "本地密码登录仅限系统管理员、安全管理员和审计管理员" in response.content.decode()
    assert logged_in_user(client) is None
    assert last_event("login.local_refused").username == "member"


def test_unknown_name_gets_the_same_refusal(client, db, settings):
    settings.LOCAL_LOGIN = "admins"
    response = client.post(reverse("accounts:login"), {"username": "nobody", "password": "x"})
    assert "本地密码登录仅限系统管理员、安全管理员和审计管理员" in response.content.decode()


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN])
def test_break_glass_admin_login_still_works(client, org, settings, role):
    settings.LOCAL_LOGIN = "admins"
    admin = make_user(org, role, "admin1")
    response = client.post(reverse("accounts:login"), {"username": "admin1", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_user(client) == admin


def test_local_login_for_everyone_by_default(client, member):
    response = client.post(reverse("accounts:login"), {"username": "member", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_user(client) == member


def test_person_registry_hook_is_registered(org):
    PersonFactory(organisation=org, name="王老师", staff_number="T1001")
    assert [p.name for p in sso._people_with("T1001")] == ["王老师"]
    assert Person.objects.filter(staff_number="T1001").count() == 1


def test_sso_pages_in_english(client, db, settings):
    from accounts.tests.test_english import assert_english, english

    settings.CAS_SERVER_URL = "http://127.0.0.1:9"  # shown, never contacted
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = "http://127.0.0.1:9", "tongxin"
    settings.LOCAL_LOGIN = "admins"
    english(client)
    assert_english(
        client.get(reverse("accounts:login")),
        "Single sign-on<small>CAS</small>",
        "Single sign-on<small>OpenID Connect</small>",
        "Administrators: local account login",
    )
    response = client.post(reverse("accounts:login"), {"username": "member", "password": "x"})
    assert_english(
        response, "Local password login is only for the system, security and audit administrators.", status=400
    )


# --- Administration: 工号 on the account, the provisioning switch, the policy page ----------------


def test_sysadmin_sets_the_staff_number_and_sso_finds_the_account(client, cas, sysadmin, member):
    client.force_login(sysadmin)
    url = reverse("accounts:user-edit", kwargs={"pk": member.pk})
    response = client.post(url, {"name": "张建言", "email": "", "staff_number": "T1001", "is_active": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.staff_number == "T1001"
    assert last_event("update").changes["staff_number"] == ["", "T1001"]
    client.logout()
    cas_login(client, cas, "T1001")
    assert logged_in_user(client) == member


def test_a_staff_number_belongs_to_one_account(client, org, sysadmin, member):
    staff(org, "T1001")
    client.force_login(sysadmin)
    url = reverse("accounts:user-edit", kwargs={"pk": member.pk})
    response = client.post(url, {"name": "张建言", "staff_number": "T1001", "is_active": "on"})
    assert response.status_code == 200
    assert "该工号已属于另一个账号" in response.content.decode()


def test_provisioning_command_switches_and_audits(org):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("sso_provisioning", org.slug, "on", stdout=out)
    org.refresh_from_db()
    assert org.sso_provisioning is True
    assert out.getvalue().strip() == "示例职业技术学院：允许统一身份认证首次登录自动开通账号。"
    assert last_event("update").changes == {"sso_provisioning": ["False", "True"]}


def test_provisioning_command_refuses_an_unknown_organisation(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="没有代码为 nowhere 的组织"):
        call_command("sso_provisioning", "nowhere", "on")


def test_policy_page_shows_the_sso_settings(client, secadmin, settings):
    settings.CAS_SERVER_URL, settings.CAS_VERSION = "https://cas.example.edu.cn/cas", "2"
    settings.LOCAL_LOGIN = "admins"
    settings.SSO_ROLE_MAP = {"统战部": "ufd_staff", "三员": "secadmin"}
    client.force_login(secadmin)
    body = client.get(reverse("accounts:policy")).content.decode()
    assert "CAS 2.0" in body
    assert "仅限系统管理员、安全管理员和审计管理员" in body
    assert "统战部 → 统战部工作人员" in body
    assert "三员" not in body
    assert "不允许" in body


def test_a_locked_account_still_signs_in_through_the_idp(client, cas, org, settings, monkeypatch):
    from accounts import services

    monkeypatch.setattr(services, "_sleep", lambda seconds: None)
    user = staff(org, "T1001")
    for _ in range(settings.LOCKOUT_FAILURES):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong-Password-1"})
    assert services._account_locked(user)
    cas_login(client, cas, "T1001")
    assert logged_in_user(client) == user


def test_oidc_reads_the_staff_number_from_userinfo_when_the_id_token_lacks_it(client, oidc, org):
    user = staff(org, "T1001")
    oidc.userinfo_only = {"preferred_username"}
    oidc_login(client, oidc, "T1001")
    assert logged_in_user(client) == user
    assert "/userinfo" in oidc.paths()


def test_oidc_follows_a_rotated_signing_key(client, oidc, org):
    from accounts.tests.sso_providers import _new_key

    user = staff(org, "T1001")
    oidc_login(client, oidc, "T1001")
    client.logout()
    oidc.key, oidc.kid = _new_key(), "test-key-2"  # the app still holds the old JWKS
    oidc_login(client, oidc, "T1001")
    assert logged_in_user(client) == user
    assert oidc.paths().count("/jwks") == 2
