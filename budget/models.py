"""The United Front work budget (统战工作经费): yearly lines per category, expenses recorded
against a line with a receipt, linked to an event or a plan item where they belong. Money is
Decimal with two places, never float."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.models import OrgScopedModel


class Category(models.TextChoices):
    ACTIVITIES = "activities", _("活动经费")
    TRAINING = "training", _("教育培训")
    RESEARCH = "research", _("调研课题")
    PUBLICITY = "publicity", _("宣传")
    MEMBER_SUPPORT = "member_support", _("党外人士服务")
    OTHER = "other", _("其他")


class BudgetLine(OrgScopedModel):
    year = models.PositiveIntegerField(_("年度"))
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    name = models.CharField(_("预算项目"), max_length=200)
    amount = models.DecimalField(_("预算金额（元）"), max_digits=12, decimal_places=2)
    item = models.ForeignKey(
        "plans.Item",
        verbose_name=_("对应工作要点任务"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    alerted_80_at = models.DateTimeField(null=True, blank=True)
    alerted_100_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year", "category", "name"]
        verbose_name = _("预算项目")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="budget_line_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.name}"


def receipt_path(instance, filename):
    return f"budget/{instance.line.year}/{instance.line_id}/{filename}"


class Expense(models.Model):
    line = models.ForeignKey(BudgetLine, related_name="expenses", on_delete=models.PROTECT)
    date = models.DateField(_("支出日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    payee = models.CharField(_("收款方"), max_length=200)
    description = models.CharField(_("用途"), max_length=300)
    receipt = models.FileField(_("票据"), upload_to=receipt_path, max_length=300)
    receipt_name = models.CharField(max_length=200)
    receipt_kind = models.CharField(max_length=20)
    event = models.ForeignKey(
        "events.Event", verbose_name=_("对应活动"), null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    item = models.ForeignKey(
        "plans.Item", verbose_name=_("对应任务"), null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)  # core.concurrency: a stale edit is refused

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("支出")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="expense_amount_positive")]

    def __str__(self) -> str:
        return f"{self.date} {self.payee} {self.amount}"

    @property
    def audit_organisation(self):
        return self.line.organisation


ZERO = Decimal("0.00")
