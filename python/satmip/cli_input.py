"""The input of `satmip solve`: a file or standard input ("-"), plain or compressed (gzip,
xz, bzip2, by magic bytes), DIMACS CNF or MPS told apart by content (the first line that is
not blank or an MPS '*' comment), by the name (.mps) only when the content does not say.

The readers stream their input a chunk at a time, so a huge input never sits in memory.
Standard input keeps that: a CNF is passed on through a pipe as it arrives; an MPS, which
the reader may read more than once (free, then fixed format), is first copied to a
temporary file (on disk, deleted after reading).
"""
from __future__ import annotations

import bz2
import contextlib
import lzma
import os
import shutil
import stat
import sys
import tempfile
import threading
import zlib
from typing import Callable, Iterator, Optional

HEAD_BYTES = 1 << 16   # raw bytes looked at; their decompressed start decides the kind
STDIN_LABEL = "<stdin>"
MPS_KEYWORDS = {b"NAME", b"ROWS", b"OBJSENSE", b"OBJSENS", b"OBJNAME", b"COLUMNS", b"RHS", b"RANGES",
                b"BOUNDS", b"ENDATA"}


def _decompressed_start(head: bytes) -> bytes:
    """The first decompressed bytes of `head` (at most HEAD_BYTES of text; less when the
    head stops mid-stream). Broken compressed data gives b"": the reader reports it."""
    try:
        if head.startswith(b"\x1f\x8b"):
            return zlib.decompressobj(wbits=31).decompress(head, HEAD_BYTES)
        if head.startswith(b"\xfd7zXZ\x00"):
            return lzma.LZMADecompressor().decompress(head, HEAD_BYTES)
        if head.startswith(b"BZh"):
            return bz2.BZ2Decompressor().decompress(head, HEAD_BYTES)
    except (OSError, EOFError, ValueError, lzma.LZMAError, zlib.error):
        return b""
    return head


def content_kind(text: bytes) -> Optional[str]:
    """"cnf", "mps" or None (the text does not say), by its first line that is not blank
    or an MPS '*' comment: an MPS section keyword, or a DIMACS comment, header or literal."""
    for raw in text.split(b"\n"):
        line = raw.strip()
        if not line or line.startswith(b"*"):
            continue
        if line.split()[0].upper() in MPS_KEYWORDS:
            return "mps"
        if line[:1] in (b"c", b"p", b"-") or line[:1].isdigit():
            return "cnf"
        return None
    return None


def kind_of(head: bytes, name: str) -> str:
    kind = content_kind(_decompressed_start(head))
    if kind:
        return kind
    lower = name.lower()
    for suffix in (".gz", ".xz", ".bz2"):
        if lower.endswith(suffix):
            lower = lower[: -len(suffix)]
    return "mps" if lower.endswith(".mps") else "cnf"


class Source:
    """An opened input: kind ("cnf" or "mps"), label (the file in messages), name (for
    the log) and read(reader), which runs reader(path) on a path the readers can open."""

    def __init__(self, kind: str, label: str, path: str):
        self.kind, self.label, self.path = kind, label, path
        self.name = label if label == STDIN_LABEL else os.path.basename(label)

    def read(self, reader: Callable[[str], object]):
        if self.path == self.label:
            return reader(self.path)
        try:
            return reader(self.path)
        except (ValueError, OSError) as exc:   # messages name the pipe or the spool file: name stdin
            text = str(exc).replace(self.path, self.label)
            raise type(exc)(text) from None

    def relabel(self, text: str) -> str:
        return text.replace(self.path, self.label)


@contextlib.contextmanager
def opened_input(path: str) -> Iterator[Source]:
    if path == "-":
        fd, label = sys.stdin.fileno(), STDIN_LABEL
        if stat.S_ISREG(os.fstat(fd).st_mode):   # `< file`: read again from its start
            yield Source(kind_of(os.pread(fd, HEAD_BYTES, 0), ""), label, "/dev/stdin")
            return
        yield from _from_stream(fd, label)
        return
    with open(path, "rb") as f:   # OSError names the file
        mode = os.fstat(f.fileno()).st_mode
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):   # /dev/stdin, <(...): what is read here is gone
            yield from _from_stream(f.fileno(), path)
            return
        head = f.read(HEAD_BYTES)   # a file (or a device such as /dev/zero) that the reader opens again
    yield Source(kind_of(head, path), path, path)


def _from_stream(fd: int, label: str) -> Iterator[Source]:
    head = _read_head(fd)
    kind = kind_of(head, "" if label == STDIN_LABEL else label)
    opener = _spooled if kind == "mps" else _piped
    with opener(fd, head) as path:
        yield Source(kind, label, path)


def _read_head(fd: int) -> bytes:
    chunks, size = [], 0
    while size < HEAD_BYTES:
        chunk = os.read(fd, HEAD_BYTES - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


@contextlib.contextmanager
def _spooled(fd: int, head: bytes) -> Iterator[str]:
    with tempfile.NamedTemporaryFile(prefix="satmip-stdin-", suffix=".mps") as spool:
        spool.write(head)
        with os.fdopen(os.dup(fd), "rb") as rest:
            shutil.copyfileobj(rest, spool, 1 << 20)
        spool.flush()
        yield spool.name


@contextlib.contextmanager
def _piped(fd: int, head: bytes) -> Iterator[str]:
    """A pipe that a thread fills with `head`, then the rest of `fd`, while the reader
    (which releases the GIL) reads /dev/fd/N."""
    read_end, write_end = os.pipe()

    def feed():
        try:
            _write_all(write_end, head)
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                _write_all(write_end, chunk)
        except OSError:   # the reader stopped early (an error): nothing more to pass on
            pass
        finally:
            os.close(write_end)

    feeder = threading.Thread(target=feed, name="satmip-stdin", daemon=True)
    feeder.start()
    try:
        yield f"/dev/fd/{read_end}"
    finally:
        os.close(read_end)
        feeder.join(timeout=1.0)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
