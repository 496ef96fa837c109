#!/usr/bin/env python3
"""A real SMTP server for the API tests: accepts every message and keeps it.

    python3 smtp_sink.py OUT_DIR

Listens on 127.0.0.1 on a port the system picks and prints that port as the first
line of standard output. Each message received is written to OUT_DIR as
`NNNN.eml` (the raw message) and `NNNN.json` (envelope, decoded subject and plain-text
body, for the tests to read without a MIME parser). Both files appear whole: they are
written under a temporary name and renamed.

While a file named `refuse` exists beside OUT_DIR, every message is answered with a
temporary failure (451), as a mail server that is overloaded or restarting would: the
tests use it to hold mail back without stopping the server. A file named `reject`
makes it refuse every message for good (550), as for an address that does not exist.
A file named `hang` makes it take each message's text and never answer, as a server
that stops mid-delivery (the message is not kept).

Exits when standard input closes, so a test process that dies never leaves a sink
behind (the tests keep a pipe to its standard input open and never write to it).

Uses aiosmtpd (Debian: python3-aiosmtpd; PyPI: aiosmtpd), installed by
`cargo xtask setup` / `cargo xtask test`.
"""

import asyncio
import email
import email.policy
import json
import os
import sys
import threading

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0

    def _write(self, name, data):
        tmp = os.path.join(self.out_dir, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, os.path.join(self.out_dir, name))

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(os.path.dirname(self.out_dir), "hang")):
            await asyncio.sleep(3600)
        if os.path.exists(os.path.join(os.path.dirname(self.out_dir), "refuse")):
            return "451 4.3.0 Not now, try again later"
        if os.path.exists(os.path.join(os.path.dirname(self.out_dir), "reject")):
            return "550 5.1.1 No such mailbox here"
        self.count += 1
        stem = "%04d" % self.count
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        summary = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "from": str(message.get("From", "")),
            "to": str(message.get("To", "")),
            "subject": str(message.get("Subject", "")),
            "content_type": message.get_content_type(),
            "body": part.get_content() if part is not None else "",
            "html": html.get_content() if html is not None else None,
            "message_id": str(message.get("Message-ID", "")),
            "reply_to": str(message.get("Reply-To", "")),
        }
        # The .eml first: a test that sees the .json may also read the raw message.
        self._write(stem + ".eml", raw)
        self._write(stem + ".json", json.dumps(summary, ensure_ascii=False).encode("utf-8"))
        return "250 Message accepted for delivery"


def exit_when_stdin_closes():
    try:
        sys.stdin.buffer.read()
    finally:
        os._exit(0)


async def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    handler = Sink(out_dir)
    loop = asyncio.get_running_loop()
    # aiosmtpd's Controller wants a fixed port; its SMTP protocol on an asyncio server
    # bound to port 0 gets a free one without a race.
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtp-sink.test", enable_SMTPUTF8=True),
        host="127.0.0.1",
        port=0,
    )
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: smtp_sink.py OUT_DIR", file=sys.stderr)
        sys.exit(2)
    asyncio.run(main(sys.argv[1]))
