"""Chat-completion message lists: how support-chatbot teams lint generated replies.

Shapes: ``[{"role": ..., "content": ...}, ...]`` or ``{"messages": [...], "id"?,
"language"?}`` (as in fine-tuning JSONL). ``assistant`` is the agent, ``user`` the
customer; ``system``, ``developer``, ``tool`` and ``function`` messages are
instructions or plumbing the customer never sees, so they are skipped, as is
an assistant message with no text (a tool call). ``content`` is a string or a
list of parts; text parts (``text``, ``input_text``, ``output_text``) and
``refusal`` parts are read, images and audio are not text to judge.

The roles are fixed by the protocol, so the speaker role table is not used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import InputError
from ..model import Role, Transcript, Turn
from .common import kind

_ROLES = {"assistant": Role.AGENT, "user": Role.CUSTOMER}
_SKIPPED = frozenset({"system", "developer", "tool", "function"})
_TEXT_PARTS = frozenset({"text", "input_text", "output_text"})


def is_message_list(data: Sequence[Any]) -> bool:
    """True for a non-empty list whose every item is a message with a string role."""
    return bool(data) and all(
        isinstance(item, Mapping)
        and isinstance(item.get("role"), str)
        and not {"turns", "messages", "Transcript"} & item.keys()
        for item in data
    )


def transcript_from_chat_object(
    data: Mapping[str, Any], label: str, place: str | None = None, line: int | None = None
) -> Transcript:
    """``{"messages": [...]}`` with optional ``id`` and ``language``."""
    where = f"{place} messages" if place else "messages"
    messages = data.get("messages")
    if not isinstance(messages, list):
        raise InputError(label, f"'messages' must be a list, got {kind(messages)}", where)
    transcript_id = data.get("id")
    if isinstance(transcript_id, int) and not isinstance(transcript_id, bool):
        transcript_id = str(transcript_id)
    if transcript_id is not None and not isinstance(transcript_id, str):
        raise InputError(label, "'id' must be a string", f"{place} id" if place else "id")
    language = data.get("language")
    if language is not None and not isinstance(language, str):
        raise InputError(
            label, "'language' must be a string", f"{place} language" if place else "language"
        )
    return transcript_from_messages(
        messages,
        label,
        place=place,
        line=line,
        prefix="messages",
        id=transcript_id,
        language=language,
    )


def transcript_from_messages(
    messages: Sequence[Any],
    label: str,
    place: str | None = None,
    line: int | None = None,
    prefix: str = "",
    id: str | None = None,
    language: str | None = None,
) -> Transcript:
    """A message list -> a transcript; errors name the message, e.g. ``[3].content``."""
    turns: list[Turn] = []
    for index, message in enumerate(messages):
        at = f"{prefix}[{index}]"
        at = f"{place} {at}" if place else at
        if not isinstance(message, Mapping):
            raise InputError(label, f"expected a message object, got {kind(message)}", at)
        role_name = message.get("role")
        if not isinstance(role_name, str):
            raise InputError(label, "a message needs a 'role' string", f"{at}.role")
        normalised = role_name.strip().lower()
        if normalised in _SKIPPED:
            continue
        role = _ROLES.get(normalised)
        if role is None:
            raise InputError(
                label,
                f"unknown role {role_name!r} (expected user, assistant, system, developer, "
                "tool or function)",
                f"{at}.role",
            )
        text = _content_text(message.get("content"), label, f"{at}.content")
        if not text.strip():
            continue
        turns.append(Turn(speaker=normalised, role=role, text=text))
    return Transcript(
        turns=tuple(turns), id=id, language=language, channel="chat", path=label, line=line
    )


def _content_text(content: Any, label: str, at: str) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        raise InputError(
            label, f"'content' must be a string or a list of parts, got {kind(content)}", at
        )
    texts: list[str] = []
    for index, part in enumerate(content):
        if isinstance(part, str):
            texts.append(part)
            continue
        if not isinstance(part, Mapping):
            raise InputError(
                label, f"expected a content part object, got {kind(part)}", f"{at}[{index}]"
            )
        part_type = part.get("type")
        key = "text" if part_type in _TEXT_PARTS else "refusal" if part_type == "refusal" else None
        if key is None:
            continue  # images, audio, files: nothing to judge as words
        value = part.get(key)
        if not isinstance(value, str):
            raise InputError(
                label, f"a {part_type!r} part needs a {key!r} string", f"{at}[{index}].{key}"
            )
        texts.append(value)
    return "\n".join(texts)
