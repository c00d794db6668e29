"""CSV exports: grouping by conversation, column names and options, errors, streaming."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from deescalate_lint import ConfigError, InputError, Linter, Notice, Role, Transcript
from deescalate_lint.readers import Source, check_reader_options, read_source, tabular
from deescalate_lint.roles import default_role_table

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def read(path: Path, options: dict[str, str] | None = None) -> list[Transcript | InputError]:
    checked = check_reader_options({"csv": options} if options is not None else None)
    return list(read_source(Source.file(path), default_role_table(), reader_options=checked))


def test_rows_grouped_by_conversation_with_times() -> None:
    items = read(FIXTURES / "calls.csv")
    assert all(isinstance(i, Transcript) for i in items)
    first, second = items
    assert isinstance(first, Transcript) and isinstance(second, Transcript)
    assert (first.id, second.id) == ("call-1", "call-2")
    assert (first.line, second.line) == (2, 5)
    assert [t.role for t in first.turns] == [Role.AGENT, Role.CUSTOMER, Role.AGENT]
    assert first.turns[1].text == "My heater broke, again, and it is freezing here."
    assert (first.turns[2].start, first.turns[2].end) == (6.5, 8.0)
    # mm:ss(.f) clock times
    assert [(t.start, t.end) for t in second.turns] == [(0.0, 1.5), (2.0, 4.5), (5.0, 7.0)]


def test_configured_columns_through_the_linter(tmp_path: Path) -> None:
    path = FIXTURES / "custom_columns.csv"
    (error,) = read(path)
    assert isinstance(error, InputError) and error.place == "row 1"
    assert "Call ID, Who, Utterance, Lang" in error.detail

    options = {"conversation": "call id", "speaker": "Who", "text": "utterance", "language": "LANG"}
    linter = Linter(reader_options={"csv": options})
    results = list(linter.lint_paths([str(path)]))
    assert not [r for r in results if isinstance(r, InputError)]
    findings = [r for r in results if not isinstance(r, (Notice, InputError))]
    # The semicolon delimiter is found from the header; the language column is read.
    # Two defensive behaviours in one stretch: one finding that names both; and the
    # reply acknowledges nothing of an overcharge the customer reported (missing-empathy).
    assert [(f.rule, f.transcript, f.turn, f.evidence, f.language) for f in findings] == [
        ("defensive-phrasing", "A-7", 2, "Calm down, that is not my fault", "en"),
        ("missing-empathy", "A-7", 2, "Calm down, that is not my fault", "en"),
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"csv": {"speker": "who"}}, "unknown csv reader option 'speker'"),
        ({"csv": {"speaker": 3}}, "must be a string"),
        ({"csv": {"delimiter": ",,"}}, "one character"),
        ({"csv": {"time-unit": "minutes"}}, "'s' or 'ms'"),
        ({"xlsx": {}}, "unknown input format 'xlsx'"),
        ({"json": {"speaker": "who"}}, "takes no options"),
    ],
)
def test_bad_reader_options_fail_when_the_linter_is_built(
    options: dict[str, dict[str, object]], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        Linter(reader_options=options)  # type: ignore[arg-type]


def test_reappearing_conversation_is_a_separate_transcript_with_a_notice() -> None:
    items = read(FIXTURES / "split_conversation.csv")
    assert [(i.id, len(i.turns)) for i in items if isinstance(i, Transcript)] == [
        ("c1", 1),
        ("c2", 1),
        ("c1", 1),
    ]
    last = items[2]
    assert isinstance(last, Transcript)
    assert last.warnings and last.warnings[0].startswith("row 4: conversation 'c1' reappears")


def test_unreadable_row_drops_its_conversation_only() -> None:
    items = read(FIXTURES / "bad_rows.csv")
    errors = [i for i in items if isinstance(i, InputError)]
    transcripts = [i for i in items if isinstance(i, Transcript)]
    assert [(e.place, "'wizard'" in e.detail) for e in errors] == [("row 3", True)]
    assert [t.id for t in transcripts] == ["k2"]


def test_quoted_newlines_short_rows_ms_times_and_one_conversation_files(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "speaker,text,start_time,end_time\n"
        'agent,"Hello,\nhow can I help?",0,1500\n'
        "customer,It broke.,2000,3000\n"
        "agent\n",
        encoding="utf-8",
    )
    items = read(path, {"conversation": "", "time-unit": "ms"})
    assert [type(i).__name__ for i in items] == ["InputError"]
    error = items[0]
    assert (
        isinstance(error, InputError)
        and error.place == "row 4"
        and "only 1 columns" in error.detail
    )

    path.write_text(path.read_text(encoding="utf-8").replace("agent\n", ""), encoding="utf-8")
    (transcript,) = read(path, {"conversation": "", "time-unit": "ms"})
    assert isinstance(transcript, Transcript) and transcript.id is None
    assert transcript.turns[0].text == "Hello,\nhow can I help?"
    assert [(t.start, t.end) for t in transcript.turns] == [(0.0, 1.5), (2.0, 3.0)]


def test_bad_times_are_ignored_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "times.tsv"
    path.write_text(
        "call_id\trole\ttext\tstart\tend\nx\tagent\tHi.\tsoon\t2\nx\tcustomer\tHello.\t5\t3\n",
        encoding="utf-8",
    )
    (transcript,) = read(path)
    assert isinstance(transcript, Transcript)
    assert [(t.start, t.end) for t in transcript.turns] == [(None, 2.0), (None, None)]
    assert [w.split(":")[0] for w in transcript.warnings] == ["row 2", "row 3"]


class CountingSource(Source):
    """A file source that counts the lines handed to the reader."""

    consumed = 0

    def iter_lines(self) -> Iterator[tuple[int, str | InputError]]:
        for item in super().iter_lines():
            self.consumed += 1
            yield item


def write_big_csv(path: Path, conversations: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("conversation_id,speaker,text,start,end\n")
        for n in range(conversations):
            handle.write(f"c{n},agent,Hello and welcome to the help desk number {n}.,0,2\n")
            handle.write(f"c{n},customer,My order {n} never arrived and I am upset.,2.5,5\n")


def test_reading_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    write_big_csv(path, 3000)
    source = CountingSource(label=str(path), path=path)
    stream = read_source(source, default_role_table())
    first = next(stream)
    assert isinstance(first, Transcript) and first.id == "c0"
    # The first conversation comes out after reading a few lines, not 6001.
    assert source.consumed <= 5
    assert sum(1 for _ in stream) == 2999


def test_memory_stays_flat_in_file_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Peak memory while reading 4x the rows grows far less than 4x.

    The remembered ids are bounded (``SEEN_IDS_LIMIT``); lowered here so that
    the bound is reached with a file small enough for a quick test.
    """
    monkeypatch.setattr(tabular, "SEEN_IDS_LIMIT", 200)

    def peak(conversations: int) -> int:
        path = tmp_path / f"big{conversations}.csv"
        write_big_csv(path, conversations)
        tracemalloc.start()
        try:
            count = sum(1 for _ in read_source(Source.file(path), default_role_table()))
            _, top = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert count == conversations
        return top

    peak(50)  # warm caches (compiled patterns, the role table) outside the comparison
    small, large = peak(1000), peak(4000)
    assert large < small * 1.3, (small, large)


def test_remembered_ids_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "SEEN_IDS_LIMIT", 2)
    path = tmp_path / "ids.csv"
    rows = ["a", "b", "a", "c", "d", "a"]
    path.write_text(
        "id,role,text\n" + "".join(f"{r},agent,Hello.\n" for r in rows), encoding="utf-8"
    )
    items = read(path)
    # The first "a" is still remembered at row 4; by row 7 it has been forgotten.
    assert [bool(i.warnings) for i in items if isinstance(i, Transcript)] == [
        False,
        False,
        True,
        False,
        False,
        False,
    ]
