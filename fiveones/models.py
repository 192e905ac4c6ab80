"""The five ones (五个一): each member's yearly ledger — read a good book, hear a report, visit an
education site, do a piece of research, submit a proposal.

Slots fill from real records wherever they exist (checked-in attendance of events, suggestions and
verified outside filings — read through `events.queries` and `proposals.queries`) and from
self-reported entries (`Entry`: a book, an outside talk or visit, a research report) once UFD staff
verify their proof. The ledger itself is computed (`fiveones.queries`); only self-reported entries,
completions (the source counted towards plan targets) and the target links are stored."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.models import OrgScopedModel, OrgScopedQuerySet


class Slot(models.TextChoices):
    BOOK = "book", _("读一本好书")
    REPORT = "report", _("听一场报告")
    SITE = "site", _("参观一处教育基地")
    RESEARCH = "research", _("进行一项调研")
    PROPOSAL = "proposal", _("提交一份议案")


SLOTS = list(Slot)
# What a member may report themselves (the proposal slot fills only from the proposals module).
SELF_REPORTED = (Slot.BOOK, Slot.REPORT, Slot.SITE, Slot.RESEARCH)


def proof_path(instance, filename):
    return f"fiveones/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class EntryQuerySet(OrgScopedQuerySet):
    def pending(self):
        return self.filter(status=Entry.Status.PENDING)

    def verified(self):
        return self.filter(status=Entry.Status.VERIFIED)


class Entry(OrgScopedModel):
    """A self-reported five-ones entry with its proof, waiting for (or past) UFD verification."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待核实")
        VERIFIED = "verified", _("已核实")
        REJECTED = "rejected", _("未通过")

    person = models.ForeignKey("people.Person", related_name="five_ones_entries", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    slot = models.CharField(_("项目"), max_length=10, choices=Slot.choices)
    title = models.CharField(_("名称"), max_length=200, help_text=_("书名、报告题目、基地名称或调研题目"))
    author = models.CharField(_("作者"), max_length=100, blank=True)
    on = models.DateField(_("日期"))
    reflection = models.TextField(_("心得/简介"), blank=True, max_length=2000)
    proof = models.FileField(_("证明材料"), upload_to=proof_path, max_length=300)
    proof_name = models.CharField(max_length=200)
    proof_kind = models.CharField(max_length=20)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    reason = models.CharField(_("未通过原因"), max_length=200, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("五个一自报记录")
        indexes = [models.Index(fields=["organisation", "year", "status"], name="fiveones_entry_org_year")]

    def __str__(self) -> str:
        return f"{self.get_slot_display()}：{self.title}"

    @property
    def status_colour(self) -> str:
        return {"verified": "green", "pending": "amber"}.get(self.status, "red")


class Completion(models.Model):
    """A member who completed all five in a year: the record counted towards linked plan targets
    (one achievement per completing member). Kept in step by `fiveones.services.sync_completions`."""

    organisation = models.ForeignKey("orgs.Organisation", related_name="+", on_delete=models.CASCADE)
    person = models.ForeignKey("people.Person", related_name="five_ones_completions", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("五个一全部完成")
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="fiveones_completion_unique")]

    def __str__(self) -> str:
        return _("%(person)s %(year)s年五个一全部完成") % {"person": self.person, "year": self.year}


class TargetLink(models.Model):
    """UFD staff link a plan target (e.g. item 8's "开展'五个一'活动") to a year's five ones: each
    member completing all five that year counts one towards it."""

    organisation = models.ForeignKey("orgs.Organisation", related_name="+", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("年度"))
    target = models.ForeignKey(
        "plans.Target", verbose_name=_("工作要点目标"), related_name="+", on_delete=models.CASCADE
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("五个一计入目标")
        constraints = [models.UniqueConstraint(fields=["year", "target"], name="fiveones_target_unique")]

    def __str__(self) -> str:
        return f"{self.year} → {self.target}"
