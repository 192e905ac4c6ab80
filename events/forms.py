from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.files import IMAGE, check_upload
from events.models import Event, EventType
from orgs.models import Department
from people.models import Category, Group, Person
from plans.services import targets_for_org

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TargetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, target):
        return target.picker_label


class EventForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=200)
    type = forms.ChoiceField(label=_("类型"), choices=EventType.choices)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    online_link = forms.URLField(label=_("线上会议链接"), required=False, assume_scheme="https")
    department = forms.ModelChoiceField(label=_("组织部门"), queryset=Department.objects.none(), required=False)
    description = forms.CharField(label=_("活动简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    agenda = forms.CharField(label=_("议程"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    capacity = forms.IntegerField(
        label=_("名额"), min_value=1, max_value=100000, required=False, help_text=_("留空表示不限")
    )
    registration_opens_at = forms.DateTimeField(
        label=_("报名开始"), widget=DATETIME, required=False, help_text=_("留空：发布即可报名")
    )
    registration_closes_at = forms.DateTimeField(
        label=_("报名截止"), widget=DATETIME, required=False, help_text=_("留空：活动开始前均可报名")
    )
    audience_categories = forms.MultipleChoiceField(
        label=_("邀请类别"), choices=Category.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    audience_groups = forms.ModelMultipleChoiceField(
        label=_("邀请分组"), queryset=Group.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    audience_people = forms.ModelMultipleChoiceField(
        label=_("邀请人员"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("按住 Ctrl（Mac 为 ⌘）可多选"),
    )
    public_signup = forms.BooleanField(
        label=_("开放校外人员报名"), required=False, help_text=_("生成公开报名链接，只收集姓名和单位")
    )
    external_places = forms.IntegerField(
        label=_("校外报名名额上限"),
        required=False,
        min_value=0,
        max_value=500,
        initial=10,
        help_text=_("公开链接最多可报名的人数（也占用总名额）"),
    )
    targets = TargetChoiceField(
        label=_("计入的工作要点目标"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("活动举办（结束且录入纪要）后，计入所选目标的完成数"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, instance: Event | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "type": instance.type,
                "starts_at": timezone.localtime(instance.starts_at),
                "ends_at": timezone.localtime(instance.ends_at),
                "place": instance.place,
                "online_link": instance.online_link,
                "department": instance.department_id,
                "description": instance.description,
                "agenda": instance.agenda,
                "capacity": instance.capacity,
                "registration_opens_at": instance.registration_opens_at
                and timezone.localtime(instance.registration_opens_at),
                "registration_closes_at": instance.registration_closes_at
                and timezone.localtime(instance.registration_closes_at),
                "audience_categories": instance.audience_categories,
                "audience_groups": list(instance.audience_groups.all()),
                "audience_people": list(instance.audience_people.all()),
                "public_signup": instance.public_signup,
                "external_places": instance.external_places,
                "targets": list(instance.targets.all()),
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.for_org(organisation)
        self.fields["audience_groups"].queryset = Group.objects.for_org(organisation)
        self.fields["audience_people"].queryset = Person.objects.for_org(organisation).select_related("department")
        self.fields["targets"].queryset = targets_for_org(organisation).order_by(
            "item__plan__year", "item__order", "order"
        )
        if not self.fields["audience_groups"].queryset.exists():
            del self.fields["audience_groups"]

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_external_places(self):
        value = self.cleaned_data.get("external_places")
        return 10 if value is None else value

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", gettext("结束时间不能早于开始时间。"))
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", gettext("报名截止时间必须晚于报名开始时间。"))
        if closes and ends and closes > ends:
            self.add_error("registration_closes_at", gettext("报名截止时间不能晚于活动结束时间。"))
        return data


class EventFilterForm(forms.Form):
    STATUSES = [
        ("", _("全部状态")),
        ("draft", _("草稿")),
        ("published", _("已发布（未举办）")),
        ("held", _("已举办")),
        ("cancelled", _("已取消")),
    ]

    type = forms.ChoiceField(label=_("类型"), choices=[("", _("全部类型")), *EventType.choices], required=False)
    status = forms.ChoiceField(label=_("状态"), choices=STATUSES, required=False)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)

    def filter(self, events):
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["type"]:
            events = events.filter(type=data["type"])
        status = data["status"]
        if status == "held":
            events = events.held()
        elif status == "published":
            events = events.published().filter(held_at__isnull=True)
        elif status:
            events = events.filter(status=status)
        if data["year"]:
            events = events.in_year(data["year"])
        return events


class ReportForm(forms.Form):
    minutes = forms.CharField(
        label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 10}), required=False, max_length=50000
    )
    attendance_count = forms.IntegerField(
        label=_("参加人数"),
        min_value=0,
        max_value=100000,
        required=False,
        help_text=_("留空按签到人数计；可加上未报名的来宾"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("照片"), help_text=_("JPG、PNG、GIF 或 WebP，不超过 10 MB"))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)

    def clean_image(self):
        upload = self.cleaned_data["image"]
        check_upload(upload, kinds=(IMAGE,), max_mb=10)
        return upload


class FeedbackForm(forms.Form):
    text = forms.CharField(label=_("意见建议"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    raised_by = forms.CharField(label=_("提出人"), max_length=100, required=False)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(gettext("请填写意见建议。"))
        return text


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, required=False)


class CheckInForm(forms.Form):
    checked = forms.BooleanField(required=False)


class PublicSignupForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    unit = forms.CharField(label=_("单位"), max_length=100)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_unit(self):
        return " ".join(self.cleaned_data["unit"].split())
