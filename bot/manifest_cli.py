"""`python -m bot manifest --out traefbot.zip [--version X.Y.Z] [--privacy-url URL]
[--terms-url URL] [--force]`: the Teams app package to upload; `python -m bot manifest --slack
--out slack-manifest.json [--force]`: the Slack app manifest to paste.

Teams: fills the app and bot id (MICROSOFT_APP_ID) and the bot's domain (PUBLIC_URL) into the
template in manifest/teams/ and zips manifest.json, en.json and the two icons at the root of the
zip, as Teams wants them. Slack: fills PUBLIC_URL into the request URLs of the template in
manifest/slack/ and writes the JSON. Speaks Danish to the operator; exit code 2 when the settings
cannot make a package, 1 when the file cannot be written.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot.cli_output import refused, unreadable
from bot.settings import Settings

TEMPLATE = Path(__file__).resolve().parents[1] / "manifest" / "teams"
SLACK_TEMPLATE = TEMPLATE.parent / "slack" / "manifest.json"
PACKAGE_FILES = ("manifest.json", "en.json", "color.png", "outline.png")
EXAMPLE_URL = "https://traefbot.aarhus.dk"
DEFAULT_VERSION = "1.0.0"
TEAMS_APP = "Teams-appen"
SLACK_APP = "Slack-appen"
TEAMS_ONLY = ("--version", "--privacy-url", "--terms-url")

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # the same settings give the same bytes


class ManifestError(Exception):
    """Why no package can be made; one Danish line for the operator."""


@dataclass(frozen=True)
class AppDetails:
    """What the template needs from the settings and the command line."""

    app_id: str
    public_url: str
    version: str
    privacy_url: str
    terms_url: str

    @property
    def domain(self) -> str:
        return urlsplit(self.public_url).hostname or ""

    def placeholders(self) -> dict[str, str]:
        return {
            "MICROSOFT_APP_ID": self.app_id,
            "VERSION": self.version,
            "DOMAIN": self.domain,
            "WEBSITE_URL": self.public_url,
            "PRIVACY_URL": self.privacy_url,
            "TERMS_URL": self.terms_url,
        }


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "manifest",
        help="build the Teams app package (a zip to upload), or with --slack the Slack manifest",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE")
    parser.add_argument(
        "--slack",
        action="store_true",
        help="write the Slack app manifest (JSON, to paste at api.slack.com/apps) instead",
    )
    parser.add_argument(
        "--version",
        type=_version,
        metavar="X.Y.Z",
        help="the Teams app's version, x.y.z; raise it for every update uploaded (default 1.0.0)",
    )
    parser.add_argument(
        "--privacy-url",
        type=_https_url,
        metavar="URL",
        help="the privacy statement shown in Teams (default: PUBLIC_URL)",
    )
    parser.add_argument(
        "--terms-url",
        type=_https_url,
        metavar="URL",
        help="the terms of use shown in Teams (default: PUBLIC_URL)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.slack:
        return run_slack(args, settings)
    try:
        details = app_details(
            settings,
            args.version or DEFAULT_VERSION,
            privacy_url=args.privacy_url,
            terms_url=args.terms_url,
        )
    except ManifestError as error:
        print(error, file=sys.stderr)
        return 2
    out: Path = args.out
    failed = _write_new(out, args.force, lambda: package(TEMPLATE, details))
    if failed is not None:
        return failed
    print(f"Teams-appen Træfbot {details.version} er pakket i »{out}«.")
    print(f"App-id: {details.app_id}. Bottens domæne: {details.domain}.")
    if args.privacy_url is None or args.terms_url is None:
        print(
            "Links til privatlivspolitik og vilkår peger på PUBLIC_URL; angiv kommunens egne "
            "sider med --privacy-url og --terms-url."
        )
    print(
        "Næste skridt: en Teams-administrator uploader filen i Teams Admin Center under "
        "Teams-apps › Administrer apps › Upload ny app. Til en prøve kan du selv uploade den "
        "i Teams under Apps › Administrer dine apps › Upload en app."
    )
    print(
        "Botten skal være registreret i Azure Bot Service med samme app-id og "
        f"meddelelsesslutpunktet {details.public_url}/api/messages."
    )
    return 0


def run_slack(args: argparse.Namespace, settings: Settings) -> int:
    teams_only = [
        option
        for option, value in zip(
            TEAMS_ONLY, (args.version, args.privacy_url, args.terms_url), strict=True
        )
        if value is not None
    ]
    if teams_only:
        print(
            f"{_listed(teams_only)} hører kun til Teams-pakken; Slack-manifestet bruger "
            f"{'den' if len(teams_only) == 1 else 'dem'} ikke.",
            file=sys.stderr,
        )
        return 2
    try:
        public_url = reachable_public_url(settings, "Slack")
    except ManifestError as error:
        print(error, file=sys.stderr)
        return 2
    out: Path = args.out
    failed = _write_new(
        out, args.force, lambda: slack_manifest(SLACK_TEMPLATE, public_url).encode("utf-8")
    )
    if failed is not None:
        return failed
    _print_slack_next_steps(out, public_url)
    return 0


def _write_new(out: Path, force: bool, make: Callable[[], bytes]) -> int | None:
    """Write what `make` makes to `out` (not over an existing file without `force`); the exit
    code when that failed, None when it is written."""
    if out.exists() and not force:
        return refused(f"Filen »{out}« findes allerede; brug --force for at overskrive den.")
    try:
        data = make()
    except ManifestError as error:
        return refused(str(error))
    try:
        out.write_bytes(data)
    except OSError as error:
        return refused(f"Filen »{out}« kan ikke skrives: {error.strerror or error}.")
    return None


def _print_slack_next_steps(out: Path, public_url: str) -> None:
    print(f"Manifestet til Slack-appen Træfbot er skrevet i »{out}«.")
    print(
        "Næste skridt: på https://api.slack.com/apps vælger du Create New App › From an app "
        "manifest og arbejdsområdet, indsætter filens indhold og opretter appen. Installér den "
        "under Install App › Install to Workspace."
    )
    print(
        "Sæt SLACK_BOT_TOKEN til Bot User OAuth Token (xoxb-…) fra OAuth & Permissions og "
        "SLACK_SIGNING_SECRET til Signing Secret fra Basic Information, og genstart botten."
    )
    print(
        f"Slack sender til {public_url}/slack/events, /slack/interactions og /slack/commands. "
        "Når botten kører med de to nøgler, så bekræft adressen under Event Subscriptions "
        "(Retry), hvis Slack ikke allerede har gjort det."
    )


def slack_manifest(template: Path, public_url: str) -> str:
    """The Slack app manifest with its request URLs under PUBLIC_URL: pretty UTF-8 JSON."""
    manifest = filled(json.loads(_read(template, SLACK_APP)), {"PUBLIC_URL": public_url}, SLACK_APP)
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"


def _listed(items: list[str]) -> str:
    """'a', 'a og b', 'a, b og c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"


def app_details(
    settings: Settings,
    version: str = DEFAULT_VERSION,
    *,
    privacy_url: str | None = None,
    terms_url: str | None = None,
) -> AppDetails:
    """The settings' app id and public https address, checked as Teams needs them."""
    app_id = settings.microsoft_app_id.strip()
    if not app_id:
        raise ManifestError(
            "MICROSOFT_APP_ID mangler: sæt den til bottens app-id fra Azure "
            "(et GUID som 00000000-0000-0000-0000-000000000000)."
        )
    if not _GUID.fullmatch(app_id):
        raise ManifestError(
            f"MICROSOFT_APP_ID »{app_id}« er ikke et GUID "
            "(som 00000000-0000-0000-0000-000000000000); brug bottens app-id fra Azure."
        )
    public_url = reachable_public_url(settings, "Teams")
    return AppDetails(
        app_id=app_id,
        public_url=public_url,
        version=version,
        privacy_url=privacy_url or public_url,
        terms_url=terms_url or public_url,
    )


def reachable_public_url(settings: Settings, service: str) -> str:
    """PUBLIC_URL, when it is a public https address that the service can send requests to."""
    public_url = settings.public_url
    host = urlsplit(public_url).hostname or ""
    if host in _LOCAL_HOSTS or host.endswith(".localhost"):
        raise ManifestError(
            f"PUBLIC_URL er {public_url}, som {service} ikke kan nå; sæt den til bottens "
            f"offentlige https-adresse, fx {EXAMPLE_URL}."
        )
    if urlsplit(public_url).scheme != "https":
        raise ManifestError(
            f"PUBLIC_URL er {public_url}, men {service} kræver https; sæt den til bottens "
            f"offentlige https-adresse, fx {EXAMPLE_URL}."
        )
    return public_url


def package(template: Path, details: AppDetails) -> bytes:
    """The zip Teams accepts: the filled-in manifest and its files, at the root."""
    files = {name: _read(template / name) for name in PACKAGE_FILES}
    manifest = filled(json.loads(files["manifest.json"]), details.placeholders())
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in PACKAGE_FILES:
            entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, files[name])
    return buffer.getvalue()


def filled(template: object, values: Mapping[str, str], app: str = TEAMS_APP) -> object:
    """The template with every {{NAME}} in its strings replaced by values[NAME]."""
    if isinstance(template, dict):
        return {key: filled(value, values, app) for key, value in template.items()}
    if isinstance(template, list):
        return [filled(item, values, app) for item in template]
    if isinstance(template, str):
        return _PLACEHOLDER.sub(lambda match: _value(match.group(1), values, app), template)
    return template


def _value(name: str, values: Mapping[str, str], app: str) -> str:
    if name not in values:
        raise ManifestError(f"Skabelonen til {app} bruger {{{{{name}}}}}, som ikke kendes.")
    return values[name]


def _read(path: Path, app: str = TEAMS_APP) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ManifestError(f"Skabelonen til {app}: {unreadable(path, error)}") from None


def _version(value: str) -> str:
    if not _SEMVER.fullmatch(value):
        raise argparse.ArgumentTypeError(
            f"»{value}« er ikke et versionsnummer som 1.0.0 (tre tal med punktum imellem)"
        )
    return value


def _https_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise argparse.ArgumentTypeError(f"»{value}« er ikke en https-adresse")
    return value.strip()
