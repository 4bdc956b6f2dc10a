"""Test support: block and record network use in this process and, through sitecustomize.py, in its children.

Put this folder first on ``PYTHONPATH`` and set ``LISTING_LINT_BLOCK_NETWORK``:
- ``all``: every Python process refuses to create an IPv4/IPv6 socket and to resolve any host name;
- ``1`` (what the suite-wide switch sets): the same, except that sockets may be created and used on
  loopback addresses (127.0.0.0/8, ::1, "localhost"), which test harnesses such as chromedriver need.
  Nothing can leave the machine.
A refusal raises PermissionError (an OSError, as a real network failure would). Unix sockets stay
allowed: asyncio and multiprocessing need them. ``LISTING_LINT_NETWORK_LOG=FILE`` appends one line per
refused attempt to FILE.

It works through an audit hook (PEP 578), so it also sees code that calls ``_socket`` directly, not only
the ``socket`` module. It does not see native code that calls the C library itself, nor other programs; for
those, run the tests in a network namespace as well (``unshare -rn``, see the README).
"""

from __future__ import annotations

import ipaddress
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


def _loopback(host: object) -> bool:
    if host in ("localhost", "localhost.", b"localhost"):
        return True
    try:
        return ipaddress.ip_address(host.decode() if isinstance(host, bytes) else str(host)).is_loopback
    except ValueError:
        return False


def _hook(event: str, args: tuple) -> None:
    if not event.startswith("socket.") or getattr(_state, "busy", False):
        return
    strict = os.environ.get("LISTING_LINT_BLOCK_NETWORK", "all") == "all"
    if event == "socket.__new__":
        if len(args) < 2 or int(args[1]) not in NETWORK_FAMILIES or not strict:
            return
    elif event in SOCKET_EVENTS:
        if len(args) < 2 or _family(args[0]) not in NETWORK_FAMILIES:
            return
        address = args[1]
        if not strict and isinstance(address, tuple) and address and _loopback(address[0]):
            return
    elif event in LOOKUP_EVENTS:
        if not strict and args and _loopback(args[0]):
            return
    else:
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
    """Return a copy of ``env`` under which Python subprocesses refuse (and, with ``log``, record) all network use."""
    env = dict(env)
    here = os.path.dirname(os.path.abspath(__file__))
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != here]
    env["PYTHONPATH"] = os.pathsep.join([here, *parts])
    env["LISTING_LINT_BLOCK_NETWORK"] = "all"
    if log is not None:
        env["LISTING_LINT_NETWORK_LOG"] = log
    return env
