"""Reading and writing hostile Markdown: the inputs that make naive parsers quadratic.

    .venv/bin/python bench/markdown_hostile.py

Prints, per input, the seconds to read it into a document and to write that document back
(best of three). The test suite checks these inputs read back correctly; the time is measured
here, not asserted in a test (the machine is shared and noisy). Results: bench/RESULTS.md.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab.settings")

HOSTILE = {
    "openers": "*a " * 10_000,
    "brackets": "[" * 10_000 + "]" * 10_000,
    "mixed-delimiters": "**_" * 10_000,
    "backtick-runs": "`" * 3000 + "x",
    "wide-table": "| a " * 3000 + "\n" + "|-" * 3000 + "\n" + "| b " * 3000,
}


def best_of_three(work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(3):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    import django

    django.setup()
    from rooms.documents.content.markdown import parse
    from rooms.documents.content.render import document_markdown

    print(f"{'input':<18} {'bytes':>8} {'read s':>8} {'write s':>8}")
    for name, source in HOSTILE.items():
        document = {"type": "doc", "content": parse(source)}
        read = best_of_three(lambda source=source: parse(source))
        write = best_of_three(lambda document=document: document_markdown(document))
        print(f"{name:<18} {len(source):>8} {read:>8.3f} {write:>8.3f}")


if __name__ == "__main__":
    main()
