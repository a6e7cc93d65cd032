"""What `tend content check|stats|preview` print: findings, coverage, a message as sent."""

from __future__ import annotations

import json
from collections import Counter

from rich.console import Console
from rich.table import Table

from messages import vocabulary as vocab
from messages.checks import (
    MIN_NUDGES_PER_MONTH,
    balance_matrix,
    check_everything,
    coverage_matrix,
    reading_per_month,
    reading_score,
)
from messages.library import Library, load_library


def check_command(*, as_json: bool) -> int:
    library = load_library()
    problems = check_everything(library)
    if as_json:
        print(
            json.dumps(
                {
                    "messages": len(library.messages),
                    "ok": not problems,
                    "problems": [
                        {"where": p.where, "rule": p.rule, "detail": p.detail} for p in problems
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        console = Console()
        for problem in problems:
            console.print(f"[red]✗[/red] {problem}", highlight=False)
        by_rule = Counter(p.rule for p in problems)
        summary = ", ".join(f"{n} {rule}" for rule, n in by_rule.most_common()) or "none"
        mark = "[green]✓[/green]" if not problems else "[red]✗[/red]"
        console.print(
            f"{mark} {len(library.messages)} messages checked; problems: {summary}", highlight=False
        )
    return 1 if problems else 0


def stats_command() -> None:
    library = load_library()
    console = Console()
    matrices = {lang: coverage_matrix(library, lang) for lang in vocab.LANGUAGES}
    # One table per language: eleven columns side by side do not fit an 80-column terminal.
    for language in vocab.LANGUAGES:
        table = Table(
            title=f"{language}: messages that fit each age month (nudges below the minimum in red)"
        )
        table.add_column("month", justify="right")
        for kind in vocab.KINDS:
            table.add_column(kind, justify="right")
        for month in range(vocab.MIN_AGE_MONTHS, vocab.MAX_AGE_MONTHS + 1):
            cells = [str(month)]
            for kind in vocab.KINDS:
                count = matrices[language][kind][month]
                gap = kind == "nudge" and month >= 0 and count < MIN_NUDGES_PER_MONTH
                cells.append(f"[red]{count}[/red]" if gap else str(count))
            table.add_row(*cells)
        console.print(table)
    for language in vocab.LANGUAGES:
        nudges = [matrices[language]["nudge"][m] for m in range(0, vocab.MAX_AGE_MONTHS + 1)]
        kinds = Counter(m.kind for m in library.in_language(language))
        console.print(
            f"{language}: {sum(kinds.values())} messages "
            f"({', '.join(f'{k} {kinds[k]}' for k in vocab.KINDS)}); "
            f"nudges per age month 0-59: min {min(nudges)}, max {max(nudges)}"
        )
    tags = Counter(tag for m in library.in_language("en") for tag in m.tags)
    tag_table = Table(title="Messages per tag (each language has the same tags)")
    tag_table.add_column("tag")
    tag_table.add_column("messages", justify="right")
    for tag in sorted(vocab.ALL_TAGS):
        tag_table.add_row(tag, str(tags[tag]) if tags[tag] else "[yellow]0[/yellow]")
    console.print(tag_table)
    for language in vocab.LANGUAGES:
        console.print(balance_table(library, language))
        counts = reading_per_month(library, language)
        console.print(
            f"{language} shared-reading nudges per age month 0-{vocab.MAX_AGE_MONTHS} "
            f"(at least {vocab.MIN_READING_PER_MONTH}): {' '.join(map(str, counts))}",
            highlight=False,
        )
    console.print(reading_level_summary())


# The content guide's age bands (months since birth), for the balance table.
AGE_BANDS = ((0, 2), (3, 5), (6, 8), (9, 11), (12, 17), (18, 23), (24, 35), (36, 59))


def balance_table(library: Library, language: str) -> Table:
    """Nudges by practice, reading, moment and topic: the fewest in any month of each band."""
    matrix = balance_matrix(library, language)
    table = Table(
        title=f"{language}: nudges by practice, moment and topic "
        "(fewest that fit any one month of the band; below the minimum in red)"
    )
    table.add_column("row", no_wrap=True)
    for low, high in AGE_BANDS:
        table.add_column(f"{low}-\n{high}", justify="right")
    minimums = {"reading": vocab.MIN_READING_PER_MONTH} | {
        f"practice {p}": vocab.MIN_PRACTICE_PER_MONTH for p in vocab.NUDGE_PRACTICES
    }
    rows = [
        "reading",
        *(f"practice {p}" for p in vocab.NUDGE_PRACTICES),
        "practice (none)",
        *sorted(vocab.MOMENT_TAGS),
        *sorted(vocab.TOPIC_TAGS),
    ]
    for row in rows:
        cells = [row]
        for low, high in AGE_BANDS:
            fewest = min(matrix[row][month] for month in range(low, high + 1))
            short = fewest < minimums.get(row, 0)
            cells.append(f"[red]{fewest}[/red]" if short else str(fewest))
        table.add_row(*cells)
    return table


def reading_level_summary() -> str:
    """The spread of reading scores, per language."""
    library = load_library()
    lines = []
    for language in vocab.LANGUAGES:
        scores = sorted(
            reading_score(language, m.render("Ana", max(m.age_min, 0)))
            for m in library.in_language(language)
        )
        if not scores:
            continue
        name = "Flesch-Kincaid grade" if language == "en" else "Fernández-Huerta ease"
        quartiles = [scores[int(q * (len(scores) - 1))] for q in (0, 0.25, 0.5, 0.75, 1)]
        lines.append(
            f"{language} {name}: min {quartiles[0]:.1f}, 25% {quartiles[1]:.1f}, "
            f"median {quartiles[2]:.1f}, 75% {quartiles[3]:.1f}, max {quartiles[4]:.1f}"
        )
    return "\n".join(lines)


def preview_command(message_id: str, language: str, child: str | None) -> int:
    from bot.views import compose

    library = load_library()
    message = library.get(message_id, language)
    console = Console()
    if message is None:
        console.print(f"No message {message_id!r} in {language}.")
        return 1
    age = max(message.age_min, 0) if message.age_max >= 0 else message.age_max
    body = compose(language, message.kind, age, message.render(child, age))
    console.print(body, highlight=False)
    for choice in message.choices:
        console.print(f"  [ {choice.label} ]", highlight=False)
    console.print(
        f"\n[dim]{message.kind}, ages {message.age_min}-{message.age_max} months, "
        f"{len(body)} characters, tags: {', '.join(sorted(message.tags))}[/dim]"
    )
    return 0
