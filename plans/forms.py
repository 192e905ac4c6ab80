import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.files import EVIDENCE, check_upload
from orgs.models import Department
from plans.models import Item, Milestone
from plans.parsing import MAX_BYTES

PLAN_EXTENSIONS = (".txt", ".docx", ".pdf", ".doc", ".text", ".md")


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("上传文件"), required=False, help_text=_("支持 .docx、.pdf（含文字层）、.txt，最大 20 MB")
    )
    text = forms.CharField(label=_("或粘贴文本"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    year = forms.IntegerField(
        label=_("年度"), required=False, min_value=2000, max_value=2100, help_text=_("留空则从标题识别")
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if not upload and not text:
            raise forms.ValidationError(_("请上传文件或粘贴工作要点全文。"))
        if upload:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(_("文件超过 20 MB，请拆分或压缩后再导入。"))
            if not upload.name.lower().endswith(PLAN_EXTENSIONS):
                raise forms.ValidationError(_("只支持 .docx、.pdf、.txt 文件（旧版 .doc 请先另存为 .docx）。"))
            data["data"], data["filename"] = upload.read(), upload.name
        else:
            data["data"], data["filename"] = text.encode("utf-8"), str(_("粘贴文本.txt"))
        return data


def department_staff(organisation, department_id):
    """Accounts of `organisation` whose membership is linked to the department, by name."""
    if not department_id:
        return User.objects.none()
    return User.objects.filter(
        is_active=True, membership__organisation=organisation, membership__departments=department_id
    ).order_by("name", "username")


def department_choices(organisation):
    return [(d.pk, d.name) for d in Department.objects.for_org(organisation)]


class ReviewHeadForm(forms.Form):
    """Title and year of the plan being confirmed. When the organisation already has a plan of
    that year (`existing`), the reviewer must say what to do: replace the draft, or keep both
    (a published plan can't be replaced, only kept beside the new one)."""

    title = forms.CharField(label=_("标题"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    existing = forms.ChoiceField(label=_("同年度已有工作要点"), widget=forms.RadioSelect)

    def __init__(self, *args, existing=None, taken_titles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing
        self.taken_titles = set(taken_titles)
        if existing is None:
            del self.fields["existing"]
            return
        choices = [("keep", _("两份都保留（新导入的另存为草稿）"))]
        if not existing.is_published:
            choices.insert(0, ("replace", _("替换原草稿“%(title)s”") % {"title": existing.title}))
        field = self.fields["existing"]
        field.choices = choices
        if existing.is_published:
            required = _("%(year)s 年已有已发布的工作要点（不能替换），请确认两份都保留。")
        else:
            required = _("%(year)s 年已有工作要点，请选择替换草稿还是两份都保留。")
        field.error_messages["required"] = required % {"year": existing.year}

    def clean(self):
        data = super().clean()
        if data.get("existing") == "keep" and data.get("title", "").strip() in self.taken_titles:
            self.add_error("title", _("同年度已有同名的工作要点；两份都保留时请修改标题以便区分（如加“修订稿”）。"))
        return data


class UnresolvedForm(forms.Form):
    """What to do with one department name the plan uses but the organisation doesn't know."""

    ACTIONS = [
        ("alias", _("选择已有部门，并把此名称记为别名")),
        ("map", _("仅本次对应到已有部门")),
        ("create", _("新建部门")),
        ("ignore", _("忽略（不指定部门）")),
    ]
    action = forms.ChoiceField(label=_("处理方式"), choices=ACTIONS, initial="alias")
    department = forms.TypedChoiceField(label=_("已有部门"), required=False, coerce=int, empty_value=None)
    new_name = forms.CharField(label=_("新部门名称"), required=False, max_length=100)

    def __init__(self, *args, name: str, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        self.fields["department"].choices = [("", "—"), *choices]
        self.fields["new_name"].initial = name

    def clean(self):
        data = super().clean()
        if data.get("action") in ("alias", "map") and not data.get("department"):
            self.add_error("department", _("请为“%(name)s”选择对应的部门。") % {"name": self.name})
        return data


_TARGET_LINE = re.compile(r"^(?P<text>.+?)\s*(?:[|｜]\s*|[（(]\s*)(?P<count>[0-9]{1,4})\s*[）)]?\s*$")


def targets_text(targets: list[dict]) -> str:
    """Targets as the review form shows them: one per line, "text（count）"."""
    return "\n".join(f"{t['text']}（{t['count']}）" for t in targets)


class ReviewRowForm(forms.Form):
    """One editable row of the review table (a section or an item): every field the parser produced."""

    marker = forms.CharField(label=_("编号"), max_length=20, required=False)
    title = forms.CharField(label=_("标题"), max_length=500)
    text = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lead = forms.TypedChoiceField(label=_("牵头部门"), required=False, coerce=int, empty_value=None)
    support = forms.TypedMultipleChoiceField(label=_("配合部门"), required=False, coerce=int)
    due_date = forms.DateField(label=_("完成时限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    targets = forms.CharField(
        label=_("量化目标"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一个，如：召开座谈会（1）"),
    )

    def __init__(self, *args, choices, is_section: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_section = is_section
        self.fields["lead"].choices = [("", "—"), *choices]
        self.fields["support"].choices = choices
        if is_section:
            for name in ("lead", "support", "due_date", "targets"):
                del self.fields[name]

    def clean_targets(self) -> list[dict]:
        targets = []
        for number, line in enumerate((self.cleaned_data.get("targets") or "").splitlines(), 1):
            if not line.strip():
                continue
            match = _TARGET_LINE.match(line.strip())
            if not match or int(match.group("count")) < 1:
                raise forms.ValidationError(
                    _("第 %(number)s 行格式不对：请写成“目标内容（数量）”，数量为正整数。") % {"number": number}
                )
            targets.append({"text": match.group("text").strip()[:300], "count": int(match.group("count"))})
        return targets


class ReviewEditForm(forms.Form):
    """A correction of the parse's structure on the review page: merge, split or move one item."""

    OPS = [("merge", _("合并到上一项")), ("split", _("拆分")), ("move", _("移到部分"))]
    op = forms.ChoiceField(choices=OPS)
    key = forms.RegexField(regex=r"^[0-9]+(?:\.[0-9]+){1,5}$", error_messages={"invalid": _("找不到要修改的条目")})
    at = forms.CharField(required=False, max_length=200)
    section = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, sections: int):
        op, _sep, key = (data.get("op") or "").partition(":")
        values = {"op": op, "key": key, "at": data.get(f"at-{key}", ""), "section": data.get(f"move-{key}", "")}
        super().__init__(values)
        self.fields["section"].choices = [("", "—"), *((i, str(i)) for i in range(sections))]

    def clean(self):
        data = super().clean()
        if data.get("op") == "split" and not data.get("at"):
            raise forms.ValidationError(_("请填写从哪段文字开始拆分出新任务。"))
        if data.get("op") == "move" and data.get("section") is None:
            raise forms.ValidationError(_("请选择要移入的部分。"))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern from Django's documentation)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    files = MultipleFileField(
        label=_("佐证材料"), required=False, help_text=_("图片、PDF、Word、Excel，单个不超过 20 MB，最多 10 个")
    )
    closing = forms.BooleanField(label=_("这是办结报告（申请销号）"), required=False)

    def __init__(self, *args, can_close: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_close:
            del self.fields["closing"]

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if len(uploads) > 10:
            raise forms.ValidationError(_("一次最多上传 10 个文件。"))
        return [(upload, check_upload(upload, kinds=EVIDENCE)) for upload in uploads]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AcceptForm(forms.Form):
    """销号. With counted targets unmet, the reviewer confirms and gives a reason."""

    note = forms.CharField(label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    unmet_confirmed = forms.BooleanField(label=_("量化目标未全部完成，仍确认销号"), required=False)
    unmet_reason = forms.CharField(
        label=_("未完成目标即销号的理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UrgeManyForm(forms.Form):
    """催办 from the supervision page: the ticked items, or the one whose row button was pressed."""

    items = forms.ModelMultipleChoiceField(queryset=Item.objects.none(), required=False)
    only = forms.ModelChoiceField(queryset=Item.objects.none(), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=1000)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        open_items = Item.objects.for_org(organisation).filter(plan__status="published").open()
        self.fields["items"].queryset = open_items
        self.fields["only"].queryset = open_items

    def clean(self):
        data = super().clean()
        chosen = [data["only"]] if data.get("only") else list(data.get("items") or [])
        if not chosen:
            raise forms.ValidationError(_("请先勾选要催办的任务。"))
        data["chosen"] = chosen
        return data


class ItemEditForm(forms.Form):
    title = forms.CharField(label=_("任务"), max_length=500)
    text = forms.CharField(label=_("具体内容"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    lead_department = forms.ModelChoiceField(label=_("牵头部门"), queryset=Department.objects.none(), required=False)
    support_departments = forms.ModelMultipleChoiceField(
        label=_("配合部门"), queryset=Department.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    owner = forms.ModelChoiceField(
        label=_("责任人"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("牵头部门的工作人员（账号已关联该部门）。改了牵头部门时，请保存后再选责任人。"),
    )
    due_date = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, item: Item, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": item.title,
                "text": item.text,
                "lead_department": item.lead_department_id,
                "support_departments": list(item.support_departments.all()),
                "owner": item.owner_id,
                "due_date": item.due_date,
                "version": item.version,
            },
        )
        super().__init__(*args, **kwargs)
        organisation = item.plan.organisation
        self.fields["lead_department"].queryset = Department.objects.for_org(organisation)
        self.fields["support_departments"].queryset = Department.objects.for_org(organisation)
        # The owner list: staff accounts linked to the lead department (the one being chosen, if
        # this is a submitted form, else the item's).
        lead_id = item.lead_department_id
        if self.is_bound:
            posted = str(self.data.get(self.add_prefix("lead_department")) or "")
            lead_id = int(posted) if posted.isdigit() else None
        self.fields["owner"].queryset = department_staff(organisation, lead_id)
        self.fields["owner"].label_from_instance = lambda u: u.name or u.username
        self.item = item

    def clean(self):
        data = super().clean()
        owner, lead = data.get("owner"), data.get("lead_department")
        if owner and not lead:
            self.add_error("owner", _("请先选择牵头部门，责任人须是牵头部门的工作人员。"))
        due = data.get("due_date")
        if due and not date(self.item.plan.year, 1, 1) <= due <= date(self.item.plan.year + 1, 12, 31):
            self.add_error("due_date", _("完成时限须在计划年度内（最迟次年年底）。"))
        return data


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}
