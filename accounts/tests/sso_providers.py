"""Identity providers for the tests, run in-process on loopback (no outside network).

`CASServer`: /login (a sign-in form), /serviceValidate (CAS 2.0), /p3/serviceValidate (CAS 3.0,
with attributes), /logout. `OIDCProvider`: discovery, /authorize (a sign-in form), /token (with
PKCE), /jwks, /end_session, signing RS256 ID tokens with a key generated per provider (PyJWT).
Both keep a log of what they were asked, so tests can check the app's side of each protocol."""

import base64
import hashlib
import html
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

PASSWORD = "idp-pass"
FORM = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><form method="post">{hidden}
<label>用户名 <input name="username"></label> <label>密码 <input name="password" type="password"></label>
<button type="submit">登录</button></form></body></html>"""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_no_redirect(url: str, data: dict) -> str:
    """POSTs a form and returns the Location it redirects to (as a browser's first hop)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(url, data=urllib.parse.urlencode(data).encode(), timeout=5)
    except urllib.error.HTTPError as error:
        if error.code in (302, 303):
            return error.headers["Location"]
        raise
    raise AssertionError("no redirect")


class _Server:
    """A threaded HTTP server on 127.0.0.1 with a free port; `handle(method, path, query, form,
    headers)` returns (status, headers, body)."""

    title = "IdP"

    def __init__(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _run(self, method):
                parsed = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parsed.query))
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode())) if length else {}
                owner.requests.append((method, parsed.path, query, form))
                status, headers, body = owner.handle(method, parsed.path, query, form, self.headers)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                data = body.encode() if isinstance(body, str) else body
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._run("GET")

            def do_POST(self):
                self._run("POST")

            def log_message(self, *args):
                pass

        self.requests = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self) -> list[str]:
        return [r[1] for r in self.requests]

    def form(self, hidden: dict) -> tuple[int, dict, str]:
        fields = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in hidden.items()
        )
        return 200, {"Content-Type": "text/html; charset=utf-8"}, FORM.format(title=self.title, hidden=fields)


class CASServer(_Server):
    """users: {name: {attribute: [values]}}; every user's password is PASSWORD."""

    title = "测试 CAS 统一身份认证"

    def __init__(self, users: dict):
        super().__init__()
        self.users = users
        self.tickets = {}  # ticket -> (user, service)
        self.issued = []  # every ticket issued, oldest first (validation pops `tickets`)
        self.logged_out = []

    def issue_ticket(self, user: str, service: str) -> str:
        ticket = "ST-" + secrets.token_urlsafe(16)
        self.tickets[ticket] = (user, service)
        self.issued.append(ticket)
        return ticket

    @staticmethod
    def logout_request(ticket: str) -> str:
        """The SAML body a CAS server POSTs (form field `logoutRequest`) to each service the user
        signed in to, when the user logs out at CAS (single logout)."""
        return (
            '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-1-' + secrets.token_hex(8) + '" '
            'Version="2.0" IssueInstant="2026-12-03T04:00:00Z">'
            "<saml:NameID>@NOT_USED@</saml:NameID>"
            f"<samlp:SessionIndex>{html.escape(ticket)}</samlp:SessionIndex></samlp:LogoutRequest>"
        )

    def sign_in(self, login_url: str, username: str, password: str = PASSWORD) -> str:
        """Posts the sign-in form at `login_url` (/login?service=…); returns the redirect back."""
        return post_no_redirect(login_url, {"username": username, "password": password})

    def handle(self, method, path, query, form, headers):
        if path == "/login":
            service = query.get("service", "")
            if method == "GET":
                return self.form({})
            if form.get("username") in self.users and form.get("password") == PASSWORD:
                ticket = self.issue_ticket(form["username"], service)
                sep = "&" if "?" in service else "?"
                return 302, {"Location": f"{service}{sep}ticket={ticket}"}, ""
            return 401, {"Content-Type": "text/plain; charset=utf-8"}, "用户名或密码错误"
        if path in ("/serviceValidate", "/p3/serviceValidate"):
            return 200, {"Content-Type": "application/xml; charset=utf-8"}, self.validate(path, query)
        if path == "/logout":
            self.logged_out.append(query.get("service", ""))
            if query.get("service"):
                return 302, {"Location": query["service"]}, ""
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, "已退出"
        return 404, {}, ""

    def validate(self, path, query) -> str:
        found = self.tickets.pop(query.get("ticket", ""), None)  # a ticket is good once
        if found is None or found[1] != query.get("service"):
            return (
                '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">'
                '<cas:authenticationFailure code="INVALID_TICKET">Ticket not recognized</cas:authenticationFailure>'
                "</cas:serviceResponse>"
            )
        user = found[0]
        attributes = ""
        if path.startswith("/p3/"):
            values = "".join(
                f"<cas:{html.escape(k)}>{html.escape(v)}</cas:{html.escape(k)}>"
                for k, vs in self.users[user].items()
                for v in vs
            )
            attributes = f"<cas:attributes>{values}</cas:attributes>"
        return (
            '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess>'
            f"<cas:user>{html.escape(user)}</cas:user>{attributes}"
            "</cas:authenticationSuccess></cas:serviceResponse>"
        )


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OIDCProvider(_Server):
    """users: {name: {claim: value}} added to the ID token; every password is PASSWORD.
    `token_changes` alters the next ID tokens' claims (audience, expiry, nonce…); `userinfo_only`
    names claims given by /userinfo alone;
    `sign_with_other_key` signs them with a key that is not the one published."""

    title = "测试 OpenID Connect 统一身份认证"
    CLIENT_ID, CLIENT_SECRET = "tongxin", "client-secret"

    def __init__(self, users: dict):
        super().__init__()
        self.users = users
        self.key = _new_key()
        self.kid = "test-key-1"
        self.codes = {}
        self.token_changes = {}
        self.sign_with_other_key = False
        self.ended = []
        self.userinfo_only = set()  # claims given only by /userinfo, not in the ID token
        self.access_tokens = {}

    @property
    def issuer(self) -> str:
        return self.url

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "end_session_endpoint": f"{self.url}/end_session",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def id_token(self, user: str, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": f"sub-{user}",
            "aud": self.CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **{k: v for k, v in self.users[user].items() if k not in self.userinfo_only},
            **self.token_changes,
        }
        key = _new_key() if self.sign_with_other_key else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

    def sign_in(self, authorize_url: str, username: str, password: str = PASSWORD) -> str:
        """Posts the sign-in form at `authorize_url`; returns the redirect back (with the code)."""
        return post_no_redirect(authorize_url, {"username": username, "password": password})

    def _json(self, value, status=200):
        return status, {"Content-Type": "application/json"}, json.dumps(value)

    def handle(self, method, path, query, form, headers):
        if path == "/.well-known/openid-configuration":
            return self._json(self.metadata())
        if path == "/jwks":
            return self._json(self.jwks())
        if path == "/authorize":
            if method == "GET":
                return self.form({})
            if query.get("client_id") != self.CLIENT_ID or query.get("code_challenge_method") != "S256":
                return 400, {}, "bad request"
            if form.get("username") not in self.users or form.get("password") != PASSWORD:
                return 401, {"Content-Type": "text/plain; charset=utf-8"}, "用户名或密码错误"
            code = secrets.token_urlsafe(16)
            self.codes[code] = {**query, "user": form["username"]}
            back = urllib.parse.urlencode({"code": code, "state": query.get("state", "")})
            return 302, {"Location": f"{query['redirect_uri']}?{back}"}, ""
        if path == "/token" and method == "POST":
            return self.token(form, headers)
        if path == "/userinfo":
            user = self.access_tokens.get(headers.get("Authorization", "").removeprefix("Bearer "))
            if user is None:
                return self._json({"error": "invalid_token"}, 401)
            return self._json({"sub": f"sub-{user}", **self.users[user]})
        if path == "/end_session":
            self.ended.append(query)
            return 302, {"Location": query.get("post_logout_redirect_uri", self.url)}, ""
        return 404, {}, ""

    def token(self, form, headers):
        basic = base64.b64encode(f"{self.CLIENT_ID}:{self.CLIENT_SECRET}".encode()).decode()
        if headers.get("Authorization") != f"Basic {basic}":
            return self._json({"error": "invalid_client"}, 401)
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return self._json({"error": "invalid_grant"}, 400)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
        if challenge.rstrip(b"=").decode() != grant["code_challenge"]:
            return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        access_token = secrets.token_urlsafe(16)
        self.access_tokens[access_token] = grant["user"]
        return self._json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant["user"], grant.get("nonce", "")),
            }
        )
