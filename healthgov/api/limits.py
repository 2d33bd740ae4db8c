"""Request size limit: a body past ``max_bytes`` gets 413 before the app reads it whole.

Pure ASGI, so it works on streamed (chunked) bodies too: ``Content-Length`` is checked first;
without one, the bytes are counted as they arrive and the request is answered 413 as soon as the
count passes the limit. The only endpoint with a body is ``POST /cypher`` (a query of at most
20,000 characters and its parameters), so 1 MB leaves room and stops memory abuse.
"""

from __future__ import annotations

import json
from typing import Any

DEFAULT_MAX_BODY_BYTES = 1_000_000

Scope = dict[str, Any]


class BodySizeLimit:
    def __init__(self, app: Any, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _message(self) -> bytes:
        return json.dumps({"detail": f"request body too large: the limit is {self.max_bytes} bytes"}).encode()

    async def _reject(self, send: Any) -> None:
        body = self._message()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_bytes:
                    await self._reject(send)
                    return
        received = 0
        started = False
        too_large = False

        async def counting_receive() -> dict[str, Any]:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    # Stop the app's read here: it sees a disconnect, and we answer 413 below.
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            if too_large:
                return  # the 413 below is the answer
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            await self._reject(send)
