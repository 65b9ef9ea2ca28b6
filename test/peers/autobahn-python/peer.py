"""An Autobahn|Python peer for react-wamp's conformance tests, driven by JSON lines on stdin.

Same protocol as the nexus Go peer (test/peers/nexus-client/main.go): each command
{"id", "op": register|call|subscribe|publish, ...} gets an answer with the same id; reports are
{"ready": true, "session"}, {"invocation": procedure, ...}, {"interrupted": procedure},
{"event": topic, ...}. Python's int is exact, so 64-bit integers travel exactly both ways.
Closing stdin leaves the realm and ends the program.

    python peer.py --url ws://127.0.0.1:8080/ws --realm realm1 --serialization json
"""

import argparse
import asyncio
import json
import sys
import time

from autobahn.asyncio.wamp import ApplicationRunner, ApplicationSession
from autobahn.wamp import message
from autobahn.wamp.exception import ApplicationError
from autobahn.wamp.serializer import CBORSerializer, JsonSerializer, MsgPackSerializer
from autobahn.wamp.types import CallOptions, CallResult, PublishOptions, RegisterOptions


# stdout carries the JSON lines only: Autobahn's log goes to stderr.
OUT = sys.stdout
sys.stdout = sys.stderr


def emit(report):
    OUT.write(json.dumps(report) + "\n")
    OUT.flush()


def payload_of(value):
    """A call's outcome as [args, kwargs]: Autobahn returns a bare value for one argument."""
    if isinstance(value, CallResult):
        return list(value.results), dict(value.kwresults)
    return ([] if value is None else [value]), {}


class Peer(ApplicationSession):
    async def onJoin(self, details):
        emit({"ready": True, "session": details.session})
        asyncio.ensure_future(self.read_commands())

    async def read_commands(self):
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                self.leave()
                return
            if line.strip():
                asyncio.ensure_future(self.handle(json.loads(line)))

    async def handle(self, cmd):
        op = cmd["op"]
        try:
            if op == "register":
                await self.register_handler(cmd)
                reply = {}
            elif op == "call":
                reply = await self.call_procedure(cmd)
            elif op == "subscribe":
                topic = cmd["topic"]
                await self.subscribe(
                    lambda *args, **kwargs: emit({"event": topic, "args": list(args), "kwargs": kwargs}), topic
                )
                reply = {}
            elif op == "publish":
                options = PublishOptions(acknowledge=True, exclude_me=False)
                await self.publish(cmd["topic"], *(cmd.get("args") or []), options=options, **(cmd.get("kwargs") or {}))
                reply = {}
            else:
                reply = {"failure": f"unknown op {op}"}
        except ApplicationError as error:
            reply = {"failure": f"{error.error}: {error.args}"}
        reply["id"] = cmd["id"]
        emit(reply)

    async def register_handler(self, cmd):
        procedure = cmd["procedure"]

        async def handler(*args, details=None, **kwargs):
            emit({"invocation": procedure, "args": list(args), "kwargs": kwargs})
            for chunk in cmd.get("progress") or []:
                if details is not None and details.progress:
                    details.progress(*chunk)
            wait = cmd.get("waitForCancelMs") or 0
            if wait:
                try:
                    await asyncio.sleep(wait / 1000)
                except asyncio.CancelledError:
                    # Autobahn cancels the handler's task on INTERRUPT.
                    emit({"interrupted": procedure})
                    raise
            reply = cmd.get("reply")
            if reply is None:
                return CallResult(*args, **kwargs)
            if reply.get("error"):
                raise ApplicationError(reply["error"], *(reply.get("args") or []), **(reply.get("kwargs") or {}))
            return CallResult(*(reply.get("args") or []), **(reply.get("kwargs") or {}))

        await self.register(handler, procedure, options=RegisterOptions(details_arg="details"))

    async def call_procedure(self, cmd):
        progress = []
        on_progress = (lambda *args, **kwargs: progress.append(list(args))) if cmd.get("wantProgress") else None
        options = CallOptions(on_progress=on_progress)
        started = time.monotonic()
        pending = self.call(cmd["procedure"], *(cmd.get("args") or []), options=options, **(cmd.get("kwargs") or {}))
        if cmd.get("cancelAfterMs"):
            delay = cmd["cancelAfterMs"] / 1000
            if cmd.get("cancelMode"):
                # Autobahn's own cancel sends no mode; the CANCEL message type takes one, so send it
                # ourselves and wait for the router's answer (the call's future stays as it is).
                request = next(r for r, req in self._call_reqs.items() if req.on_reply is pending)
                cancel = message.Cancel(request, mode=cmd["cancelMode"])
                asyncio.get_running_loop().call_later(delay, lambda: self._transport.send(cancel))
            else:
                # Without a mode the router's default (killnowait) applies.
                asyncio.get_running_loop().call_later(delay, pending.cancel)
        reply = {}
        try:
            reply["args"], reply["kwargs"] = payload_of(await pending)
        except ApplicationError as error:
            reply.update(error=error.error, args=list(error.args), kwargs=error.kwargs)
        except asyncio.CancelledError:
            reply["failure"] = "canceled"
        reply["elapsedMs"] = int((time.monotonic() - started) * 1000)
        reply["progress"] = progress
        return reply

    def onDisconnect(self):
        asyncio.get_event_loop().stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--realm", default="realm1")
    parser.add_argument("--serialization", choices=["json", "msgpack", "cbor"], default="json")
    options = parser.parse_args()
    serializer = {"json": JsonSerializer, "msgpack": MsgPackSerializer, "cbor": CBORSerializer}[options.serialization]()
    ApplicationRunner(options.url, options.realm, serializers=[serializer]).run(Peer)


main()
