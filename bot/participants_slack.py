"""The participants found on Slack by e-mail, for the operator commands: the pass
(`bot.slack.directory`) over a session of its own, and what it found in Danish."""

from __future__ import annotations

import logging

from bot.app import Components
from bot.cli_output import count
from bot.http_client import SharedSession
from bot.slack.directory import SlackDirectory, SlackReach
from bot.slack.link import create_slack_link
from traef.programme import Event

log = logging.getLogger("traefbot.slack")

AGAIN = "Kør »python -m bot participants slack« for at prøve igen."
NOT_CONFIGURED = (
    "Slack er ikke sat op: sæt SLACK_BOT_TOKEN og SLACK_SIGNING_SECRET, og kør så kommandoen igen."
)


async def reach_on_slack(components: Components, event: Event) -> SlackReach | None:
    """Find the event's participants on Slack; None (logged) when the pass failed."""
    session = SharedSession()
    try:
        link = create_slack_link(components.settings, session)
        directory = SlackDirectory(link.adapter, components.uow_factory)
        return await directory.reach_registrations(event)
    except Exception as error:  # the import is stored whatever happens here
        log.warning("Looking participants up on Slack failed: %s", type(error).__name__)
        log.debug("Looking participants up on Slack failed", exc_info=True)
        return None
    finally:
        await session.close()


def failed_line(after_import: bool) -> str:
    stored = " Importen er gemt." if after_import else ""
    return f"Slack: deltagerne kunne ikke findes på Slack lige nu.{stored} {AGAIN}"


def reach_lines(reach: SlackReach) -> list[str]:
    """What the pass found: one line, and how to go on when Slack refused."""
    lines = []
    if reach.searched == 0:
        lines.append(_nobody_to_find(reach.already_linked))
    elif reach.linked or not reach.stopped:
        lines.append(_found(reach))
    if reach.stopped == "missing_scope":
        lines.append(
            f"Slack-appen mangler tilladelsen {reach.scope or 'users:read.email'}: tilføj den "
            f"under OAuth & Permissions og geninstallér appen. {AGAIN}"
        )
    elif reach.stopped:
        lines.append(f"Slack afviste Træfbot ({reach.stopped}): tjek SLACK_BOT_TOKEN. {AGAIN}")
    elif reach.failed:
        lines.append(AGAIN)
    return lines


def _nobody_to_find(already_linked: int) -> str:
    if already_linked:
        linked = count(already_linked, "deltager", "deltagere")
        reachable = "kan allerede nås på Slack eller i Teams"
        return f"Slack: ingen nye at finde via e-mail – {linked} {reachable}."
    return "Slack: ingen deltagere med e-mail at finde."


def _found(reach: SlackReach) -> str:
    if reach.linked:
        who = "personen" if reach.linked == 1 else "de"
        line = (
            f"Slack: {reach.linked} af {reach.searched} fundet via e-mail – "
            f"{who} kan nu få beskeder fra Træfbot."
        )
    elif reach.searched == 1:
        line = "Slack: den ene deltager blev ikke fundet via e-mail."
    else:
        line = f"Slack: ingen af de {reach.searched} deltagere blev fundet via e-mail."
    details = [
        f"{number} {text}"
        for number, text in (
            (reach.not_on_slack, "findes ikke på Slack"),
            (reach.failed, "kunne ikke slås op"),
            (reach.elsewhere, "har en Slack-konto, der hører til en anden tilmelding"),
            (reach.already_linked, "kunne allerede nås på Slack eller i Teams"),
        )
        if number
    ]
    return f"{line} {', '.join(details)}." if details else line
