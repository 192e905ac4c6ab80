"""Single sign-on (issue 17): CAS 2.0/3.0 and OpenID Connect, each on when configured.

The protocols end in one `sign_in(request, identity)`: the account is found by staff number (工号)
or username; failing that a registry person with that 工号 may get a member account when its
organisation allows provisioning. The role comes from the identity provider only through the
explicit TONGXIN_SSO_ROLE_MAP (never an admin role). A single-sign-on session skips the local
second factor (the identity provider is the second factor). Every success and failure is audited.

The registry (people) sits above accounts: it registers how to find and link a person
(`register_person_directory`), so accounts never imports it."""

import base64
import hashlib
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import jwt
from defusedxml import ElementTree
from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import security
from accounts.models import User, UserSession
from core import audit
from orgs import services as org_services
from orgs.models import ADMIN_ROLES, Role

CAS, OIDC = "cas", "oidc"
SESSION = "_tx_sso"  # {"protocol": …, "id_token": …} of a session signed in through an IdP
PENDING = "_tx_sso_pending"  # state, nonce, PKCE verifier and `next` between the two legs
CAS_NS = "{http://www.yale.edu/tp/cas}"
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
LEEWAY_SECONDS = 30

MESSAGES = {
    "disabled": gettext_noop("未启用该统一身份认证方式。"),
    "provider": gettext_noop("统一身份认证未能完成，请重试或联系管理员。"),
    "unknown": gettext_noop("统一身份认证已通过，但本系统中没有与您的工号对应的账号，请联系管理员开通。"),
    "inactive": gettext_noop("该账号已停用，请联系系统管理员。"),
}


class SSOError(Exception):
    """A refused single sign-on; `code` goes to the audit log, the message to the user."""

    def __init__(self, code: str, message_key: str = "provider", identifier: str = ""):
        super().__init__(code)
        self.code, self.identifier = code, identifier
        self.message = _(MESSAGES[message_key])


@dataclass
class Identity:
    protocol: str
    identifier: str  # the 工号 or username the IdP vouches for
    name: str = ""
    groups: list[str] = field(default_factory=list)
    id_token: str = ""
    ticket: str = ""  # the CAS service ticket (its single-logout request names it)


# --- Configuration ------------------------------------------------------------------------


def cas_enabled() -> bool:
    return bool(settings.CAS_SERVER_URL)


def oidc_enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def local_login_allowed(user: User | None) -> bool:
    """TONGXIN_LOCAL_LOGIN=admins keeps local passwords for the three admins only (break-glass)."""
    if settings.LOCAL_LOGIN != "admins":
        return True
    membership = getattr(user, "membership", None) if user else None
    return bool(membership and membership.role in ADMIN_ROLES)


def mapped_role(groups: list[str]) -> str:
    """The role of the first TONGXIN_SSO_ROLE_MAP entry whose group the IdP sent ("" when none).
    Admin roles are never mapped: the security admin assigns them."""
    allowed = {r.value for r in Role} - {r.value for r in ADMIN_ROLES}
    for group, role in settings.SSO_ROLE_MAP.items():
        if group in groups and role in allowed:
            return role
    return ""


def role_map_display() -> list[tuple[str, str]]:
    """(IdP group, role label) of TONGXIN_SSO_ROLE_MAP, for the security admin's policy page."""
    labels = {r.value: r.label for r in Role if r not in ADMIN_ROLES}
    return [(group, labels[role]) for group, role in settings.SSO_ROLE_MAP.items() if role in labels]


def _fetch(url: str, *, data: dict | None = None, headers: dict | None = None) -> bytes:
    """One request to the identity provider (the configured server only), with a timeout."""
    if not url.startswith(("https://", "http://")):
        raise SSOError("provider_bad_url")
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
        url, data=body, headers={"Accept": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SSO_TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.read(1024 * 1024)
    except urllib.error.HTTPError as error:
        raise SSOError(f"provider_http_{error.code}") from error
    except (OSError, ValueError) as error:
        raise SSOError(f"provider_unreachable: {type(error).__name__}") from error


def _url(base: str, **params) -> str:
    return f"{base}{'&' if '?' in base else '?'}{urllib.parse.urlencode(params)}"


# --- CAS ------------------------------------------------------------------------------------


def cas_login_url(service: str) -> str:
    return _url(f"{settings.CAS_SERVER_URL}/login", service=service)


def cas_logout_url(service: str) -> str:
    return _url(f"{settings.CAS_SERVER_URL}/logout", service=service)


def parse_cas_response(body: bytes) -> tuple[str, dict[str, list[str]]]:
    """(user, attributes) from a serviceValidate answer; SSOError for a failure or bad XML.
    defusedxml refuses entities and DTDs."""
    try:
        root = ElementTree.fromstring(body)
    except Exception as error:  # defusedxml's refusals and ParseError alike
        raise SSOError(f"cas_bad_xml: {type(error).__name__}") from error
    failure = root.find(f"{CAS_NS}authenticationFailure")
    if failure is not None:
        raise SSOError(f"cas_{failure.get('code', 'failure')}".lower()[:60])
    success = root.find(f"{CAS_NS}authenticationSuccess")
    user = success.findtext(f"{CAS_NS}user", "").strip() if success is not None else ""
    if not user:
        raise SSOError("cas_no_user")
    attributes: dict[str, list[str]] = {}
    block = success.find(f"{CAS_NS}attributes")
    for element in list(block) if block is not None else []:
        name = element.tag.removeprefix(CAS_NS)
        attributes.setdefault(name, []).append((element.text or "").strip())
    return user, attributes


def cas_identity(ticket: str, service: str) -> Identity:
    """Validates `ticket` at the CAS server (/serviceValidate for 2.0, /p3/serviceValidate for 3.0)."""
    path = "/p3/serviceValidate" if settings.CAS_VERSION == "3" else "/serviceValidate"
    if not ticket:
        raise SSOError("cas_no_ticket")
    user, attributes = parse_cas_response(
        _fetch(_url(f"{settings.CAS_SERVER_URL}{path}", service=service, ticket=ticket))
    )
    identifier = user
    if settings.CAS_ID_ATTRIBUTE:
        identifier = (attributes.get(settings.CAS_ID_ATTRIBUTE) or [""])[0]
    name = (attributes.get("name") or attributes.get("cn") or [""])[0]
    groups = attributes.get(settings.SSO_GROUPS_ATTRIBUTE, [])
    return Identity(CAS, identifier, name=name, groups=groups, ticket=ticket)


SAMLP_NS = "{urn:oasis:names:tc:SAML:2.0:protocol}"
TICKET_MAX = 256


def parse_logout_request(body: str) -> str:
    """The service ticket (<samlp:SessionIndex>) of a CAS single-logout request; SSOError for bad
    XML or none. defusedxml refuses entities and DTDs."""
    try:
        root = ElementTree.fromstring(body.encode())
    except Exception as error:
        raise SSOError(f"cas_bad_logout_xml: {type(error).__name__}") from error
    if root.tag != f"{SAMLP_NS}LogoutRequest":
        raise SSOError("cas_not_a_logout_request")
    ticket = (root.findtext(f"{SAMLP_NS}SessionIndex") or "").strip()
    if not ticket or len(ticket) > TICKET_MAX:
        raise SSOError("cas_no_session_index")
    return ticket


def cas_single_logout(request, body: str) -> int:
    """The CAS server's back-channel logout (POSTed to the service URL): ends every local session
    signed in with that ticket, across nodes (the sessions and tickets are in the database).
    Signs no one in. Audits each ended account's logout; returns how many sessions ended."""
    ticket = parse_logout_request(body)
    sessions = UserSession.objects.filter(sso_ticket=ticket)
    users = {s.user_id: s.user for s in sessions.select_related("user")}
    ended = security.end_tracked_sessions(sessions)
    for user in users.values():
        changes = {"protocol": CAS, "sessions_ended": ended}
        audit.log("logout.sso", by=user, organisation=_organisation_of(user), request=request, changes=changes)
    return ended


# --- OpenID Connect ---------------------------------------------------------------------------

_cache: dict[str, tuple[float, dict]] = {}
CACHE_SECONDS = 3600


def _json(url: str, *, data=None, headers=None) -> dict:
    try:
        value = json.loads(_fetch(url, data=data, headers=headers))
    except ValueError as error:
        raise SSOError("oidc_bad_json") from error
    if not isinstance(value, dict):
        raise SSOError("oidc_bad_json")
    return value


def _cached(url: str, *, refresh: bool = False) -> dict:
    hit = _cache.get(url)
    if hit and not refresh and hit[0] > time.monotonic():
        return hit[1]
    value = _json(url)
    _cache[url] = (time.monotonic() + CACHE_SECONDS, value)
    return value


def oidc_metadata() -> dict:
    """The provider's discovery document; its issuer must be the configured one exactly."""
    issuer = settings.OIDC_ISSUER
    metadata = _cached(f"{issuer.rstrip('/')}/.well-known/openid-configuration")
    if metadata.get("issuer") != issuer:
        raise SSOError("oidc_issuer_mismatch")
    return metadata


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def oidc_start(redirect_uri: str) -> tuple[str, dict]:
    """The authorization URL and what the callback must check (state, nonce, PKCE verifier)."""
    metadata = oidc_metadata()
    pending = {"state": secrets.token_urlsafe(24), "nonce": secrets.token_urlsafe(24)}
    pending["verifier"] = secrets.token_urlsafe(48)
    challenge = _b64(hashlib.sha256(pending["verifier"].encode()).digest())
    url = _url(
        metadata["authorization_endpoint"],
        response_type="code",
        client_id=settings.OIDC_CLIENT_ID,
        redirect_uri=redirect_uri,
        scope=settings.OIDC_SCOPES,
        state=pending["state"],
        nonce=pending["nonce"],
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    return url, pending


def _signing_key(metadata: dict, token: str):
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as error:
        raise SSOError("oidc_bad_token") from error
    if header.get("alg") not in ALGORITHMS:
        raise SSOError("oidc_bad_algorithm")
    for refresh in (False, True):  # a key we do not know yet: the provider may have rotated
        keys = _cached(metadata["jwks_uri"], refresh=refresh).get("keys", [])
        for key in keys:
            if header.get("kid") in (None, key.get("kid")) and key.get("use", "sig") == "sig":
                try:
                    return jwt.PyJWK(key).key, header["alg"]
                except jwt.PyJWTError:
                    continue
    raise SSOError("oidc_unknown_key")


def verify_id_token(token: str, *, nonce: str) -> dict:
    """The ID token's claims once its signature (provider's JWKS), issuer, audience, expiry and
    nonce hold; SSOError otherwise."""
    metadata = oidc_metadata()
    key, algorithm = _signing_key(metadata, token)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=settings.OIDC_CLIENT_ID,
            issuer=settings.OIDC_ISSUER,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise SSOError("oidc_expired") from error
    except jwt.InvalidAudienceError as error:
        raise SSOError("oidc_wrong_audience") from error
    except jwt.InvalidIssuerError as error:
        raise SSOError("oidc_wrong_issuer") from error
    except jwt.InvalidSignatureError as error:
        raise SSOError("oidc_bad_signature") from error
    except jwt.InvalidTokenError as error:
        raise SSOError(f"oidc_invalid_token: {type(error).__name__}") from error
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise SSOError("oidc_bad_nonce")
    return claims


def oidc_identity(params, pending: dict | None, redirect_uri: str) -> Identity:
    """The callback: checks state, swaps the code (with the PKCE verifier) for tokens, verifies
    the ID token; the 工号 is TONGXIN_OIDC_ID_CLAIM of the ID token or, when absent, of userinfo."""
    if params.get("error"):
        raise SSOError(f"oidc_error: {params['error'][:40]}")
    if not pending or not secrets.compare_digest(params.get("state", ""), pending.get("state", "")):
        raise SSOError("oidc_bad_state")
    if not params.get("code"):
        raise SSOError("oidc_no_code")
    metadata = oidc_metadata()
    credentials = f"{urllib.parse.quote(settings.OIDC_CLIENT_ID)}:{urllib.parse.quote(settings.OIDC_CLIENT_SECRET)}"
    tokens = _json(
        metadata["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": params["code"],
            "redirect_uri": redirect_uri,
            "code_verifier": pending["verifier"],
            "client_id": settings.OIDC_CLIENT_ID,
        },
        headers={"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()},
    )
    if not tokens.get("id_token"):
        raise SSOError("oidc_no_id_token")
    claims = verify_id_token(tokens["id_token"], nonce=pending["nonce"])
    claim = settings.OIDC_ID_CLAIM
    if claim not in claims and metadata.get("userinfo_endpoint") and tokens.get("access_token"):
        info = _json(metadata["userinfo_endpoint"], headers={"Authorization": f"Bearer {tokens['access_token']}"})
        if info.get("sub") == claims["sub"]:
            claims = {**info, **claims}
    groups = claims.get(settings.SSO_GROUPS_ATTRIBUTE) or []
    return Identity(
        OIDC,
        str(claims.get(claim) or ""),
        name=str(claims.get("name") or ""),
        groups=[str(g) for g in groups] if isinstance(groups, list) else [str(groups)],
        id_token=tokens["id_token"],
    )


def oidc_logout_url(id_token: str, post_logout_redirect_uri: str) -> str:
    """The provider's end_session_endpoint ("" when it has none)."""
    try:
        endpoint = oidc_metadata().get("end_session_endpoint")
    except SSOError:
        return ""
    if not endpoint:
        return ""
    return _url(
        endpoint,
        id_token_hint=id_token,
        post_logout_redirect_uri=post_logout_redirect_uri,
        client_id=settings.OIDC_CLIENT_ID,
    )


# --- Matching accounts ------------------------------------------------------------------------

_directory = {}


def register_person_directory(*, find, link) -> None:
    """The registry's hooks: `find(staff_number)` → registry people with that 工号 (any
    organisation), each with `.organisation`, `.user_id`, `.name`; `link(person, user)` sets the
    person's account."""
    _directory.update(find=find, link=link)


def _people_with(staff_number: str) -> list:
    return list(_directory["find"](staff_number)) if _directory else []


def find_account(identifier: str) -> User | None:
    """The account with this staff number, else this username, else the account linked to the
    registry person with this 工号."""
    users = User.objects.select_related("membership__organisation")
    user = users.filter(staff_number=identifier).first() or users.filter(username__iexact=identifier).first()
    if user is None:
        linked = [p.user_id for p in _people_with(identifier) if p.user_id]
        if len(linked) == 1:
            user = users.filter(pk=linked[0]).first()
    return user


@transaction.atomic
def provision_account(identity: Identity, *, request=None) -> User | None:
    """A member account (or the mapped role) for the one registry person with this 工号 and no
    account, when the person's organisation allows provisioning. None otherwise. Audits."""
    people = [p for p in _people_with(identity.identifier) if not p.user_id]
    if len(people) != 1 or not people[0].organisation.sso_provisioning:
        return None
    person = people[0]
    organisation = person.organisation
    user = User(username=identity.identifier[:150], staff_number=identity.identifier[:32], name=person.name[:50])
    user.set_unusable_password()
    user.save()
    role = mapped_role(identity.groups) or Role.MEMBER
    org_services.assign_role(user, organisation=organisation, role=role, by=None, request=request)
    _directory["link"](person, user)
    changes = {"protocol": identity.protocol, "role": role, "person": str(person.pk)}
    audit.log("account.sso_provisioned", user, username=user.username, request=request, changes=changes)
    return user


def _apply_mapped_role(user: User, identity: Identity, *, request=None) -> None:
    role = mapped_role(identity.groups)
    membership = getattr(user, "membership", None)
    if role and membership and membership.role != role and membership.role not in ADMIN_ROLES:
        org_services.assign_role(user, organisation=membership.organisation, role=role, by=None, request=request)


def _organisation_of(user):
    membership = getattr(user, "membership", None) if user else None
    return membership.organisation if membership else None


def fail(request, protocol: str, error: SSOError) -> None:
    changes = {"protocol": protocol, "reason": error.code}
    audit.log("login.sso.failed", username=error.identifier[:150], request=request, changes=changes, result="failure")


def sign_in(request, identity: Identity) -> User:
    """Logs in the account the IdP vouched for (see the module docstring). Audits; SSOError when
    no account may sign in."""
    identifier = identity.identifier.strip()
    identity.identifier = identifier
    if not identifier:
        raise SSOError(f"{identity.protocol}_no_identifier")
    user = find_account(identifier) or provision_account(identity, request=request)
    if user is None:
        raise SSOError("unknown_account", "unknown", identifier)
    if not user.is_active:
        raise SSOError("inactive_account", "inactive", identifier)
    _apply_mapped_role(user, identity, request=request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # The IdP is the second factor and holds the password: no local 2FA or password steps.
    request.session[security.STEPS] = []
    request.session[SESSION] = {"protocol": identity.protocol, "id_token": identity.id_token}
    if identity.ticket:  # start_session (user_logged_in) has saved the session and its tracked row
        UserSession.objects.filter(session_key=request.session.session_key).update(
            sso_ticket=identity.ticket[:TICKET_MAX]
        )
    audit.log(
        "login.sso",
        by=user,
        organisation=_organisation_of(user),
        request=request,
        changes={"protocol": identity.protocol},
    )
    return user
