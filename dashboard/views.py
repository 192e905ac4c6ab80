"""Each role's home page: what needs doing now, and figures at a glance.

The views only call the `queries.py` functions of the apps below (each bounded in queries), so a
home page costs the same number of queries whatever the data size."""

from django.shortcuts import render
from django.utils import timezone

from events import queries as event_queries
from notifications import queries as notification_queries
from orgs.access import login_with_membership
from orgs.models import Role
from people import queries as people_queries
from people.models import Person
from plans import queries as plan_queries
from proposals import queries as proposal_queries
from reports.charts import home_charts


def _plan_overview(org, today) -> dict:
    year = plan_queries.plan_year(org, today)
    if year is None:
        return {"plan_year": None, "overview": None}
    return {"plan_year": year, "overview": plan_queries.overview(org, year, today)}


def _staff_home(request):
    org = request.organisation
    today = timezone.localdate()
    context = {
        "today": today,
        "plan_attention": plan_queries.attention(org, today),
        "proposal_attention": proposal_queries.staff_attention(org, today),
        "change_count": people_queries.pending_change_count(org),
        "follow_ups": people_queries.follow_ups(org, request.user),
        "month": event_queries.month_events(org, today),
        "registry": people_queries.registry_composition(org),
        **_plan_overview(org, today),
        "year_charts": home_charts(org),
    }
    return render(request, "dashboard/home_staff.html", context)


def _liaison_home(request):
    org = request.organisation
    today = timezone.localdate()
    departments = list(request.membership.departments.all())
    ids = [d.pk for d in departments]
    context = {
        "today": today,
        "departments": departments,
        "items": plan_queries.department_items(org, ids, today),
        "proposals": proposal_queries.department_proposals(org, ids, today),
    }
    return render(request, "dashboard/home_liaison.html", context)


def _leader_home(request):
    org = request.organisation
    today = timezone.localdate()
    context = {
        "today": today,
        "events": event_queries.event_figures(org, today.year),
        "recent_held": event_queries.recent_held(org, today.year),
        "proposal_counts": proposal_queries.year_counts(org, today.year),
        "registry": people_queries.registry_composition(org),
        **_plan_overview(org, today),
        "year_charts": home_charts(org),
    }
    return render(request, "dashboard/home_leader.html", context)


def _member_home(request):
    person = Person.objects.for_org(request.organisation).filter(user=request.user).first()
    context = {"person": person, "unread": notification_queries.unread(request.user)}
    if person is not None:
        now = timezone.now()
        context |= {
            "invitations": event_queries.member_invitations(person, now),
            "upcoming": event_queries.member_upcoming(person, now),
            "suggestions": proposal_queries.member_suggestions(person),
        }
    return render(request, "dashboard/home_member.html", context)


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
