"""Province-scale reads of suggestions (issue 16): a member's suggestions as one UNION of ids (own,
co-signed) instead of an OR that scanned every suggestion of the college - same rows; the figures
page's 优秀建言 are found once per version."""

from datetime import timedelta

import pytest
from django.utils import timezone

from people.models import Person
from proposals import queries
from proposals.models import CoSigner, Proposal, Status
from proposals.tests.factories import make_proposal

pytestmark = pytest.mark.django_db


def test_a_member_sees_own_and_cosigned_submitted_suggestions_only(org, submitter, cosigner_user, other_member):
    cosigner = Person.objects.get(user=cosigner_user)
    other = Person.objects.get(user=other_member)
    own_draft = make_proposal(org, cosigner, Status.DRAFT)
    own_submitted = make_proposal(org, cosigner, Status.SUBMITTED)
    cosigned = make_proposal(org, submitter, Status.SUBMITTED)
    cosigned_draft = make_proposal(org, submitter, Status.DRAFT)
    declined = make_proposal(org, submitter, Status.SUBMITTED)
    make_proposal(org, other, Status.SUBMITTED)  # someone else's, not co-signed
    CoSigner.objects.create(proposal=cosigned, person=cosigner)
    CoSigner.objects.create(proposal=cosigned_draft, person=cosigner)  # a draft is not shown to co-signers
    CoSigner.objects.create(proposal=declined, person=cosigner, declined_at=timezone.now())

    mine = Proposal.objects.filter(organisation=org).of_member(cosigner)

    assert set(mine) == {own_draft, own_submitted, cosigned}
    assert queries.member_suggestions(cosigner)["count"] == 3


def test_excellent_suggestions_are_found_once_per_version(org, submitter, django_assert_num_queries):
    year = timezone.localdate().year
    now = timezone.now()
    earlier = make_proposal(org, submitter, Status.CLOSED, is_excellent=True, answered_at=now - timedelta(days=2))
    latest = make_proposal(org, submitter, Status.CLOSED, is_excellent=True, answered_at=now)
    make_proposal(org, submitter, Status.CLOSED)  # answered, not excellent

    first = list(queries.excellent(org, year=year))
    assert [p.pk for p in first] == [latest.pk, earlier.pk]  # latest answered first

    with django_assert_num_queries(1):  # the rows by id (the version comes with the organisation)
        again = list(queries.excellent(org, year=year))
    assert [p.pk for p in again] == [p.pk for p in first]

    # A suggestion added afterwards (the version changes) is listed at once.
    third = make_proposal(org, submitter, Status.CLOSED, is_excellent=True, answered_at=now + timedelta(hours=1))
    assert [p.pk for p in queries.excellent(org, year=year)] == [third.pk, latest.pk, earlier.pk]


def test_a_departments_suggestions_as_lead_or_support(org, submitter, student_department, support_department):
    other_department = support_department.__class__.objects.create(organisation=org, name="教务处")
    led = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    supported = make_proposal(org, submitter, Status.ASSIGNED, lead=other_department, support=[student_department])
    both = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department, support=[support_department])
    make_proposal(org, submitter, Status.ASSIGNED, lead=other_department, support=[support_department])  # neither
    make_proposal(org, submitter, Status.SUBMITTED)  # not assigned yet

    found = Proposal.objects.for_org(org).for_departments([student_department.pk])

    assert sorted(p.pk for p in found) == sorted([led.pk, supported.pk, both.pk])
    assert found.count() == 3  # `both` once, though it matches as lead and via its support department
    assert not Proposal.objects.for_org(org).for_departments([]).exists()
    assert queries.department_proposals(org, [student_department.pk], timezone.localdate())["handling"] == 3
