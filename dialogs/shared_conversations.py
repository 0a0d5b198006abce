"""What the bot may answer where others read along: a team's channel or a group chat.

Everyone in a shared conversation reads the bot's answers, and a card pressed there is replaced
for everyone. So only what is public and about nobody in particular is answered in place; every
other request is taken to the person's own (1:1) chat with the bot (`bot.private_answers`).
"""

from __future__ import annotations

from botbuilder.schema import Activity

from dialogs.intents import Intent

GROUP_TYPES = frozenset({"channel", "groupChat"})

PUBLIC_INTENTS: frozenset[Intent] = frozenset(
    {
        Intent.PROGRAMME,
        Intent.NOW,
        Intent.NEXT,
        Intent.PROGRAMME_QUESTION,
        Intent.HELP,
        Intent.GREETING,
        Intent.UNKNOWN,
    }
)
"""The intents answered in a shared conversation: the programme, help and a greeting, which are
the same for everyone, and "I did not understand", which says nothing about anyone.

Everything else is private, deliberately and by default (a new intent is private until it is
added here): registrations, check-in, personal data, groups and phone partners (names and phone
numbers), feedback, post-its and the evaluation (anonymous, so never answered where others see
who pressed what), the person's language and reminders, and every facilitator command (lists of
participants, results, broadcasts, groups, programme changes, purging). A card press whose data
is not one of the intents (a sign-up or evaluation card's choice) is private too.
"""


def is_shared_conversation(activity: Activity) -> bool:
    """A team's channel or a group chat: others read what the bot answers. Any conversation
    that does not say it is one (emulator, local chat, a personal chat) is personal."""
    conversation = activity.conversation
    if conversation is None:
        return False
    return conversation.conversation_type in GROUP_TYPES or bool(conversation.is_group)


def answered_in_place(intent: Intent | None) -> bool:
    """True when a request with the intent is answered in a shared conversation itself; None is
    a card press the bot does not recognise as one of its intents."""
    return intent is not None and intent in PUBLIC_INTENTS
