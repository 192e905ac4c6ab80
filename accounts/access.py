"""Which accounts, departments and requests an administrator may act on: only those of their
own organisation (the views check the administrator role). 404 otherwise."""

from django.shortcuts import get_object_or_404

from accounts.models import AuditLookup, PasswordResetRequest, User
from orgs.models import Department


def get_user_for_admin(request, pk: int) -> User:
    return get_object_or_404(User, pk=pk, membership__organisation=request.organisation)


def get_department_for_admin(request, pk: int) -> Department:
    return get_object_or_404(Department.objects.for_org(request.organisation), pk=pk)


def get_reset_request(request, pk: int) -> PasswordResetRequest:
    return get_object_or_404(PasswordResetRequest, pk=pk, user__membership__organisation=request.organisation)


def get_audit_lookup(request, pk: int) -> AuditLookup:
    return get_object_or_404(AuditLookup, pk=pk, organisation=request.organisation)
