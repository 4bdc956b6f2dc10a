"""Test support: block and record network use in this process and, through sitecustomize.py, in its children.

Set ``LISTING_LINT_BLOCK_NETWORK=1`` and put this folder first on ``PYTHONPATH``: every Python process then
refuses to create, connect, bind or send on an IPv4/IPv6 socket and to resolve a host name, raising
PermissionError (an OSError, as a real network failure would). Unix sockets stay allowed: asyncio and
multiprocessing need them. ``LISTING_LINT_NETWORK_LOG=FILE`` appends one line per attempt to FILE.

It works through an audit hook (PEP 578), so it also sees code that calls ``_socket`` directly, not only
the ``socket`` module. It does not see native code that calls the C library itself, nor other programs; for
those, run the tests in a network namespace as well (``unshare -rn``, see the README).
"""

from __future__ import annotations

import os
import socket
import sys
import threading

NETWORK_FAMILIES = {int(socket.AF_INET), int(socket.AF_INET6)} | (
    {int(socket.AF_PACKET)} if hasattr(socket, "AF_PACKET") else set())
# Events whose first argument is the socket: the family tells a Unix socket from a network one.
SOCKET_EVENTS = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"}
# Name lookups: any of them may ask a DNS server.
LOOKUP_EVENTS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo"}

_state = threading.local()
_installed = False


def _family(sock: object) -> int:
    try:
        return int(sock.family)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - an odd object: treat it as a network socket
        return int(socket.AF_INET)


def _record(event: str, args: tuple) -> None:
    log = os.environ.get("LISTING_LINT_NETWORK_LOG")
    if not log:
        return
    line = f"{os.getpid()} {' '.join(sys.argv)[:200]!r} {event} {args!r}"[:2000]
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(line.replace("\n", " ") + "\n")


def _hook(event: str, args: tuple) -> None:
    if not event.startswith("socket.") or getattr(_state, "busy", False):
        return
    if event == "socket.__new__":
        if len(args) < 2 or int(args[1]) not in NETWORK_FAMILIES:
            return
    elif event in SOCKET_EVENTS:
        if not args or _family(args[0]) not in NETWORK_FAMILIES:
            return
    elif event not in LOOKUP_EVENTS:
        return
    _state.busy = True
    try:
        _record(event, args[1:] if event in SOCKET_EVENTS else args)
    finally:
        _state.busy = False
    raise PermissionError(13, f"network access blocked by LISTING_LINT_BLOCK_NETWORK ({event})")


def install() -> None:
    """Install the audit hook once (it cannot be removed: the rest of the process runs under it)."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


def child_env(env: dict[str, str], log: str | None = None) -> dict[str, str]:
    """Return a copy of ``env`` under which Python subprocesses block (and, with ``log``, record) the network."""
    env = dict(env)
    here = os.path.dirname(os.path.abspath(__file__))
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != here]
    env["PYTHONPATH"] = os.pathsep.join([here, *parts])
    env["LISTING_LINT_BLOCK_NETWORK"] = env.get("LISTING_LINT_BLOCK_NETWORK") or "1"
    if log is not None:
        env["LISTING_LINT_NETWORK_LOG"] = log
    return env
