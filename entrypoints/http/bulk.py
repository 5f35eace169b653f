"""Streaming bulk bodies: lines and CSV records read as they arrive, never the whole body at once, and a
CSV record read as the row a JSON line would be."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator, Callable
from typing import Any

from aiohttp import web

from portside.core.errors import ValidationFailed

from .problems import ApiProblem

MAX_LINE = 1 << 20  # one row; a longer one is reported as a bad row, not buffered
_CHUNK = 1 << 16


class LineTooLong(Exception):
    pass


async def lines(request: web.Request, *, limit: int) -> AsyncIterator[bytes | LineTooLong]:
    """Each line of the body (without its end-of-line), or LineTooLong for one over MAX_LINE.
    Refuses a body over ``limit`` bytes as it goes (413): rows stored before that stay stored."""
    if request.content_length is not None and request.content_length > limit:
        raise ApiProblem(413, f"the body is larger than {limit} bytes; split the import", slug="request-too-large")
    buffer = bytearray()
    skipping = False  # inside a line already reported too long: drop bytes up to its end
    seen = 0
    async for chunk in request.content.iter_chunked(_CHUNK):
        seen += len(chunk)
        if seen > limit:
            raise ApiProblem(413, f"the body is larger than {limit} bytes; split the import", slug="request-too-large")
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                if not skipping:
                    buffer += chunk[start:]
                    if len(buffer) > MAX_LINE:
                        buffer.clear()
                        skipping = True
                        yield LineTooLong()
                break
            if skipping:
                skipping = False
            else:
                buffer += chunk[start:end]
                yield bytes(buffer.rstrip(b"\r"))
            buffer.clear()
            start = end + 1
    if buffer and not skipping:
        yield bytes(buffer.rstrip(b"\r"))


def _text(line: bytes, first: bool) -> str:
    text = line.decode("utf-8")  # UnicodeDecodeError is the caller's bad row
    return text.removeprefix("\ufeff") if first else text  # spreadsheets start CSV files with a BOM


async def json_lines(request: web.Request, *, limit: int) -> AsyncIterator[tuple[int, bytes | LineTooLong]]:
    """(line number from 1, line) for every non-blank line of an NDJSON body."""
    number = 0
    async for line in lines(request, limit=limit):
        number += 1
        if isinstance(line, LineTooLong) or line.strip():
            yield number, line


async def csv_records(
    request: web.Request, *, limit: int, check_header: Callable[[list[str]], None]
) -> AsyncIterator[tuple[int, dict[str, str] | str]]:
    """(record number from 1, cells by header name) for each CSV record after the header line, or
    (number, what is wrong) for a record that cannot be read. A quoted cell may span lines."""
    header: list[str] | None = None
    pending = ""
    number = 0
    first = True
    async for line in lines(request, limit=limit):
        if isinstance(line, LineTooLong):
            number += 1
            pending = ""
            yield number, f"longer than {MAX_LINE} bytes"
            continue
        try:
            text = _text(line, first)
        except UnicodeDecodeError:
            number += 1
            yield number, "not UTF-8 text"
            continue
        first = False
        pending = f"{pending}\n{text}" if pending else text
        if pending.count('"') % 2:
            continue  # inside a quoted cell: the record goes on on the next line
        record, pending = pending, ""
        if not record.strip():
            continue
        problem: str | None = None
        try:
            cells = next(csv.reader([record]))
        except csv.Error as exc:
            cells, problem = [], str(exc)
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            check_header(header)  # before any row is stored
            continue
        number += 1
        if problem is not None:
            yield number, f"not valid CSV: {problem}"
            continue
        if len(cells) != len(header):
            yield number, f"has {len(cells)} cells; the header has {len(header)}"
            continue
        yield number, dict(zip(header, cells, strict=True))
    if pending:
        yield number + 1, "a quoted cell is never closed"


def parse_options(text: str) -> list[dict[str, str]]:
    """``colour=red;size=M`` (the CSV form) → [{name, value}, …]; raises ValidationFailed."""
    options = []
    for part in text.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ValidationFailed("bad options", {"options": "write options as name=value;name=value"})
        options.append({"name": name.strip(), "value": value.strip()})
    return options


def row_from_csv(cells: dict[str, str]) -> dict[str, Any]:
    """A CSV record as the dict a JSON line would give: blanks are absent, options parsed."""
    row: dict[str, Any] = {key: value for key, value in cells.items() if value.strip() != ""}
    if "options" in row:
        row["options"] = parse_options(row["options"])
    return row
