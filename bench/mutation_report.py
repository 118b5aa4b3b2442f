"""The share of mutants killed per module after `mutmut run` (`make mutation`), read from mutmut's own records
(mutants/<module>.py.meta), with the survivors listed (`mutmut show <name>` prints one).

A mutant no test reaches ("no tests") counts as survived: a change nothing notices is what this measures. The goal
(issue 35) is 90% killed over the modules [tool.mutmut] names. Ends with one line of key=value figures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KILLED = {1, 3, 37}  # tests failed, pytest's own error, caught by the type check
NOT_RUN = {None, 2, 34}  # not checked yet, interrupted, skipped: left out of the share
GOAL = 0.90


def main(root: Path = Path("mutants")) -> int:
    metas = sorted(root.rglob("*.py.meta"))
    if not metas:
        print("no mutmut results: run `make mutation` (or `mutmut run`) first", file=sys.stderr)
        return 1
    total_killed = total = 0
    survivors: list[str] = []
    print(f"{'module':42} {'mutants':>8} {'killed':>7} {'share':>6}")
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        counted = {name: code for name, code in codes.items() if code not in NOT_RUN}
        if not counted:
            continue
        killed = sum(1 for code in counted.values() if code in KILLED)
        survivors += sorted(name for name, code in counted.items() if code not in KILLED)
        total_killed, total = total_killed + killed, total + len(counted)
        module = str(meta.relative_to(root)).removesuffix(".meta")
        print(f"{module:42} {len(counted):8} {killed:7} {killed / len(counted):6.1%}")
    share = total_killed / total if total else 0.0
    if survivors:
        print("\nsurvived (mutmut show <name>):")
        print("\n".join(f"  {name}" for name in survivors))
    print(f"\nmutants={total} killed={total_killed} killed_share={share:.3f} goal={GOAL} met={share >= GOAL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
