"""Publicity (宣传): stories of representative figures and work news. A story names the people it
features (from the registry) and may report on a plan item; it is published only after a second
UFD user or a leader approves it, and only while every featured person's consent stands."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.models import OrgScopedModel, OrgScopedQuerySet


class StoryQuerySet(OrgScopedQuerySet):
    def published(self):
        return self.filter(status=Story.Status.PUBLISHED)


class Story(OrgScopedModel):
    class Kind(models.TextChoices):
        FEATURE = "feature", _("专题报道")
        PROFILE = "profile", _("人物风采")
        NEWS = "news", _("工作动态")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("待审核")
        PUBLISHED = "published", _("已发布")
        UNPUBLISHED = "unpublished", _("已撤下")

    kind = models.CharField(_("栏目"), max_length=10, choices=Kind.choices, default=Kind.FEATURE)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), help_text=_("已清理的 HTML"))
    people = models.ManyToManyField("people.Person", verbose_name=_("报道人物"), blank=True, related_name="stories")
    item = models.ForeignKey(
        "plans.Item", verbose_name=_("对应工作要点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    unpublish_reason = models.CharField(_("撤下原因"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    unpublished_at = models.DateTimeField(null=True, blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("宣传报道")

    def __str__(self) -> str:
        return self.title

    @property
    def status_colour(self) -> str:
        return {"published": "green", "review": "amber", "unpublished": "red"}.get(self.status, "grey")

    @property
    def editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.UNPUBLISHED}


def photo_path(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"publicity/{instance.story.organisation_id}/{instance.story_id}/{secrets.token_hex(8)}.{suffix}"


class StoryPhoto(models.Model):
    story = models.ForeignKey(Story, related_name="photos", on_delete=models.CASCADE)
    image = models.FileField(upload_to=photo_path, max_length=300)
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("报道图片")

    def __str__(self) -> str:
        return self.caption or _("图片 %(pk)s") % {"pk": self.pk}
