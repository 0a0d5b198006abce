"""`python -m bot feedback export [--csv FILE] [--charts DIR]`: the anonymous results.

One CSV line per question of every feedback form of the current event (question, count,
average, distribution, withheld); without `--csv` the CSV goes to standard output. `--charts`
draws one PNG bar chart per question that has a distribution and is not withheld.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bot.app import Components
from bot.cli_output import refused
from bot.operator_session import on_current_event
from bot.settings import Settings
from traef.feedback import FeedbackForm, FormKind, QuestionResult, results
from traef.programme import Event


@dataclass(frozen=True, slots=True)
class ResultRow:
    form: str
    question: str
    result: QuestionResult


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("feedback", help="the anonymous feedback results")
    actions = parser.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="results per question as CSV, and PNG charts")
    export.add_argument("--csv", type=Path, help="write the CSV to this file (default: stdout)")
    export.add_argument("--charts", type=Path, help="write one PNG chart per question here")


async def run(args: argparse.Namespace, settings: Settings) -> int:
    return await on_current_event(settings, partial(_export, args))


async def _export(args: argparse.Namespace, components: Components, event: Event) -> int:
    assert event.id is not None
    uow = components.uow_factory()
    async with uow:
        forms = await uow.feedback.forms_of(event.id)
    rows = [
        ResultRow(_form_name(form, event), _question_text(form, result.question), result)
        for form in forms
        for result in await results(components.uow_factory(), form.id or 0)
    ]
    return _write(rows, args.csv, args.charts)


def results_csv(rows: list[ResultRow]) -> bytes:
    """For Excel: semicolons, a byte-order mark, the distribution as 'option: count' pairs."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Skema", "Spørgsmål", "Antal", "Gennemsnit", "Fordeling", "Tilbageholdt"])
    for row in rows:
        result = row.result
        writer.writerow(
            [
                row.form,
                row.question,
                result.count,
                f"{result.average:.2f}".replace(".", ",") if result.average is not None else "",
                ", ".join(f"{option}: {count}" for option, count in result.distribution),
                "ja" if result.withheld else "nej",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_charts(rows: list[ResultRow], folder: Path) -> list[Path]:
    """One bar chart per question with a distribution; returns the files written."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, row in enumerate(rows, 1):
        if row.result.withheld or not row.result.distribution:
            continue
        figure, axes = pyplot.subplots(figsize=(6, 3.5))
        labels = [option for option, _ in row.result.distribution]
        axes.bar(labels, [count for _, count in row.result.distribution], color="#2f6f8f")
        axes.set_title(row.question, fontsize=10, wrap=True)
        axes.set_ylabel("Antal svar")
        figure.tight_layout()
        path = folder / f"{number:02d}-{_slug(row.question)}.png"
        figure.savefig(path, dpi=120)
        pyplot.close(figure)
        written.append(path)
    return written


def _write(rows: list[ResultRow], csv_path: Path | None, charts: Path | None) -> int:
    data = results_csv(rows)
    try:
        if csv_path is None:
            print(data.decode("utf-8-sig"), end="")
        else:
            csv_path.write_bytes(data)
            print(f"Resultaterne er skrevet til {csv_path}.")
        if charts is not None:
            written = write_charts(rows, charts)
            print(f"{len(written)} diagrammer er skrevet til {charts}.")
    except OSError as error:
        return refused(f"Filen kan ikke skrives: {error.strerror or error}.")
    return 0


def _form_name(form: FeedbackForm, event: Event) -> str:
    if form.kind is FormKind.EVALUATION:
        return form.evaluation().title.da
    item_id = form.key.partition(":")[2]
    item = next((i for i in event.items if str(i.id) == item_id), None)
    return f"Vurdering: {item.title}" if item is not None else form.key


def _question_text(form: FeedbackForm, key: str) -> str:
    if form.kind is FormKind.EVALUATION:
        return form.evaluation().question(key).text.da
    return "Samlet vurdering (1–5)"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9æøå]+", "-", text.casefold()).strip("-")[:40] or "spoergsmaal"
