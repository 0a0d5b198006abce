"""Telling one person something proactively, through whichever of their accounts works."""

from __future__ import annotations

from collections.abc import Callable

from botbuilder.schema import Activity

from dialogs.dependencies import Announcer
from dialogs.i18n import Texts
from traef.participants import Participant


async def tell_person(
    announcer: Announcer, person: Participant, render: Callable[[Texts], Activity]
) -> bool:
    """Through the first of the person's accounts the bot can reach; False if none."""
    for identity in sorted(person.identities):
        if await announcer.tell(identity, render):
            return True
    return False
