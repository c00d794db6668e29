"""CSV exports (``.csv``, ``.tsv``): one row per turn, grouped by a conversation id.

Columns are found by name in the header row (case, spaces and hyphens do not
matter), from the reader options or else the first alias present:

* conversation: ``conversation_id``, ``conversation``, ``call_id``, ``chat_id``,
  ``contact_id``, ``ticket_id``, ``session_id``, ``id``
* speaker: ``speaker_role``, ``participant_role``, ``role``, ``speaker``,
  ``participant``, ``author``, ``sender`` (a role column wins over a name column)
* text: ``text``, ``message``, ``utterance``, ``content``, ``transcript``, ``body``
* start / end (optional): ``start``, ``start_time``, ``begin``, ``begin_time`` /
  ``end``, ``end_time``, ``stop``; seconds, ``mm:ss(.fff)`` or ``hh:mm:ss(.fff)``,
  or milliseconds with ``time-unit = "ms"``
* language (optional): ``language``, ``lang``, ``language_code``, ``locale``
* agent metadata (optional, the first non-empty cell of a conversation):
  agent ``agent``, ``agent_name``, ``agent_id``; team ``team``, ``team_name``;
  queue ``queue``, ``queue_name``; date ``date``, ``call_date``,
  ``contact_date``, ``conversation_date``

Options (``Linter(reader_options={"csv": {...}})``): ``conversation``,
``speaker``, ``text``, ``start``, ``end``, ``language``, ``agent``, ``team``,
``queue``, ``date`` (column names),
``delimiter`` (else from the extension, else the commonest of ``, ; tab |``
in the header), ``time-unit`` (``s`` or ``ms``). ``conversation = ""`` reads a
file without an id column as one conversation.

Streaming: rows are read through the csv module over the line stream and a
conversation is linted as soon as the next one starts, so memory does not grow
with the file. That needs the rows of one conversation to be contiguous (as
exports sorted by conversation and time are). A conversation id that comes
back after other conversations starts a new transcript with the same id and a
notice naming the row, rather than being silently merged or dropped. For that
the last ``SEEN_IDS_LIMIT`` conversation ids are remembered (a bounded
first-in-first-out set, so memory stays flat even then; a conversation that
comes back after more than that many others is not noticed). Places are
spreadsheet rows: the header is ``row 1``. An unreadable row (unknown
speaker, missing cells) is an error naming it, and its conversation is not
linted (a missing turn would mislead the rules that read the turn before);
the other conversations still are.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError, InputError
from ..model import METADATA_FIELDS, Role, Transcript, Turn, metadata
from ..regexes import compile_pattern
from ..roles import SKIP, RoleTable
from .common import seconds
from .registry import ReadItem, register
from .source import Source
from .text import parse_timestamp

ALIASES: dict[str, tuple[str, ...]] = {
    "conversation": (
        "conversation_id",
        "conversation",
        "call_id",
        "chat_id",
        "contact_id",
        "ticket_id",
        "session_id",
        "id",
    ),
    "speaker": (
        "speaker_role",
        "participant_role",
        "role",
        "speaker",
        "participant",
        "author",
        "sender",
    ),
    "text": ("text", "message", "utterance", "content", "transcript", "body"),
    "start": ("start", "start_time", "begin", "begin_time"),
    "end": ("end", "end_time", "stop"),
    "language": ("language", "lang", "language_code", "locale"),
    "agent": ("agent", "agent_name", "agent_id"),
    "team": ("team", "team_name"),
    "queue": ("queue", "queue_name"),
    "date": ("date", "call_date", "contact_date", "conversation_date"),
}
_COLUMNS = tuple(ALIASES)
_DELIMITERS = (",", ";", "\t", "|")
#: How many recent conversation ids are remembered to notice one coming back.
SEEN_IDS_LIMIT = 100_000
_CLOCK = compile_pattern(r"^\d+(?::\d{1,2}){1,2}(?:[.,]\d+)?$")


@dataclass(frozen=True)
class CsvOptions:
    columns: Mapping[str, str]
    delimiter: str | None = None
    time_unit: str = "s"


def check_csv_options(options: Mapping[str, Any]) -> CsvOptions:
    """Validate the ``csv`` reader options; unknown keys and bad values are errors."""
    known = {*_COLUMNS, "delimiter", "time-unit"}
    columns: dict[str, str] = {}
    for key, value in options.items():
        if key not in known:
            raise ConfigError(
                f"unknown csv reader option {key!r} (known: {', '.join(sorted(known))})"
            )
        if not isinstance(value, str):
            raise ConfigError(f"csv reader option {key!r} must be a string, got {value!r}")
        if key in _COLUMNS:
            if not value.strip() and key != "conversation":
                raise ConfigError(f"csv reader option {key!r} must name a column")
            columns[key] = value
    delimiter = options.get("delimiter")
    if delimiter is not None and (len(delimiter) != 1 or delimiter in "\r\n\"'"):
        raise ConfigError(f"csv reader option 'delimiter' must be one character, got {delimiter!r}")
    unit = options.get("time-unit", "s")
    if unit not in ("s", "ms"):
        raise ConfigError(f"csv reader option 'time-unit' must be 's' or 'ms', got {unit!r}")
    return CsvOptions(columns=columns, delimiter=delimiter, time_unit=unit)


def normalise_column(name: str) -> str:
    return "_".join(name.strip().lstrip("\ufeff").lower().replace("-", " ").split())


def find_columns(header: Sequence[str], options: CsvOptions) -> tuple[dict[str, int], list[str]]:
    """Column name -> index for each field found, and the problems (missing columns)."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(normalise_column(name), index)
    found: dict[str, int] = {}
    problems: list[str] = []
    for field in _COLUMNS:
        wanted = options.columns.get(field)
        if wanted is not None:
            if field == "conversation" and not wanted.strip():
                continue  # the whole file is one conversation
            if normalise_column(wanted) in positions:
                found[field] = positions[normalise_column(wanted)]
            else:
                problems.append(f"no column {wanted!r} (reader option csv.{field})")
            continue
        alias = next((a for a in ALIASES[field] if a in positions), None)
        if alias is not None:
            found[field] = positions[alias]
        elif field in ("speaker", "text"):
            problems.append(
                f"no {field} column (looked for {', '.join(ALIASES[field])}; set csv.{field})"
            )
        elif field == "conversation":
            problems.append(
                f"no conversation id column (looked for {', '.join(ALIASES[field])}; set "
                'csv.conversation, or csv.conversation = "" for a single conversation)'
            )
    return found, problems


def _guess_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _looks_like_csv(head: str) -> bool:
    """A header row naming a conversation, a speaker and a text column."""
    first = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    if not first or first.lstrip().startswith(("{", "[")):
        return False
    try:
        header = next(csv.reader([first], delimiter=_guess_delimiter(first)))
    except (csv.Error, StopIteration):
        return False
    names = {normalise_column(n) for n in header}
    return all(any(a in names for a in ALIASES[f]) for f in ("conversation", "speaker", "text"))


def parse_time(value: Any, unit: str = "s") -> float | None:
    """Seconds from a number or a clock string; None when empty. Raises ValueError."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        number = float(value)
        if math.isnan(number):
            return None
    else:
        text = str(value).strip()
        if not text:
            return None
        if _CLOCK.match(text):
            number = parse_timestamp(text)
            unit = "s"
        else:
            number = float(text)
    if unit == "ms":
        number /= 1000.0
    usable = seconds(number)
    if usable is None:
        raise ValueError(value)
    return usable


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class ConversationBuilder:
    """Rows of one conversation -> a ``Transcript`` (shared with ``lint_dataframe``)."""

    def __init__(
        self,
        conversation_id: str | None,
        label: str,
        roles: RoleTable,
        time_unit: str = "s",
        line: int | None = None,
    ) -> None:
        self.id = conversation_id
        self.label = label
        self.roles = roles
        self.time_unit = time_unit
        self.line = line
        self.turns: list[Turn] = []
        self.warnings: list[str] = []
        self.language: str | None = None
        #: ``agent``, ``team``, ``queue``, ``date``: the first non-empty value of each.
        self.metadata: dict[str, str] = {}
        self.broken = False
        self.row_line: int | None = None

    def add(
        self,
        place: str,
        speaker: Any,
        text: Any,
        start: Any = None,
        end: Any = None,
        language: Any = None,
        metadata: Mapping[str, Any] | None = None,
        line: int | None = None,
    ) -> InputError | None:
        """Add one row; an unreadable row returns its error (the first per conversation).
        ``line``: the file line where the row starts, if known."""
        self.row_line = line
        for key, value in (metadata or {}).items():
            if key not in self.metadata and not _missing(value) and str(value).strip():
                self.metadata[key] = str(value).strip()
        error = self._add(place, speaker, text, start, end, language)
        if error is None or self.broken:
            return None
        self.broken = True
        return error

    def _add(
        self, place: str, speaker: Any, text: Any, start: Any, end: Any, language: Any
    ) -> InputError | None:
        name = "" if _missing(speaker) else str(speaker).strip()
        if not name:
            return InputError(self.label, "empty speaker", place)
        role = self.roles.resolve(name)
        if role is None:
            return InputError(
                self.label,
                f"unknown speaker {name!r}: map it to agent, customer or skip in the role table",
                place,
            )
        if self.language is None and not _missing(language) and str(language).strip():
            self.language = str(language).strip()
        if role == SKIP or not isinstance(role, Role):
            return None
        said = "" if _missing(text) else str(text)
        times: list[float | None] = []
        for what, value in (("start", start), ("end", end)):
            try:
                times.append(parse_time(value, self.time_unit))
            except ValueError:
                self.warnings.append(
                    f"{place}: {what} time {value!r} is not a usable time; ignored"
                )
                times.append(None)
        first, last = times
        if first is not None and last is not None and last < first:
            self.warnings.append(
                f"{place}: end time is before start time; timing ignored for this turn"
            )
            first = last = None
        self.turns.append(
            Turn(speaker=name, role=role, text=said, start=first, end=last, line=self.row_line)
        )
        return None

    def build(self) -> Transcript | None:
        """The transcript, or None when a row of it could not be read."""
        if self.broken:
            return None
        return Transcript(
            turns=tuple(self.turns),
            id=self.id,
            language=self.language,
            path=self.label,
            line=self.line,
            warnings=tuple(self.warnings),
            **metadata(self.metadata),
        )


@register(
    "csv", extensions=(".csv", ".tsv"), sniff=_looks_like_csv, check_options=check_csv_options
)
def read_csv(source: Source, roles: RoleTable, options: Mapping[str, Any]) -> Iterator[ReadItem]:
    settings = check_csv_options(options)
    pending: list[InputError] = []

    def lines() -> Iterator[str]:
        for _number, line in source.iter_lines():
            if isinstance(line, InputError):
                pending.append(line)
                continue
            yield line + "\n"

    stream = lines()
    first = next(stream, None)
    yield from pending
    pending.clear()
    if first is None:
        return
    delimiter = settings.delimiter or ("\t" if source.suffix == ".tsv" else _guess_delimiter(first))

    def rejoined() -> Iterator[str]:
        yield first
        yield from stream

    reader = csv.reader(rejoined(), delimiter=delimiter)
    label = source.label
    try:
        header = next(reader)
    except csv.Error as exc:
        raise InputError(label, f"unreadable CSV header: {exc}", "row 1") from None
    columns, problems = find_columns(header, settings)
    if problems:
        raise InputError(label, "; ".join(problems) + f" (columns: {', '.join(header)})", "row 1")
    width = max(columns.values()) + 1
    # An insertion-ordered dict as a bounded FIFO set of recent ids.
    seen: dict[str, None] = {}
    current: ConversationBuilder | None = None
    row_number = 1
    while True:
        line_before = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield from pending
            yield InputError(
                label,
                f"unreadable CSV: {exc}; the rest of the file was not read",
                f"row {row_number + 1}",
            )
            break
        row_number += 1
        yield from pending
        pending.clear()
        place = f"row {row_number}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < width:
            yield InputError(label, f"only {len(row)} columns, expected at least {width}", place)
            if (
                current is not None
                and (current.id or "") == (_cell(row, columns.get("conversation")) or "").strip()
            ):
                current.broken = True  # a turn of it is missing: do not lint the rest alone
            continue
        conversation = row[columns["conversation"]].strip() if "conversation" in columns else ""
        if "conversation" in columns and not conversation:
            yield InputError(label, "empty conversation id", place)
            continue
        if current is None or current.id != (conversation or None):
            if current is not None:
                built = current.build()
                if built is not None:
                    yield built
            current = ConversationBuilder(
                conversation or None, label, roles, settings.time_unit, line=line_before + 1
            )
            if conversation in seen:
                current.warnings.append(
                    f"{place}: conversation {conversation!r} reappears after other conversations; "
                    "these rows are linted as a separate transcript (sort the file by conversation)"
                )
            seen[conversation] = None
            if len(seen) > SEEN_IDS_LIMIT:
                del seen[next(iter(seen))]
        error = current.add(
            place,
            row[columns["speaker"]],
            row[columns["text"]],
            _cell(row, columns.get("start")),
            _cell(row, columns.get("end")),
            _cell(row, columns.get("language")),
            {key: _cell(row, columns.get(key)) for key in METADATA_FIELDS},
            line=line_before + 1,
        )
        if error is not None:
            yield error
    yield from pending
    if current is not None:
        built = current.build()
        if built is not None:
            yield built


def _cell(row: Sequence[str], index: int | None) -> str | None:
    if index is None or index >= len(row):
        return None
    return row[index]
