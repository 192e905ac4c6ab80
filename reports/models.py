"""The year-end summary's editable draft: the text generated from the ledger, as UFD staff
edited it, and the highlights they chose. Everything else in the summary is read live."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.models import OrgScopedModel


class SummaryDraft(OrgScopedModel):
    year = models.PositiveIntegerField(_("年度"))
    text = models.TextField(_("总结正文"))
    highlights = models.JSONField(_("工作亮点"), default=list, blank=True)
    generated_at = models.DateTimeField(_("生成时间"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("年度工作总结草稿")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="summary_unique_year")]

    def __str__(self) -> str:
        return f"{self.year}年度工作总结"
