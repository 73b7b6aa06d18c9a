"""The parent/child message framing of per-vendor processes: length-prefixed pickles."""

from __future__ import annotations

import pickle
import struct
from typing import Any, BinaryIO

HEADER = struct.Struct("!I")


def send(channel: BinaryIO, kind: str, value: Any) -> None:
    data = pickle.dumps((kind, value))
    channel.write(HEADER.pack(len(data)) + data)
    channel.flush()


def receive(channel: BinaryIO) -> tuple[str, Any] | None:
    """The next message, or None at the end of the stream."""
    header = channel.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    return pickle.loads(channel.read(size))
