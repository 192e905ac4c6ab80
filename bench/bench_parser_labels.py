"""The parser against the hand-labelled documents (plans/tests/fixtures/labelled): node precision,
recall and F1, department sets exact and targets exact, per document and overall, and the time for
the whole set. Targets (issue 15): F1 ≥ 0.98, departments ≥ 0.95, the whole set in < 1 s.

Run: python bench/bench_parser_labels.py   (exits 1 when a target is missed)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plans.parsing import parse_plan
from plans.tests.scoring import labelled_documents, score


def main() -> int:
    documents = labelled_documents()
    started = time.perf_counter()
    results = [
        (doc, score(labels, parse_plan(doc.read_bytes(), filename=doc.name).to_dict())) for doc, labels in documents
    ]
    elapsed = time.perf_counter() - started
    print(f"{'document':44} {'nodes':>5} {'P':>5} {'R':>5} {'F1':>5} {'dept':>5} {'tgt':>5} title")
    total = None
    for doc, r in results:
        total = r if total is None else total + r
        figures = f"{r.precision:5.2f} {r.recall:5.2f} {r.f1:5.2f} {r.departments:5.2f} {r.targets:5.2f}"
        print(f"{doc.name:44} {r.expected:5d} {figures} {'ok' if r.title_ok else 'WRONG'}")
    label = f"overall ({len(results)} documents)"
    figures = (
        f"{total.precision:5.3f} {total.recall:5.3f} {total.f1:5.3f} {total.departments:5.3f} {total.targets:5.3f}"
    )
    print(f"{label:44} {total.expected:5d} {figures}")
    print(f"time for the whole set: {elapsed * 1000:.0f} ms")
    ok = total.f1 >= 0.98 and total.departments >= 0.95 and elapsed < 1.0
    print("targets met" if ok else "TARGET MISSED: F1 >= 0.98, departments >= 0.95, < 1 s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
