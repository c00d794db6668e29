"""The public run API: ``Linter.run`` / ``run_source`` yield one item per unit of output.

An item (``model.Linted``) is a transcript with its results, a notice about a
whole source, or a read error; items come in input order, clean transcripts
included, and ``--jobs`` gives the same items as one process.
"""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path

import pytest

from deescalate_lint import InputError, Linter
from deescalate_lint.engine import EMPTY_SOURCE, NO_TRANSCRIPTS, failed, source_notice
from deescalate_lint.model import Finding, Linted, Notice
from deescalate_lint.parallel import lint_paths_parallel
from deescalate_lint.readers import Source, coerce
from deescalate_lint.report import ReportContext, reporter

RUDE = "Calm down, that's not my fault."
CLEAN = "Thanks for waiting, I've changed the delivery address for you."


def _call(number: int, agent: str) -> str:
    turns = [{"speaker": "customer", "text": "Hi."}, {"speaker": "agent", "text": agent}]
    return json.dumps({"id": f"c{number}", "language": "en", "turns": turns})


@pytest.fixture
def inputs(tmp_path: Path) -> list[str]:
    lines = [_call(1, RUDE), _call(2, CLEAN), '{"id": "broken", "turns": [', _call(4, RUDE)]
    (tmp_path / "a_calls.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "b_empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "c_reply.md").write_text(f"Hi {{{{ name }}}},\n\n{RUDE}\n", encoding="utf-8")
    (tmp_path / "d_none.json").write_text("[]", encoding="utf-8")
    return [str(tmp_path), str(tmp_path / "missing.json"), str(tmp_path / "c_reply.md")]


def _shape(item: Linted) -> tuple[object, ...]:
    kind = "error" if item.error else "transcript" if item.transcript else "notice"
    name = item.transcript.id if item.transcript else None
    return (Path(item.source).name, kind, name, [r.code for r in item.results])


def test_items_come_in_input_order_with_errors_in_their_place(inputs: list[str]) -> None:
    shapes = [_shape(item) for item in Linter(language="en").run(inputs)]
    assert [s[:3] for s in shapes] == [
        ("a_calls.jsonl", "transcript", "c1"),
        ("a_calls.jsonl", "transcript", "c2"),
        ("a_calls.jsonl", "error", None),
        ("a_calls.jsonl", "transcript", "c4"),
        ("b_empty.txt", "notice", None),
        ("c_reply.md", "transcript", None),
        ("d_none.json", "notice", None),
        ("missing.json", "error", None),
        ("c_reply.md", "transcript", None),
    ]


def test_a_clean_transcript_is_an_item_without_findings(inputs: list[str]) -> None:
    clean = next(item for item in Linter(language="en").run(inputs[:1]) if _shape(item)[2] == "c2")
    assert clean.transcript is not None and clean.error is None
    assert not [r for r in clean.results if isinstance(r, Finding)]


def test_source_notices_and_errors_carry_no_transcript(inputs: list[str]) -> None:
    items = list(Linter(language="en").run(inputs))
    empty, blank = items[4], items[6]
    assert [n.message for n in empty.results if isinstance(n, Notice)] == [EMPTY_SOURCE]
    assert [n.message for n in blank.results if isinstance(n, Notice)] == [NO_TRANSCRIPTS]
    error = items[2]
    assert error.transcript is None and not error.results
    assert isinstance(error.error, InputError) and error.error.place == "line 3:28"
    assert error.outputs() == (error.error,)


def test_the_flat_api_is_the_items_flattened(inputs: list[str]) -> None:
    linter = Linter(language="en")
    flat = [o for item in linter.run(inputs) for o in item.outputs()]
    assert [str(x) for x in flat] == [str(x) for x in linter.lint_paths(inputs)]
    source = Source.from_text(Path(inputs[2]).read_text(encoding="utf-8"), label="<stdin>")
    assert list(linter.lint_source(source)) == [
        o for item in linter.run_source(source) for o in item.outputs()
    ]


def test_lint_transcript_and_the_item_builders() -> None:
    linter = Linter(language="en")
    transcript = coerce(f"Agent: {RUDE}", linter.roles)
    item = linter.lint_transcript(transcript)
    assert item.transcript is transcript and item.source == "<string>"
    assert list(item.results) == linter.results(transcript)
    notice = source_notice("x.txt", EMPTY_SOURCE)
    assert notice.transcript is None and notice.results[0].path == "x.txt"
    error = InputError("y.json", "invalid JSON", "line 1:2")
    assert failed(error) == Linted("y.json", error=error)


def test_read_errors_survive_a_worker_process() -> None:
    error = InputError("calls.jsonl", "invalid JSON: Expecting value", "line 8:30")
    back = pickle.loads(pickle.dumps(error))
    assert (back.path, back.detail, back.place, str(back)) == (
        error.path,
        error.detail,
        error.place,
        str(error),
    )


def test_parallel_items_are_the_serial_items(inputs: list[str]) -> None:
    serial = list(Linter(language="en").run(inputs))
    parallel = list(lint_paths_parallel(inputs, jobs=2, chunk_bytes=64, language="en"))
    assert [_shape(i) for i in parallel] == [_shape(i) for i in serial]
    assert [[r.to_dict() for r in i.results] for i in parallel] == [
        [r.to_dict() for r in i.results] for i in serial
    ]
    assert [str(i.error) for i in parallel] == [str(i.error) for i in serial]


def test_reporters_locate_a_template_from_the_item(inputs: list[str]) -> None:
    items = list(Linter(language="en").run(inputs[2:]))
    out = io.StringIO()
    reporter("concise")(items, out, ReportContext())
    assert out.getvalue().startswith(f"{inputs[2]}:3:1: DL102")
