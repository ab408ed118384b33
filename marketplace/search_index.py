"""The fitted engine saved on disk, so that web workers load it instead of fitting it inside a request.

``flask search build`` (at deploy, and by ``make run``) and the ``search.build_index`` job (queued by the web
workers when the data changed enough since the last build) fit the engine off the request path and save it here.
A save writes a new file and then points ``current.json`` at it with one atomic rename: a reader sees the old
index or the new one, never half of one. Workers look at the pointer's modification time before each query (one
``stat``) and load a newer index whole, its arrays memory-mapped: the page cache holds one copy that every
process shares. The file is a protocol-5 pickle with its arrays out of band (see :func:`_dump`), only ever read
from this directory and written by this application (a pickle must never come from anyone else). Older files are
removed two builds later (a worker still mapping one keeps reading it: the system frees an unlinked file only once
nobody maps it).

The directory is per database (a key derived from its URL), so that two databases never share an index.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import mmap
import os
import pickle
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import current_app

logger = logging.getLogger(__name__)

FORMAT = 1  # bumped when what is saved changes shape: an index of another format is ignored (and rebuilt)
POINTER = "current.json"
MAGIC = b"QPVIDX01"
ALIGN = 64  # array bytes start on cache-line boundaries
KEPT = 3  # index files kept: the current one and the two before it (workers may still be reading them)


@dataclass(frozen=True)
class Build:
    """The database state an index was fitted on: the search revision and company count read before loading
    the companies (changes committed meanwhile are applied again by the workers), and the reference data."""

    revision: int
    companies: int
    reference: str


@dataclass(frozen=True)
class Saved:
    """One saved index as the pointer names it."""

    path: Path
    build: Build
    marker: tuple[int, int]  # the pointer's (inode, mtime): a new save changes it


def index_dir() -> Path | None:
    """This app's index directory for its database, or None when indexes are not saved (SEARCH_INDEX_DIR unset)."""
    root = current_app.config.get("SEARCH_INDEX_DIR")
    if not root:
        return None
    url = current_app.extensions["sqlalchemy"].engine.url.render_as_string(hide_password=True)
    return Path(root) / hashlib.sha256(url.encode()).hexdigest()[:16]


def marker(directory: Path) -> tuple[int, int] | None:
    """What changes when a new index is saved in ``directory`` (None without one): one ``stat``, cheap per query."""
    try:
        stat = (directory / POINTER).stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def save(engine, build: Build, directory: Path) -> Saved:
    """Write ``engine`` and its build to a new file, then point ``current.json`` at it (atomic rename)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not trusted(directory):
        raise PermissionError(f"{directory} must belong to this user and be writable by nobody else")
    unique = f"{time.time_ns()}-{os.getpid()}-{threading.get_ident()}"
    name = f"index-{unique}.bin"
    partial = directory / f"{name}.partial"
    _dump({"format": FORMAT, "build": asdict(build), "engine": engine}, partial)
    os.replace(partial, directory / name)
    pointer = directory / f"{POINTER}.{unique}.partial"
    pointer.write_text(json.dumps({"format": FORMAT, "file": name, "build": asdict(build)}))
    os.replace(pointer, directory / POINTER)
    _prune(directory, keep=name)
    return Saved(directory / name, build, marker(directory))


def trusted(directory: Path) -> bool:
    """Whether ``directory`` is this user's and nobody else can write to it: an index is a pickle, and a pickle
    planted by someone else would run their code in every worker."""
    try:
        stat = directory.stat()
    except OSError:
        return False
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


def _dump(content: dict, path: Path) -> None:
    """Pickle ``content`` with its arrays out of band (protocol 5), each array's bytes aligned in the file.

    Layout: magic, header length, JSON header (where the pickle and each array lie), then the pickle and the arrays.
    Loading maps the file and hands the arrays' bytes to the unpickler: no copy, and the C unpickler is fast.
    """
    buffers: list[pickle.PickleBuffer] = []
    payload = pickle.dumps(content, protocol=5, buffer_callback=buffers.append)
    raws = [b.raw() for b in buffers]
    header = {"payload": len(payload), "buffers": [r.nbytes for r in raws]}
    encoded = json.dumps(header).encode()
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:  # suppliers' data
        out.write(MAGIC + len(encoded).to_bytes(8, "little") + encoded)
        out.write(payload)
        for raw in raws:
            out.write(b"\0" * (-out.tell() % ALIGN))
            out.write(raw)


def _mapped(path: Path):
    """Unpickle a file written by :func:`_dump`, its arrays backed by a read-only map of the file."""
    with open(path, "rb") as handle:
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(data)
    if bytes(view[:len(MAGIC)]) != MAGIC:
        raise ValueError("not a search index file")
    start = len(MAGIC) + 8
    end = start + int.from_bytes(view[len(MAGIC):start], "little")
    header = json.loads(bytes(view[start:end]))
    offset = end + header["payload"]
    payload = view[end:offset]
    arrays = []
    for size in header["buffers"]:
        offset += -offset % ALIGN
        arrays.append(view[offset:offset + size])
        offset += size
    collecting = gc.isenabled()
    gc.disable()  # millions of new objects, none of them garbage: collection passes would only slow loading down
    try:
        return pickle.loads(payload, buffers=arrays)
    finally:
        if collecting:
            gc.enable()


def current(directory: Path) -> Saved | None:
    """The index ``current.json`` points at, or None (no index yet, another format, a damaged pointer, or a
    directory others can write to)."""
    if not trusted(directory):
        return None
    seen = marker(directory)
    try:
        pointer = json.loads((directory / POINTER).read_text())
        if pointer.get("format") != FORMAT:
            return None
        return Saved(directory / pointer["file"], Build(**pointer["build"]), seen)
    except (OSError, ValueError, TypeError, KeyError):
        logger.warning("unreadable search index pointer in %s: ignored", directory)
        return None


def load(saved: Saved):
    """The engine of a saved index, its arrays memory-mapped read-only (None if the file cannot be read)."""
    try:
        content = _mapped(saved.path)
    except FileNotFoundError:
        return None  # removed by a later save meanwhile: see load_current
    except Exception as error:  # noqa: BLE001  (a damaged file is ignored like a missing one: searching goes on)
        logger.warning("search index %s could not be loaded (%s): ignored", saved.path, error)
        return None
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        return None
    return content["engine"]


def load_current(directory: Path, attempts: int = 5):
    """``(engine, saved)`` of the index ``current.json`` points at, or None.

    Between reading the pointer and opening its file, later saves may have removed that file: the pointer is
    then read again (it names a newer index)."""
    for _ in range(attempts):
        saved = current(directory)
        if saved is None:
            return None
        engine = load(saved)
        if engine is not None:
            return engine, saved
        if saved.path.exists():
            return None  # there, but unreadable: not worth another try
    return None


def _prune(directory: Path, *, keep: str) -> None:
    """Remove all but the newest index files (names sort by time), and what died half-written an hour ago.
    Another process may be pruning too: a file already gone is fine."""
    files = sorted((f for f in directory.glob("index-*.bin") if f.name != keep), key=lambda f: _stamp(f.name))
    for old in files[:max(0, len(files) - (KEPT - 1))]:
        old.unlink(missing_ok=True)
    for partial in directory.glob("*.partial"):
        with contextlib.suppress(FileNotFoundError):
            if partial.stat().st_mtime < time.time() - 3600:
                partial.unlink(missing_ok=True)


def _stamp(name: str) -> int:
    """The nanosecond time in an index file's name (``index-<ns>-<pid>-<thread>.bin``)."""
    try:
        return int(name.split("-")[1])
    except (IndexError, ValueError):
        return 0
