"""Every download keeps its Chinese file name: the header carries `filename*=utf-8''` with the
name's UTF-8 bytes percent-encoded (RFC 6266), never an RFC 2047 `=?utf-8?…?=` word that browsers
ignore (they then save `download.xlsx`)."""

import re
from urllib.parse import quote, unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from orgs.models import Role

# url name -> (role that downloads it, query string, name the file must be saved under (prefix), extension,
#              "attachment" or "inline")
DOWNLOADS = {
    "people:import-template": (Role.UFD_STAFF, "", "统战对象导入模板", ".xlsx", "attachment"),
    "people:export": (Role.UFD_STAFF, "", "统战对象名册-", ".xlsx", "attachment"),
    "people:returned-export": (Role.UFD_STAFF, "", "留学回国人员明细清单-", ".xlsx", "attachment"),
    "plans:export": (Role.UFD_STAFF, "?format=xlsx", "{plan_year}年任务分解表", ".xlsx", "attachment"),
    "plans:evidence": (Role.UFD_STAFF, "", "座谈会照片", ".png", "inline"),
    "events:signin-xlsx": (Role.UFD_STAFF, "", "统战工作座谈会签到表", ".xlsx", "attachment"),
    "events:signin-docx": (Role.UFD_STAFF, "", "统战工作座谈会签到表", ".docx", "attachment"),
    "events:attendance-xlsx": (Role.UFD_STAFF, "", "统战工作座谈会参加人员名单", ".xlsx", "attachment"),
    "events:ics": (Role.UFD_STAFF, "", "统战工作座谈会", ".ics", "attachment"),
    "proposals:export-xlsx": (Role.UFD_STAFF, "", "建言献策清单", ".xlsx", "attachment"),
    "proposals:export-docx": (Role.UFD_STAFF, "", "办理单", ".docx", "attachment"),
    "proposals:attachment": (Role.UFD_STAFF, "", "调研报告", ".pdf", "attachment"),
    "proposals:outside-export": (Role.UFD_STAFF, "?year={this_year}", "{this_year}年履职统计表", ".xlsx", "attachment"),
    "proposals:outside-file": (Role.UFD_STAFF, "", "回执", ".pdf", "attachment"),
}
# Downloads whose names are ASCII by design (a photo's stored name, the calendar feed).
ASCII_DOWNLOADS = {
    "events:photo": (Role.UFD_STAFF, "inline"),
    "events:feed": (None, "inline"),
}


@pytest.fixture
def download_kwargs(personas, ufd_department, person, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from events.models import Event
    from events.tests.matrix import events_url_kwargs
    from people.tests.matrix import people_url_kwargs
    from plans.models import Evidence, Plan
    from plans.tests.matrix import plans_url_kwargs
    from proposals.models import Attachment, OutsideFilingFile
    from proposals.tests.factories import proposal_url_kwargs

    kwargs = {
        **people_url_kwargs(person, personas),
        **proposal_url_kwargs(org, personas),
        **plans_url_kwargs(org, personas, ufd_department),
        **events_url_kwargs(org, personas),
    }
    Event.objects.filter(pk=kwargs["events:ics"]["pk"]).update(title="统战工作座谈会")
    Evidence.objects.filter(pk=kwargs["plans:evidence"]["pk"]).update(original_name="座谈会照片.png")
    Attachment.objects.filter(pk=kwargs["proposals:attachment"]["pk"]).update(original_name="调研报告.pdf")
    OutsideFilingFile.objects.filter(pk=kwargs["proposals:outside-file"]["pk"]).update(original_name="回执.pdf")
    plan = Plan.objects.get(pk=kwargs["plans:export"]["pk"])
    return kwargs, plan.year


def _filename(header: str) -> str:
    match = re.search(r"filename\*=utf-8''([^;]+)", header, flags=re.IGNORECASE)
    assert match, header
    return unquote(match.group(1))


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_download_keeps_its_chinese_file_name(client, name, personas, download_kwargs):
    kwargs, plan_year = download_kwargs
    role, query, prefix, extension, disposition = DOWNLOADS[name]
    this_year = timezone.localdate().year
    query, prefix = (text.format(plan_year=plan_year, this_year=this_year) for text in (query, prefix))
    client.force_login(personas[role])

    response = client.get(reverse(name, kwargs=kwargs.get(name)) + query)

    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "=?utf-8?" not in header.lower()
    assert header.lower().startswith(f"{disposition}; filename*=utf-8''{quote(prefix)}".lower())
    saved_as = _filename(header)
    assert saved_as.startswith(prefix)
    assert saved_as.endswith(extension)


@pytest.mark.parametrize("name", sorted(ASCII_DOWNLOADS))
def test_other_downloads_go_through_the_helper(client, name, personas, download_kwargs):
    kwargs, _ = download_kwargs
    role, disposition = ASCII_DOWNLOADS[name]
    if role:
        client.force_login(personas[role])

    response = client.get(reverse(name, kwargs=kwargs.get(name)))

    assert response.status_code == 200
    assert re.fullmatch(rf'{disposition}; filename="[\w.-]+"', response["Content-Disposition"])


def test_helper_encodes_any_name():
    from core.http import file_download

    response = file_download(b"x", "统战 名册(2023).xlsx")

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%BB%9F%E6%88%98%20%E5%90%8D%E5%86%8C%282023%29.xlsx"
    )
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.content == b"x"


def test_no_view_builds_its_own_download_header():
    """Downloads go through `core.http.file_download` (or Django's `FileResponse(..., filename=...)`,
    which encodes the same way): a header written by hand is how Chinese names were lost."""
    import re
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    offenders = []
    for config in apps.get_app_configs():
        folder = Path(config.path)
        if not folder.is_relative_to(settings.BASE_DIR):
            continue
        for path in folder.rglob("*.py"):
            if {"tests", "migrations"} & set(path.relative_to(folder).parts) or path.name == "http.py":
                continue
            text = path.read_text(encoding="utf-8")
            if re.search(r"""\[["']Content-Disposition["']\]\s*=""", text):
                offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []
