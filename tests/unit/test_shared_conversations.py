"""Which requests are answered where others read along: every intent decided on purpose."""

from __future__ import annotations

import pytest
from botbuilder.schema import Activity, ConversationAccount

from dialogs.intents import Intent
from dialogs.shared_conversations import (
    PUBLIC_INTENTS,
    answered_in_place,
    is_shared_conversation,
)

# Adding an intent fails this test until it is decided whether everyone may read its answer.
EXPECTED_PUBLIC = {
    Intent.PROGRAMME,
    Intent.NOW,
    Intent.NEXT,
    Intent.PROGRAMME_QUESTION,
    Intent.HELP,
    Intent.GREETING,
    Intent.UNKNOWN,
}
EXPECTED_PRIVATE = {
    Intent.ENGLISH,
    Intent.DANISH,
    Intent.SIGN_UP,
    Intent.MY_REGISTRATION,
    Intent.EDIT_REGISTRATION,
    Intent.CANCEL_REGISTRATION,
    Intent.CHECK_IN,
    Intent.MY_DATA,
    Intent.ERASE_DATA,
    Intent.PARTICIPANTS,
    Intent.IMPORT_PARTICIPANTS,
    Intent.CANCEL,
    Intent.CHANGE_PROGRAMME,
    Intent.UNDO_CHANGE,
    Intent.PREPARATION,
    Intent.SET_PREPARATION,
    Intent.REMINDERS_ON,
    Intent.REMINDERS_OFF,
    Intent.CALENDAR,
    Intent.IMPORT_PROGRAMME,
    Intent.MY_GROUP,
    Intent.MY_PARTNER,
    Intent.PARTNER_NO_ANSWER,
    Intent.MAKE_GROUPS,
    Intent.MAKE_PAIRS,
    Intent.MOVE_MEMBER,
    Intent.LOCK_GROUPS,
    Intent.PUBLISH_GROUPS,
    Intent.IMPORT_GROUPS,
    Intent.PURGE,
    Intent.GIVE_FEEDBACK,
    Intent.RATE,
    Intent.POSTIT,
    Intent.MY_POSTITS,
    Intent.WITHDRAW_POSTIT,
    Intent.ALL_POSTITS,
    Intent.RESULTS,
    Intent.START_EVALUATION,
    Intent.EVALUATION,
    Intent.REMIND_EVALUATION,
    Intent.CLOSE_EVALUATION,
    Intent.BROADCAST,
    Intent.BROADCAST_STATUS,
    Intent.BROADCAST_STOP,
}


def test_every_intent_is_deliberately_public_or_private() -> None:
    assert not EXPECTED_PUBLIC & EXPECTED_PRIVATE
    assert set(Intent) == EXPECTED_PUBLIC | EXPECTED_PRIVATE
    assert PUBLIC_INTENTS == EXPECTED_PUBLIC
    assert {intent for intent in Intent if answered_in_place(intent)} == EXPECTED_PUBLIC


def test_a_card_press_that_is_no_intent_of_ours_is_private() -> None:
    assert not answered_in_place(None)


@pytest.mark.parametrize(
    ("conversation", "shared"),
    [
        (ConversationAccount(id="19:x", conversation_type="channel", is_group=True), True),
        (ConversationAccount(id="19:y", conversation_type="groupChat"), True),
        (ConversationAccount(id="a:1", conversation_type="personal"), False),
        (ConversationAccount(id="conversation-1"), False),  # emulator, local chat
        (ConversationAccount(id="slack-group", is_group=True), True),
        (None, False),
    ],
)
def test_only_a_conversation_that_says_it_is_a_group_is_shared(
    conversation: ConversationAccount | None, shared: bool
) -> None:
    assert is_shared_conversation(Activity(conversation=conversation)) is shared
