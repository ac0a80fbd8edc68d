"""Remembering which files passed the full check, by what they hold rather than when.

A file's fingerprint changes whenever anything writes it:

- a small file (main file, WAL and rollback journal together at most
  `HASHED_BYTES`) is fingerprinted by a BLAKE2 hash of its bytes, so the
  fingerprint *is* its content: an in-place edit is seen whatever the
  timestamps say, and an identical copy elsewhere is known at once;
- a larger file (hashing 1.5 GiB would cost seconds) by what changes with
  every write: its device and inode, size, status-change time (ctime) and
  modification time, the SQLite header's file change counter (bumped by every
  commit in rollback-journal mode), page count and schema cookie, and the WAL's
  size, salts and last frame checksum (WAL mode commits append frames whose
  checksums chain over all earlier ones, and do not bump the change counter).
  `cp -p`, `rsync -t`, `tar` and `touch -d` can restore a modification time,
  but not a ctime (only a change of the system clock can), and a copy is a new
  inode.

What passed is kept in `validated.json` in wholiked's data folder as a list of
fingerprints (the newest `_KEEP`), never inside the user's file.

**Reading a database file beside SQLite.** Closing *any* descriptor of a file drops
every POSIX lock the process holds on it, SQLite's included (SQLite's "how to
corrupt a database", 2.2). So the main file is read through one descriptor per
file, opened when a `Database` starts using the file (`hold`) and closed only when
the last one stops (`release`), after its connections are closed. A file nobody
holds is opened and closed around the read. The WAL and journal carry no locks.
"""

import json
import os
import struct
import threading
from pathlib import Path

from wholiked.core.store.paths import data_dir

HASHED_BYTES = 16 * 2**20
"""Files up to this size (with their WAL and journal) are fingerprinted by content."""

_KEEP = 500
_VERSION = 2


Identity = tuple[int, int]
"""(device, inode) of a file."""

_held: dict[Identity, tuple[list[int], list[int]]] = {}  # identity -> ([fds], [holders])
_held_lock = threading.Lock()


def hold(path: Path) -> Identity | None:
    """Keep a read descriptor of the file open until `release` (see the module's docstring).
    Call before connecting to it; None when the file cannot be opened."""
    st = _stat(path)
    if st is None:
        return None
    identity = (st.st_dev, st.st_ino)
    with _held_lock:
        entry = _held.get(identity)
        if entry is not None:
            entry[1][0] += 1
            return identity
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        opened = os.fstat(fd)
        identity = (opened.st_dev, opened.st_ino)  # the file may have been swapped meanwhile
        entry = _held.setdefault(identity, ([], [0]))
        entry[0].append(fd)  # never closed early: a close would drop SQLite's locks
        entry[1][0] += 1
    return identity


def release(identity: Identity | None) -> None:
    """Stop holding the file; its descriptors close with the last holder (whose SQLite
    connections must be closed by then)."""
    with _held_lock:
        entry = _held.get(identity) if identity else None
        if entry is None:
            return
        entry[1][0] -= 1
        if entry[1][0] > 0:
            return
        del _held[identity]  # type: ignore[arg-type]
    for fd in entry[0]:
        os.close(fd)


def read_main(path: Path, offset: int, size: int) -> bytes | None:
    """Bytes of a database file, safely beside SQLite connections to it (None if unreadable)."""
    st = _stat(path)
    return None if st is None else _read_main(path, st, offset, size)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _read_main(path: Path, st: os.stat_result, offset: int, size: int) -> bytes | None:
    """Bytes of the main file, through the held descriptor when there is one."""
    with _held_lock:
        entry = _held.get((st.st_dev, st.st_ino))
        if entry is not None:
            return _pread_all(entry[0][0], offset, size)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        return _pread_all(fd, offset, size)
    finally:
        os.close(fd)


def _pread_all(fd: int, offset: int, size: int) -> bytes:
    chunks, done = [], 0
    while done < size:
        chunk = os.pread(fd, min(size - done, 2**20), offset + done)
        if not chunk:
            break
        chunks.append(chunk)
        done += len(chunk)
    return b"".join(chunks)


def _read(path: Path, offset: int, size: int) -> bytes:
    """Bytes of a WAL or journal file (SQLite holds no POSIX lock on them)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            return fh.read(size)
    except OSError:
        return b""


def _wal_state(wal: Path, size: int) -> str:
    """The WAL's header (salts, checkpoint sequence) and its last frame's header: the
    frame checksums are cumulative, so the last one covers every frame before it."""
    header = _read(wal, 0, 32)
    if len(header) < 32:
        return header.hex()
    page_size = struct.unpack(">I", header[8:12])[0]
    frames = (size - 32) // (24 + page_size) if page_size else 0
    last = _read(wal, 32 + (frames - 1) * (24 + page_size), 24) if frames > 0 else b""
    return f"{header.hex()}:{frames}:{last.hex()}"


def fingerprint(path: Path) -> str | None:
    """A string that changes whenever the file (or its WAL or journal) is written; None when
    the file cannot be read."""
    main = _stat(path)
    if main is None:
        return None
    wal_path, journal_path = Path(f"{path}-wal"), Path(f"{path}-journal")
    sidecars = [(p, _stat(p)) for p in (wal_path, journal_path)]
    total = main.st_size + sum(st.st_size for _, st in sidecars if st is not None)
    if total <= HASHED_BYTES:
        import hashlib  # small files only: loading OpenSSL costs a large file's CLI call 2 ms

        digest = hashlib.blake2b(digest_size=20)
        content = _read_main(path, main, 0, main.st_size)
        if content is None:
            return None
        digest.update(content)
        for p, st in sidecars:
            digest.update(b"\x00" + (_read(p, 0, st.st_size) if st is not None else b"-"))
        return f"content:{total}:{digest.hexdigest()}"
    header = _read_main(path, main, 0, 100) or b""
    parts = [
        "file",
        main.st_dev,
        main.st_ino,
        main.st_size,
        main.st_ctime_ns,
        main.st_mtime_ns,
        header[24:32].hex(),  # file change counter, size in pages
        header[40:44].hex(),  # schema cookie
        header[92:100].hex(),  # version-valid-for, SQLite version of the last writer
    ]
    for p, st in sidecars:
        if st is None or st.st_size == 0:
            parts.append("-")
        elif p == wal_path:
            parts.append(f"{st.st_size}:{st.st_ctime_ns}:{_wal_state(p, st.st_size)}")
        else:
            parts.append(f"{st.st_size}:{st.st_ctime_ns}")
    return ":".join(str(p) for p in parts)


def _cache_file() -> Path:
    return data_dir() / "validated.json"


def _scopes_file() -> Path:
    return data_dir() / "checked-scopes.json"


_SCOPE_FILES = 50
_SCOPES_PER_FILE = 500


def _load_scopes() -> dict[str, list[str]]:
    try:
        data = json.loads(_scopes_file().read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != 1:
        return {}
    files = data.get("files")
    if not isinstance(files, dict):
        return {}
    return {
        k: [s for s in v if isinstance(s, str)] for k, v in files.items() if isinstance(v, list)
    }


def scope_is_remembered(print_: str | None, scope: str) -> bool:
    """True when the rows of this scope (an answer's, see `validation.Scope`) passed their
    check in a file with this fingerprint."""
    return print_ is not None and scope in _load_scopes().get(print_, [])


def remember_scope(print_: str | None, scope: str) -> None:
    """Record that a scope's rows passed in a file with this fingerprint (best effort; the
    newest files and scopes are kept). Forgotten when the file changes: a new fingerprint."""
    if print_ is None:
        return
    files = _load_scopes()
    scopes = [s for s in files.pop(print_, []) if s != scope] + [scope]
    files[print_] = scopes[-_SCOPES_PER_FILE:]
    kept = dict(list(files.items())[-_SCOPE_FILES:])
    target = _scopes_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": 1, "files": kept}))
        tmp.replace(target)
    except OSError:
        pass


def _load() -> list[str]:
    try:
        data = json.loads(_cache_file().read_text())
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        return []  # an older format (keyed by size and mtime): forgotten
    found = data.get("fingerprints")
    return [f for f in found if isinstance(f, str)] if isinstance(found, list) else []


def is_remembered(print_: str | None) -> bool:
    """True when a file with this fingerprint passed the full check."""
    return print_ is not None and print_ in _load()


def remember(print_: str | None) -> None:
    """Record that a file with this fingerprint passed the full check (best effort)."""
    if print_ is None:
        return
    known = [f for f in _load() if f != print_] + [print_]
    target = _cache_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": _VERSION, "fingerprints": known[-_KEEP:]}))
        tmp.replace(target)
    except OSError:
        pass
