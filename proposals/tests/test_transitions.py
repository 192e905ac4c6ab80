"""The state machine walked exhaustively: every (status, action) for every kind of actor.
Allowed pairs come from services.TRANSITIONS; everything else must be refused."""

import pytest

from orgs.models import Role
from people.models import Person
from proposals import services
from proposals.models import CoSigner, Outcome, Rating, Status
from proposals.services import AUTHOR, LEAD, STAFF, SUBMITTER, SUPPORT, TRANSITIONS
from proposals.tests.factories import make_proposal

ACTORS = {
    # actor: the roles it holds towards the suggestion under test
    "staff": {STAFF},
    "lead": {LEAD},
    "support": {SUPPORT},
    "other_liaison": set(),
    "submitter": {AUTHOR, SUBMITTER},
    "cosigner": set(),
    "other_member": set(),
    "leader": set(),
    "foreign_staff": set(),
}

FUNCTIONS = {
    "submit": services.submit_proposal,
    "withdraw": services.withdraw_proposal,
    "accept": services.accept_proposal,
    "decline": services.decline_proposal,
    "merge": services.merge_proposal,
    "assign": services.assign_proposal,
    "object": services.object_to_assignment,
    "answer": services.answer_proposal,
    "release": services.release_answer,
    "return_answer": services.return_answer,
    "rate": services.rate_proposal,
    "close": services.close_proposal,
}


@pytest.fixture
def world(
    org,
    ufd_staff,
    liaison,
    student_department,
    support_department,
    support_liaison,
    other_liaison,
    member,
    submitter,
    cosigner_user,
    other_member,
    leader,
    other_personas,
):
    users = {
        "staff": ufd_staff,
        "lead": liaison,
        "support": support_liaison,
        "other_liaison": other_liaison,
        "submitter": member,
        "cosigner": cosigner_user,
        "other_member": other_member,
        "leader": leader,
        "foreign_staff": other_personas[Role.UFD_STAFF],
    }
    cosigner = Person.objects.get(user=cosigner_user)

    def build(status):
        proposal = make_proposal(org, submitter, status, lead=student_department, support=[support_department])
        CoSigner.objects.create(proposal=proposal, person=cosigner)
        return proposal

    def kwargs(action):
        return {
            "withdraw": {"reason": ""},
            "decline": {"reason": "不属于学校职责范围"},
            "merge": {"into": make_proposal(org, submitter, Status.ACCEPTED)},
            "assign": {"lead": student_department, "support": [support_department]},
            "object": {"reason": "应由后勤处主办"},
            "answer": {"outcome": Outcome.ADOPTED, "text": "已采纳，将于下学期实施。"},
            "return_answer": {"reason": "请写明实施时间"},
            "rate": {"rating": Rating.SATISFIED},
        }.get(action, {})

    return users, build, kwargs


def test_every_action_has_one_function():
    assert set(FUNCTIONS) == set(services.ACTIONS)


@pytest.mark.parametrize(("status", "action"), sorted(TRANSITIONS))
def test_allowed_transition_for_its_roles_only(world, status, action):
    users, build, kwargs = world
    transition = TRANSITIONS[(status, action)]
    for actor, roles in ACTORS.items():
        proposal = build(status)
        if roles & transition.roles:
            after = FUNCTIONS[action](proposal, by=users[actor], **kwargs(action))
            assert after.status in transition.to, actor
            assert after.events.filter(action=action).exists(), actor
        else:
            with pytest.raises(services.NotAllowed):
                FUNCTIONS[action](proposal, by=users[actor], **kwargs(action))
            proposal.refresh_from_db()
            assert proposal.status == status, actor


FORBIDDEN = [(s, a) for s in Status.values for a in sorted(FUNCTIONS) if (s, a) not in TRANSITIONS]


@pytest.mark.parametrize(("status", "action"), FORBIDDEN)
def test_forbidden_transition_for_every_role(world, status, action):
    users, build, kwargs = world
    proposal = build(status)
    for actor in ACTORS:
        with pytest.raises(services.NotAllowed):
            FUNCTIONS[action](proposal, by=users[actor], **kwargs(action))
        proposal.refresh_from_db()
        assert proposal.status == status, actor


def test_allowed_actions_matches_the_table(world):
    users, build, _ = world
    proposal = build(Status.SUBMITTED)
    assert services.allowed_actions(proposal, users["staff"]) == ["accept", "decline", "merge"]
    assert services.allowed_actions(proposal, users["submitter"]) == ["withdraw"]
    assert services.allowed_actions(proposal, users["leader"]) == []
    assigned = build(Status.ASSIGNED)
    assert services.allowed_actions(assigned, users["lead"]) == ["object", "answer"]
    assert services.allowed_actions(assigned, users["support"]) == []
