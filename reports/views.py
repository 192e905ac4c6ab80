import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.concurrency import STALE_MESSAGE, StaleEdit
from orgs.access import role_required
from orgs.models import Role
from reports import access, charts, forms, services, summary

READERS = (Role.UFD_STAFF, Role.LEADER)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or "")
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def summary_page(request):
    year = _year(request)
    org = request.organisation
    if request.method == "POST" and not access.can_edit(request):
        raise PermissionDenied
    draft = access.draft_for(request, year)
    data = summary.ledger(org, year)
    form = None
    status = 200
    if draft is not None:
        form = forms.DraftForm(
            request.POST or None,
            choices=summary.highlight_choices(data),
            chosen=draft.highlights,
            initial={"text": draft.text, "highlights": draft.highlights, "version": draft.version},
        )
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.save_draft(
                        draft,
                        by=request.user,
                        text=form.cleaned_data["text"],
                        highlights=form.cleaned_data["highlights"],
                        version=form.cleaned_data["version"],
                        request=request,
                    )
                    messages.success(request, _("总结草稿已保存。"))
                    return redirect(f"{request.path}?year={year}")
                except StaleEdit:
                    form.add_error(None, STALE_MESSAGE.format(what=_("总结")))
                    status = 409
            else:
                status = 400
    context = {
        "year": year,
        "years": [year - 1, year, year + 1],
        "draft": draft,
        "form": form,
        "data": data,
        "overview": summary.overview(data),
        "fiveones_text": summary.fiveones_text(data),
        "fiveones_rows": summary.fiveones_rows(data)[1:] if data["fiveones"]["members"] else [],
        "study_text": summary.study_text(data),
        "charts": [
            charts.progress_chart(data["sections"]),
            charts.events_chart(data["months"]),
            charts.funnel_chart(data["funnel"]),
        ],
    }
    return render(request, "reports/summary.html", context, status=status)


@role_required(Role.UFD_STAFF)
@require_POST
def summary_generate(request):
    year = _year(request)
    services.generate_draft(request.organisation, by=request.user, year=year, request=request)
    messages.success(request, _("已根据台账生成总结草稿，可在下方修改。"))
    return redirect(f"{reverse('reports:summary')}?year={year}")


@role_required(*READERS)
def summary_docx(request):
    year = _year(request)
    content = services.export_docx(request.organisation, by=request.user, year=year, request=request)
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{year}年统战工作总结.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
