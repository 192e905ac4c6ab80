"""The access matrix entries of the issue-11 account controls and holes (imported by dashboard's matrix)."""

from orgs.models import Role

ALL = set(Role)

SECURITY_MATRIX = {
    # Without a pending second-factor step the verify page sends the user on (302 for everyone).
    "accounts:two-factor-verify": (ALL, "redirect"),
    "accounts:two-factor-setup": (ALL, "get"),
    "accounts:my-security": (ALL, "get"),
    "accounts:recovery-codes": (ALL, "post"),
    "accounts:session-end": (ALL, "post"),
    "accounts:sessions-end-others": (ALL, "post"),
    "accounts:user-security": ({Role.SECADMIN}, "get"),
    "accounts:two-factor-reset": ({Role.SECADMIN}, "post"),
    "accounts:user-sessions-end": ({Role.SECADMIN}, "post"),
    "accounts:audit-export": ({Role.AUDITADMIN}, "get"),
}


def security_url_kwargs(personas) -> dict:
    from accounts.models import UserSession

    member = personas[Role.MEMBER]
    session = UserSession.objects.create(session_key="matrix-session", user=member, last_seen=member.date_joined)
    return {
        "accounts:session-end": {"pk": session.pk},
        "accounts:user-security": {"pk": member.pk},
        "accounts:two-factor-reset": {"pk": member.pk},
        "accounts:user-sessions-end": {"pk": member.pk},
    }


# Holes closed in issue 11: password resets approved by the security admin, audit look-ups.
ACCOUNTS_MATRIX = {
    "accounts:reset-requests": ({Role.SECADMIN}, "get"),
    "accounts:reset-decide": ({Role.SECADMIN}, "post"),
    # The one-time link from the e-mail: anyone may open it (a wrong link says so).
    "accounts:reset-confirm": ("public", "get"),
    "accounts:audit-lookups": ({Role.AUDITADMIN}, "get"),
    "accounts:lookup-requests": ({Role.SECADMIN}, "get"),
    "accounts:lookup-decide": ({Role.SECADMIN}, "post"),
    # Issue 17, single sign-on: each start and callback sends everyone on (to the identity
    # provider, to the login page with a message when not configured, or home when signed in).
    "accounts:sso-cas": ("public", "redirect"),
    "accounts:sso-cas-callback": ("public", "redirect"),
    "accounts:sso-oidc": ("public", "redirect"),
    "accounts:sso-oidc-callback": ("public", "redirect"),
}

ACCOUNTS_URL_KWARGS = {
    "accounts:reset-decide": {"pk": 1},
    "accounts:lookup-decide": {"pk": 1},
    "accounts:reset-confirm": {"uidb64": "MQ", "token": "wrong-token"},
}
