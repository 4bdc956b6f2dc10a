"""Layer 5a (LSP): pygls's JSON-RPC protocol, without the future it keeps for every notification.

pygls 2.1.1 (``JsonRPCProtocol._execute_handler``) files the future of every generator handler, and of
every coroutine or thread handler, in ``_request_futures`` under the message's id. Only a request's entry
is removed (when its response is sent); a notification is filed under a fresh ``uuid4`` that nothing ever
removes. pygls's own handlers for ``didOpen``/``didChange``/``didClose`` are generators, so every edit left
a future behind: about 1.9 kB per notification, 55 MB to 120 MB over 20,000 edits (issue 14). Upstream
``main`` (checked July 2026) has the same code; no report or fix of it was found, only of the like leak
for requests the server sends and the client never answers (openlawlibrary/pygls#608). Here an entry is
dropped as soon as its future is done.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from pygls.protocol import LanguageServerProtocol


class ListingLintProtocol(LanguageServerProtocol):
    """The LSP protocol of pygls, forgetting each handler's future once it is done."""

    def _execute_handler(self, msg_id, handler, callback, args=None, kwargs=None):  # type: ignore[override]
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(partial(self._forget, msg_id))

    def _forget(self, msg_id: Any, future: Any) -> None:
        # Only this future's entry: a client may reuse the id of a request that has been answered.
        if self._request_futures.get(msg_id) is future:
            del self._request_futures[msg_id]
