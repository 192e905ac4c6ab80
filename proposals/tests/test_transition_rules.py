"""The workflow rules written out by hand from the requirement (PRODUCT.md module 4 and the README's
workflow paragraph), independently of `services.TRANSITIONS`, so that a change to the table that the
requirement does not ask for fails here.

draft → submitted (the author) → withdrawn (the author) | declined, merged, accepted (UFD staff);
accepted → merged | assigned (UFD staff); assigned → re-assigned (staff) | objected back to accepted
(the lead, within 7 days) | answered (the lead; straight to answered, or to UFD review first);
answer review → released (answered, or closed for a second answer) | returned (staff);
answered → rated by the submitter (满意/基本满意 close it, 不满意 sends it back once → rehandling) |
closed by staff; rehandling → answered again by the lead (review or closed); closed → rated again."""

from proposals.services import AUTHOR, LEAD, STAFF, SUBMITTER, TRANSITIONS

RULES = {
    ("draft", "submit"): ({"submitted"}, {AUTHOR}),
    ("submitted", "withdraw"): ({"withdrawn"}, {AUTHOR}),
    ("submitted", "accept"): ({"accepted"}, {STAFF}),
    ("submitted", "decline"): ({"declined"}, {STAFF}),
    ("submitted", "merge"): ({"merged"}, {STAFF}),
    ("accepted", "merge"): ({"merged"}, {STAFF}),
    ("accepted", "assign"): ({"assigned"}, {STAFF}),
    ("assigned", "assign"): ({"assigned"}, {STAFF}),
    ("assigned", "object"): ({"accepted"}, {LEAD}),
    ("assigned", "answer"): ({"answer_review", "answered"}, {LEAD}),
    ("rehandling", "answer"): ({"answer_review", "closed"}, {LEAD}),
    ("answer_review", "release"): ({"answered", "closed"}, {STAFF}),
    ("answer_review", "return_answer"): ({"assigned", "rehandling"}, {STAFF}),
    ("answered", "rate"): ({"closed", "rehandling"}, {SUBMITTER}),
    ("closed", "rate"): ({"closed"}, {SUBMITTER}),
    ("answered", "close"): ({"closed"}, {STAFF}),
}


def test_transition_table_is_exactly_the_written_rules():
    table = {key: (set(t.to), set(t.roles)) for key, t in TRANSITIONS.items()}
    assert table == RULES


def test_no_step_leaves_a_final_state():
    finals = {"withdrawn", "declined", "merged"}
    assert not [key for key in TRANSITIONS if key[0] in finals]


def test_support_departments_and_leaders_never_move_a_suggestion():
    for transition in TRANSITIONS.values():
        assert transition.roles <= {AUTHOR, SUBMITTER, STAFF, LEAD}
