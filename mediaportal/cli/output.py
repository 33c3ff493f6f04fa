"""Printing: raw JSON for scripts (--json), small aligned tables and key/value lists for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, dict):
        return "/".join(_cell(v) for v in value.values() if v is not None) or "-"
    if isinstance(value, list):
        return ",".join(_cell(v.get("name", v.get("id")) if isinstance(v, dict) else v) for v in value) or "-"
    return str(value)


def print_table(rows: Iterable[dict], columns: Sequence[str]) -> None:
    rows = list(rows)
    if not rows:
        print("(none)")
        return
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths)).rstrip())
    for r in cells:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())


def print_fields(data: dict, skip: Sequence[str] = ()) -> None:
    keys = [k for k in data if k not in skip and not isinstance(data[k], (list, dict))]
    width = max((len(k) for k in keys), default=0)
    for k in keys:
        print(f"{k.ljust(width)}  {_cell(data[k])}")


def human_size(n: int | None) -> str:
    if n is None:
        return "-"
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(n)


def emit(args, data: Any, *, columns: Sequence[str] | None = None) -> None:
    """--json prints what the server sent; otherwise a table (lists) or key/value lines (objects)."""
    if getattr(args, "json", False):
        print_json(data)
    elif isinstance(data, list):
        print_table(data, columns or ("id",))
    else:
        print_fields(data)
