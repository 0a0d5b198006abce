"""The language to answer in: the user's choice, else the activity's locale, else the default."""

from __future__ import annotations

from botbuilder.core import TurnContext, UserState

from dialogs.i18n import LANGUAGES, Catalogue, Language, Texts, language_from_locale


class LanguagePreference:
    PROPERTY = "language"

    def __init__(self, user_state: UserState, catalogue: Catalogue, default: Language) -> None:
        self._accessor = user_state.create_property(self.PROPERTY)
        self._catalogue = catalogue
        self._default = default

    async def get(self, context: TurnContext) -> Language:
        chosen = await self._accessor.get(context)
        if chosen in LANGUAGES:
            return chosen
        return language_from_locale(context.activity.locale, self._default)

    async def set(self, context: TurnContext, language: Language) -> None:
        await self._accessor.set(context, language)

    async def texts(self, context: TurnContext) -> Texts:
        return self._catalogue.texts(await self.get(context))
