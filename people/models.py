"""The registry of people (统战对象). Never stored: religion, ethnicity, ID-card number."""

from django.conf import settings
from django.db import models


class Category(models.TextChoices):
    DEMOCRATIC_PARTY = "democratic_party", "民主党派成员"
    NON_PARTY = "non_party", "无党派人士"
    NON_PARTY_INTELLECTUAL = "intellectual", "党外知识分子"
    YOUNG_EXPERT = "young_expert", "中青年党外专家学者"
    RETURNED_SCHOLAR = "returned_scholar", "留学回国人员"
    OVERSEAS_CHINESE = "overseas_chinese", "归侨侨眷"
    HMT_RELATIVE = "hmt_relative", "港澳台同胞亲属"
    REPRESENTATIVE = "representative", "党外代表人士"


class PersonQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)


class Person(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="组织", related_name="people", on_delete=models.PROTECT
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        related_name="person",
        on_delete=models.SET_NULL,
    )
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_month = models.DateField("出生年月", null=True, blank=True, help_text="只记年月，日固定为1日")
    staff_number = models.CharField("工号", max_length=32, blank=True)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name="所在部门",
        null=True,
        blank=True,
        related_name="people",
        on_delete=models.SET_NULL,
    )
    job_title = models.CharField("职务", max_length=100, blank=True)
    phone = models.CharField("手机", max_length=20, blank=True)
    email = models.EmailField("邮箱", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "统战对象"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "staff_number"],
                condition=~models.Q(staff_number=""),
                name="person_unique_staff_number",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def categories(self) -> list[str]:
        return [link.category for link in self.category_links.all()]

    @property
    def category_labels(self) -> list[str]:
        labels = dict(Category.choices)
        return [labels[c] for c in self.categories if c in labels]

    @property
    def masked_phone(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]}" if len(self.phone) >= 7 else ("****" if self.phone else "")

    @property
    def masked_email(self) -> str:
        if "@" not in self.email:
            return ""
        local, domain = self.email.split("@", 1)
        return f"{local[:1]}***@{domain}"


class PersonCategory(models.Model):
    """One category of a person (a person may be in several)."""

    person = models.ForeignKey(Person, related_name="category_links", on_delete=models.CASCADE)
    category = models.CharField("类别", max_length=32, choices=Category.choices, db_index=True)

    class Meta:
        ordering = ["category"]
        constraints = [models.UniqueConstraint(fields=["person", "category"], name="person_category_unique")]

    def __str__(self) -> str:
        return self.get_category_display()
