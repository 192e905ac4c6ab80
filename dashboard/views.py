from django.db.models import Count
from django.shortcuts import render

from orgs.access import login_with_membership
from orgs.models import Department, Role
from people import services as people_services
from people.models import Category, Person, PersonCategory
from reports.charts import home_charts


def _staff_home(request):
    org = request.organisation
    people = Person.objects.for_org(org)
    counts = dict(
        PersonCategory.objects.filter(person__organisation=org).values_list("category").annotate(n=Count("id"))
    )
    by_category = [(label, counts.get(code, 0)) for code, label in Category.choices]
    context = {
        "people_count": people.count(),
        "department_count": Department.objects.for_org(org).count(),
        "by_category": by_category,
        "follow_ups": people_services.open_follow_ups(request.user),
        "year_charts": home_charts(org),
    }
    return render(request, "dashboard/home_staff.html", context)


def _liaison_home(request):
    departments = request.membership.departments.all()
    return render(request, "dashboard/home_liaison.html", {"departments": departments})


def _leader_home(request):
    org = request.organisation
    context = {
        "people_count": Person.objects.for_org(org).count(),
        "department_count": Department.objects.for_org(org).count(),
        "year_charts": home_charts(org),
    }
    return render(request, "dashboard/home_leader.html", context)


def _member_home(request):
    person = Person.objects.for_org(request.organisation).filter(user=request.user).first()
    return render(request, "dashboard/home_member.html", {"person": person})


def _admin_home(request):
    return render(request, "dashboard/home_admin.html", {})


HOMES = {
    Role.UFD_STAFF: _staff_home,
    Role.LIAISON: _liaison_home,
    Role.LEADER: _leader_home,
    Role.MEMBER: _member_home,
    Role.SYSADMIN: _admin_home,
    Role.SECADMIN: _admin_home,
    Role.AUDITADMIN: _admin_home,
}


@login_with_membership
def home(request):
    membership = request.membership
    role = membership.role if membership else ""
    if not role:
        return render(request, "dashboard/home_norole.html", {})
    return HOMES[role](request)
