"""Benchmark the plan parser: the seed (< 20 ms) and generated plans of 500/1000/2000 items (2000 in < 1 s).

Run: python bench/bench_parser.py   (exits 1 when a target is missed)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plans.parsing import parse_plan
from plans.parsing.numerals import int_to_cn

SEED = ROOT.parent / "shared" / "seeds" / "000_28af86dc0943f269.txt"
SEED_TARGET_MS = 20.0
LARGE_TARGET_MS = 1000.0


def generated_plan(items: int, *, per_section: int = 20) -> str:
    """A plan of ``items`` items in sections of ``per_section``, with tags, targets and inline points."""
    lines = ["某某学院2024年统一战线工作要点", "为做好2024年学校统战工作，结合学校实际，制定本要点。"]
    for n in range(1, items + 1):
        if n % per_section == 1:
            section = (n - 1) // per_section + 1
            lines.append(f"{int_to_cn(section)}、加强第{section}部分工作，推进高质量发展")
        lines.append(
            f"{n}.持续深化第{n}项工作。组织党外人士深入学习习近平新时代中国特色社会主义思想，召开1次专题座谈会，"
            f"一是加强政治引领；二是开展调查研究；三是每季度组织一次交流。（牵头部门：党委统战部；配合部门：党委宣传部、人事处）"
        )
    return "\n".join(lines)


def median_ms(data: bytes | str, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.process_time()
        parse_plan(data)
        timings.append((time.process_time() - started) * 1000)
    return statistics.median(timings)


def main() -> int:
    ok = True
    seed = SEED.read_bytes()
    parse_plan(seed)  # warm up imports and regex caches
    seed_ms = median_ms(seed, 50)
    print(f"seed ({len(seed)} bytes): median {seed_ms:.2f} ms CPU (target < {SEED_TARGET_MS:.0f} ms)")
    ok &= seed_ms < SEED_TARGET_MS
    previous = None
    for items in (500, 1000, 2000):
        text = generated_plan(items)
        ms = median_ms(text, 5)
        growth = f", x{ms / previous:.2f} for x2 items" if previous else ""
        print(f"generated plan of {items} items ({len(text)} chars): median {ms:.1f} ms CPU{growth}")
        previous = ms
        if items == 2000:
            ok &= ms < LARGE_TARGET_MS
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
