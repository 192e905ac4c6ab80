"""Study push (线上学习推送): materials (an article, a file or a link) pushed to an audience on a
schedule, read on the phone with server-checked read receipts, an optional quiz and reflection
(学习心得), and study points (学习积分) with daily caps.

Publishing freezes the audience into `Assignment` rows (who must/may read it); members see a
material once `publish_at` has passed. Every write goes through `study.services`."""

import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.models import OrgScopedModel, OrgScopedQuerySet

# Study points (学习积分) per action, and the most each kind may earn a member in one day.
POINTS = {"read": 2, "quiz": 3, "reflection": 3}
DAILY_CAPS = {"read": 10, "quiz": 9, "reflection": 6}


def material_file_path(instance, filename):
    return f"study/files/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


def image_path(instance, filename):
    return f"study/images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class MaterialQuerySet(OrgScopedQuerySet):
    def visible(self, now=None):
        """Published and past `publish_at`: what members can open."""
        return self.filter(status=StudyMaterial.Status.PUBLISHED, publish_at__lte=now or timezone.now())


class StudyMaterial(OrgScopedModel):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("文章")
        FILE = "file", _("文件（PDF/Word）")
        LINK = "link", _("链接")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    class Reflection(models.TextChoices):
        NONE = "none", _("不需要")
        OPTIONAL = "optional", _("选填")
        REQUIRED = "required", _("必填")

    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("形式"), max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    body = models.TextField(_("正文"), blank=True)  # sanitised HTML (study.services.clean_html)
    file = models.FileField(_("文件"), upload_to=material_file_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    link = models.URLField(_("链接"), blank=True)
    summary = models.CharField(_("导读"), max_length=300, blank=True)
    publish_at = models.DateTimeField(_("推送时间"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("完成期限"), null=True, blank=True)
    required = models.BooleanField(_("必学"), default=True)
    reflection = models.CharField(_("学习心得"), max_length=10, choices=Reflection.choices, default=Reflection.OPTIONAL)
    pass_mark = models.PositiveSmallIntegerField(_("测验及格分"), default=60, help_text=_("百分制"))
    audience_categories = models.JSONField(_("推送类别"), default=list, blank=True)
    audience_groups = models.ManyToManyField("people.Group", verbose_name=_("推送分组"), blank=True, related_name="+")
    audience_people = models.ManyToManyField("people.Person", verbose_name=_("推送人员"), blank=True, related_name="+")
    targets = models.ManyToManyField("plans.Target", verbose_name=_("计入的工作要点目标"), blank=True, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("学习材料")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def has_quiz(self) -> bool:
        return self.questions.exists()


class StudyImage(models.Model):
    """An image uploaded for an article; the article refers to it by its own address only."""

    organisation = models.ForeignKey("orgs.Organisation", related_name="+", on_delete=models.CASCADE)
    material = models.ForeignKey(StudyMaterial, related_name="images", on_delete=models.CASCADE)
    image = models.FileField(upload_to=image_path, max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("文章图片")

    def __str__(self) -> str:
        return self.image.name


class Question(models.Model):
    material = models.ForeignKey(StudyMaterial, related_name="questions", on_delete=models.CASCADE)
    text = models.CharField(_("题目"), max_length=300)
    multiple = models.BooleanField(_("多选"), default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("测验题")

    def __str__(self) -> str:
        return self.text

    @property
    def audit_organisation(self):
        return self.material.organisation


class Choice(models.Model):
    question = models.ForeignKey(Question, related_name="choices", on_delete=models.CASCADE)
    text = models.CharField(_("选项"), max_length=200)
    correct = models.BooleanField(_("正确"), default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("选项")

    def __str__(self) -> str:
        return self.text


class Assignment(models.Model):
    """One person of the audience and their progress on one material."""

    material = models.ForeignKey(StudyMaterial, related_name="assignments", on_delete=models.CASCADE)
    person = models.ForeignKey("people.Person", related_name="study_assignments", on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(_("首次打开"), null=True, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True, db_index=True)
    quiz_score = models.PositiveSmallIntegerField(_("测验得分"), null=True, blank=True)
    quiz_attempts = models.PositiveSmallIntegerField(default=0)
    quiz_passed_at = models.DateTimeField(_("测验通过"), null=True, blank=True)
    reflection = models.TextField(_("学习心得"), blank=True, max_length=2000)
    reflection_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("学习任务")
        constraints = [models.UniqueConstraint(fields=["material", "person"], name="study_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.material} → {self.person}"

    @property
    def audit_organisation(self):
        return self.material.organisation

    def is_complete(self, *, has_quiz: bool) -> bool:
        """Read, the quiz passed (if any), the reflection written (if required)."""
        material = self.material
        return bool(
            self.read_at
            and (not has_quiz or self.quiz_passed_at)
            and (material.reflection != StudyMaterial.Reflection.REQUIRED or self.reflection_at)
        )


def new_token() -> str:
    return secrets.token_urlsafe(18)


class ReadSession(models.Model):
    """The server's record of when a member opened a material (each page view). A heartbeat or
    "end reached" from the page counts as a read only when enough time passed since `opened_at`."""

    assignment = models.ForeignKey(Assignment, related_name="sessions", on_delete=models.CASCADE)
    token = models.CharField(max_length=40, default=new_token, unique=True)
    opened_at = models.DateTimeField(default=timezone.now)
    last_beat_at = models.DateTimeField(null=True, blank=True)
    reached_end = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("阅读记录")

    def __str__(self) -> str:
        return f"{self.assignment} @ {self.opened_at:%Y-%m-%d %H:%M}"


class PointEntry(models.Model):
    """Study points earned for one action on one material (once per kind); `points` may be less
    than the rate (or 0) when the day's cap was reached."""

    class Kind(models.TextChoices):
        READ = "read", _("阅读")
        QUIZ = "quiz", _("测验")
        REFLECTION = "reflection", _("学习心得")

    organisation = models.ForeignKey("orgs.Organisation", related_name="+", on_delete=models.CASCADE)
    person = models.ForeignKey("people.Person", related_name="study_points", on_delete=models.CASCADE)
    assignment = models.ForeignKey(Assignment, related_name="points", on_delete=models.CASCADE)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    points = models.PositiveSmallIntegerField(_("积分"))
    day = models.DateField(_("日期"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("学习积分")
        constraints = [models.UniqueConstraint(fields=["assignment", "kind"], name="study_point_once")]

    def __str__(self) -> str:
        return f"{self.person} +{self.points}"
