from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import files
from people.models import Category, Group, Person
from plans.services import targets_for_org
from study.models import StudyMaterial

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TargetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, target):
        item = target.item
        return _("%(year)s年 %(item)s —— %(target)s（%(achieved)s/%(count)s）") % {
            "year": item.plan.year,
            "item": f"{item.marker}{item.title[:40]}",
            "target": target.text,
            "achieved": target.achieved,
            "count": target.count,
        }


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    kind = forms.ChoiceField(label=_("形式"), choices=StudyMaterial.Kind.choices)
    summary = forms.CharField(
        label=_("导读"), max_length=300, required=False, help_text=_("通知和列表中显示的一两句话")
    )
    body = forms.CharField(
        label=_("正文（文章）"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=_(
            "可用段落、标题、加粗、列表、表格等格式（HTML）；图片请先在材料页上传，"
            "再以 /study/images/编号/ 引用。外部图片不会加载。"
        ),
    )
    file = forms.FileField(label=_("文件（PDF 或 Word）"), required=False)
    link = forms.URLField(label=_("链接"), required=False, assume_scheme="https")
    publish_at = forms.DateTimeField(label=_("推送时间"), widget=DATETIME, help_text=_("发布后到此时间才推送给成员"))
    due_at = forms.DateTimeField(label=_("完成期限"), widget=DATETIME, required=False)
    required = forms.BooleanField(label=_("必学"), required=False, initial=True)
    reflection = forms.ChoiceField(
        label=_("学习心得"), choices=StudyMaterial.Reflection.choices, initial=StudyMaterial.Reflection.OPTIONAL
    )
    pass_mark = forms.IntegerField(label=_("测验及格分（百分制）"), min_value=0, max_value=100, initial=60)
    audience_categories = forms.MultipleChoiceField(
        label=_("推送类别"), choices=Category.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    audience_groups = forms.ModelMultipleChoiceField(
        label=_("推送分组"), queryset=Group.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    audience_people = forms.ModelMultipleChoiceField(
        label=_("推送人员"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("按住 Ctrl（Mac 为 ⌘）可多选"),
    )
    targets = TargetChoiceField(
        label=_("计入的工作要点目标"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("发布后，本材料计入所选目标（如“线上学习推送”）的完成数"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, instance: StudyMaterial | None = None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "kind": instance.kind,
                "summary": instance.summary,
                "body": instance.body,
                "link": instance.link,
                "publish_at": timezone.localtime(instance.publish_at),
                "due_at": instance.due_at and timezone.localtime(instance.due_at),
                "required": instance.required,
                "reflection": instance.reflection,
                "pass_mark": instance.pass_mark,
                "audience_categories": instance.audience_categories,
                "audience_groups": list(instance.audience_groups.all()),
                "audience_people": list(instance.audience_people.all()),
                "targets": list(instance.targets.all()),
                "version": instance.version,
            }
        kwargs.setdefault("initial", {}).setdefault("publish_at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)
        self.fields["audience_groups"].queryset = Group.objects.for_org(organisation)
        self.fields["audience_people"].queryset = Person.objects.for_org(organisation).select_related("department")
        self.fields["targets"].queryset = targets_for_org(organisation).order_by(
            "item__plan__year", "item__order", "order"
        )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            files.check_upload(upload, kinds=(files.PDF, files.WORD))
        return upload

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == StudyMaterial.Kind.ARTICLE and not (data.get("body") or "").strip():
            self.add_error("body", _("文章需要正文。"))
        if kind == StudyMaterial.Kind.LINK and not data.get("link"):
            self.add_error("link", _("请填写链接。"))
        has_file = data.get("file") or (self.instance is not None and self.instance.file)
        if kind == StudyMaterial.Kind.FILE and not has_file:
            self.add_error("file", _("请上传 PDF 或 Word 文件。"))
        publish_at, due_at = data.get("publish_at"), data.get("due_at")
        if publish_at and due_at and due_at <= publish_at:
            self.add_error("due_at", _("完成期限应晚于推送时间。"))
        if not (data.get("audience_categories") or data.get("audience_groups") or data.get("audience_people")):
            raise ValidationError(_("请选择推送对象：类别、分组或人员至少一项。"))
        return data


class ImageForm(forms.Form):
    image = forms.FileField(label=_("图片"))

    def clean_image(self):
        upload = self.cleaned_data["image"]
        files.check_upload(upload, kinds=(files.IMAGE,), max_mb=5)
        return upload


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("题目"), max_length=300)
    multiple = forms.BooleanField(label=_("多选题"), required=False)
    choices = forms.CharField(
        label=_("选项"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("每行一个选项，2–6 个")
    )
    correct = forms.CharField(label=_("正确选项序号"), max_length=20, help_text=_("如 2；多选题如 1,3"))

    def clean(self):
        data = super().clean()
        lines = [line.strip() for line in (data.get("choices") or "").splitlines() if line.strip()]
        if not 2 <= len(lines) <= 6:
            self.add_error("choices", _("请填写 2–6 个选项，每行一个。"))
            return data
        raw = (data.get("correct") or "").replace("，", ",").replace("、", ",")
        try:
            numbers = {int(part) for part in raw.split(",") if part.strip()}
        except ValueError:
            self.add_error("correct", _("请填写选项序号，如 2 或 1,3。"))
            return data
        if not numbers or not numbers <= set(range(1, len(lines) + 1)):
            self.add_error("correct", _("正确选项序号应在 1 到 %(n)s 之间。") % {"n": len(lines)})
            return data
        if not data.get("multiple") and len(numbers) != 1:
            self.add_error("correct", _("单选题只能有一个正确选项。"))
            return data
        data["choice_list"] = [(text, i in numbers) for i, text in enumerate(lines, start=1)]
        return data


class QuizForm(forms.Form):
    """One field per question of the material: radio buttons or checkboxes."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            choices = [(c.pk, c.text) for c in question.choices.all()]
            label = f"{number}. {question.text}" + (_("（多选）") if question.multiple else "")
            if question.multiple:
                field = forms.TypedMultipleChoiceField(
                    label=label, choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple
                )
            else:
                field = forms.TypedChoiceField(label=label, choices=choices, coerce=int, widget=forms.RadioSelect)
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict[int, set[int]]:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            result[question.pk] = set(value) if isinstance(value, list) else ({value} if value else set())
        return result


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("学习心得"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000, min_length=10
    )


class BeatForm(forms.Form):
    token = forms.CharField(max_length=40)
    finished = forms.BooleanField(required=False)


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [
            (y, _("%(year)s年") % {"year": y}) for y in range(this_year + 1, this_year - 4, -1)
        ]
        if self.is_bound and not self.data.get("year"):
            self.data = {"year": str(this_year)}

    @property
    def selected_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year
