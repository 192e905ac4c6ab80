"""The parser against documents labelled by hand before any parser was run on them
(`fixtures/labelled/`, see its README). Issue 15's bar: node F1 ≥ 0.98 and department sets exact
≥ 0.95 over the whole set. The per-document table is printed by `make bench`
(`bench/bench_parser_labels.py`)."""

import pytest

from plans.parsing import parse_plan
from plans.tests.scoring import labelled_documents, score

DOCUMENTS = labelled_documents()


def _total():
    total = None
    for document, labels in DOCUMENTS:
        result = score(labels, parse_plan(document.read_bytes(), filename=document.name).to_dict())
        total = result if total is None else total + result
    return total


def test_the_labelled_set_is_large_and_says_how_it_was_labelled():
    assert len(DOCUMENTS) >= 30
    for document, labels in DOCUMENTS:
        assert document.exists(), document.name
        assert "by hand" in labels["method"] and labels["labelled_by"]


def test_node_f1_and_department_sets_meet_the_bar():
    total = _total()
    assert total.f1 >= 0.98
    assert total.departments >= 0.95


@pytest.mark.parametrize("expected", [(1, 0), (0, 1)])
def test_scoring_counts_a_missing_and_an_extra_node(expected):
    missing, extra = expected
    node = {"marker": "1.", "number": 1, "title": "加强学习", "departments": {"lead": [], "support": []}, "targets": []}
    labels = {"title": "t", "sections": [dict(node, children=[])] * (1 + missing)}
    found = {"title": "t", "sections": [dict(node, children=[])] * (1 + extra)}
    result = score(labels, found)
    assert (result.expected, result.found, result.matched) == (1 + missing, 1 + extra, 1)
    assert result.f1 == pytest.approx(2 / 3 if (missing or extra) else 1.0)
