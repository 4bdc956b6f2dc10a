"""Layer 5a (LSP): pygls's JSON-RPC protocol, without the future it keeps for every notification.

pygls 2.1.1 (``JsonRPCProtocol._execute_handler``) files the future of every generator handler, and of
every coroutine or thread handler, in ``_request_futures`` under the message's id. Only a request's entry
is removed (when its response is sent); a notification is filed under a fresh ``uuid4`` that nothing ever
removes. pygls's own handlers for ``didOpen``/``didChange``/``didClose`` are generators, so every edit left
a future behind: about 1.9 kB per notification, 55 MB to 120 MB over 20,000 edits (issue 14). Upstream
``main`` (checked July 2026) has the same code; no report or fix of it was found, only of the like leak
for requests the server sends and the client never answers (openlawlibrary/pygls#608). Here an entry is
dropped as soon as its future is done.

``shutdown`` cancels every pending future while iterating over that table, and cancelling a
``concurrent.futures.Future`` (a generator handler's, such as ``initialized`` still waiting for its async part)
runs its callbacks at once: dropping the entry then changed the table under the loop, and ``shutdown`` was
answered with "RuntimeError: dictionary changed size during iteration". The table iterates over a copy.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from functools import partial
from typing import Any

from pygls.exceptions import JsonRpcInternalError
from pygls.protocol import LanguageServerProtocol


class RawResult:
    """A request's result already serialised as ASCII JSON: ``_send_response`` sends it as it is."""

    __slots__ = ("json",)

    def __init__(self, json: str):
        self.json = json


class FutureTable(dict):
    """pygls's table of handler futures, whose ``items()`` is a copy: a callback may drop entries meanwhile."""

    def items(self):  # type: ignore[override]
        return list(super().items())


class ListingLintProtocol(LanguageServerProtocol):
    """The LSP protocol of pygls, forgetting each handler's future once it is done, and sending JSON written once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._request_futures = FutureTable(self._request_futures)

    def _execute_handler(self, msg_id, handler, callback, args=None, kwargs=None):  # type: ignore[override]
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(partial(self._forget, msg_id))

    def _send_response(self, msg_id, result=None, error=None):  # type: ignore[override]
        if error is None and isinstance(result, RawResult):
            self._result_types.pop(msg_id, None)
            self.send_json('{"jsonrpc":"2.0","id":%s,"result":%s}' % (json.dumps(msg_id), result.json))
            return
        super()._send_response(msg_id, result, error)

    def send_json(self, body: str) -> None:
        """Send a message already serialised as ASCII JSON (as ``_send_data`` sends one it serialises itself)."""
        if self.writer is None:
            return
        try:
            header = (f"Content-Length: {len(body)}\r\n"
                      f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n")
            written = self.writer.write((header + body).encode(self.CHARSET))
            if inspect.isawaitable(written):  # the TCP transport's writer
                asyncio.ensure_future(written)
        except BrokenPipeError:
            raise
        except Exception as error:
            self._server._report_server_error(error, JsonRpcInternalError)

    def _forget(self, msg_id: Any, future: Any) -> None:
        # Only this future's entry: a client may reuse the id of a request that has been answered.
        if self._request_futures.get(msg_id) is future:
            del self._request_futures[msg_id]
