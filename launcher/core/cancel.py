"""A cancel flag that also ends the blocking work it cancels, and knows the partial files that work still holds.

A plain `threading.Event` is only looked at between two steps: a download blocked in a read whose server has
stopped sending notices it at the server's next chunk or at the read timeout. `Cancel.set()` also runs what
the work registered while it blocks (`interrupting`): for a download, urllib3's `HTTPResponse.shutdown()`,
which shuts the socket's reading side so that the blocked read returns at once, over HTTP and HTTPS alike
(tests/faults/test_abandoned_download.py). Closing the response or the session from the cancelling thread
does not do that (measured on loopback, urllib3 2.8, Python 3.11): `Response.close()` itself blocked the
caller until the read timed out, and `Session.close()` closes only the idle connections of its pool, so the
read went on to its timeout; see urllib3/urllib3#2868, answered by `shutdown()` in urllib3 2.3. The work
then ends on its own thread and cleans up after itself as on any cancel. Windows does not wake a recv blocked
when its socket is shut down (python/cpython#91913; Wine neither): `download.stop_reading` closes the socket
there as well.

Before the answer's headers there is no response to shut yet, but there is a connection: a server that accepts
it and then says nothing (no TLS handshake, no headers) held the request until its timeout. Work that runs its
requests inside `connections_watched(cancel)` has each connection that opens or waits for headers there
registered with the cancel for that while (`watched_connection`, called by launcher.core.http's connection
classes, which urllib3 makes through its pools' documented `ConnectionCls`; `watched_socket` for the TLS
handshake, run by that module's SSL context, whose socket the connection gets only once it is over): `set()`
then ends that socket (`end_socket`) and the request fails at once; a request that would start after the
cancel is refused (`Cancelled`) before it opens or reuses a connection.

A program that is exiting cannot always wait for that: the name lookup and the TCP connect itself have no
socket this code can reach until they return (bounded by the connect timeout). `remove_partials()` then removes
the partial files that the cancelled work still holds (`holding`), as its own clean-up would have.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent import futures
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

# How long an exiting program waits for cancelled work to end on its own: a download whose read or connection was
# ended ends within moments; one still resolving or in its TCP connect (no socket to end yet) would take until
# its connect timeout
EXIT_WAIT_S = 2.0


class Cancel(threading.Event):
    """A `threading.Event` (set / is_set / wait as usual) whose `set()` also interrupts the blocking call
    registered with `interrupting`, for work that takes it as its cancel flag (`download.ensure_artifact`)."""

    def __init__(self) -> None:
        super().__init__()
        self._hooks = threading.Lock()
        self._interrupters: dict[object, Callable[[], object]] = {}
        self._partials: dict[Path, IO[bytes]] = {}

    def set(self) -> None:
        """Cancel: the flag, then each interrupter registered now, on this thread. Never raises for an
        interrupter: one whose connection is already gone has nothing left to interrupt."""
        with self._hooks:
            super().set()
            for interrupt in list(self._interrupters.values()):
                _call(interrupt)

    @contextmanager
    def interrupting(self, interrupt: Callable[[], object]) -> Iterator[None]:
        """While inside, `set()` also calls `interrupt()`; called at once on entering when already set. Calls
        run under a lock this block's end takes too: once it is left, no call of `interrupt` is under way or
        to come (a connection handed back to its pool is never shut down for its next user)."""
        key = object()
        with self._hooks:
            if self.is_set():
                _call(interrupt)
            else:
                self._interrupters[key] = interrupt
        try:
            yield
        finally:
            with self._hooks:
                self._interrupters.pop(key, None)

    @contextmanager
    def holding(self, path: Path, fh: IO[bytes]) -> Iterator[None]:
        """While inside, `path` (open as `fh`) is a partial file of the work this flag cancels, which
        `remove_partials` removes should the program end before the work has ended."""
        with self._hooks:
            self._partials[Path(path)] = fh
        try:
            yield
        finally:
            with self._hooks:
                self._partials.pop(Path(path), None)

    def remove_partials(self) -> list[Path]:
        """For a program that is exiting and waits no longer for the cancelled work: close and remove the
        partial files it still holds; returns those removed. The work's own next step then fails on its
        closed file, and its own removal finds nothing left.

        Closed before the unlink: Windows deletes no file that a handle holds open without
        FILE_SHARE_DELETE, and Python's open() (mkstemp's os.open too) never asks for that share mode, so
        while the download's thread holds its handle the unlink fails (PermissionError, a sharing
        violation). Linux would unlink the open file (its name goes at once, its space with the last handle);
        one order serves both."""
        with self._hooks:
            held, self._partials = self._partials, {}
        removed = []
        for path, fh in held.items():
            with contextlib.suppress(OSError, ValueError):  # a write under way fails there, not here
                fh.close()
            try:
                path.unlink()
            except FileNotFoundError:
                continue  # the work removed it first, or renamed it into place finished and verified
            except OSError as exc:
                log.warning("partial download %s not removed: %s", path, exc)
                continue
            removed.append(path)
        if removed:
            log.info("removed the partial downloads of work given up at exit: %s",
                     ", ".join(p.name for p in removed))
        return removed


def end_at_exit(work: Iterable[tuple[Cancel, Future[Any]]], wait_s: float = EXIT_WAIT_S) -> list[Path]:
    """For a program that is exiting: cancel each piece of `work` (its flag, and the thread it runs on as a
    Future), wait up to `wait_s` seconds in all for their threads to end (a download cut short ends within
    moments and removes its own partial file), then remove the partial files of those still running.
    Returns the files removed here."""
    work = list(work)
    for cancel, _future in work:
        cancel.set()
    futures.wait([future for _cancel, future in work], timeout=wait_s)
    removed: list[Path] = []
    for cancel, future in work:
        if not future.done():
            log.info("a cancelled download still runs at exit (its server holds it back): removing its file")
            removed += cancel.remove_partials()
    return removed


def _call(interrupt: Callable[[], object]) -> None:
    try:
        interrupt()
    except Exception as exc:  # noqa: BLE001 - already closed, released or never connected: nothing to interrupt
        log.debug("interrupting cancelled work: %r", exc)


@contextmanager
def interrupting(cancel: threading.Event | None, interrupt: Callable[[], object]) -> Iterator[None]:
    """`cancel.interrupting(interrupt)` for a `Cancel`; nothing for a plain Event or None (looked at between
    steps only)."""
    if isinstance(cancel, Cancel):
        with cancel.interrupting(interrupt):
            yield
    else:
        yield


@contextmanager
def holding(cancel: threading.Event | None, path: Path, fh: IO[bytes]) -> Iterator[None]:
    """`cancel.holding(path, fh)` for a `Cancel`; nothing for a plain Event or None."""
    if isinstance(cancel, Cancel):
        with cancel.holding(path, fh):
            yield
    else:
        yield


class Cancelled(Exception):  # noqa: N818 - what happened, as the codes say it
    """A request refused before it opened or reused a connection: its work's cancel was already set. Not an
    OSError, so that urllib3 does not retry it (it propagates out of `requests` as raised)."""


# The cancel of the requests made on this thread (a context variable: each thread has its own value)
_WATCHING: ContextVar[Cancel | None] = ContextVar("launcher_cancel_watching", default=None)


@contextmanager
def connections_watched(cancel: threading.Event | None) -> Iterator[None]:
    """While inside, the connections this thread's requests open or wait on are ended by `cancel.set()` (a
    `Cancel`; nothing for a plain Event or None), through `watched_connection`."""
    if not isinstance(cancel, Cancel):
        yield
        return
    token = _WATCHING.set(cancel)
    try:
        yield
    finally:
        _WATCHING.reset(token)


@contextmanager
def watched_connection(connection: Any) -> Iterator[None]:
    """For a connection class (launcher.core.http): around a step that can block on the server (connecting,
    waiting for the answer's headers). Inside `connections_watched(cancel)`: `Cancelled` at once when the
    cancel is set already, else the cancel's `set()` ends `connection.sock` while inside (the socket exists once
    the TCP connect has returned). Outside any: nothing."""
    with _watched(lambda: getattr(connection, "sock", None)):
        yield


@contextmanager
def watched_socket(sock: socket.socket) -> Iterator[None]:
    """`watched_connection` for one socket: a TLS handshake's (launcher.core.http), which its connection does not
    hold yet while the handshake runs."""
    with _watched(lambda: sock):
        yield


@contextmanager
def _watched(sock: Callable[[], socket.socket | None]) -> Iterator[None]:
    cancel = _WATCHING.get()
    if cancel is None:
        yield
        return
    if cancel.is_set():
        raise Cancelled("cancelled before the request")
    with cancel.interrupting(lambda: end_socket(sock())):
        yield


def end_socket(sock: socket.socket | None) -> None:
    """End the blocking calls another thread makes on `sock`, at once: shut it both ways, which wakes a blocked
    recv on Linux and macOS (the TLS handshake's too); Windows wakes none for a shutdown (python/cpython#91913;
    Wine neither), so there it is also closed, which cancels blocking calls on it in every thread (Winsock's
    closesocket). It is detached from its Python object first, so the blocked thread finds no handle to use any
    more rather than a number Windows may already have given to another socket. Never raises: a socket already
    gone has nothing left to end."""
    if sock is None:
        return
    with contextlib.suppress(OSError, ValueError):
        sock.shutdown(socket.SHUT_RDWR)
    if sys.platform != "win32":
        return
    with contextlib.suppress(OSError, ValueError):
        handle = sock.detach()
        if handle >= 0:
            socket.close(handle)
