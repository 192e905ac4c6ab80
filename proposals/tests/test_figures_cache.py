"""Figures of many suggestions are cached, and the next view after a write shows the new figure
(issue 16: the homes and the figures page aggregated every suggestion on every view)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import queries, services
from proposals.models import Status
from proposals.tests.factories import make_proposal

pytestmark = pytest.mark.django_db


def test_a_write_through_the_service_shows_in_every_cached_figure(org, submitter, ufd_staff):
    year = timezone.localdate().year
    today = timezone.localdate()
    first = make_proposal(org, submitter, Status.SUBMITTED)
    make_proposal(org, submitter, Status.SUBMITTED)
    make_proposal(org, submitter, Status.SUBMITTED)
    # Three submitted, none accepted yet.
    assert queries.figures(org, year=year)["total"].submitted == 3
    assert queries.figures(org, year=year)["total"].accepted == 0
    assert queries.staff_attention(org, today)["submitted"] == 3
    assert queries.year_counts(org, year)["accepted"] == 0
    assert dict(queries.year_proposal_funnel(org, year))["立案"] == 0

    services.accept_proposal(first, by=ufd_staff)

    # One of the three accepted: 3 received, 1 accepted, 3 - 1 = 2 still waiting for 立案.
    assert queries.figures(org, year=year)["total"].accepted == 1
    assert queries.figures(org, year=year)["total"].submitted == 3
    assert queries.staff_attention(org, today)["submitted"] == 2
    assert queries.year_counts(org, year) == {"received": 3, "accepted": 1, "answered": 0, "adopted": 0}
    assert dict(queries.year_proposal_funnel(org, year))["立案"] == 1

    # A new suggestion (a row added) is counted too: 3 + 1 = 4.
    make_proposal(org, submitter, Status.SUBMITTED)
    assert queries.year_counts(org, year)["received"] == 4
    assert queries.staff_attention(org, today)["submitted"] == 3


def test_a_repeated_view_reads_the_version_not_the_suggestions(org, submitter, django_assert_num_queries):
    year = timezone.localdate().year
    make_proposal(org, submitter, Status.SUBMITTED)
    queries.year_counts(org, year)
    with django_assert_num_queries(0):  # the version comes with the organisation
        assert queries.year_counts(org, year)["received"] == 1


def test_the_figures_page_after_a_write(client, org, submitter, ufd_staff):
    year = timezone.localdate().year
    proposal = make_proposal(org, submitter, Status.SUBMITTED)
    make_proposal(org, submitter, Status.SUBMITTED)
    client.force_login(ufd_staff)
    before = client.get(reverse("proposals:figures"), {"year": year})
    assert before.status_code == 200
    assert (before.context["figures"]["total"].submitted, before.context["figures"]["total"].accepted) == (2, 0)
    services.accept_proposal(proposal, by=ufd_staff)
    after = client.get(reverse("proposals:figures"), {"year": year})
    assert (after.context["figures"]["total"].submitted, after.context["figures"]["total"].accepted) == (2, 1)


def test_figures_of_one_college_are_not_shown_to_another(org, other_org, submitter):
    year = timezone.localdate().year
    make_proposal(org, submitter, Status.SUBMITTED)
    assert queries.year_counts(org, year)["received"] == 1
    assert queries.year_counts(other_org, year)["received"] == 0
