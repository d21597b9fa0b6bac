"""``kubectl get -o custom-columns=HEADER:path,...`` (kubectl/pkg/cmd/get/customcolumn.go).

Each cell is every JSONPath result printed with Go's ``fmt.Sprint`` (maps as ``map[k:v]``,
not JSON), joined with commas, ``<none>`` when nothing matched, terminal escapes defused
(cli-runtime printers/terminal.go). Lines go through Go's tabwriter with kubectl's
settings (printers/tabwriter.go: minwidth 6, padding 3) -- the same as ``tabwriter.render``
for ordinary cells; a cell holding a tab or newline reshapes the columns just as in Go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from k8sgame.kubectl import gofmt, tabwriter
from k8sgame.kubectl.jsonpath import JsonPath, JsonPathError, parse, relaxed_expression


@dataclass(frozen=True)
class Column:
    header: str
    field_spec: str


def parse_spec(spec: str) -> list[Column]:
    """NewCustomColumnsPrinterFromSpec: ``HEADER:path`` pairs split on commas. The paths are
    only made relaxed here; kubectl parses them as JSONPath when printing (see ``rows``)."""
    if not spec:
        raise JsonPathError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, colon, path = part.partition(":")
        if not colon:
            raise JsonPathError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )
        columns.append(Column(header, relaxed_expression(path)))
    return columns


def _escape_terminal(text: str) -> str:
    return text.replace("\x1b", "^[").replace("\r", "\\r")


def _cell(path: JsonPath, obj: dict[str, object]) -> str:
    results = path.find_results(obj, allow_missing=True)
    values = [_escape_terminal(gofmt.sprint(v)) for part in results for v in part]
    if not results or not results[0]:
        values.insert(0, "<none>")
    return ",".join(values)


def rows(
    columns: Sequence[Column], objects: Sequence[dict[str, object]], no_headers: bool = False
) -> tuple[list[list[str]], JsonPathError | None]:
    """The header row (unless ``no_headers``) and one row per object.

    kubectl writes the header before it parses the column paths, so a bad path still prints
    the header; the error comes back second (message as kubectl prints it, raw parser text).
    """
    table: list[list[str]] = [] if no_headers else [[c.header for c in columns]]
    try:
        paths = [parse(c.field_spec) for c in columns]
        for obj in objects:
            table.append([_cell(path, obj) for path in paths])
    except JsonPathError as error:
        return table, error
    return table, None


def render(rows_: Sequence[Sequence[str]]) -> str:
    """Lay rows out as kubectl does: cells joined by tabs, Go tabwriter (minwidth 6, pad 3)."""
    if not rows_:
        return ""
    text = "".join("\t".join(row) + "\n" for row in rows_)
    return tabwriter.render_tabbed(text)


def print_columns(spec: str, objects: Sequence[dict[str, object]], no_headers: bool = False) -> str:
    """The whole printer: spec errors raise JsonPathError before any output; a path error
    raises JsonPathError whose ``partial_output`` attribute holds the header kubectl printed."""
    columns = parse_spec(spec)
    table, error = rows(columns, objects, no_headers)
    text = render(table)
    if error is not None:
        error.partial_output = text  # type: ignore[attr-defined]
        raise error
    return text
