"""The accounts module's rows added by issue 11 to the access matrix (dashboard/tests/test_access_matrix.py)."""

from orgs.models import Role

ACCOUNTS_MATRIX = {
    "accounts:reset-requests": ({Role.SECADMIN}, "get"),
    "accounts:reset-decide": ({Role.SECADMIN}, "post"),
    # The one-time link from the e-mail: anyone may open it (a wrong link says so).
    "accounts:reset-confirm": ("public", "get"),
    "accounts:audit-lookups": ({Role.AUDITADMIN}, "get"),
    "accounts:lookup-requests": ({Role.SECADMIN}, "get"),
    "accounts:lookup-decide": ({Role.SECADMIN}, "post"),
}

ACCOUNTS_URL_KWARGS = {
    "accounts:reset-decide": {"pk": 1},
    "accounts:lookup-decide": {"pk": 1},
    "accounts:reset-confirm": {"uidb64": "MQ", "token": "wrong-token"},
}
