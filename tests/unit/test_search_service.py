"""The reader of Pagefind's service answers (generator/search/index.py): base64 JSON messages
ended by commas, arriving in pieces of any size, among them one of many megabytes (the whole
index, the answer to GetFiles)."""

from __future__ import annotations

import base64
import io
import json

from generator.search.index import _Service


class _FakeProcess:
    def __init__(self, data: bytes):
        self.stdout = io.BufferedReader(io.BytesIO(data), 1 << 16)


def message(message_id, payload) -> bytes:
    return base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode()) + b","


def read(data: bytes) -> _Service:
    service = _Service.__new__(_Service)
    _Service.__init__(service, None, 10)
    service.proc = _FakeProcess(data)
    service._read()
    return service


def test_every_answer_is_read_whatever_the_chunks():
    big = {"type": "GetFiles", "files": [{"path": "x", "content": "A" * 3_000_000}]}
    data = (message(1, {"type": "IndexedFile"}) + b"not base64!," + message(2, big)
            + base64.b64encode(b'"a string, not an answer"') + b","
            + base64.b64encode(json.dumps({"payload": {"original_message": json.dumps({"message_id": 3})}}).encode()) + b","
            + message(4, {"type": "WriteFiles"}))
    service = read(data)
    assert service.ended
    assert sorted(service.answers) == [1, 2, 3, 4]
    assert service.answers[2]["files"][0]["content"] == "A" * 3_000_000


def test_an_unfinished_last_message_is_not_taken_as_an_answer():
    service = read(message(1, {"type": "NewIndex"}) + message(2, {"type": "GetFiles"})[:-10])
    assert sorted(service.answers) == [1] and service.ended
