"""The quick read of plain canonical objects gives what the full read gives.

``canonical.plain_transcript`` reads a JSONL line's object when it is of the
plain kind and hands anything else to ``transcript_from_obj`` (returns
None). On generated objects, valid and not: whenever it answers, its
Transcript equals the full reader's; and a JSONL file reads the same, errors
and warnings included, as with the quick read switched off.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deescalate_lint import Linter
from deescalate_lint.errors import InputError
from deescalate_lint.readers import canonical, iter_sources, read_source
from deescalate_lint.readers.canonical import plain_transcript, transcript_from_obj

ROLES = Linter().roles

_speakers = st.sampled_from(["agent", "customer", "Agent ", "rep", "system", "", "  ", "who"])
_texts = st.one_of(st.text(max_size=20), st.none(), st.integers(), st.just(""))
_times = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-5, max_value=10**400),
    st.booleans(),
    st.just("1.0"),
    st.sampled_from([0, 0.5, 3, 12.25]),
)
_lint = st.one_of(st.none(), st.just({"ignore": ["DL101"]}), st.just("x"))


@st.composite
def turns(draw: st.DrawFn) -> object:
    item: dict[str, object] = {}
    if draw(st.integers(0, 9)):
        item["speaker"] = draw(_speakers)
    if draw(st.integers(0, 9)):
        item["text"] = draw(_texts)
    for key in ("start", "end"):
        if draw(st.booleans()):
            item[key] = draw(_times)
    if not draw(st.integers(0, 9)):
        item["lint"] = draw(_lint)
    return item if draw(st.integers(0, 19)) else draw(st.sampled_from([[], "turn", 3]))


@st.composite
def objects(draw: st.DrawFn) -> dict[str, object]:
    data: dict[str, object] = {"turns": draw(st.lists(turns(), max_size=5))}
    for key, values in (
        ("id", st.one_of(st.text(max_size=5), st.integers(), st.none(), st.booleans())),
        ("language", st.one_of(st.sampled_from(["en", "de"]), st.none(), st.integers())),
        ("channel", st.one_of(st.just("chat"), st.none(), st.just(3))),
        ("lint", _lint),
        ("meta", st.just({"x": 1})),
    ):
        if draw(st.booleans()):
            data[key] = draw(values)
    if not draw(st.integers(0, 19)):
        data["turns"] = draw(st.sampled_from([None, "x", {}]))
    return data


def _full(data: dict[str, object]) -> object:
    try:
        return transcript_from_obj(data, "<test>", ROLES, place="line 1", line=1)
    except InputError as exc:
        return exc


@settings(max_examples=500, deadline=None)
@given(objects())
def test_the_quick_read_answers_as_the_full_read(data: dict[str, object]) -> None:
    quick = plain_transcript(data, "<test>", ROLES, 1)
    if quick is not None:
        full = _full(data)
        assert quick == full
        assert isinstance(full, type(quick))
        # Lines do not take part in equality: compared on their own.
        assert [(t.line, t.column) for t in quick.turns] == [(t.line, t.column) for t in full.turns]


def test_plain_objects_take_the_quick_read() -> None:
    data = {
        "id": "c1",
        "language": "en",
        "turns": [
            {"speaker": "customer", "text": "Where is it?", "start": 0, "end": 2.5},
            {"speaker": "Agent", "text": "On its way.", "start": 2.5, "end": None},
            {"speaker": "system", "text": "[transferred]"},
        ],
        "meta": {"source": "x"},
    }
    quick = plain_transcript(data, "<test>", ROLES, 1)
    assert quick is not None and quick == _full(data)
    assert [t.start for t in quick.turns] == [0.0, 2.5]


@pytest.mark.parametrize(
    "turn",
    [
        {"speaker": "agent", "text": "x", "start": -1},
        {"speaker": "agent", "text": "x", "start": math.inf},
        {"speaker": "agent", "text": "x", "start": 3, "end": 1},
        {"speaker": "agent", "text": "x", "start": True},
        {"speaker": "agent", "text": "x", "lint": {"ignore": ["DL101"]}},
        {"speaker": "nobody", "text": "x"},
        {"speaker": "agent", "text": 3},
    ],
)
def test_anything_else_is_left_to_the_full_read(turn: dict[str, object]) -> None:
    assert plain_transcript({"turns": [turn]}, "<test>", ROLES, 1) is None


def test_a_jsonl_file_reads_the_same_without_the_quick_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        {"id": "a", "turns": [{"speaker": "agent", "text": "hi"}]},
        {"id": 7, "turns": [{"speaker": "customer", "text": "x", "start": -2}]},
        {"turns": [{"speaker": "ghost", "text": "boo"}]},
        {"turns": [{"speaker": "agent", "text": "x", "start": 5, "end": 1}]},
        {"messages": [{"role": "user", "content": "hello"}]},
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")

    def read() -> list[str]:
        out = []
        for source in iter_sources([str(path)]):
            for item in read_source(source, ROLES, None, {}):
                out.append(repr(item))
        return out

    quick = read()
    monkeypatch.setattr(canonical, "plain_transcript", lambda *args: None)
    from deescalate_lint.readers import json_shapes

    monkeypatch.setattr(json_shapes, "plain_transcript", lambda *args: None)
    assert read() == quick
