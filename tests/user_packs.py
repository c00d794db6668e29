"""User rule packs written by tests: a folder with a ``rule.toml`` and an ``en.toml``."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

CITATION = """
[[citations]]
document = "000_c07f92b760b51e7a"
section = "Tarjoa ratkaisu"
lines = [29, 29]
key_phrase = "ellet ole varma"
gloss = "Offer only what you can deliver."
"""


def make_pack(
    root: Path,
    slug: str,
    code: str,
    patterns: list[str],
    extra_files: dict[str, str] | None = None,
    logic: str = "phrase",
    options: str = "",
) -> Path:
    """A user rule pack folder ``root/slug`` with one English rule (``phrase`` unless
    ``logic`` says otherwise; ``options`` is the body of its ``[options]`` table).
    An ``en.toml`` in ``extra_files`` replaces the one made from ``patterns``."""
    folder = root / slug
    folder.mkdir(parents=True)
    (folder / "rule.toml").write_text(
        textwrap.dedent(
            f"""\
            code = "{code}"
            slug = "{slug}"
            logic = "{logic}"
            message = "Custom check."
            suggestion = "Say it another way."
            """
        )
        + (f"\n[options]\n{options}\n" if options else "")
        + CITATION,
        encoding="utf-8",
    )
    listed = ", ".join(json.dumps(p) for p in patterns)
    (folder / "en.toml").write_text(
        textwrap.dedent(
            f"""\
            [patterns]
            trigger = [{listed}]

            [examples]
            should_flag = ["[[bananas]] again"]
            should_not_flag = ["apples again"]
            """
        ),
        encoding="utf-8",
    )
    for name, content in (extra_files or {}).items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder
