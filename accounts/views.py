"""Login and the three administrators' screens (system, security, audit)."""

import ipaddress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, forms, services, sso
from accounts.models import AuditLookup, PasswordResetRequest, User
from accounts.pseudonyms import pseudonymise
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
    context = {
        "form": form,
        "error": error,
        "cas": sso.cas_enabled(),
        "oidc": sso.oidc_enabled(),
        "admins_only": settings.LOCAL_LOGIN == "admins",
    }
    return render(request, "accounts/login.html", context, status=status)


@require_POST
def logout_view(request):
    """Ends the local session; a single-sign-on session then goes on to the provider's logout
    (by a page that refreshes to it: the CSP's form-action keeps a form's redirect on this site)."""
    signed = request.session.get(sso.SESSION) or {}
    services.log_out(request)
    messages.success(request, gettext("您已安全退出。"))
    back = request.build_absolute_uri(reverse("accounts:login"))
    url = ""
    if signed.get("protocol") == sso.CAS and sso.cas_enabled():
        url = sso.cas_logout_url(back)
    elif signed.get("protocol") == sso.OIDC and sso.oidc_enabled():
        url = sso.oidc_logout_url(signed.get("id_token", ""), back)
    if url:
        return render(request, "accounts/sso_logout.html", {"url": url})
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
            request,
            _("已创建账号 {username}，设置密码的链接已发往 {email}；请安全管理员分配角色。").format(
                username=user.username, email=user.email
            ),
        )
        return redirect("accounts:user-list")
    return render(request, "accounts/user_form.html", {"form": form, "title": gettext("新建账号")})


@role_required(Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    user = access.get_user_for_admin(request, pk)
    initial = {"name": user.name, "email": user.email, "staff_number": user.staff_number, "is_active": user.is_active}
    form = forms.UserEditForm(request.POST or None, initial=initial, target=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(
                user, by=request.user, organisation=request.organisation, data=form.cleaned_data, request=request
            )
        except services.AdminRuleError as error:
            form.add_error("is_active", error.message)
        else:
            messages.success(request, _("账号已保存。"))
            return redirect("accounts:user-list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": gettext("编辑账号 %(username)s") % {"username": user.username}, "target": user},
    )


@role_required(Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def user_password(request, pk: int):
    """三员分立: the system admin asks for a reset; a security admin approves; the one-time link
    goes to the account's own e-mail. The system admin never sets or sees a password."""
    user = access.get_user_for_admin(request, pk)
    if request.method == "POST":
        try:
            services.request_password_reset(user, by=request.user, organisation=request.organisation, request=request)
        except services.AdminRuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("已提交重置 {username} 密码的申请，待安全管理员批准后链接将发往本人邮箱。").format(
                    username=user.username
                ),
            )
            return redirect("accounts:user-list")
    pending = PasswordResetRequest.objects.filter(user=user, status=PasswordResetRequest.Status.PENDING).first()
    return render(request, "accounts/password_reset_request.html", {"target": user, "pending": pending})


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
    department = access.get_department_for_admin(request, pk)
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
    context = {
        "page": page,
        "locked": services.locked_accounts(request.organisation),
        "throttled": services.throttled_addresses(),
    }
    return render(request, "accounts/role_list.html", context)


@role_required(Role.SECADMIN)
@require_http_methods(["GET", "POST"])
def role_edit(request, pk: int):
    target = access.get_user_for_admin(request, pk)
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
    """Clears an account's lockout (`username`, an account of this organisation) or an address's
    slow-down (`address`)."""
    username = request.POST.get("username", "")[:150]
    address = request.POST.get("address", "")[:45]
    if address:
        try:
            address = str(ipaddress.ip_address(address))
        except ValueError:
            messages.error(request, _("地址格式不正确。"))
        else:
            services.clear_address(address, by=request.user, request=request)
            messages.success(request, _("已解除对 {address} 的限速。").format(address=address))
    elif not User.objects.filter(username__iexact=username, membership__organisation=request.organisation).exists():
        messages.error(request, "没有这个账号。")
    else:
        services.unlock(username, by=request.user, request=request)
        messages.success(request, gettext("已解除 %(username)s 的锁定。") % {"username": username})
    return redirect("accounts:role-list")


@role_required(Role.SECADMIN)
def reset_requests(request):
    resets = PasswordResetRequest.objects.filter(user__membership__organisation=request.organisation).select_related(
        "user", "requested_by", "decided_by"
    )
    page = Paginator(resets, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/reset_requests.html", {"page": page})


@role_required(Role.SECADMIN)
@require_POST
def reset_decide(request, pk: int):
    reset = access.get_reset_request(request, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_password_reset(reset, by=request.user, approve=approve, request=request)
    except services.AdminRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已批准，链接已发往本人邮箱。") if approve else _("已驳回。"))
    return redirect("accounts:reset-requests")


@require_http_methods(["GET", "POST"])
def reset_confirm(request, uidb64: str, token: str):
    """The one-time link from the e-mail: the account's holder sets the password."""
    user = services.user_from_link(uidb64, token)
    if user is None:
        return render(request, "accounts/reset_confirm.html", {"invalid": True})
    form = forms.SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.set_password_from_link(user, form.cleaned_data["new_password"], request=request)
        messages.success(request, _("密码已设置，请用新密码登录。"))
        return redirect("accounts:login")
    return render(request, "accounts/reset_confirm.html", {"form": form, "target": user})


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
        "cas": sso.cas_enabled(),
        "cas_version": settings.CAS_VERSION,
        "oidc": sso.oidc_enabled(),
        "admins_only": settings.LOCAL_LOGIN == "admins",
        "provisioning": request.organisation.sso_provisioning,
        "role_map": sso.role_map_display(),
    }
    return render(request, "accounts/policy.html", context)


# --- Audit admin: the audit log -----------------------------------------------------------


@role_required(Role.AUDITADMIN)
def audit_log(request):
    form = forms.AuditFilterForm(request.GET or None)
    # Rows without an organisation (failed logins for unknown names, slowed addresses, the
    # retention purge) belong to no organisation's auditor, so every audit admin sees them.
    events = AuditEvent.objects.filter(Q(organisation=request.organisation) | Q(organisation__isnull=True))
    if form.is_bound and form.is_valid():
        events = form.filter(events)
    page = Paginator(events.select_related("user__membership"), 50).get_page(request.GET.get("page"))
    pseudonymise(page.object_list, organisation=request.organisation, user=request.user)
    return render(request, "accounts/audit_log.html", {"form": form, "page": page})


@role_required(Role.AUDITADMIN)
@require_http_methods(["GET", "POST"])
def audit_lookups(request):
    """The audit admin asks to see who a pseudonymous subject is, and sees its answers."""
    form = forms.LookupRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_lookup(
            by=request.user, organisation=request.organisation, request=request, **form.cleaned_data
        )
        messages.success(request, _("已提交申请，待安全管理员批准。"))
        return redirect("accounts:audit-lookups")
    lookups = AuditLookup.objects.filter(organisation=request.organisation, requested_by=request.user)
    page = Paginator(lookups.select_related("decided_by"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_lookups.html", {"form": form, "page": page, "now": timezone.now()})


@role_required(Role.SECADMIN)
def lookup_requests(request):
    lookups = AuditLookup.objects.filter(organisation=request.organisation).select_related("requested_by", "decided_by")
    page = Paginator(lookups, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/lookup_requests.html", {"page": page})


@role_required(Role.SECADMIN)
@require_POST
def lookup_decide(request, pk: int):
    lookup = access.get_audit_lookup(request, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_lookup(lookup, by=request.user, approve=approve, request=request)
    except services.AdminRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已批准。") if approve else _("已驳回。"))
    return redirect("accounts:lookup-requests")
