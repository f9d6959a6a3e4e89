"""Reading a query-log file. This module owns it (issue 17): the audit
(``audit.py``) and the import (``archive.py``) call it, and it calls neither.

1. ``prepare`` makes the file plain UTF-8 CSV. gzip is expanded within the limits
   of ``lib/limits.py`` (before the import takes the archive lock); a log that is
   not UTF-8 -- UTF-16 with its byte-order mark, or Windows-1252, as
   ``lib/encodings.py`` decides -- is converted to UTF-8 as a stream, block by
   block, before any reader sees it (issue 10).
2. ``load`` reads the rows into DuckDB's ``ql_chri`` (``duck.py``) by one of two
   paths with the same verdict for every row:

   - the **fast path**: Polars' lazy CSV scan -- every column as text, the 1-based
     row number from ``row_index``, the key filter pushed into the scan, only the
     columns the rules need -- handed to DuckDB as Arrow without a copy. Polars
     and DuckDB both use every core (the exact path's ``row_number()`` runs on one:
     docs/performance.md).
   - the **exact path**: DuckDB's reader with its rejects table, which names every
     unreadable row (wrong field count, blank lines, bad bytes). Taken only when
     the fast path shows the need: Polars refuses the file (a row with too many
     fields), or DuckDB's parallel check (``duck.clean_rows``: no row numbers,
     every core) finds a row it cannot read or another number of rows (a blank
     line is a row to Polars), or the lines end in CR alone.

Rows the fast scan lets through besides the criminal-history keys: every row
whose timestamp is not certainly valid (``_SURE_TIMESTAMP``; DuckDB then decides,
as on the exact path) and every row of an ORI the agency does not answer for.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

from accdesk.lib.encodings import detect_encoding
from accdesk.lib.limits import LimitExceeded, guarded_gzip
from accdesk.lib.tabular import TableError, file_encoding, refuse_binary
from accdesk.querylogs import duck, logfile
from accdesk.querylogs.logfile import COLUMNS, LogFormatError, LogLayout
from accdesk.querylogs.rules import RuleSet

SENTINEL_FILE = "end.csv"  # duck.write_sentinel's one row, read after the log
_BLOCK = 1 << 20
_HEAD = 1 << 16


@contextmanager
def scratch() -> Iterator[Path]:
    """A private folder under DATA_DIR for the files a run writes on the side
    (logs hold subject names and dates of birth: never the system's /tmp)."""
    base = Path(settings.DATA_DIR) / "tmp"
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = Path(tempfile.mkdtemp(dir=base))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# -- 1. Plain UTF-8 -----------------------------------------------------------------


def prepare(
    path: Path, tmp: Path, column_map: dict[str, str] | None = None
) -> LogLayout:
    """``path`` as a plain UTF-8 CSV file (``path`` itself when it is one, else a
    copy in ``tmp``), and where its columns are."""
    name = path.name
    source = path
    if logfile.is_gzipped(path):
        source = tmp / "expanded.csv"
        _expand(path, source)
    with source.open("rb") as raw:
        head = raw.read(_HEAD)
    encoding = detect_encoding(head)
    _refuse_binary(head, encoding, name)
    if encoding not in ("utf-8", "utf-8-sig"):  # both readers skip a UTF-8 BOM
        source = to_utf8(source, encoding, tmp, name)
    return logfile.read_layout(source, column_map)


def to_utf8(path: Path, encoding: str, tmp: Path, name: str) -> Path:
    """Convert ``path`` from ``encoding`` to UTF-8 (no byte-order mark), block by
    block: a 2 GiB log is never held in memory."""
    target = tmp / f"utf8-{path.name}"
    if target == path:
        target = tmp / f"utf8-again-{path.name}"
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as raw, target.open("wb") as out:
            for block in iter(lambda: raw.read(_BLOCK), b""):
                out.write(decoder.decode(block).encode())
            out.write(decoder.decode(b"", final=True).encode())
    except UnicodeDecodeError as exc:
        raise LogFormatError(_not_text(name, exc, encoding)) from None
    if path.parent == tmp:
        path.unlink()  # an expanded copy: keep one copy of the log, not two
    return target


def _expand(path: Path, target: Path) -> None:
    """Expand a gzip log within the limits: a compression bomb is refused after a
    few megabytes of work (CJISSECPOL SI-10; issue 11). A log expands to no more
    than the largest plain log this server accepts (QUERYLOG_MAX_UPLOAD_MB)."""
    try:
        with path.open("rb") as raw, target.open("wb") as out:
            stream = guarded_gzip(
                raw,
                max_ratio=settings.GZIP_MAX_RATIO,
                max_bytes=settings.QUERYLOG_MAX_UPLOAD_MB * 1024 * 1024,
            )
            shutil.copyfileobj(stream, out, _BLOCK)
    except LimitExceeded as exc:
        setting = {
            "max_ratio": "ACCDESK_GZIP_MAX_RATIO",
            "max_bytes": "ACCDESK_QUERYLOG_MAX_UPLOAD_MB",
        }[exc.limit or "max_bytes"]
        raise LogFormatError(
            f"The file is refused: {exc.message}. This server's limit is set by "
            f"{setting} (see docs/configuration.md)."
        ) from None
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise LogFormatError(f"The file cannot be read as gzip: {exc}") from None


def _refuse_binary(head: bytes, encoding: str, name: str) -> None:
    try:
        refuse_binary(head, encoding, name)
    except TableError as exc:
        raise LogFormatError(str(exc)) from None


def _not_text(name: str, exc: UnicodeDecodeError, encoding: str) -> str:
    byte = exc.object[exc.start : exc.start + 1].hex().upper()
    what = "UTF-16" if encoding == "utf-16" else "UTF-8 or Windows-1252"
    return f"{name}: this is not a CSV text file: byte 0x{byte} is not text in {what}."


# -- 2. Into DuckDB -----------------------------------------------------------------

# A timestamp DuckDB certainly reads (the day at most 28: every month has it). A
# row whose timestamp does not match is passed to DuckDB, which decides as on the
# exact path (``duck.TIMESTAMP``); a match never needs it.
_SURE_TIMESTAMP = (
    r"^[1-9]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])[T ]([01]\d|2[0-3]):[0-5]\d"
    r"(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?$"
)


def _polars() -> Any:
    """Polars, imported when a log is read (nothing else needs it). Its allocator
    is told to give freed memory back at once: it kept the scanned rows' buffers
    for seconds after their frame was dropped, while the rules' windows grew, and
    a 10 M-row audit peaked at 2.2 GiB instead of 1.8 (docs/performance.md). The
    setting is read when Polars first allocates, so only before its import."""
    os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
    import polars

    return polars


class NeedsExactPath(Exception):
    """The fast scan found what only the exact reader reports row by row."""


def load(
    con: duck.Connection,
    layout: LogLayout,
    rules: RuleSet,
    tmp: Path,
    oris: Sequence[str] | None = None,
    *,
    exact: bool = False,
) -> tuple[duck.FileLoad, LogLayout]:
    """Read the file once into ``ql_chri``; returns what was read and the layout
    of the file read (a UTF-8 copy if it turned out to be Windows-1252).
    ``exact`` forces the exact path (the test that both paths agree uses it)."""
    sentinel = duck.write_sentinel(layout, tmp / SENTINEL_FILE)
    if not exact and not layout.cr_only:
        try:
            read = duck.read_frame(con, _scan(layout, rules, sentinel, oris))
            if duck.clean_rows(con, layout) != read:
                raise NeedsExactPath
        except NeedsExactPath:
            pass
        except _InvalidUtf8:
            # Not UTF-8 after all (the head was): the file is Windows-1252, as a
            # whole, and read again converted (lib/encodings.py's rule) -- unless
            # its byte-order mark says UTF-8.
            if _has_utf8_bom(layout.path):
                raise LogFormatError(
                    f"{layout.path.name}: this is not a CSV text file: it starts "
                    "with the byte-order mark of UTF-8, but holds bytes that are "
                    "not UTF-8."
                ) from None
            converted = to_utf8(layout.path, "cp1252", tmp, layout.path.name)
            layout = logfile.read_layout_as(layout, converted)
            return load(con, layout, rules, tmp, oris)
        else:
            done = duck.finish_load(con, rules, read, [], oris)
            return dataclasses.replace(done, fast=True), layout
    if file_encoding_of(layout.path) == "cp1252":
        layout = logfile.read_layout_as(
            layout, to_utf8(layout.path, "cp1252", tmp, layout.path.name)
        )
        sentinel = duck.write_sentinel(layout, tmp / SENTINEL_FILE)
    read, rejected = duck.read_exact(con, layout, rules, sentinel, oris)
    return duck.finish_load(con, rules, read, rejected, oris), layout


def numbered_rows(
    con: duck.Connection, layout: LogLayout, load: duck.FileLoad, tmp: Path
) -> Path:
    """Every readable row of the file ``load`` read, with its number in the file,
    as a Parquet file in ``tmp`` (the import archives them: ``duck.archive_file``).
    A file the fast path read is numbered by Polars on every core; the exact
    path's numbering (one thread, and the unreadable rows' gaps) is DuckDB's."""
    target = tmp / "rows.parquet"
    if not load.fast:
        duck.number_rows(con, layout, tmp / SENTINEL_FILE, target)
        return target
    pl = _polars()

    names = [f"c{i}" for i in range(layout.width)]
    pl.scan_csv(
        layout.path,
        infer_schema=False,
        new_columns=names,
        row_index_name="ref",
        row_index_offset=1,
        empty_string_is_null=False,  # duck.archive_file makes "" NULL
        quote_char='"',
    ).select(
        "ref", *(pl.col(f"c{layout.positions[name]}").alias(name) for name in COLUMNS)
    ).sink_parquet(target, compression="lz4")
    return target


def file_encoding_of(path: Path) -> str:
    """The whole file's encoding (``lib/tabular.py``'s decision: strict UTF-8 to
    the end, else Windows-1252); the exact path pays for this full pass."""
    try:
        with path.open("rb") as raw:
            return file_encoding(raw, path.name)
    except TableError as exc:
        raise LogFormatError(str(exc)) from None


def _has_utf8_bom(path: Path) -> bool:
    with path.open("rb") as raw:
        return raw.read(3) == codecs.BOM_UTF8


class _InvalidUtf8(Exception):
    pass


def _scan(
    layout: LogLayout, rules: RuleSet, sentinel: Path, oris: Sequence[str] | None
) -> object:
    """The rows the rules and the checks need, as an Arrow table (see the module
    docstring), the sentinel row last."""
    pl = _polars()

    names = [f"c{i}" for i in range(layout.width)]
    col = {name: pl.col(f"c{layout.positions[name]}") for name in COLUMNS}
    key = col["message_key"].str.strip_chars().str.to_uppercase()
    keep = (
        key.is_in(list(rules.keys_upper))
        | key.eq(duck.SENTINEL)
        | ~col["timestamp"].fill_null("").str.contains(_SURE_TIMESTAMP)
    )
    if oris is not None:
        # strip_chars(" "): DuckDB's trim() removes spaces only.
        ori = col["ori"].fill_null("").str.strip_chars(" ").str.to_uppercase()
        keep = keep | ~ori.is_in([o.upper() for o in oris])
    frame = pl.scan_csv(
        [layout.path, sentinel],
        infer_schema=False,  # every column as text
        new_columns=names,
        row_index_name="ref",
        row_index_offset=1,
        # duck.read_frame makes "" NULL, as DuckDB's reader does (quoted too).
        empty_string_is_null=False,
        quote_char='"',
    )
    query = frame.filter(keep).select(
        "ref", *(c.alias(name) for name, c in col.items())
    )
    try:
        kept = query.collect()
    except pl.exceptions.PolarsError as exc:
        if "utf-8" in str(exc).lower():
            raise _InvalidUtf8 from None
        raise NeedsExactPath from None
    # Polars' own string layout (Arrow string views), which DuckDB reads as it
    # is: the default conversion copies every string (0.4 s at 10 M rows).
    return kept.to_arrow(compat_level=pl.CompatLevel.newest())
