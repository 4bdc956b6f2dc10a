"""Layer 5a (LSP): read JSON-RPC messages from the client's byte stream and answer what cannot be handled.

This replaces pygls's reading loop (``pygls.io_.run_async``), which, fed a broken stream:
- answers nothing to a body that is not JSON, or JSON that is not a JSON-RPC message, where JSON-RPC 2.0
  asks for a ``Parse error`` or ``Invalid Request`` response with a null id; instead it pops up an
  "Error in server" message in the editor;
- never answers a request whose params have the wrong shape, so the client waits for ever (JSON-RPC asks
  for ``Invalid params`` with the request's id);
- drops the next message after bytes that came without a ``Content-Length`` header;
- stops the server on a header line longer than 64 KiB (asyncio's ``readline`` limit raises);
- trusts any ``Content-Length``: a huge one swallows every later message;
- never answers a request nested deeper than Python's JSON reader recurses (5,000 levels, say): the
  RecursionError escapes its handler.

Here a header is found anywhere in the stream (what precedes it is skipped and answered as a parse error),
a ``Content-Length`` over MAX_BODY_BYTES is answered as an invalid request and skipped, and each body is
checked before pygls sees it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, Optional

log = logging.getLogger("listing_lint.lsp")

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602

MAX_BODY_BYTES = 256 * 1024 * 1024
"""The largest message read: far above any listing (the server lints 2,000,000 characters at most, by default)."""

HEADER = re.compile(rb"content-length[ \t]*:[ \t]*(\d{1,20})[ \t]*\r?\n", re.IGNORECASE)
OTHER_HEADER = re.compile(rb"[A-Za-z0-9-]+[ \t]*:[^\r\n]*\r?\n\Z")
LONGEST_HEADER = 64
"""Bytes kept when no header is found in the buffer: enough for one split across two reads."""
MAX_HEADER_BLOCK = 8192
"""Other header lines (Content-Type) after Content-Length; more than this without a blank line is not a header."""
TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[][{},:]')
"""A JSON string or a structural character: enough to find the top level of a message too deep to parse."""


class MessageReader:
    """Split a byte stream into message bodies, finding the next header after anything broken."""

    def __init__(self, read: Callable[[], Awaitable[bytes]], on_error: Callable[[Optional[Any], int, str], None]):
        self._read = read
        self._on_error = on_error
        self._buffer = bytearray()
        self._eof = False
        self._skipped = 0
        self._preview = b""
        self._why = ""

    async def _fill(self) -> bool:
        """Read more bytes into the buffer; return False at the end of the stream."""
        if self._eof:
            return False
        chunk = await self._read()
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return True

    def _skip(self, n: int, why: str) -> None:
        """Drop ``n`` bytes that are not part of a message; they are reported once the stream is back in step."""
        skipped = bytes(self._buffer[:n])
        del self._buffer[:n]
        if not self._skipped and not skipped.strip():
            return  # whitespace between messages
        if not self._skipped:
            self._why = why
        if len(self._preview) < 80:
            self._preview += skipped[:80 - len(self._preview)]
        self._skipped += n

    def _report_skipped(self) -> None:
        if self._skipped:
            preview = self._preview.decode("utf-8", "replace")
            self._on_error(None, PARSE_ERROR,
                           f"Parse error: {self._skipped} bytes {self._why} were skipped: {preview!r}")
            self._skipped, self._preview = 0, b""

    async def next_body(self) -> Optional[bytes]:
        """Return the next message body, or None at the end of the stream."""
        while True:
            match = HEADER.search(self._buffer)
            if match is None:
                # Keep the tail: a header may be split across two reads.
                if len(self._buffer) > LONGEST_HEADER:
                    self._skip(len(self._buffer) - LONGEST_HEADER, "without a Content-Length header")
                if not await self._fill():
                    self._skip(len(self._buffer), "without a Content-Length header")
                    self._report_skipped()
                    return None
                continue
            # Read the match before the buffer changes: a match on a bytearray reads it lazily.
            length, header_length = int(match.group(1)), match.end() - match.start()
            self._skip(match.start(), "without a Content-Length header")
            end = await self._header_end(header_length)
            if end is None:
                if self._eof:
                    self._report_skipped()
                    return None
                # Not a header block after all: drop the Content-Length line and look for the next one.
                self._skip(header_length, "of a header with no blank line after it")
                continue
            self._report_skipped()
            del self._buffer[:end]
            if length > MAX_BODY_BYTES:
                self._on_error(None, INVALID_REQUEST,
                               f"Invalid Request: Content-Length {length} is over the server's limit of "
                               f"{MAX_BODY_BYTES} bytes; the message is skipped")
                continue
            while len(self._buffer) < length:
                if not await self._fill():
                    return None
            body = bytes(self._buffer[:length])
            del self._buffer[:length]
            return body

    async def _header_end(self, start: int) -> Optional[int]:
        """Return the offset just past the blank line ending the header block, or None if there is none."""
        pos = start
        while True:
            newline = self._buffer.find(b"\n", pos)
            if newline < 0:
                if len(self._buffer) - start > MAX_HEADER_BLOCK or not await self._fill():
                    return None
                continue
            line = bytes(self._buffer[pos:newline + 1])
            if not line.strip():
                return newline + 1
            if not OTHER_HEADER.match(line) or HEADER.match(line):
                return None  # not "Name: value" (a body with no blank line before it), or a second Content-Length
            pos = newline + 1


def message_problem(data: Any) -> Optional[tuple[Optional[Any], str]]:
    """Return (the id to answer, what is wrong) for JSON that is not a JSON-RPC 2.0 message; None if it is one."""
    if not isinstance(data, dict):
        return None, f"Invalid Request: a JSON-RPC message is a JSON object, not {type(data).__name__}"
    msg_id = data.get("id")
    id_ok = msg_id is None or (isinstance(msg_id, (int, str)) and not isinstance(msg_id, bool))
    # Only a request is answered with its id: the id of anything else may name one of the client's requests.
    answer_id = msg_id if id_ok and "method" in data else None
    if data.get("jsonrpc") != "2.0":
        return answer_id, 'Invalid Request: "jsonrpc" must be "2.0"'
    if not id_ok:
        return None, 'Invalid Request: "id" must be a number or a string'
    if "method" in data:
        if not isinstance(data["method"], str):
            return answer_id, 'Invalid Request: "method" must be a string'
        if data.get("params") is not None and not isinstance(data["params"], (dict, list)):
            return answer_id, 'Invalid Request: "params" must be an object or an array'
        return None
    if "id" not in data or ("result" in data) == ("error" in data):
        return None, 'Invalid Request: neither a request, a notification nor a response'
    return None


class Dispatcher:
    """Check each message body, answer errors the protocol asks for, and hand the rest to pygls."""

    def __init__(self, protocol: Any):
        self.protocol = protocol

    def send_error(self, msg_id: Optional[Any], code: int, message: str) -> None:
        """Answer with a JSON-RPC error (``msg_id`` None when the request's id is unknown)."""
        log.warning("%s", message)
        self.protocol._send_data({"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}})

    def dispatch(self, body: bytes) -> None:
        """Handle one message body."""
        try:
            data = json.loads(body)
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
            self.send_error(None, PARSE_ERROR, f"Parse error: {exc}")
            return
        except RecursionError:
            self.refuse_deep(body)
            return
        problem = message_problem(data)
        if problem is not None:
            answer_id, detail = problem
            self.send_error(answer_id, INVALID_REQUEST, detail)
            return
        is_request = "method" in data and "id" in data
        if is_request and getattr(self.protocol, "_shutdown", False):
            # The LSP: requests after shutdown "should error with InvalidRequest" (pygls drops them).
            self.send_error(data["id"], INVALID_REQUEST, f"Invalid Request: {data['method']} after shutdown")
            return
        try:
            # pygls structures through json's object_hook, bottom up: a nested object that happens to have a
            # "jsonrpc" key (in a settings value, say) would be taken for a message. Only the top is one.
            message = self.protocol.structure_message(data)
        except Exception as exc:
            detail = f"Invalid params for {data.get('method')}: {_cause(exc)}"
            if is_request:
                self.send_error(data["id"], INVALID_PARAMS, detail)
            else:
                log.warning("ignored a message: %s", detail)  # a notification or response gets no answer
            return
        self.protocol.handle_message(message)


    def refuse_deep(self, body: bytes) -> None:
        """Answer a message too deeply nested to parse: a request by its id, anything else as JSON-RPC says."""
        top = top_level(body)
        if top is None:
            self.send_error(None, PARSE_ERROR, "Parse error: the message is not valid JSON (and is nested too deeply "
                                               "to say where)")
        elif not isinstance(top, dict):
            self.send_error(None, INVALID_REQUEST, "Invalid Request: a JSON-RPC message is a JSON object, not a "
                                                   "deeply nested array")
        elif "method" in top and "id" in top:
            self.send_error(top["id"], INVALID_REQUEST, "Invalid Request: the message is nested too deeply to read")
        elif "method" in top:
            log.warning("ignored a notification nested too deeply to read")
        else:
            log.warning("ignored a response nested too deeply to read")


def top_level(body: bytes) -> Optional[Any]:
    """Return the top level of a JSON message too deep to parse, or None if it is not JSON.

    A top-level object comes back as a dict of its keys, each with its value when that is a number or a
    string (anything else as None); a top-level array as an empty list. Tokens are scanned without
    recursion, so any depth costs time linear in the body; only the brackets are checked, not all of JSON.
    """
    try:
        body.decode("utf-8")
        return _scan(body)
    except ValueError:  # UnicodeDecodeError, or a key that is not a valid JSON string
        return None


def _scan(body: bytes) -> Optional[Any]:
    stack: list[bytes] = []
    top: Any = None
    key: Optional[bytes] = None
    value_at: Optional[int] = None
    for m in TOKEN.finditer(body):
        token = m.group()
        if not stack:
            if top is not None or body[:m.start()].strip() or token not in (b"{", b"["):
                return None  # a scalar, or something before or after the top-level value
            top = {} if token == b"{" else []
            stack.append(token)
            continue
        if len(stack) == 1 and isinstance(top, dict):
            if key is None:
                if token.startswith(b'"'):
                    key = token
            elif value_at is None:
                if token == b":":
                    value_at = m.end()
            else:
                if token in (b",", b"}"):  # a number, true, false or null: between the colon and this token
                    top[json.loads(key)] = _scalar(body[value_at:m.start()])
                else:  # a string, or an object or array (not an id)
                    top[json.loads(key)] = _scalar(token) if token.startswith(b'"') else None
                key = value_at = None
        if token in (b"{", b"["):
            stack.append(token)
        elif token in (b"}", b"]"):
            if (stack.pop(), token) not in ((b"{", b"}"), (b"[", b"]")):
                return None
    return None if stack else top


def _scalar(value: bytes) -> Any:
    """Return a JSON number or string as an id may be; None for anything else."""
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return None if isinstance(parsed, bool) or not isinstance(parsed, (int, str)) else parsed


def _cause(exc: BaseException) -> str:
    """Return the innermost cause of a structuring error, briefly."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    exceptions = getattr(exc, "exceptions", None)
    while exceptions:
        exc = exceptions[0]
        exceptions = getattr(exc, "exceptions", None)
    notes = getattr(exc, "__notes__", None)
    where = f" ({notes[-1]})" if notes else ""
    return f"{type(exc).__name__}: {exc}{where}"


async def serve(read: Callable[[], Awaitable[bytes]], protocol: Any, stopped: Callable[[], bool]) -> None:
    """Read and handle messages until the stream ends or ``stopped()``."""
    dispatcher = Dispatcher(protocol)
    reader = MessageReader(read, dispatcher.send_error)
    while not stopped():
        body = await reader.next_body()
        if body is None:
            return
        try:
            dispatcher.dispatch(body)
        except Exception:  # the server must outlive any message
            log.exception("could not handle a message")
