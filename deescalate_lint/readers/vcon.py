"""vCon, the IETF draft container for conversations (draft-ietf-vcon-vcon-core).

A vCon lists ``parties`` (people, by ``name``, ``tel``, ``mailto``...), a
``dialog`` array (``text`` messages, ``recording`` media, ``transfer`` and
``incomplete`` records) and ``analysis`` (a ``transcript`` of a recording,
summaries, sentiment...). What this reader takes, and why (docs/vcon.md says
it for users):

* Parties become agent or customer through the role table, from the party's
  ``role``, then ``meta.role``, then ``name`` (``roles`` in the configuration
  maps a name such as "Alice"). A party that speaks and maps to neither is an
  error naming it: guessing who the agent is would judge the customer.
* ``text`` dialogs are turns: the originator (``originator``, else the first
  of ``parties``) said the ``body`` (``encoding`` none, base64url or json;
  ``multipart/*`` bodies give their ``text/plain`` part).
* ``recording`` dialogs are read through their ``transcript`` analysis: a list
  of segments (``text``, ``start``, ``end`` and ``party``, ``speaker`` or
  ``channel``), Deepgram-style ``results`` (utterances, or words grouped by
  speaker or channel), or plain ``Agent: ...`` text. Audio is never decoded.
* Times: each dialog's ``start`` (RFC 3339) counted from the earliest dialog
  of the vCon, plus a segment's own offset; ``duration`` gives the end (a
  text message without one ends as it starts: it was sent at an instant).
* ``uuid`` is the transcript's id; the agent party's ``name`` is its agent,
  the first dialog's date its date.
* A signed vCon (JWS: ``payload`` and ``signatures``) is read from its payload
  without checking the signature; an encrypted one (JWE) is refused.

Everything else is left alone, and what would have been read but could not
be (a URL-referenced body: there is no network; a transcript whose words all
carry one speaker although several parties spoke) is said in a notice.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from ..errors import InputError
from ..model import Role, Transcript
from ..roles import SKIP, RoleTable
from .common import Segment, kind, merge_segments, seconds
from .jsondoc import parse_json
from .registry import ReadItem, register
from .source import Source
from .text import parse_text


def is_vcon(data: Any) -> bool:
    """An unsigned vCon object: a ``vcon`` version and parties or dialog."""
    return isinstance(data, Mapping) and "vcon" in data and ("parties" in data or "dialog" in data)


def _is_signed(data: Any) -> bool:
    return isinstance(data, Mapping) and "payload" in data and "signatures" in data


def _is_encrypted(data: Any) -> bool:
    return isinstance(data, Mapping) and "ciphertext" in data and "protected" in data


@register("vcon", extensions=(".vcon",))
def read_vcon(source: Source, roles: RoleTable) -> Iterator[ReadItem]:
    """A ``.vcon`` file: one vCon (unsigned or signed), or a list of them."""
    data = parse_json(source.read_text(), source.label)
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        place = f"[{index}]" if isinstance(data, list) else None
        try:
            yield transcript_from_vcon(item, source.label, roles, place=place)
        except InputError as exc:
            yield exc


def transcript_from_vcon(
    data: Any,
    label: str,
    roles: RoleTable,
    place: str | None = None,
    line: int | None = None,
) -> Transcript:
    """One vCon object (unsigned, or signed with its payload inside) as a transcript."""

    def where(key: str) -> str:
        return f"{place} {key}" if place else key

    if _is_encrypted(data):
        raise InputError(label, "an encrypted vCon (JWE): decrypt it first", place)
    if _is_signed(data):
        data = _payload(data, label, where("payload"))
    if not is_vcon(data):
        raise InputError(
            label, "not a vCon: expected a 'vcon' version with 'parties' and 'dialog'", place
        )
    warnings: list[str] = []
    parties = _list(data, "parties", label, where)
    dialogs = _list(data, "dialog", label, where)
    starts = [_start(d) for d in dialogs]
    known = [s for s in starts if s is not None]
    origin = min(known) if known else None
    party_roles = _PartyRoles(parties, roles, label, where)
    transcripts = _transcripts(data.get("analysis"))
    said: list[Said] = []
    for index, dialog in enumerate(dialogs):
        at = where(f"dialog[{index}]")
        if not isinstance(dialog, Mapping):
            raise InputError(label, f"expected a dialog object, got {kind(dialog)}", at)
        began = starts[index]
        offset = (began - origin).total_seconds() if began and origin else None
        dialog_type = dialog.get("type")
        if dialog_type == "text":
            said.extend(_text_dialog(dialog, offset, party_roles, label, at, warnings))
        elif dialog_type == "recording":
            found = transcripts.get(index)
            if found is None:
                warnings.append(
                    f"{at}: a recording with no transcript analysis; its words were not checked"
                )
                continue
            said.extend(_recording(dialog, found, offset, party_roles, roles, label, at, warnings))
        # "transfer" and "incomplete" dialogs hold no words.
    turns = merge_segments([segment for _, segment in said], warnings)
    agent = party_roles.agent_name(party for party, _ in said if party >= 0)
    first = min(known).date().isoformat() if known else _date(data.get("created_at"))
    uuid = data.get("uuid")
    return Transcript(
        turns=turns,
        id=uuid if isinstance(uuid, str) and uuid.strip() else None,
        channel=_channel(dialogs),
        path=label,
        line=line,
        warnings=tuple(warnings),
        agent=agent,
        date=first,
    )


#: A segment and the index of the party who said it (-1: named in a text transcript).
Said = tuple[int, Segment]


def _said(party: int, speaker: str, role: Role, text: str, start: Any, end: Any) -> Said:
    return party, Segment(speaker, role, text, start, end)


class _PartyRoles:
    """Party index -> (speaker label, role), read once and checked where used."""

    def __init__(self, parties: Sequence[Any], roles: RoleTable, label: str, where: Any) -> None:
        self.parties = parties
        self.roles = roles
        self.label = label
        self.where = where

    def name(self, index: int) -> str:
        party = self.parties[index] if 0 <= index < len(self.parties) else None
        if isinstance(party, Mapping):
            for key in ("name", "role", "mailto", "tel", "uuid"):
                value = party.get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip()
        return f"party {index}"

    def role(self, index: int) -> Role | None:
        """The party's role; None for a party the role table says to skip."""
        at = self.where(f"parties[{index}]")
        if not 0 <= index < len(self.parties):
            raise InputError(self.label, f"no party {index} in 'parties'", at)
        party = self.parties[index]
        if not isinstance(party, Mapping):
            raise InputError(self.label, f"expected a party object, got {kind(party)}", at)
        meta = party.get("meta")
        candidates = [
            party.get("role"),
            meta.get("role") if isinstance(meta, Mapping) else None,
            party.get("name"),
        ]
        for candidate in candidates:
            if isinstance(candidate, str) and candidate.strip():
                found = self.roles.resolve(candidate)
                if found == SKIP:
                    return None
                if isinstance(found, Role):
                    return found
        raise InputError(
            self.label,
            f"party {index} ({self.name(index)}) is neither agent nor customer: give it a "
            "'role', or map its name in the role table ([tool.deescalate-lint.roles])",
            at,
        )

    def agent_name(self, spoken: Iterable[int]) -> str | None:
        for index in dict.fromkeys(spoken):
            if self.role(index) is Role.AGENT:
                party = self.parties[index]
                for key in ("name", "uuid"):
                    value = party.get(key) if isinstance(party, Mapping) else None
                    if isinstance(value, str) and value.strip():
                        return value.strip()
        return None


def _text_dialog(
    dialog: Mapping[str, Any],
    offset: float | None,
    party_roles: _PartyRoles,
    label: str,
    at: str,
    warnings: list[str],
) -> list[Said]:
    party = _originator(dialog, label, at)
    if party is None:
        warnings.append(f"{at}: a text dialog with no party; not checked")
        return []
    text = _body_text(dialog, label, at, warnings)
    if text is None:
        return []
    role = party_roles.role(party)
    if role is None:
        return []
    # A message is sent at an instant unless its typing time is given: end = start.
    end = offset + (_duration(dialog) or 0.0) if offset is not None else None
    return [_said(party, party_roles.name(party), role, text, offset, end)]


def _originator(dialog: Mapping[str, Any], label: str, at: str) -> int | None:
    originator = dialog.get("originator")
    if isinstance(originator, int) and not isinstance(originator, bool):
        return originator
    parties = dialog.get("parties")
    while isinstance(parties, list) and parties:
        parties = parties[0]
    if isinstance(parties, int) and not isinstance(parties, bool):
        return parties
    if parties is not None and parties != []:
        raise InputError(label, "'parties' must hold party indices", f"{at}.parties")
    return None


def _body_text(holder: Mapping[str, Any], label: str, at: str, warnings: list[str]) -> str | None:
    """The text of an inline body: decoded, and a multipart body's text/plain part."""
    body = holder.get("body")
    if body is None:
        if holder.get("url"):
            warnings.append(f"{at}: the body is at a URL, which is not fetched; not checked")
        return None
    encoding = str(holder.get("encoding") or "none").lower()
    if encoding == "base64url":
        if not isinstance(body, str):
            raise InputError(label, "a base64url body must be a string", f"{at}.body")
        try:
            padded = body + "=" * (-len(body) % 4)
            body = base64.urlsafe_b64decode(padded).decode("utf-8")
        except (binascii.Error, ValueError):
            raise InputError(label, "the body is not base64url UTF-8 text", f"{at}.body") from None
    elif encoding == "json" and isinstance(body, str):
        body = parse_json(body, label)
    if not isinstance(body, str):
        raise InputError(label, f"a text body must be a string, got {kind(body)}", f"{at}.body")
    mediatype = str(holder.get("mediatype") or "text/plain")
    if mediatype.lower().startswith("multipart/"):
        return _plain_part(mediatype, body) or ""
    return body


def _plain_part(mediatype: str, body: str) -> str | None:
    """The first ``text/plain`` part of a MIME multipart body."""
    header = " ".join(mediatype.split())
    import email.policy  # only for a multipart body: its import costs a cold start 15 ms

    message = email.message_from_string(
        f"Content-Type: {header}\r\n\r\n{body}", policy=email.policy.default
    )
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.is_multipart():
            content = part.get_content()
            return content if isinstance(content, str) else None
    return None


def _recording(
    dialog: Mapping[str, Any],
    analysis: Mapping[str, Any],
    offset: float | None,
    party_roles: _PartyRoles,
    roles: RoleTable,
    label: str,
    at: str,
    warnings: list[str],
) -> list[Said]:
    body = analysis.get("body")
    if body is None and analysis.get("url"):
        warnings.append(f"{at}: its transcript is at a URL, which is not fetched; not checked")
        return []
    encoding = str(analysis.get("encoding") or "").lower()
    if isinstance(body, str) and (encoding == "json" or body.lstrip().startswith(("{", "["))):
        body = parse_json(body, label)
    channels = _channel_parties(dialog.get("parties"))
    base = offset or 0.0
    if isinstance(body, str):
        return _from_text(body, base, offset is not None, roles, label)
    pieces = _pieces(body)
    if pieces is None:
        warnings.append(f"{at}: its transcript analysis has a form this reader does not know")
        return []
    if len(channels) > 1 and pieces and len({p[0] for p in pieces}) == 1 and pieces[0][0][0] == "s":
        warnings.append(
            f"{at}: every word of its transcript carries one speaker although {len(channels)} "
            "parties spoke (failed diarization); its words were not checked"
        )
        return []
    out: list[Said] = []
    for who, text, start, end in pieces:
        party = _party_of(who, channels)
        if party is None:
            warnings.append(f"{at}: a transcript segment names no party it can be mapped to")
            continue
        role = party_roles.role(party)
        if role is None or not text.strip():
            continue
        first = base + start if start is not None and offset is not None else None
        last = base + end if end is not None and offset is not None else None
        out.append(_said(party, party_roles.name(party), role, text, first, last))
    return out


#: A transcript piece: (who: "p<party>", "c<channel>" or "s<speaker>"), text, start, end.
Piece = tuple[str, str, float | None, float | None]


def _pieces(body: Any) -> list[Piece] | None:
    """Segments from the transcript shapes this reader knows, or None."""
    if isinstance(body, Mapping) and isinstance(body.get("results"), Mapping):
        return _deepgram(body["results"])
    items = body
    if isinstance(body, Mapping):
        items = body.get("segments", body.get("utterances"))
    if not isinstance(items, list):
        return None
    pieces: list[Piece] = []
    for item in items:
        if not isinstance(item, Mapping):
            return None
        text = item.get("text", item.get("transcript"))
        if not isinstance(text, str):
            return None
        who = _who(item)
        if who is None:
            return None
        pieces.append((who, text, _number(item.get("start")), _number(item.get("end"))))
    return pieces


def _who(item: Mapping[str, Any]) -> str | None:
    for key, mark in (("party", "p"), ("channel", "c"), ("speaker", "s")):
        value = item.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{mark}{value}"
    return None


def _deepgram(results: Mapping[str, Any]) -> list[Piece] | None:
    """Deepgram's ``results``: utterances when present, else words grouped by who spoke."""
    utterances = results.get("utterances")
    if isinstance(utterances, list) and utterances:
        return _pieces(utterances)
    channels = results.get("channels")
    if not isinstance(channels, list):
        return None
    pieces: list[Piece] = []
    for number, channel in enumerate(channels):
        alternatives = channel.get("alternatives") if isinstance(channel, Mapping) else None
        if not isinstance(alternatives, list) or not alternatives:
            continue
        words = alternatives[0].get("words") if isinstance(alternatives[0], Mapping) else None
        if not isinstance(words, list):
            continue
        for word in words:
            if not isinstance(word, Mapping):
                return None
            speaker = word.get("speaker")
            if len(channels) > 1:
                who = f"c{number}"
            elif isinstance(speaker, int) and not isinstance(speaker, bool):
                who = f"s{speaker}"
            else:
                who = "c0"
            said = word.get("punctuated_word", word.get("word"))
            if not isinstance(said, str):
                return None
            start, end = _number(word.get("start")), _number(word.get("end"))
            if pieces and pieces[-1][0] == who:
                last = pieces[-1]
                pieces[-1] = (who, f"{last[1]} {said}", last[2], end)
            else:
                pieces.append((who, said, start, end))
    pieces.sort(key=lambda p: p[2] if p[2] is not None else 0.0)
    return pieces


def _party_of(who: str, channels: Sequence[int]) -> int | None:
    """A piece's party: named directly, or a channel's (or diarized speaker's) in order."""
    number = int(who[1:])
    if who[0] == "p":
        return number
    return channels[number] if 0 <= number < len(channels) else None


def _channel_parties(parties: Any) -> list[int]:
    """The party of each channel (a channel's mix: its first party)."""
    if isinstance(parties, int) and not isinstance(parties, bool):
        return [parties]
    out: list[int] = []
    if isinstance(parties, list):
        for item in parties:
            while isinstance(item, list) and item:
                item = item[0]
            if isinstance(item, int) and not isinstance(item, bool):
                out.append(item)
    return out


def _from_text(body: str, base: float, timed: bool, roles: RoleTable, label: str) -> list[Said]:
    """A plain-text transcript (``Agent: ...`` lines, optional ``[mm:ss]``)."""
    parsed = parse_text(body, label, roles)
    if parsed.template:
        return []
    return [
        _said(
            -1,
            turn.speaker,
            turn.role,
            turn.text,
            base + turn.start if timed and turn.start is not None else None,
            None,
        )
        for turn in parsed.turns
    ]


def _transcripts(analysis: Any) -> dict[int, Mapping[str, Any]]:
    """Dialog index -> its transcript analysis (the first, when there are several)."""
    found: dict[int, Mapping[str, Any]] = {}
    if not isinstance(analysis, list):
        return found
    for item in analysis:
        if not isinstance(item, Mapping) or item.get("type") != "transcript":
            continue
        dialogs = item.get("dialog")
        for index in dialogs if isinstance(dialogs, list) else [dialogs]:
            if isinstance(index, int) and not isinstance(index, bool):
                found.setdefault(index, item)
    return found


def _payload(data: Mapping[str, Any], label: str, at: str) -> Any:
    """The unsigned vCon inside a JWS (base64url, maybe gzipped); the signature is not checked."""
    payload = data.get("payload")
    if not isinstance(payload, str):
        raise InputError(label, "a signed vCon needs a 'payload' string", at)
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, OSError):
        raise InputError(label, "the signed vCon's payload is not a vCon", at) from None


def _list(data: Mapping[str, Any], key: str, label: str, where: Any) -> list[Any]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(label, f"'{key}' must be a list, got {kind(value)}", where(key))
    return value


def _start(dialog: Any) -> datetime | None:
    if not isinstance(dialog, Mapping):
        return None
    value = dialog.get("start")
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _duration(dialog: Mapping[str, Any]) -> float | None:
    value = _number(dialog.get("duration"))
    return value if value else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return seconds(float(value))


def _date(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) and len(value) >= 10 else None


def _channel(dialogs: Sequence[Any]) -> str | None:
    types = {d.get("type") for d in dialogs if isinstance(d, Mapping)}
    if "recording" in types:
        return "phone"
    return "chat" if "text" in types else None
