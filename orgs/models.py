from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A tenant: one college, or a provincial UFD whose children are colleges."""

    name = models.CharField(_("名称"), max_length=100)
    slug = models.SlugField(_("代码"), max_length=50, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级组织"), null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Single sign-on may create a member account for a registry person with the signed-in 工号.
    sso_provisioning = models.BooleanField(_("统一身份认证首次登录自动开通账号"), default=False)
    # Goes up by one after every committed write to the organisation's data: the key of its cached
    # figures (core.figures_cache), read with the organisation at no extra query.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("组织")

    def __str__(self) -> str:
        return self.name


class OrgScopedQuerySet(models.QuerySet):
    """The one `for_org`. A queryset whose rows reach their organisation through a relation
    (an item through its plan) names the path in `org_lookup`."""

    org_lookup = "organisation"

    def for_org(self, organisation):
        return self.filter(**{self.org_lookup: organisation})


class OrgScopedModel(models.Model):
    """A record that belongs to one organisation (tenant) and is edited through a form: the
    organisation, a `version` for optimistic locking (core.concurrency.update_if_unchanged bumps
    it), and when it was created and last saved. `Model.objects.for_org(org)` scopes a query.
    Subclasses with their own queryset subclass OrgScopedQuerySet."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("组织"), related_name="+", on_delete=models.PROTECT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Department(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), related_name="departments", on_delete=models.CASCADE
    )
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("部门")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_names(self) -> list[str]:
        return [a.name for a in self.aliases.all()]

    @property
    def liaisons(self):
        from django.contrib.auth import get_user_model

        return (
            get_user_model()
            .objects.filter(membership__role=Role.LIAISON, membership__departments=self)
            .order_by("name")
        )


class DepartmentAlias(models.Model):
    """Another name the documents use for a department (统战部 = 党委统战部)."""

    department = models.ForeignKey(Department, related_name="aliases", on_delete=models.CASCADE)
    name = models.CharField(_("别名"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("部门别名")
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="alias_unique_name")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    UFD_STAFF = "ufd_staff", _("统战部工作人员")
    LIAISON = "liaison", _("部门联络员")
    MEMBER = "member", _("统战成员")
    LEADER = "leader", _("校领导")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITADMIN = "auditadmin", _("审计管理员")


ADMIN_ROLES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN}


class Membership(models.Model):
    """A user's one role in one organisation. One row per user, so an account never
    holds two roles (and so never two of the three admin roles)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, related_name="membership", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), related_name="memberships", on_delete=models.PROTECT
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)  # blank: not yet assigned
    departments = models.ManyToManyField(Department, verbose_name=_("联络部门"), blank=True, related_name="memberships")

    class Meta:
        verbose_name = _("角色分配")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES
