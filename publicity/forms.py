from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import IMAGE, check_upload
from people.models import Person
from plans.models import Item
from publicity.models import Story


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return _("%(year)s年 %(number)s. %(title)s") % {
            "year": item.plan.year,
            "number": item.number,
            "title": item.title[:40],
        }


class StoryForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    kind = forms.ChoiceField(label=_("栏目"), choices=Story.Kind.choices)
    body = forms.CharField(
        label=_("正文"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "空一行分段；也可使用简单格式：<p> <strong> <em> <h3> <ul> <ol> <li> <blockquote> <a>。"
            "不能插入外部图片，请在保存后上传图片。"
        ),
    )
    people = forms.ModelMultipleChoiceField(
        label=_("报道人物"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("只有已登记宣传同意的人物才能发布；按住 Ctrl（Mac 为 ⌘）可多选"),
    )
    item = ItemChoiceField(
        label=_("对应工作要点"),
        queryset=Item.objects.none(),
        required=False,
        help_text=_("发布后计入该要点的目标完成数"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, instance: Story | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "kind": instance.kind,
                "body": instance.body,
                "people": list(instance.people.all()),
                "item": instance.item_id,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.for_org(organisation).order_by("name")
        self.fields["item"].queryset = (
            Item.objects.for_org(organisation).select_related("plan").order_by("-plan__year", "order")
        )

    def clean_title(self):
        return self.cleaned_data["title"].strip()


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("图片"), help_text=_("JPG、PNG、GIF 或 WebP，不超过 10 MB"))
    caption = forms.CharField(label=_("图片说明"), max_length=200, required=False)

    def clean_image(self):
        upload = self.cleaned_data["image"]
        check_upload(upload, kinds=(IMAGE,), max_mb=10)
        return upload


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("审核意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("退回原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class UnpublishForm(forms.Form):
    reason = forms.CharField(label=_("撤下原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class StoryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *Story.Status.choices], required=False)
    kind = forms.ChoiceField(label=_("栏目"), choices=[("", _("全部")), *Story.Kind.choices], required=False)

    def filter(self, stories):
        if not self.is_valid():
            return stories
        if self.cleaned_data["status"]:
            stories = stories.filter(status=self.cleaned_data["status"])
        if self.cleaned_data["kind"]:
            stories = stories.filter(kind=self.cleaned_data["kind"])
        return stories
