"""Login and the three administrators' screens (system, security, audit)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import forms, services
from accounts.models import User
from core.models import AuditEvent
from orgs import services as org_services
from orgs.access import role_required
from orgs.models import Department, Membership, Role


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    form = forms.LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        user, error = services.attempt_login(request, form.cleaned_data["username"], form.cleaned_data["password"])
        if user is not None:
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                target = ""
            return redirect(target or "dashboard:home")
    status = 200 if not error else 400
    return render(request, "accounts/login.html", {"form": form, "error": error}, status=status)


@require_POST
def logout_view(request):
    services.log_out(request)
    messages.success(request, gettext("您已安全退出。"))
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = forms.PasswordChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.change_own_password(request, request.user, form.cleaned_data["new_password"])
        messages.success(request, gettext("密码已修改。"))
        return redirect("dashboard:home")
    return render(request, "accounts/password_change.html", {"form": form})


# --- System admin: users and departments -------------------------------------------------


def _get_user_for_admin(request, pk: int) -> User:
    return get_object_or_404(User, pk=pk, membership__organisation=request.organisation)


@role_required(Role.SYSADMIN)
def user_list(request):
    users = (
        User.objects.filter(membership__organisation=request.organisation)
        .select_related("membership")
        .order_by("username")
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page})


@role_required(Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = forms.UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.create_user(
            by=request.user, organisation=request.organisation, request=request, **form.cleaned_data
        )
        org_services.assign_role(user, organisation=request.organisation, role="", by=request.user, request=request)
        messages.success(
            request, gettext("已创建账号 %(username)s，请安全管理员分配角色。") % {"username": user.username}
        )
        return redirect("accounts:user-list")
    return render(request, "accounts/user_form.html", {"form": form, "title": gettext("新建账号")})


@role_required(Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    user = _get_user_for_admin(request, pk)
    initial = {"name": user.name, "email": user.email, "is_active": user.is_active}
    form = forms.UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if user == request.user and not form.cleaned_data["is_active"]:
            form.add_error("is_active", gettext("不能停用自己的账号。"))
        else:
            services.update_user(
                user, by=request.user, organisation=request.organisation, data=form.cleaned_data, request=request
            )
            messages.success(request, gettext("账号已保存。"))
            return redirect("accounts:user-list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": gettext("编辑账号 %(username)s") % {"username": user.username}, "target": user},
    )


@role_required(Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def user_password(request, pk: int):
    user = _get_user_for_admin(request, pk)
    form = forms.PasswordResetForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.reset_password(
            user,
            by=request.user,
            organisation=request.organisation,
            password=form.cleaned_data["password"],
            request=request,
        )
        messages.success(request, gettext("已重置 %(username)s 的密码。") % {"username": user.username})
        return redirect("accounts:user-list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": gettext("重置密码 %(username)s") % {"username": user.username}, "target": user},
    )


@role_required(Role.SYSADMIN)
def department_list(request):
    departments = Department.objects.for_org(request.organisation).prefetch_related("aliases")
    return render(request, "accounts/department_list.html", {"departments": departments})


@role_required(Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def department_create(request):
    form = forms.DepartmentForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org_services.create_department(
            request.organisation,
            by=request.user,
            name=data["name"],
            short_name=data["short_name"],
            sort_order=data["sort_order"],
            aliases=data["aliases"],
            request=request,
        )
        messages.success(request, gettext("部门已创建。"))
        return redirect("accounts:department-list")
    return render(request, "accounts/department_form.html", {"form": form, "title": gettext("新建部门")})


@role_required(Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def department_edit(request, pk: int):
    department = get_object_or_404(Department, pk=pk, organisation=request.organisation)
    initial = {
        "name": department.name,
        "short_name": department.short_name,
        "sort_order": department.sort_order,
        "aliases": "、".join(department.alias_names),
        "is_active": department.is_active,
    }
    form = forms.DepartmentForm(
        request.POST or None, initial=initial, organisation=request.organisation, instance=department
    )
    if request.method == "POST" and form.is_valid():
        org_services.update_department(
            department, by=request.user, data=form.cleaned_data, aliases=form.cleaned_data["aliases"], request=request
        )
        messages.success(request, gettext("部门已保存。"))
        return redirect("accounts:department-list")
    return render(
        request,
        "accounts/department_form.html",
        {"form": form, "title": gettext("编辑部门 %(name)s") % {"name": department.name}},
    )


# --- Security admin: roles, lockouts, policy ----------------------------------------------


@role_required(Role.SECADMIN)
def role_list(request):
    memberships = (
        Membership.objects.filter(organisation=request.organisation)
        .select_related("user")
        .prefetch_related("departments")
        .order_by("user__username")
    )
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/role_list.html", {"page": page, "locked": services.locked_usernames()})


@role_required(Role.SECADMIN)
@require_http_methods(["GET", "POST"])
def role_edit(request, pk: int):
    target = _get_user_for_admin(request, pk)
    membership = target.membership
    initial = {"role": membership.role, "departments": list(membership.departments.all())}
    form = forms.RoleForm(
        request.POST or None, initial=initial, organisation=request.organisation, by=request.user, target=target
    )
    if request.method == "POST" and form.is_valid():
        org_services.assign_role(
            target,
            organisation=request.organisation,
            role=form.cleaned_data["role"],
            departments=form.cleaned_data["departments"],
            by=request.user,
            request=request,
        )
        messages.success(request, gettext("已更新 %(user)s 的角色。") % {"user": target})
        return redirect("accounts:role-list")
    return render(request, "accounts/role_form.html", {"form": form, "target": target})


@role_required(Role.SECADMIN)
@require_POST
def unlock(request):
    username = request.POST.get("username", "")[:150]
    if not User.objects.filter(username__iexact=username, membership__organisation=request.organisation).exists():
        messages.error(request, gettext("没有这个账号。"))
    else:
        services.unlock(username, by=request.user, request=request)
        messages.success(request, gettext("已解除 %(username)s 的锁定。") % {"username": username})
    return redirect("accounts:role-list")


@role_required(Role.SECADMIN)
def policy(request):
    context = {
        "lockout_failures": settings.LOCKOUT_FAILURES,
        "lockout_ip_failures": settings.LOCKOUT_IP_FAILURES,
        "lockout_minutes": settings.LOCKOUT_MINUTES,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "retention_days": settings.AUDIT_RETENTION_DAYS,
        "max_request_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024),
        "https": settings.HTTPS,
    }
    return render(request, "accounts/policy.html", context)


# --- Audit admin: the audit log -----------------------------------------------------------


@role_required(Role.AUDITADMIN)
def audit_log(request):
    form = forms.AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.for_org(request.organisation)
    if form.is_bound and form.is_valid():
        events = form.filter(events)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"form": form, "page": page})
