"""The server's JSON-RPC framing: every message gets through however the stream is cut, and after anything broken
(bytes with no header, a header with no blank line, a Content-Length over the limit) the next message still does."""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint.lsp import transport
from listing_lint.lsp.transport import INVALID_REQUEST, PARSE_ERROR, Dispatcher, MessageReader, message_problem


def read_all(stream: bytes, cuts: list[int]) -> tuple[list[bytes], list[tuple]]:
    """Feed ``stream`` to a MessageReader in pieces cut at ``cuts``; return the bodies and the errors reported."""
    bounds = sorted({c % (len(stream) + 1) for c in cuts} | {0, len(stream)})
    pieces = [stream[a:b] for a, b in zip(bounds, bounds[1:])]
    errors: list[tuple] = []

    async def run() -> list[bytes]:
        chunks = iter(pieces)

        async def read() -> bytes:
            return next(chunks, b"")

        reader = MessageReader(read, lambda *error: errors.append(error))
        bodies = []
        while (body := await reader.next_body()) is not None:
            bodies.append(body)
        return bodies

    return asyncio.run(run()), errors


def frame(body: bytes, content_type: bool = False) -> bytes:
    header = b"Content-Length: %d\r\n" % len(body)
    if content_type:
        header += b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
    return header + b"\r\n" + body


BODY = st.builds(lambda n, text: json.dumps({"jsonrpc": "2.0", "id": n, "method": "x", "params": {"t": text}},
                                            ensure_ascii=False).encode(),
                 st.integers(0, 10**6), st.text(max_size=30))
GARBAGE = st.one_of(
    st.binary(min_size=1, max_size=200).map(lambda b: b.replace(b":", b"")).filter(lambda b: b.strip()),
    st.just(b'{"jsonrpc": "2.0", "id": 1, "method": "no header"}\r\n'.replace(b":", b"")),
    st.just(b"Content-Length: 12\r\n{no blank line before this}"),
    st.just(b"Content-Length: 99999999999999\r\n\r\n"),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), BODY, st.booleans(), st.one_of(st.none(), GARBAGE)), max_size=6),
       st.lists(st.integers(0, 10**6), max_size=12))
def test_every_message_gets_through_any_cut_and_any_garbage(segments, cuts):
    stream = b""
    expected = []
    broken = 0
    for content_type, body, blank_before, garbage in segments:
        stream += (b"\r\n" if blank_before else b"") + frame(body, content_type)
        expected.append(body)
        if garbage is not None:
            stream += garbage
            broken += 1
    stream += frame(b"{}")  # garbage at the very end is a client gone mid-message: nobody to tell
    expected.append(b"{}")
    bodies, errors = read_all(stream, cuts)
    assert bodies == expected
    # Each broken stretch is reported (once, or once per part: bytes, then an oversized header).
    assert broken <= len(errors) <= 2 * broken
    assert all(msg_id is None and code in (PARSE_ERROR, INVALID_REQUEST) for msg_id, code, _ in errors)


def test_a_long_run_of_garbage_is_reported_once_and_memory_stays_bounded():
    stream = b"x" * 3_000_000 + frame(b"{}")
    bodies, errors = read_all(stream, list(range(0, 3_000_000, 65536)))
    assert bodies == [b"{}"]
    [(msg_id, code, message)] = errors
    assert code == PARSE_ERROR and "3000000 bytes without a Content-Length header" in message


def test_a_header_cut_at_every_byte():
    stream = frame(b'{"a": 1}', content_type=True) * 2
    assert read_all(stream, list(range(len(stream))))[0] == [b'{"a": 1}'] * 2


def test_a_truncated_message_ends_the_stream_quietly():
    assert read_all(b"Content-Length: 50\r\n\r\n{\"jsonrpc\"", [])[0] == []


@pytest.mark.parametrize("data, answer_id, says", [
    pytest.param(42, None, "not int", id="number"),
    pytest.param([], None, "not list", id="empty-batch"),
    pytest.param({"foo": 1}, None, '"jsonrpc" must be "2.0"', id="not-json-rpc"),
    pytest.param({"jsonrpc": "1.0", "id": 3, "method": "x"}, 3, '"jsonrpc" must be "2.0"', id="old-version"),
    pytest.param({"jsonrpc": "2.0", "id": [1], "method": "x"}, None, '"id" must be', id="list-id"),
    pytest.param({"jsonrpc": "2.0", "id": True, "method": "x"}, None, '"id" must be', id="bool-id"),
    pytest.param({"jsonrpc": "2.0", "id": 4, "method": 7}, 4, '"method" must be a string', id="number-method"),
    pytest.param({"jsonrpc": "2.0", "id": 5, "method": "x", "params": "p"}, 5, '"params" must be', id="string-params"),
    pytest.param({"jsonrpc": "2.0", "id": 6}, None, "neither", id="id-only"),
    pytest.param({"jsonrpc": "2.0", "id": 6, "result": 1, "error": {}}, None, "neither", id="result-and-error"),
])
def test_json_that_is_not_a_json_rpc_message(data, answer_id, says):
    found_id, problem = message_problem(data)
    assert found_id == answer_id and says in problem and problem.startswith("Invalid Request")


@pytest.mark.parametrize("data", [
    {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}},
    {"jsonrpc": "2.0", "method": "initialized"},
    {"jsonrpc": "2.0", "id": "a", "result": None},
    {"jsonrpc": "2.0", "id": 2, "error": {"code": 1, "message": "m"}},
])
def test_json_rpc_messages_pass(data):
    assert message_problem(data) is None


class FakeProtocol:
    """Records what the dispatcher sends and hands on."""

    _shutdown = False

    def __init__(self):
        self.sent, self.handled = [], []

    def _send_data(self, data):
        self.sent.append(data)

    def structure_message(self, data):
        if data.get("params") == "unstructurable":
            raise ValueError("bad params") from TypeError("'int' object is not subscriptable")
        return data

    def handle_message(self, message):
        self.handled.append(message)


def test_dispatch_answers_what_json_rpc_asks_for():
    protocol = FakeProtocol()
    dispatcher = Dispatcher(protocol)
    dispatcher.dispatch(b"{not json")
    dispatcher.dispatch(b"\xff\xfe")
    dispatcher.dispatch(b'{"jsonrpc": "2.0", "id": 9, "method": "m", "params": [1]}')
    assert [(m["id"], m["error"]["code"]) for m in protocol.sent] == [(None, PARSE_ERROR), (None, PARSE_ERROR)]
    assert protocol.handled == [{"jsonrpc": "2.0", "id": 9, "method": "m", "params": [1]}]


def test_unstructurable_params_answer_a_request_and_only_log_a_notification(monkeypatch):
    protocol = FakeProtocol()
    dispatcher = Dispatcher(protocol)
    monkeypatch.setattr(FakeProtocol, "structure_message", lambda self, data: (_ for _ in ()).throw(
        ValueError("Invalid Params")))
    dispatcher.dispatch(b'{"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": {"a": 1}}')
    dispatcher.dispatch(b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"a": 1}}')
    [answer] = protocol.sent
    assert answer["id"] == 3 and answer["error"]["code"] == transport.INVALID_PARAMS
    assert "textDocument/hover" in answer["error"]["message"] and not protocol.handled


def test_requests_after_shutdown_are_invalid_but_exit_goes_through():
    protocol = FakeProtocol()
    protocol._shutdown = True
    dispatcher = Dispatcher(protocol)
    dispatcher.dispatch(b'{"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {}}')
    dispatcher.dispatch(b'{"jsonrpc": "2.0", "method": "exit"}')
    assert [(m["id"], m["error"]["code"]) for m in protocol.sent] == [(1, INVALID_REQUEST)]
    assert [m["method"] for m in protocol.handled] == ["exit"]
