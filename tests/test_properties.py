"""Property-based tests (hypothesis): any transcript, the engine holds its promises.

Strategies draw transcripts with any Unicode, any speaker mix, any
timestamps (None, NaN, overlapping, reversed), any language mix, template
placeholders, quotes, transcription markers and real trigger phrases (so
that findings actually happen). Properties: the engine never raises; every
finding's evidence is its own agent turn's ``text[start:end]``; results are
identical across runs and linters, and do not change when unrelated
transcripts are added to or removed from the same batch; writing then
reading the canonical JSON gives the same transcript back.
"""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deescalate_lint as dl
from deescalate_lint.model import Finding, Role, Transcript, Turn
from deescalate_lint.readers import Source
from deescalate_lint.readers.canonical import transcript_from_obj, transcript_to_dict
from deescalate_lint.roles import default_role_table

#: Moderate for CI; set DEESCALATE_PROPERTY_EXAMPLES=2000 for a deeper hunt.
SETTINGS = settings(
    max_examples=int(os.environ.get("DEESCALATE_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Pieces that make rules fire (or nearly fire) in every supported language.
SNIPPETS = (
    "Calm down",
    "That's not my fault",
    "I guarantee it will arrive tomorrow",
    "I can't guarantee",
    "I'm sorry",
    "I apologise",
    "so sorry",
    "please send us an email",
    "as I already told you",
    "Beruhigen Sie sich",
    "Das ist nicht meine Schuld",
    "Es tut mir leid",
    "Ich garantiere",
    "Rauhoittukaa",
    "Pahoittelemme",
    "Lupaan",
    "请冷静",
    "这不是我的错",
    "我保证",
    "对不起",
    "진정하세요",
    "죄송합니다",
    "보장합니다",
    "let me stop you there",
    "let me finish",
    "--",
    "[crosstalk]",
    "(inaudible)",
    "...",
    "mhm",
    "THIS IS RIDICULOUS!!",
    "{{ customer.name }}",
    "{name}",
    "%AGENT%",
    "${x}",
    "{% if x %}",
    '"Calm down"',
    "“I guarantee it”",
    "«ruhig»",
    "「冷静」",
    " ",
    "\n",
    "\t",
    "\u00a0",
    "’",
    "\u200b",
    "\ufeff",
)
TEXT = st.lists(
    st.one_of(
        st.sampled_from(SNIPPETS), st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
    ),
    max_size=8,
).map("".join)
TIME = st.one_of(
    st.none(),
    st.floats(min_value=0, max_value=600),
    st.sampled_from([math.nan, math.inf, -1.0, 0.0]),
)
LANGUAGE = st.sampled_from([None, "en", "de", "fi", "zh", "ko", "fr", "", "en-US", "ZH_cn"])
ROLE_LABELS = {
    Role.AGENT: ("agent", "Agent", "rep", "상담원"),
    Role.CUSTOMER: ("customer", "caller", "Kunde", "고객"),
}


@st.composite
def turns(draw: st.DrawFn) -> Turn:
    role = draw(st.sampled_from([Role.AGENT, Role.CUSTOMER]))
    return Turn(
        speaker=draw(st.sampled_from(ROLE_LABELS[role])),
        role=role,
        text=draw(TEXT),
        start=draw(TIME),
        end=draw(TIME),
    )


@st.composite
def transcripts(draw: st.DrawFn, ident: str | None = None) -> Transcript:
    return Transcript(
        turns=tuple(draw(st.lists(turns(), max_size=8))),
        id=ident or draw(st.text(max_size=6)),
        language=draw(LANGUAGE),
        template=draw(st.booleans()),
    )


def dicts(results: list[Any]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in results]


LINTER = dl.Linter()


@SETTINGS
@given(transcripts())
def test_engine_never_raises_and_evidence_is_the_turn_slice(transcript: Transcript) -> None:
    results = LINTER.results(transcript)
    for result in results:
        if isinstance(result, Finding):
            turn = transcript.turns[result.turn]
            assert turn.role is Role.AGENT
            assert 0 <= result.start < result.end <= len(turn.text)
            assert result.evidence == turn.text[result.start : result.end]
            assert result.speaker == turn.speaker


@SETTINGS
@given(transcripts())
def test_results_are_identical_across_runs_and_linters(transcript: Transcript) -> None:
    first = dicts(LINTER.results(transcript))
    assert dicts(LINTER.results(transcript)) == first
    assert dicts(dl.Linter().results(transcript)) == first


def _jsonl(batch: list[Transcript]) -> str:
    return "\n".join(json.dumps(transcript_to_dict(t), ensure_ascii=False) for t in batch)


def _known_times(transcript: Transcript) -> Transcript:
    """JSON has no NaN in the canonical writer's output; keep finite times only."""
    return Transcript(
        turns=tuple(
            Turn(
                t.speaker,
                t.role,
                t.text,
                t.start
                if t.start is not None and math.isfinite(t.start) and t.start >= 0
                else None,
                t.end if t.end is not None and math.isfinite(t.end) and t.end >= 0 else None,
            )
            for t in transcript.turns
        ),
        id=transcript.id,
        language=transcript.language,
    )


@SETTINGS
@given(
    transcripts(ident="target"),
    st.lists(transcripts(), max_size=3),
    st.lists(transcripts(), max_size=3),
)
def test_other_transcripts_in_the_batch_change_nothing(
    target: Transcript, before: list[Transcript], after: list[Transcript]
) -> None:
    target = _known_times(target)
    others = [
        Transcript(_known_times(t).turns, id=f"other{i}", language=t.language)
        for i, t in enumerate([*before, *after])
    ]

    def results_for_target(batch: list[Transcript]) -> list[dict[str, Any]]:
        linter = dl.Linter(input_format="jsonl")
        items = linter.lint_source(Source.from_text(_jsonl(batch), label="batch.jsonl"))
        mine = [
            i.to_dict()
            for i in items
            if not isinstance(i, dl.InputError) and i.transcript == "target"
        ]
        for record in mine:  # where the transcript sits in the file may differ; nothing else
            if record["kind"] == "notice":
                record["message"] = re.sub(r"^line \d+ ", "line N ", str(record["message"]))
        return mine

    alone = results_for_target([target])
    assert results_for_target([*others[: len(before)], target, *others[len(before) :]]) == alone
    assert results_for_target([target, *reversed(others)]) == alone


@st.composite
def canonical_objects(draw: st.DrawFn) -> dict[str, Any]:
    turn_list = []
    for _ in range(draw(st.integers(0, 6))):
        item: dict[str, Any] = {
            "speaker": draw(
                st.sampled_from([*ROLE_LABELS[Role.AGENT], *ROLE_LABELS[Role.CUSTOMER], "system"])
            ),
            "text": draw(TEXT),
        }
        for key in ("start", "end"):
            value = draw(TIME)
            if value is not None or draw(st.booleans()):
                item[key] = value
        if draw(st.booleans()):
            item["lint"] = {
                "ignore": draw(st.lists(st.sampled_from(["DL101", "DL102", "over-apologising"])))
            }
        turn_list.append(item)
    obj: dict[str, Any] = {"turns": turn_list}
    for key, strategy in (
        ("id", st.text(max_size=8)),
        ("language", LANGUAGE),
        ("channel", st.sampled_from(["chat", "call"])),
    ):
        if draw(st.booleans()):
            obj[key] = draw(strategy)
    if draw(st.booleans()):
        obj["lint"] = {"ignore": draw(st.lists(st.sampled_from(["DL1", "DL104"]), max_size=2))}
    return obj


@SETTINGS
@given(canonical_objects())
def test_canonical_json_round_trips(obj: dict[str, Any]) -> None:
    roles = default_role_table()
    # Through real JSON text, as a file would hold it (NaN and Infinity included).
    first = transcript_from_obj(json.loads(json.dumps(obj)), "t.json", roles)
    written = json.dumps(transcript_to_dict(first), ensure_ascii=False)
    again = transcript_from_obj(json.loads(written), "t.json", roles)
    assert again.turns == first.turns
    assert (again.id, again.language, again.channel, again.ignore) == (
        first.id,
        first.language,
        first.channel,
        first.ignore,
    )
    assert not again.warnings  # what was written is clean: bad times were dropped on the first read
    assert json.dumps(transcript_to_dict(again), ensure_ascii=False) == written
