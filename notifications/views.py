from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import access, messages, services
from notifications.forms import PreferencesForm, RobotForm, TemplateForm
from notifications.models import PERSONAL_CHANNELS, Delivery, Notification, Robot
from orgs.access import role_required
from orgs.models import Role

STAFF = Role.UFD_STAFF


def _member_layout(request) -> bool:
    return getattr(request.membership, "role", "") == Role.MEMBER if request.membership else False


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "member_layout": _member_layout(request)})


@login_required
@require_POST
def notification_open(request, pk: int):
    notification = access.get_own_notification(request, pk)
    services.mark_read(request.user, notification.pk)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "notifications:list"
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    services.mark_read(request.user)
    return redirect("notifications:list")


@login_required
def preferences(request):
    """The notification centre's settings: channels per kind, quiet hours, daily digest."""
    row = services.settings_for(request.user)
    initial = {"quiet_start": row.quiet_start, "quiet_end": row.quiet_end, "daily_digest": row.daily_digest}
    form = PreferencesForm(request.POST or None, initial=initial, table=services.preferences_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            request.user,
            table=form.table(),
            quiet_start=form.cleaned_data["quiet_start"],
            quiet_end=form.cleaned_data["quiet_end"],
            daily_digest=form.cleaned_data["daily_digest"],
        )
        flash.success(request, _("通知设置已保存。"))
        return redirect("notifications:preferences")
    organisation = request.membership.organisation if request.membership else None
    personal = (
        set(Robot.objects.filter(organisation=organisation, active=True, personal=True).values_list("kind", flat=True))
        if organisation
        else set()
    )
    context = {
        "form": form,
        "channels": PERSONAL_CHANNELS,
        "personal_robots": personal,
        "has_email": bool(request.user.email),
        "member_layout": _member_layout(request),
    }
    return render(request, "notifications/preferences.html", context)


# --- UFD staff: robots, templates, delivery log -------------------------------------------------


@role_required(STAFF)
def robot_list(request):
    robots = Robot.objects.filter(organisation=request.organisation)
    return render(request, "notifications/robot_list.html", {"robots": robots})


@role_required(STAFF)
def robot_form(request, pk: int | None = None):
    robot = access.get_robot_for_user(request, pk) if pk else None
    initial = {f: getattr(robot, f) for f in services.ROBOT_FIELDS} if robot else None
    form = RobotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        robot = services.save_robot(
            request.organisation, by=request.user, data=form.cleaned_data, robot=robot, request=request
        )
        flash.success(request, _("已保存群机器人“%(name)s”。") % {"name": robot.name})
        return redirect("notifications:robots")
    return render(request, "notifications/robot_form.html", {"form": form, "robot": robot})


@role_required(STAFF)
@require_POST
def robot_delete(request, pk: int):
    robot = access.get_robot_for_user(request, pk)
    services.delete_robot(robot, by=request.user, request=request)
    flash.success(request, _("已删除群机器人。"))
    return redirect("notifications:robots")


@role_required(STAFF)
@require_POST
def robot_test(request, pk: int):
    robot = access.get_robot_for_user(request, pk)
    services.test_robot(robot, by=request.user, request=request)
    flash.success(request, _("测试消息已发出，结果见发送记录。"))
    return redirect("notifications:deliveries")


@role_required(STAFF)
def template_list(request):
    templates = services.ensure_templates(request.organisation)
    return render(request, "notifications/template_list.html", {"templates": templates})


@role_required(STAFF)
def template_edit(request, pk: int):
    """Edit one message template; 预览 renders it with sample values without saving."""
    template = access.get_template_for_user(request, pk)
    form = TemplateForm(request.POST or None, key=template.key, initial={"text": template.text})
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = messages.render(form.cleaned_data["text"], messages.SAMPLES)
        else:
            services.save_template(template, by=request.user, text=form.cleaned_data["text"], request=request)
            flash.success(request, _("模板已保存。"))
            return redirect("notifications:templates")
    elif request.method == "GET":
        preview = messages.render(template.text, messages.SAMPLES)
    context = {
        "form": form,
        "template": template,
        "preview": preview,
        "placeholders": messages.PLACEHOLDERS[template.key].items(),
    }
    return render(request, "notifications/template_form.html", context)


@role_required(STAFF)
def delivery_list(request):
    deliveries = Delivery.objects.filter(organisation=request.organisation).select_related("robot", "user")
    status = request.GET.get("status", "")
    if status in Delivery.Status.values:
        deliveries = deliveries.filter(status=status)
    page = Paginator(deliveries, 50).get_page(request.GET.get("page"))
    failed = Delivery.objects.filter(organisation=request.organisation, status=Delivery.Status.FAILED).count()
    context = {"page": page, "statuses": Delivery.Status.choices, "status": status, "failed_count": failed}
    return render(request, "notifications/delivery_list.html", context)


@role_required(STAFF)
@require_POST
def delivery_retry(request, pk: int):
    delivery = access.get_failed_delivery(request, pk)
    services.retry_delivery(delivery, by=request.user, request=request)
    flash.success(request, _("已重新发送。"))
    return redirect("notifications:deliveries")
