import logging

from huey.contrib.djhuey import db_task

from core import jobs

log = logging.getLogger(__name__)


@db_task()
def parse_plan_import(import_id: int) -> None:
    from plans.imports import run_parse
    from plans.models import PlanImport

    record = PlanImport.objects.filter(pk=import_id).first()
    if record is None:
        return
    try:
        run_parse(record)
    except Exception:
        log.exception("plan import %s failed", import_id)
        jobs.fail_job(record.job_id, "解析时发生意外错误，已记录。请检查文档或联系系统管理员。")
        raise
