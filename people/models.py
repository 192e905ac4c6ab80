"""The registry of people (统战对象). Never stored: religion, ethnicity, ID-card number.

Other modules read the registry through two documented query functions in `people.queries`:
`group_members(group)` (whom an event or a study push targets) and `people_with_consent(org)`
(whom the publicity module may name)."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.crypto import DigestField, EncryptedEmailField, EncryptedJSONField, EncryptedTextField, field_digest
from orgs.models import OrgScopedModel, OrgScopedQuerySet


def source_text(label) -> str:
    """The Chinese source text of a (lazy) label, whatever the page's language: what imports match
    and what exports, history and audit records keep."""
    with translation.override(None):
        return str(label)


class Category(models.TextChoices):
    DEMOCRATIC_PARTY = "democratic_party", _("民主党派成员")
    NON_PARTY = "non_party", _("无党派人士")
    NON_PARTY_INTELLECTUAL = "intellectual", _("党外知识分子")
    YOUNG_EXPERT = "young_expert", _("中青年党外专家学者")
    RETURNED_SCHOLAR = "returned_scholar", _("留学回国人员")
    OVERSEAS_CHINESE = "overseas_chinese", _("归侨侨眷")
    HMT_RELATIVE = "hmt_relative", _("港澳台同胞亲属")
    REPRESENTATIVE = "representative", _("党外代表人士")


def mask_phone(phone: str) -> str:
    """What lists, exports, the audit log and the history show: an 11-digit mobile number as
    139****5678 (7 digits shown, as is usual in China); any other number shows at most 4 of its
    digits: the first 3 and, from 10 digits on, the last one (1234567 -> 123****)."""
    if not phone:
        return ""
    digits = sum(ch.isdigit() for ch in phone)
    if digits == 11 and len(phone) == 11:
        return f"{phone[:3]}****{phone[-4:]}"
    if len(phone) >= 10:
        return f"{phone[:3]}****{phone[-1:]}"
    return f"{phone[:3]}****" if len(phone) >= 7 else "****"


def mask_email(email: str) -> str:
    if "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


class Party(models.TextChoices):
    MINGE = "minge", _("民革")
    MINMENG = "minmeng", _("民盟")
    MINJIAN = "minjian", _("民建")
    MINJIN = "minjin", _("民进")
    NONGGONG = "nonggong", _("农工党")
    ZHIGONG = "zhigong", _("致公党")
    JIUSAN = "jiusan", _("九三学社")
    TAIMENG = "taimeng", _("台盟")


class PersonQuerySet(OrgScopedQuerySet):
    def of_user(self, user) -> "Person | None":
        """The person record a login belongs to, or None."""
        return self.filter(user=user).first()

    def returned_scholars(self):
        """The one definition of a returned overseas scholar (留学回国人员), used by every list, count
        and export: a person in the 留学回国人员 category OR with at least one study-abroad record,
        counted once however many records they have."""
        return self.filter(
            Q(Exists(PersonCategory.objects.filter(person=OuterRef("pk"), category=Category.RETURNED_SCHOLAR)))
            | Q(Exists(StudyAbroad.objects.filter(person=OuterRef("pk"))))
        )

    def with_phone(self, phone: str):
        """Exact lookup by phone through the keyed hash (the phone column is encrypted)."""
        return self.filter(phone_digest=field_digest(phone)) if phone.strip() else self.none()

    def search(self, text: str):
        """Name, pinyin initials (zs finds 张三), full pinyin (zhangs), staff number or a whole phone."""
        text = text.strip()
        if not text:
            return self
        key = "".join(text.lower().split())
        condition = Q(name__icontains=text) | Q(staff_number=text)
        if key.isdigit() and len(key) >= 7:
            condition |= Q(phone_digest=field_digest(key))
        if key.isascii() and key.isalpha():
            condition |= Q(name_initials__startswith=key) | Q(name_pinyin__startswith=key)
        return self.filter(condition)

    def matching(self, *, q="", category="", party="", department=None, post="", returned=False):
        """The registry list's filters; every argument optional."""
        queryset = self.search(q) if q else self
        if category == Category.RETURNED_SCHOLAR:
            queryset = queryset.returned_scholars()
        elif category:
            queryset = queryset.filter(Exists(PersonCategory.objects.filter(person=OuterRef("pk"), category=category)))
        if party:
            queryset = queryset.filter(Exists(PartyMembership.objects.filter(person=OuterRef("pk"), party=party)))
        if department:
            queryset = queryset.filter(department=department)
        if post:
            queryset = queryset.filter(Exists(PublicPost.objects.filter(person=OuterRef("pk"), kind=post)))
        if returned:
            queryset = queryset.returned_scholars()
        return queryset

    def with_consent(self):
        """People whose latest publicity consent is given and not withdrawn."""
        return self.filter(Exists(PublicityConsent.objects.filter(person=OuterRef("pk"), withdrawn_at__isnull=True)))


class Person(OrgScopedModel):
    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        related_name="person",
        on_delete=models.SET_NULL,
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_month = models.DateField(_("出生年月"), null=True, blank=True, help_text=_("只记年月，日固定为1日"))
    staff_number = models.CharField(_("工号"), max_length=32, blank=True)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("所在部门"),
        null=True,
        blank=True,
        related_name="people",
        on_delete=models.SET_NULL,
    )
    job_title = models.CharField(_("职务"), max_length=100, blank=True)
    professional_title = models.CharField(_("职称"), max_length=100, blank=True)
    education = models.CharField(_("学历"), max_length=50, blank=True)
    # Encrypted at rest (core.crypto); `phone_digest` finds a person by phone without decrypting.
    phone = EncryptedTextField(_("手机"), max_length=20, blank=True)
    email = EncryptedEmailField(_("邮箱"), max_length=254, blank=True)
    phone_digest = DigestField(_("手机号检索码"), source="phone")
    # Written by the services from `name`, for search: 张三 -> "zs" and "zhangsan".
    name_initials = models.CharField(_("姓名首字母"), max_length=50, blank=True, db_index=True, editable=False)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, blank=True, db_index=True, editable=False)
    assigned_cadres = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("联系干部"),
        blank=True,
        related_name="assigned_people",
        help_text=_("可为此人记录联系情况的部门联络员"),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("统战对象")
        # The registry list's order within a college: the first page reads 50 index entries instead
        # of sorting the college's people (10,000 at province scale: 11 ms on PostgreSQL).
        indexes = [models.Index(fields=["organisation", "name", "id"], name="person_org_name")]
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
        return mask_phone(self.phone)

    @property
    def masked_email(self) -> str:
        return mask_email(self.email)

    @property
    def has_publicity_consent(self) -> bool:
        """True when a consent is on record and not withdrawn (the publicity module asks this)."""
        return any(c.withdrawn_at is None for c in self.consents.all())

    @property
    def title_line(self) -> str:
        """职务/职称, as the returned scholars list prints it."""
        return "/".join(t for t in (self.job_title, self.professional_title) if t)


class PersonCategory(models.Model):
    """One category of a person (a person may be in several)."""

    person = models.ForeignKey(Person, related_name="category_links", on_delete=models.CASCADE)
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices, db_index=True)

    class Meta:
        ordering = ["category"]
        constraints = [models.UniqueConstraint(fields=["person", "category"], name="person_category_unique")]

    def __str__(self) -> str:
        return self.get_category_display()


class PartyMembership(models.Model):
    """Membership of one democratic party (民主党派), with join month and party post."""

    person = models.ForeignKey(Person, related_name="party_memberships", on_delete=models.CASCADE)
    party = models.CharField(_("民主党派"), max_length=16, choices=Party.choices, db_index=True)
    join_month = models.DateField(_("入党派时间"), null=True, blank=True, help_text=_("只记年月"))
    post = models.CharField(_("党派职务"), max_length=100, blank=True)

    class Meta:
        ordering = ["join_month", "id"]
        verbose_name = _("民主党派")
        constraints = [models.UniqueConstraint(fields=["person", "party"], name="party_membership_unique")]

    def __str__(self) -> str:
        return self.get_party_display()


class PublicPost(models.Model):
    """A public post: 人大代表 / 政协委员 at a level and term, or another post."""

    class Kind(models.TextChoices):
        NPC = "npc", _("人大代表")
        CPPCC = "cppcc", _("政协委员")
        OTHER = "other", _("其他社会职务")

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        DISTRICT = "district", _("区县")
        OTHER = "other", _("其他")

    person = models.ForeignKey(Person, related_name="public_posts", on_delete=models.CASCADE)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, db_index=True)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, blank=True)
    term = models.CharField(_("届次"), max_length=30, blank=True, help_text=_("如 第十四届"))
    title = models.CharField(_("职务名称"), max_length=100, blank=True, help_text=_("如 市政协委员、常委"))

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("社会职务")

    def __str__(self) -> str:
        if self.title:
            return f"{self.title}{f'（{self.term}）' if self.term else ''}"
        level = self.get_level_display() if self.level and self.level != self.Level.OTHER else ""
        post = (_("%(level)s%(kind)s") % {"level": level, "kind": self.get_kind_display()}).strip()
        return f"{post}{f'（{self.term}）' if self.term else ''}"


class Award(models.Model):
    person = models.ForeignKey(Person, related_name="awards", on_delete=models.CASCADE)
    name = models.CharField(_("荣誉名称"), max_length=200)
    year = models.PositiveIntegerField(_("年份"), null=True, blank=True)
    issuer = models.CharField(_("授予单位"), max_length=100, blank=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("荣誉奖励")

    def __str__(self) -> str:
        return self.name


class StudyAbroad(models.Model):
    """One period of study abroad (a person may have several)."""

    person = models.ForeignKey(Person, related_name="study_records", on_delete=models.CASCADE)
    country_region = models.CharField(_("留学国家(地区)"), max_length=50)
    institution = models.CharField(_("留学院校"), max_length=200, blank=True)
    degree = models.CharField(_("学位"), max_length=50, blank=True)
    start_month = models.DateField(_("留学开始"), null=True, blank=True)
    end_month = models.DateField(_("留学结束"), null=True, blank=True)
    return_month = models.DateField(_("回国时间"), null=True, blank=True)

    class Meta:
        ordering = [models.F("start_month").asc(nulls_last=True), "id"]
        verbose_name = _("留学经历")

    def __str__(self) -> str:
        return f"{self.country_region} {self.institution}".strip()

    @property
    def period(self) -> str:
        """2008.09-2012.07, as office sheets write it."""

        def month(d):
            return f"{d.year}.{d.month:02d}" if d else ""

        if not self.start_month and not self.end_month:
            return ""
        return f"{month(self.start_month)}-{month(self.end_month)}"


class PublicityConsent(models.Model):
    """Consent to appear in publicity (宣传): given on a date, possibly withdrawn later."""

    person = models.ForeignKey(Person, related_name="consents", on_delete=models.CASCADE)
    given_at = models.DateField(_("同意日期"))
    withdrawn_at = models.DateField(_("撤回日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("宣传同意")

    def __str__(self) -> str:
        return f"{self.given_at:%Y-%m-%d}"


class ContactQuerySet(OrgScopedQuerySet):
    org_lookup = "person__organisation"

    def open_follow_ups(self):
        return self.filter(follow_up_needed=True, closed_at__isnull=True)


class ContactRecord(models.Model):
    """联谊交友 / 谈心谈话: one contact with a person, and its follow-up."""

    class Method(models.TextChoices):
        VISIT = "visit", _("走访")
        TALK = "talk", _("谈心谈话")
        PHONE = "phone", _("电话")
        MEETING = "meeting", _("座谈会议")

    person = models.ForeignKey(Person, related_name="contacts", on_delete=models.CASCADE)
    date = models.DateField(_("日期"), db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        related_name="contact_records",
        on_delete=models.SET_NULL,
    )
    met_by = models.CharField(_("联系人员"), max_length=100, help_text=_("谁见了面，如 王同心、李部长"))
    method = models.CharField(_("方式"), max_length=10, choices=Method.choices)
    raised = models.TextField(_("所思所想所需"), blank=True)
    follow_up_needed = models.BooleanField(_("需要跟进"), default=False)
    follow_up = models.TextField(_("跟进事项"), blank=True)
    outcome = models.TextField(_("办理结果"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("联系记录")
        # "Contacted this year?" per person (the registry figures' not-contacted list).
        indexes = [models.Index(fields=["person", "date"], name="contact_person_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_method_display()}"

    @property
    def is_open(self) -> bool:
        return self.follow_up_needed and self.closed_at is None


class Group(OrgScopedModel):
    """A set of people to target: a saved list filter (its members change with the registry)
    or a static list built by hand. Read members with `people.queries.group_members`."""

    class Kind(models.TextChoices):
        STATIC = "static", _("固定名单")
        SAVED = "saved", _("筛选条件")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.STATIC)
    filter = models.JSONField(_("筛选条件"), default=dict, blank=True, help_text=_("名册筛选的查询参数"))
    members = models.ManyToManyField(Person, verbose_name=_("成员"), blank=True, related_name="static_groups")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("分组")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="person_group_unique_name")]

    def __str__(self) -> str:
        return self.name


class ProfileChangeRequest(models.Model):
    """A member's proposed change to their own profile, approved or rejected by UFD staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("已退回")

    person = models.ForeignKey(Person, related_name="change_requests", on_delete=models.CASCADE)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Holds the member's new phone and e-mail in full: encrypted at rest.
    changes = EncryptedJSONField(_("修改内容"), default=dict, help_text=_("{字段: [原值, 新值]}"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("退回理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("信息变更申请")

    def __str__(self) -> str:
        return f"{self.person} {self.get_status_display()}"


class PersonChange(models.Model):
    """One saved change of a person's record (who, when, before, after) for UFD staff.
    Contact data appears masked, as in the audit log."""

    person = models.ForeignKey(Person, related_name="history", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    changes = models.JSONField(default=dict)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("修改记录")

    def __str__(self) -> str:
        return f"{self.person} {self.at:%Y-%m-%d %H:%M}"
