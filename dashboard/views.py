"""Each role's home page: what needs doing now, and figures at a glance.

The views only call the `queries.py` functions of the apps below (each bounded in queries), so a
home page costs the same number of queries whatever the data size. The organisation-wide blocks
(and a liaison's departments' blocks) are cached under the organisation's data version
(core.figures_cache), the day and the language: no query for them when nothing changed. What is the
user's own (their follow-ups, their notices, a member's page) is read fresh."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from core.figures_cache import org_cached
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


def _blocks(name: str, org, today, parts: tuple, compute) -> dict:
    """`compute()`, cached under the organisation's data version, the day, the language and the
    time zone (the blocks hold translated labels and local dates) and `parts`."""
    return org_cached(
        "home." + name, org, (today, get_language(), timezone.get_current_timezone_name(), *parts), compute
    )


def _staff_blocks(org, today) -> dict:
    return {
        "plan_attention": plan_queries.attention(org, today),
        "proposal_attention": proposal_queries.staff_attention(org, today),
        "change_count": people_queries.pending_change_count(org),
        "month": event_queries.month_events(org, today),
        "registry": people_queries.registry_composition(org),
        **_plan_overview(org, today),
        "year_charts": home_charts(org),
    }


def _staff_home(request):
    org = request.organisation
    today = timezone.localdate()
    context = {
        "today": today,
        **_blocks("staff", org, today, (), lambda: _staff_blocks(org, today)),
        "follow_ups": people_queries.follow_ups(org, request.user),
    }
    return render(request, "dashboard/home_staff.html", context)


def _liaison_home(request):
    org = request.organisation
    today = timezone.localdate()
    departments = list(request.membership.departments.all())
    ids = sorted(d.pk for d in departments)

    def compute():
        return {
            "items": plan_queries.department_items(org, ids, today),
            "proposals": proposal_queries.department_proposals(org, ids, today),
        }

    context = {"today": today, "departments": departments, **_blocks("liaison", org, today, (tuple(ids),), compute)}
    return render(request, "dashboard/home_liaison.html", context)


def _leader_blocks(org, today) -> dict:
    return {
        "events": event_queries.event_figures(org, today.year),
        "recent_held": event_queries.recent_held(org, today.year),
        "proposal_counts": proposal_queries.year_counts(org, today.year),
        "registry": people_queries.registry_composition(org),
        **_plan_overview(org, today),
        "year_charts": home_charts(org),
    }


def _leader_home(request):
    org = request.organisation
    today = timezone.localdate()
    context = {"today": today, **_blocks("leader", org, today, (), lambda: _leader_blocks(org, today))}
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
