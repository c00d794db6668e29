"""Amazon Transcribe Call Analytics and Amazon Connect Contact Lens output JSON.

Both write a ``Transcript`` list of segments with ``Content``,
``BeginOffsetMillis`` and ``EndOffsetMillis``. Transcribe puts the
``ParticipantRole`` (``AGENT``/``CUSTOMER``) on every segment; Contact Lens
puts a ``ParticipantId`` there and the roles in ``Participants``
(``ParticipantId`` -> ``ParticipantRole``). A segment carrying its own role is
read by it; otherwise the id is joined to ``Participants``.

Segments of other roles (``SYSTEM`` messages in chats, anyone else) are not
judged; roles other than ``SYSTEM`` are named in a notice so nothing is dropped
silently. A speaker's consecutive segments are joined into one turn
(``common.merge_segments``). Times are milliseconds and become seconds.

Agent metadata: neither output file names the agent, so it is read where a
pipeline that joins the output to Amazon Connect's contact record puts it
(``aws_metadata``): the contact record's ``Agent`` (``Username``, else
``Id``), its deepest ``Agent.HierarchyGroups`` level's ``GroupName`` (team),
``Queue`` (``Name``, else ``Id``) and ``InitiationTimestamp`` (its date), or
plain ``agent``, ``team``, ``queue`` and ``date`` strings beside
``Transcript``; each alone is enough.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import InputError
from ..model import Metadata, Role, Transcript, metadata
from .common import Segment, kind, merge_segments, time_field

_ROLES = {"AGENT": Role.AGENT, "CUSTOMER": Role.CUSTOMER}


def transcript_from_aws(
    data: Mapping[str, Any],
    label: str,
    place: str | None = None,
    line: int | None = None,
    flavour: str | None = None,
) -> Transcript:
    """One output document; ``flavour`` (``transcribe``/``contact-lens``) insists on one."""

    def where(key: str) -> str:
        return f"{place} {key}" if place else key

    segments_data = data.get("Transcript")
    if not isinstance(segments_data, list):
        raise InputError(
            label, f"'Transcript' must be a list, got {kind(segments_data)}", where("Transcript")
        )
    participants = (
        _participants(data, label, where)
        if flavour != "transcribe" and "Participants" in data
        else {}
    )
    if flavour == "contact-lens" and not participants:
        raise InputError(
            label,
            "Contact Lens output needs a 'Participants' list with ParticipantId",
            where("Participants"),
        )
    warnings: list[str] = []
    other_roles: dict[str, int] = {}
    segments: list[Segment] = []
    for index, item in enumerate(segments_data):
        at = where(f"Transcript[{index}]")
        if not isinstance(item, Mapping):
            raise InputError(label, f"expected a segment object, got {kind(item)}", at)
        role_name = _role_of(item, participants, label, at, flavour)
        content = item.get("Content", "")
        if content is None:
            content = ""
        if not isinstance(content, str):
            raise InputError(
                label, f"'Content' must be a string, got {kind(content)}", f"{at}.Content"
            )
        role = _ROLES.get(role_name.upper())
        if role is None:
            if role_name.upper() != "SYSTEM":
                other_roles.setdefault(role_name, index)
            continue
        start = time_field(item, "BeginOffsetMillis", label, at, warnings, "milliseconds", 1000.0)
        end = time_field(item, "EndOffsetMillis", label, at, warnings, "milliseconds", 1000.0)
        segments.append(Segment(role_name.lower(), role, content, start, end))
    for role_name, index in other_roles.items():
        warnings.append(
            f"segments with ParticipantRole {role_name!r} (first: Transcript[{index}]) are not "
            "agent or customer speech and were not checked"
        )
    turns = merge_segments(segments, warnings)
    metadata = data.get("CustomerMetadata")
    contact_id = metadata.get("ContactId") if isinstance(metadata, Mapping) else None
    transcript_id = _string(data.get("JobName")) or _string(contact_id) or _string(data.get("id"))
    channel = _string(data.get("Channel"))
    return Transcript(
        turns=turns,
        id=transcript_id,
        language=_string(data.get("LanguageCode")),
        channel=channel.lower() if channel else None,
        path=label,
        line=line,
        warnings=tuple(warnings),
        **aws_metadata(data),
    )


def aws_metadata(data: Mapping[str, Any]) -> Metadata:
    """``agent``, ``team``, ``queue`` and ``date`` from a contact record's fields or plain keys."""
    agent_record = data.get("Agent")
    agent_obj = agent_record if isinstance(agent_record, Mapping) else {}
    queue_record = data.get("Queue")
    queue_obj = queue_record if isinstance(queue_record, Mapping) else {}
    groups = agent_obj.get("HierarchyGroups")
    team = None
    if isinstance(groups, Mapping):
        for level in ("Level5", "Level4", "Level3", "Level2", "Level1"):
            group = groups.get(level)
            if isinstance(group, Mapping) and _string(group.get("GroupName")):
                team = _string(group.get("GroupName"))
                break
    started = _string(data.get("InitiationTimestamp"))
    return metadata(
        {
            "agent": _string(data.get("agent"))
            or _string(agent_record)
            or _string(agent_obj.get("Username"))
            or _string(agent_obj.get("Id")),
            "team": _string(data.get("team")) or team,
            "queue": _string(data.get("queue"))
            or _string(queue_record)
            or _string(queue_obj.get("Name"))
            or _string(queue_obj.get("Id")),
            "date": _string(data.get("date")) or (started[:10] if started else None),
        }
    )


def _participants(data: Mapping[str, Any], label: str, where: Any) -> dict[str, str]:
    listed = data.get("Participants")
    if not isinstance(listed, list):
        raise InputError(
            label, f"'Participants' must be a list, got {kind(listed)}", where("Participants")
        )
    table: dict[str, str] = {}
    for index, item in enumerate(listed):
        at = where(f"Participants[{index}]")
        if not isinstance(item, Mapping):
            raise InputError(label, f"expected a participant object, got {kind(item)}", at)
        role = item.get("ParticipantRole")
        if not isinstance(role, str) or not role.strip():
            raise InputError(
                label, "a participant needs a 'ParticipantRole' string", f"{at}.ParticipantRole"
            )
        participant_id = item.get("ParticipantId")
        if participant_id is None:
            continue  # Transcribe lists roles without ids; segments carry the role.
        if not isinstance(participant_id, str):
            raise InputError(label, "'ParticipantId' must be a string", f"{at}.ParticipantId")
        table[participant_id] = role.strip()
    return table


def _role_of(
    item: Mapping[str, Any],
    participants: Mapping[str, str],
    label: str,
    at: str,
    flavour: str | None,
) -> str:
    role = item.get("ParticipantRole")
    if flavour != "contact-lens" and role is not None:
        if not isinstance(role, str) or not role.strip():
            raise InputError(
                label, "'ParticipantRole' must be a non-empty string", f"{at}.ParticipantRole"
            )
        return role.strip()
    if flavour == "transcribe":
        raise InputError(
            label, "a Transcribe segment needs a 'ParticipantRole'", f"{at}.ParticipantRole"
        )
    participant_id = item.get("ParticipantId")
    if not isinstance(participant_id, str):
        raise InputError(
            label,
            "a segment needs a 'ParticipantRole' or a 'ParticipantId' string",
            f"{at}.ParticipantId",
        )
    joined = participants.get(participant_id)
    if joined is None:
        raise InputError(
            label,
            f"ParticipantId {participant_id!r} is not in 'Participants'",
            f"{at}.ParticipantId",
        )
    return joined


def _string(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
