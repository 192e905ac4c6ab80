import io
import mimetypes

import segno
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import audit
from core.concurrency import STALE_MESSAGE
from core.exports import write_docx_table, write_xlsx
from core.http import file_download
from events import access, exports, services
from events.forms import (
    CancelForm,
    CheckInForm,
    EventFilterForm,
    EventForm,
    FeedbackForm,
    PhotoForm,
    PublicSignupForm,
    ReportForm,
)
from events.models import CalendarFeed, Event, EventFeedback, EventPhoto, Registration
from events.panels import detail_panels
from orgs.access import role_required
from orgs.models import Role
from people.models import Person

STAFF = Role.UFD_STAFF
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _registrations(event: Event):
    return event.registrations.select_related("person__department").order_by("created_at", "id")


def _download(content: bytes | str, filename: str, content_type: str):
    return file_download(content, filename, content_type)


def _watermark(user) -> str:
    return f"{user} 导出于 {timezone.localtime():%Y-%m-%d %H:%M}"


def checkin_url(event: Event) -> str:
    """The absolute address the QR code encodes (TONGXIN_BASE_URL: where members reach us)."""
    path = reverse("events:m-checkin", kwargs={"pk": event.pk, "token": event.checkin_token})
    return f"{settings.TONGXIN_BASE_URL}{path}"


# --- Staff: list, create, edit ----------------------------------------------------------------


def _registration_count(status):
    """A per-row count (a correlated subquery, not a join + GROUP BY over every event of the
    organisation): with the (organisation, starts_at) index only the page's 50 rows are counted."""
    counted = (
        Registration.objects.filter(event=OuterRef("pk"), status=status)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@role_required(STAFF, Role.LEADER)
def event_list(request):
    """UFD staff manage events here; leaders read the same list (no edit or check-in links)."""
    form = EventFilterForm(request.GET or None)
    events = (
        form.filter(Event.objects.for_org(request.organisation))
        .select_related("department")
        .annotate(
            registered=_registration_count(Registration.Status.REGISTERED),
            waiting=_registration_count(Registration.Status.WAITING),
        )
        .order_by("-starts_at", "-id")
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_manage": request.membership.role == STAFF}
    return render(request, "events/event_list.html", context)


@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def event_create(request):
    form = EventForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        event = services.create_event(request.organisation, by=request.user, data=form.cleaned_data, request=request)
        messages.success(request, gettext("活动已保存为草稿。确认无误后点击“发布并邀请”。"))
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "title": gettext("新建活动")})


@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    event = access.get_event_for_user(request, pk)
    form = EventForm(request.POST or None, organisation=request.organisation, instance=event)
    context = {"form": form, "title": gettext("编辑 %(title)s") % {"title": event.title}, "event": event}
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(
                event,
                by=request.user,
                data=form.cleaned_data,
                version=form.cleaned_data["version"] or 0,
                request=request,
            )
        except services.StaleEdit:
            messages.error(request, STALE_MESSAGE.format(what=gettext("活动")))
            return render(request, "events/event_form.html", context, status=409)
        messages.success(request, gettext("已保存。"))
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", context)


@role_required(STAFF, Role.LEADER)
def event_detail(request, pk: int):
    """Leaders read it without the buttons, the QR code, the exports and the public link."""
    event = access.get_event_for_user(request, pk)
    registrations = list(_registrations(event))
    by_status = {s: [r for r in registrations if r.status == s] for s in Registration.Status.values}
    context = {
        "event": event,
        "registered": by_status[Registration.Status.REGISTERED],
        "waiting": by_status[Registration.Status.WAITING],
        "others": by_status[Registration.Status.CANCELLED] + by_status[Registration.Status.DECLINED],
        "externals": list(event.external_registrations.all()),
        "invited_count": event.invitations.count(),
        "checked_in": sum(1 for r in registrations if r.checked_in_at),
        "targets": list(event.targets.select_related("item")),
        "groups": list(event.audience_groups.all()),
        "named": list(event.audience_people.all()),
        "categories": event.audience_category_labels,
        "cancel_form": CancelForm(),
        "can_manage": request.membership.role == STAFF,
        "signup_url": f"{settings.TONGXIN_BASE_URL}{reverse('events:public-signup', args=[event.public_token])}",
        "panels": detail_panels(),
    }
    context["taken"] = len(context["registered"]) + len(context["externals"])
    return render(request, "events/event_detail.html", context)


def _act(request, action, success: str):
    try:
        result = action()
    except services.NotAllowed as error:
        messages.error(request, str(error))
        return None
    messages.success(request, success.format(result=result))
    return result


def _event_action(request, pk: int, action, success: str):
    """Runs `action(event, by=…, request=…)` on a staff member's event; back to the event."""
    event = access.get_event_for_user(request, pk)
    _act(request, lambda: action(event, by=request.user, request=request), success)
    return redirect("events:detail", pk=event.pk)


@role_required(STAFF)
@require_POST
def event_publish(request, pk: int):
    return _event_action(request, pk, services.publish_event, gettext("已发布，已邀请 {result} 人。"))


@role_required(STAFF)
@require_POST
def event_invite(request, pk: int):
    return _event_action(request, pk, services.send_invitations, gettext("新邀请 {result} 人。"))


@role_required(STAFF)
@require_POST
def event_cancel(request, pk: int):
    event = access.get_event_for_user(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        _act(
            request,
            lambda: services.cancel_event(event, by=request.user, reason=reason, request=request),
            gettext("活动已取消，已通知报名人员。"),
        )
    return redirect("events:detail", pk=event.pk)


@role_required(STAFF)
@require_POST
def event_delete(request, pk: int):
    event = access.get_event_for_user(request, pk)
    services.delete_event(event, by=request.user, request=request)
    messages.success(request, gettext("已删除活动“%(title)s”。") % {"title": event.title})
    return redirect("events:list")


@role_required(STAFF)
@require_POST
def event_mark_held(request, pk: int):
    return _event_action(request, pk, services.mark_held, gettext("已确认举办，已计入关联的工作要点目标。"))


@role_required(STAFF)
@require_POST
def event_unmark_held(request, pk: int):
    return _event_action(request, pk, services.unmark_held, gettext("已撤销“已举办”，工作要点目标的计数已撤回。"))


# --- Staff: attendance and check-in -----------------------------------------------------------


@role_required(STAFF)
def attendance(request, pk: int):
    event = access.get_event_for_user(request, pk)
    registrations = list(_registrations(event).filter(status=Registration.Status.REGISTERED))
    context = {
        "event": event,
        "registrations": registrations,
        "checked_in": sum(1 for r in registrations if r.checked_in_at),
        "externals": list(event.external_registrations.all()),
    }
    return render(request, "events/attendance.html", context)


@role_required(STAFF)
@require_POST
def external_remove(request, pk: int, external: int):
    """Removes a sign-up made through the public link; the place goes to the waiting list."""
    event = access.get_event_for_user(request, pk)
    target = get_object_or_404(event.external_registrations, pk=external)
    services.remove_external(target, by=request.user, request=request)
    messages.success(request, _("已移除校外报名：{external}。").format(external=target))
    return redirect("events:attendance", pk=event.pk)


@role_required(STAFF)
@require_POST
def checkin_toggle(request, pk: int, registration: int):
    event = access.get_event_for_user(request, pk)
    reg = get_object_or_404(event.registrations.select_related("person__department"), pk=registration)
    form = CheckInForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            if form.cleaned_data["checked"]:
                reg = services.check_in(reg, by=request.user, request=request)
            else:
                reg = services.undo_check_in(reg, by=request.user, request=request)
        except services.NotAllowed as error:
            messages.error(request, str(error))
            status = 409
    if request.htmx:
        reg = event.registrations.select_related("person__department").get(pk=reg.pk)
        return render(request, "events/attendance.html#row", {"event": event, "r": reg}, status=status)
    return redirect("events:attendance", pk=event.pk)


@role_required(STAFF)
@require_GET
def checkin_qr(request, pk: int):
    event = access.get_event_for_user(request, pk)
    buffer = io.BytesIO()
    segno.make(checkin_url(event), error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(STAFF)
def checkin_poster(request, pk: int):
    event = access.get_event_for_user(request, pk)
    return render(request, "events/poster.html", {"event": event, "checkin_url": checkin_url(event)})


# --- Staff: after the event -------------------------------------------------------------------


@role_required(STAFF)
@require_http_methods(["GET", "POST"])
def event_report(request, pk: int):
    event = access.get_event_for_user(request, pk)
    initial = {"minutes": event.minutes, "attendance_count": event.attendance_count, "version": event.version}
    form = ReportForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_report(
                event,
                by=request.user,
                minutes=data["minutes"],
                attendance_count=data["attendance_count"],
                version=data["version"],
                request=request,
            )
            messages.success(request, gettext("纪要与参加人数已保存。"))
            return redirect("events:report", pk=event.pk)
        except services.StaleEdit:
            messages.error(request, STALE_MESSAGE.format(what=gettext("活动")))
            status = 409
        except services.NotAllowed as error:
            messages.error(request, str(error))
            status = 400
    context = {
        "event": event,
        "form": form,
        "photo_form": PhotoForm(),
        "feedback_form": FeedbackForm(),
        "photos": list(event.photos.all()),
        "feedback": list(event.feedback.all()),
        "counted": services.counted_attendance(event),
    }
    return render(request, "events/event_report.html", context, status=status)


@role_required(STAFF)
@require_POST
def photo_add(request, pk: int):
    event = access.get_event_for_user(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_photo(
            event,
            by=request.user,
            upload=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            request=request,
        )
        messages.success(request, gettext("照片已上传。"))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("events:report", pk=event.pk)


@role_required(STAFF)
@require_GET
def photo_file(request, pk: int, photo: int):
    event = access.get_event_for_user(request, pk)
    item = get_object_or_404(EventPhoto, pk=photo, event=event)
    content_type = mimetypes.guess_type(item.image.name)[0] or "application/octet-stream"
    return file_download(item.image.open("rb"), item.image.name.rsplit("/", 1)[-1], content_type, inline=True)


@role_required(STAFF)
@require_POST
def photo_delete(request, pk: int, photo: int):
    event = access.get_event_for_user(request, pk)
    item = get_object_or_404(EventPhoto, pk=photo, event=event)
    services.delete_photo(item, by=request.user, request=request)
    messages.success(request, gettext("照片已删除。"))
    return redirect("events:report", pk=event.pk)


@role_required(STAFF)
@require_POST
def feedback_add(request, pk: int):
    event = access.get_event_for_user(request, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.add_feedback(event, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, gettext("意见建议已记录。"))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("events:report", pk=event.pk)


@role_required(STAFF)
@require_POST
def feedback_delete(request, pk: int, feedback: int):
    event = access.get_event_for_user(request, pk)
    item = get_object_or_404(EventFeedback, pk=feedback, event=event)
    _act(request, lambda: services.delete_feedback(item, by=request.user, request=request), gettext("已删除。"))
    return redirect("events:report", pk=event.pk)


# --- Exports ----------------------------------------------------------------------------------


def _export_rows(event: Event, rows_function, status=Registration.Status.REGISTERED):
    registrations = _registrations(event)
    if status:
        registrations = registrations.filter(status=status)
    with override(settings.LANGUAGE_CODE):  # official documents stay Chinese
        return list(rows_function(event, registrations, event.external_registrations.all()))


def _audit_export(request, event: Event, what: str, rows: int) -> None:
    audit.log("export", event, by=request.user, request=request, changes={"what": what, "rows": rows})


def _subtitle(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    return f"{start.year}年{start.month}月{start.day}日 {start:%H:%M}　{event.place or '线上'}"


@role_required(STAFF)
@require_GET
def signin_xlsx(request, pk: int):
    event = access.get_event_for_user(request, pk)
    rows = _export_rows(event, exports.signin_rows)
    content = write_xlsx(rows, title=f"{event.title}签到表", watermark=_watermark(request.user), widths=[8, 14, 28, 30])
    _audit_export(request, event, "签到表.xlsx", len(rows) - 1)
    return _download(content, f"{event.title}签到表.xlsx", XLSX)


@role_required(STAFF)
@require_GET
def signin_docx(request, pk: int):
    event = access.get_event_for_user(request, pk)
    rows = _export_rows(event, exports.signin_rows)
    content = write_docx_table(
        rows, title=f"{event.title}签到表", subtitle=_subtitle(event), widths_cm=[1.5, 3.5, 6, 5], landscape=False
    )
    _audit_export(request, event, "签到表.docx", len(rows) - 1)
    return _download(content, f"{event.title}签到表.docx", DOCX)


@role_required(STAFF)
@require_GET
def attendance_xlsx(request, pk: int):
    event = access.get_event_for_user(request, pk)
    rows = _export_rows(event, exports.attendance_rows, status=None)
    content = write_xlsx(
        rows, title=f"{event.title}参加人员名单", watermark=_watermark(request.user), widths=[8, 14, 28, 12, 20, 10]
    )
    _audit_export(request, event, "参加人员名单.xlsx", len(rows) - 1)
    return _download(content, f"{event.title}参加人员名单.xlsx", XLSX)


@role_required(STAFF, Role.MEMBER)
@require_GET
def event_ics(request, pk: int):
    if request.membership.role == STAFF:
        event = access.get_event_for_user(request, pk)
    else:
        event = access.get_event_for_member(request, pk, access.my_person(request))
    _audit_export(request, event, "日历.ics", 1)
    return _download(exports.event_ics(event), f"{event.title}.ics", "text/calendar; charset=utf-8")


@require_GET
def calendar_feed(request, token: str):
    """A member's personal feed at a secret address (no login: calendar apps cannot log in)."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("person"), token=token)
    registrations = (
        Registration.objects.filter(
            person=feed.person, status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING]
        )
        .exclude(event__status=Event.Status.DRAFT)
        .select_related("event")
        .order_by("event__starts_at")
    )
    content = exports.feed_ics(registrations, name=f"{feed.person.name}的活动")
    return file_download(
        content, "tongxin.ics", "text/calendar; charset=utf-8", inline=True, cache="private, max-age=900"
    )


# --- Members (phone) --------------------------------------------------------------------------


def _my_registrations(person: Person | None) -> dict[int, Registration]:
    if person is None:
        return {}
    return {r.event_id: r for r in Registration.objects.filter(person=person)}


@role_required(Role.MEMBER)
def member_list(request):
    person = access.my_person(request)
    events = []
    if person is not None:
        events = list(
            Event.objects.for_org(request.organisation)
            .invited(person)
            .filter(ends_at__gte=timezone.now())
            .order_by("starts_at", "id")
        )
    mine = _my_registrations(person)
    rows = [(event, mine.get(event.pk)) for event in events]
    return render(request, "events/member_list.html", {"rows": rows, "person": person})


@role_required(Role.MEMBER)
def member_mine(request):
    person = access.my_person(request)
    registrations, feed_url = [], ""
    if person is not None:
        registrations = list(
            Registration.objects.filter(person=person)
            .exclude(event__status=Event.Status.DRAFT)
            .select_related("event")
            .order_by("-event__starts_at")
        )
        feed = services.calendar_feed_for(person)
        feed_url = f"{settings.TONGXIN_BASE_URL}{reverse('events:feed', args=[feed.token])}"
    return render(request, "events/member_mine.html", {"registrations": registrations, "feed_url": feed_url})


@role_required(Role.MEMBER)
@require_POST
def member_feed_reset(request):
    person = access.my_person(request)
    if person is None:
        raise Http404
    services.reset_calendar_feed(person, by=request.user, request=request)
    messages.success(request, gettext("已生成新的订阅地址，旧地址已失效。"))
    return redirect("events:m-mine")


@role_required(Role.MEMBER)
def member_detail(request, pk: int):
    person = access.my_person(request)
    event = access.get_event_for_member(request, pk, person)
    registration = Registration.objects.filter(event=event, person=person).first()
    position = None
    if registration is not None and registration.status == Registration.Status.WAITING:
        position = (
            event.registrations.waiting()
            .filter(
                Q(created_at__lt=registration.created_at)
                | Q(created_at=registration.created_at, id__lt=registration.id)
            )
            .count()
            + 1
        )
    context = {
        "event": event,
        "registration": registration,
        "position": position,
        "closed_reason": event.registration_state(),
        "places_left": None if event.capacity is None else max(0, event.capacity - services.places_taken(event)),
    }
    return render(request, "events/member_detail.html", context)


@role_required(Role.MEMBER)
@require_POST
def member_register(request, pk: int):
    person = access.my_person(request)
    event = access.get_event_for_member(request, pk, person)
    try:
        registration = services.register(event, person=person, by=request.user, request=request)
    except services.RegistrationRefused as error:
        messages.error(request, gettext("报名未成功：%(error)s") % {"error": error})
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, gettext("报名成功。"))
        else:
            messages.success(request, gettext("名额已满，您已进入候补名单；有名额空出时将自动转为正式报名并通知您。"))
    return redirect("events:m-detail", pk=event.pk)


@role_required(Role.MEMBER)
@require_POST
def member_cancel(request, pk: int):
    person = access.my_person(request)
    event = access.get_event_for_member(request, pk, person)
    registration = get_object_or_404(Registration, event=event, person=person)
    try:
        services.cancel_registration(registration, by=request.user, request=request)
    except services.NotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("已取消报名。"))
    return redirect("events:m-detail", pk=event.pk)


@role_required(Role.MEMBER)
@require_POST
def member_decline(request, pk: int):
    person = access.my_person(request)
    event = access.get_event_for_member(request, pk, person)
    try:
        services.decline(event, person=person, by=request.user, request=request)
    except services.NotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("已告知不参加，谢谢回复。"))
    return redirect("events:m-detail", pk=event.pk)


@role_required(Role.MEMBER)
@require_http_methods(["GET", "POST"])
def member_checkin(request, pk: int, token: str):
    """The QR code's landing page. GET shows the member's state and a 签到 button; POST checks
    in. A wrong token is a 404 and changes nothing."""
    event = get_object_or_404(Event.objects.for_org(request.organisation), pk=pk)
    if not constant_time_compare(token, event.checkin_token):
        raise Http404
    person = access.my_person(request)
    if request.method == "POST" and person is not None:
        try:
            _, message = services.check_in_by_qr(event, person=person, by=request.user, request=request)
        except services.NotAllowed as error:
            messages.error(request, gettext("签到未成功：%(error)s") % {"error": error})
        else:
            messages.success(request, message)
        return redirect(request.path)
    registration = Registration.objects.filter(event=event, person=person).first() if person else None
    context = {"event": event, "person": person, "registration": registration, "open": event.checkin_open()}
    return render(request, "events/member_checkin.html", context)


# --- Public sign-up ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def public_signup(request, token: str):
    """External participants sign up with name and unit only, through the event's secret link."""
    event = get_object_or_404(Event.objects.select_related("organisation"), public_token=token, public_signup=True)
    form = PublicSignupForm(request.POST or None)
    done = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            done = services.register_external(event, request=request, **form.cleaned_data)
        except services.RegistrationRefused as error:
            form.add_error(None, str(error))
            status = 409
    context = {
        "event": event,
        "form": form,
        "done": done,
        "closed_reason": event.registration_state(),
        "full": event.capacity is not None and services.places_taken(event) >= event.capacity,
    }
    return render(request, "events/public_signup.html", context, status=status)
