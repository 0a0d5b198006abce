"""Who an item is by and for: its speakers and its audience, as organisers write them."""

from __future__ import annotations

import itertools
import re

from traef.errors import InvalidParticipantError
from traef.participants import ParticipantType
from traef.programme import EVERYONE, Audience, AudienceKind

# Before the speakers: '/v.', '/ v.', 'v/' or ' v. '.
SPEAKER_MARK = re.compile(r"/\s*[vV](?:\.|(?=\s))|(?<!\S)[vV]/|(?<!\S)v\.(?=\s)")
# In the name of a group: 'Gruppe 3', 'sparringsgrupperne', 'Coach-hold A'.
GROUP_WORDS = re.compile(r"grupp|group|\bhold\b", re.IGNORECASE)


def speakers_line(text: str) -> tuple[str, ...] | None:
    """The speakers of a line that holds only them ('/v. Helle Bach Lauridsen'); else None."""
    mark = SPEAKER_MARK.match(text.strip())
    return split_speakers(text.strip()[mark.end() :]) if mark is not None else None


_JOINS = re.compile(r"\s+(?:og|and)\s+|\s*&\s*", re.IGNORECASE)
_CONNECTIVES = frozenset({"og", "and", "&"})
_PARTICLES = frozenset(  # lower-case parts of names: Hans van Binsbergen
    {
        "af",
        "bin",
        "da",
        "de",
        "del",
        "den",
        "der",
        "di",
        "du",
        "el",
        "la",
        "le",
        "ten",
        "ter",
        "van",
        "von",
    }
)


def split_speakers(text: str) -> tuple[str, ...]:
    """'direktørerne A og B, og lederne C og D' → (A, B, C, D); see traef.programme_text."""
    speakers: list[str] = []
    for piece in re.split(r"[,;]", " ".join(text.split()).strip(" .")):
        words = piece.split()
        while words and words[0].casefold() in _CONNECTIVES:
            words.pop(0)
        if not words:
            continue
        role = list(itertools.takewhile(_is_lower, words))
        name = words[len(role) :]
        if speakers and (not name or _describes(name)):
            speakers[-1] += ", " + " ".join(words)  # an affiliation or a job title
            continue
        names = [n for n in _JOINS.split(" ".join(name)) if n] if name else []
        if len(names) > 1:
            speakers.extend(_without_role(n) for n in names)
        else:
            speakers.append(" ".join(words))
    return tuple(speakers)


def _is_lower(word: str) -> bool:
    return word[:1].islower()


def _describes(words: list[str]) -> bool:
    """Whether words after a name say what or where the person is, rather than who."""
    return any(
        _is_lower(word) and word.casefold() not in _CONNECTIVES | _PARTICLES for word in words
    )


def _without_role(name: str) -> str:
    words = name.split()
    rest = list(itertools.dropwhile(_is_lower, words))
    return " ".join(rest or words)


_EVERYONE_NAMES = frozenset({"", "alle", "for alle", "everyone", "all", "for everyone"})
_PREFIXED = re.compile(r"(type|deltagertype|participant type|gruppe|group)\s*:\s*(.+)", re.I)
_ONLY = re.compile(r"(?:kun|only|for)\b\s*:?\s*", re.IGNORECASE)


def parse_audience(text: str) -> Audience | None:
    """'kun TR', 'for: ledertrainees', 'type:representative', 'Gruppe 3', 'group:Coach A', 'alle'.

    None when the text names neither a participant type nor a group.
    """
    written = " ".join(text.split()).strip("[]").strip()
    if written.casefold() in _EVERYONE_NAMES:
        return EVERYONE
    prefixed = _PREFIXED.fullmatch(written)
    if prefixed is not None:
        value = prefixed.group(2).strip()
        if prefixed.group(1).casefold() in ("gruppe", "group"):
            return Audience(AudienceKind.GROUP, value)
        participant_type = _participant_type(value)
        return (
            Audience(AudienceKind.PARTICIPANT_TYPE, participant_type.value)
            if (participant_type)
            else None
        )
    only = _ONLY.match(written)
    rest = written[only.end() :] if only is not None else written
    participant_type = _participant_type(rest)
    if participant_type is not None:
        return Audience(AudienceKind.PARTICIPANT_TYPE, participant_type.value)
    if GROUP_WORDS.search(rest):
        return Audience(AudienceKind.GROUP, rest)
    return None


def format_audience(audience: Audience) -> str:
    """'everyone', 'type:representative' or 'group:Gruppe 3': read back by parse_audience."""
    if audience.kind is AudienceKind.EVERYONE:
        return "everyone"
    prefix = "type" if audience.kind is AudienceKind.PARTICIPANT_TYPE else "group"
    return f"{prefix}:{audience.value}"


_PLURAL_ENDINGS = ("erne", "ene", "ne", "er", "e", "s")


def _participant_type(text: str) -> ParticipantType | None:
    """A type named as in a sign-up list, also in the plural ('ledertrainees', 'ledere')."""
    variants = [
        [word, *(word[: -len(end)] for end in _PLURAL_ENDINGS if word.casefold().endswith(end))]
        for word in text.split()
    ]
    for words in itertools.product(*variants):
        try:
            return ParticipantType.parse(" ".join(words))
        except InvalidParticipantError:
            continue
    return None
