"""The year-end summary's rows of the access matrix (dashboard/tests/test_access_matrix.py)."""

from orgs.models import Role

READERS = {Role.UFD_STAFF, Role.LEADER}

REPORTS_MATRIX = {
    "reports:summary": (READERS, "get"),
    "reports:summary-generate": ({Role.UFD_STAFF}, "post"),
    "reports:summary-docx": (READERS, "get"),
}
