"""The ``newsclaims`` command (Typer): extract, check, evaluate, and the service commands.

Each command builds a ``runtime.root.Root`` and imports its modules inside its body, so `--help`
loads no spaCy, pandas or FastAPI and `extract` no database (tests/cli, bench/cli_start.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli import api, command_group, feeds, ingest, market, reviews, service, webhooks

if TYPE_CHECKING:
    from checker import PriceSource
    from checker.calendar import NyseCalendar
    from extractor import Extraction
    from runtime.root import Root

app = command_group(
    help="Extract and fact-check claims in market commentary.", no_args_is_help=True
)

Files = Annotated[list[Path], typer.Argument(help="Article files: .json, .txt or .html.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the JSON contract instead of tables.")]


@app.callback()
def main() -> None:
    """newsclaims: market commentary in, checked claims out."""


def checked(
    extraction: Extraction, prices: PriceSource, calendar: NyseCalendar
) -> dict[str, object]:
    """The extraction contract with a verdict, reason, computed value and evidence on each claim."""
    from checker import check_claim, checked_claim

    out: dict[str, object] = extraction.to_dict()
    out["claims"] = [checked_claim(c, check_claim(c, prices, calendar)) for c in extraction.claims]
    return out


def print_tables(path: Path, extraction: Extraction) -> None:
    """A person's view of one extraction."""
    typer.secho(str(path), bold=True)
    for t in extraction.tickers:
        print(f"  ticker  {t.symbol:<8} {t.name or '':<40} x{len(t.mentions)}")
    for f in extraction.figures:
        print(f"  figure  {f.text:<24} {f.value!s:>14} {f.unit}")
    for q in extraction.quotes:
        who = ", ".join(x for x in (q.speaker, q.role, q.org) if x) or "(unattributed)"
        print(f"  quote   {q.text[:60]!r} — {who}")
    for c in extraction.claims:
        period = f"{c.start or ''}..{c.end or ''}"
        print(
            f"  claim   {c.subject:<8} {c.metric:<13} {c.value!s:>10} {c.unit:<8} {period} {c.kind}"
        )


def extractions(
    files: list[Path], root: Root, failed: list[Path]
) -> Iterator[tuple[Path, Extraction]]:
    """Each readable file's extraction; unreadable ones get one stderr line and join ``failed``.
    The pipeline loads with the first readable file."""
    from corpus.errors import BadArticle
    from corpus.sources.files import read_article
    from extractor import extract

    for path in files:
        try:
            article = read_article(path, max_bytes=root.settings.max_article_bytes)
        except BadArticle as err:
            print(f"error: {err}", file=sys.stderr)
            failed.append(path)
            continue
        yield path, extract(article.text, nlp=root.nlp, published=article.dated)


@app.command("extract")
def extract_command(files: Files, as_json: AsJson = False) -> None:
    """Extract tickers, figures, quotes and claims from article files."""
    from runtime.root import Root

    failed: list[Path] = []
    for path, extraction in extractions(files, Root.from_env(), failed):
        if as_json:
            print(json.dumps(extraction.to_dict(), ensure_ascii=False))
        else:
            print_tables(path, extraction)
    if failed:
        raise typer.Exit(code=1)


@app.command("check")
def check_command(files: Files, as_json: AsJson = False) -> None:
    """Extract and check claims against the price table (or NEWSCLAIMS_PRICES_DIR's CSVs)."""
    from runtime.root import Root

    root = Root.from_env()
    prices = service.open_prices(root)
    failed: list[Path] = []
    for path, extraction in extractions(files, root, failed):
        result = checked(extraction, prices, root.calendar)
        if as_json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            print_checks(path, result)
    if failed:
        raise typer.Exit(code=1)


def print_checks(path: Path, result: dict[str, object]) -> None:
    """claim, claimed, computed, verdict: one line per claim."""
    typer.secho(str(path), bold=True)
    claims = result["claims"]
    assert isinstance(claims, list)
    for c in claims:
        claimed = c["value"] if c["value"] is not None else f"{c['low']}..{c['high']}"
        computed = "" if c["computed"] is None else f"{c['computed']:.2f}"
        verdict = c["verdict"] or "not checked"
        if c["reason"]:
            verdict += f" ({c['reason']})"
        print(f"  {c['subject']:<8} {c['metric']:<13} {claimed!s:>10} {computed:>10}  {verdict}")


instruments_app = command_group(help="The instrument reference the extractor recognises.")
app.add_typer(instruments_app, name="instruments")


@instruments_app.command("import")
def instruments_import(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="SEC company_tickers(.json|_exchange.json) or Nasdaq symbol-directory files."
        ),
    ],
) -> None:
    """Add instruments from SEC or Nasdaq Trader lists to the local reference."""
    from corpus import instruments
    from runtime.root import Root

    settings = Root.from_env().settings
    for path in files:
        try:
            count = instruments.import_file(path, settings.data_dir)
        except (OSError, ValueError) as err:
            print(f"error: {path}: {err}", file=sys.stderr)
            raise typer.Exit(code=1) from err
        print(f"{path}: {count} instruments")


@app.command("evaluate")
def evaluate_command(
    corpus: Annotated[Path | None, typer.Option(help="Gold corpus folder.")] = None,
    out: Annotated[Path, typer.Option(help="Where predictions are written.")] = Path(
        ".newsclaims/predictions"
    ),
    verbose: Annotated[
        bool, typer.Option("--verbose", help="List what each article missed.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Run the extractor over a gold corpus in-process and score it with shared/eval/score.py."""
    from corpus.sources.files import read_article
    from extractor import extract
    from runtime.root import Root

    root = Root.from_env()
    settings = root.settings
    corpus = corpus or settings.shared_dir / "corpus" / "dev"
    prices = service.open_prices(root)
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in corpus.glob("*.json") if not p.name.endswith(".gold.json")):
        article = read_article(path, max_bytes=settings.max_article_bytes)
        extraction = extract(article.text, nlp=root.nlp, published=article.dated)
        result = checked(extraction, prices, root.calendar)
        (out / path.name).write_text(json.dumps(result), encoding="utf-8")
    scorer = settings.shared_dir / "eval" / "score.py"
    argv = [sys.executable, str(scorer), "--corpus", str(corpus), "--pred", str(out)]
    argv += ["--verbose"] * verbose + ["--json"] * as_json
    raise typer.Exit(code=subprocess.run(argv, check=False).returncode)


service.register(app)
ingest.register(app)
feeds.register(app)
market.register(app)
api.register(app)
reviews.register(app)
webhooks.register(app)

if __name__ == "__main__":
    app()
