#!/usr/bin/python3
"""A real SMTP server for numberdesk's black-box tests (Debian's python3-aiosmtpd).

Each message received is written atomically (temp file + rename) as
OUT/<seq>.json:

  {"mail_from", "rcpt_tos", "from", "to", "subject", "message_id",
   "text", "html", "raw"}

with the text/plain and text/html parts decoded by the email package
(policy=default). Numbering continues after the files already in OUT, so that
a restarted sink adds to what an earlier run received.

--hold-reply SECONDS with --hold-count N: for the first N messages of this
run, the message is stored first and only then, SECONDS later, is DATA
answered with 250 (a test kills the client in between).

Prints "smtp_sink listening on 127.0.0.1:PORT" once listening; exits with 0 on
SIGTERM or SIGINT. Run it with /usr/bin/python3.

--parse FILE instead prints the same JSON for one RFC 5322 file (an .eml) and
exits: mail_from and rcpt_tos are null.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import sys

from aiosmtpd.smtp import SMTP

from sink_records import first_sequence, write_atomically


def part_content(message, subtype):
    """The decoded text of the first text/<subtype> part, with LF line ends."""
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return None
    return part.get_content().replace("\r\n", "\n")


def header(message, name):
    value = message.get(name)
    return None if value is None else str(value)


def describe(content, mail_from=None, rcpt_tos=None):
    message = email.message_from_bytes(content, policy=email.policy.default)
    return {
        "mail_from": mail_from,
        "rcpt_tos": rcpt_tos,
        "from": header(message, "From"),
        "to": header(message, "To"),
        "subject": header(message, "Subject"),
        "message_id": header(message, "Message-ID"),
        "text": part_content(message, "plain"),
        "html": part_content(message, "html"),
        "raw": content.decode("utf-8", "replace"),
    }


class Handler:
    def __init__(self, out_dir, hold_seconds, hold_count):
        self.out_dir = out_dir
        self.hold_seconds = hold_seconds
        self.holds_left = hold_count
        self.sequence = first_sequence(out_dir)

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        try:
            record = describe(content, envelope.mail_from, list(envelope.rcpt_tos))
        except Exception as error:  # a message the email package cannot read is still kept
            record = {"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos),
                      "raw": content.decode("utf-8", "replace"), "parse_error": repr(error)}
        sequence = self.sequence
        self.sequence += 1
        write_atomically(self.out_dir, sequence, record)
        print("smtp_sink: stored %d.json for %s" % (sequence, ",".join(envelope.rcpt_tos)),
              file=sys.stderr, flush=True)
        if self.holds_left > 0:
            self.holds_left -= 1
            await asyncio.sleep(self.hold_seconds)
        return "250 OK stored"


async def serve(arguments):
    os.makedirs(arguments.out, exist_ok=True)
    handler = Handler(arguments.out, arguments.hold_reply, arguments.hold_count)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtp-sink.localhost", ident="numberdesk test sink"),
        host="127.0.0.1", port=arguments.port, reuse_address=True)
    stop = asyncio.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    port = server.sockets[0].getsockname()[1]
    print("smtp_sink listening on 127.0.0.1:%d" % port, flush=True)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int)
    parser.add_argument("--out")
    parser.add_argument("--hold-reply", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--hold-count", type=int, default=0, metavar="N")
    parser.add_argument("--parse", metavar="FILE", help="describe one message file and exit")
    arguments = parser.parse_args()
    if arguments.parse:
        with open(arguments.parse, "rb") as message:
            json.dump(describe(message.read()), sys.stdout, ensure_ascii=False)
        print()
        return 0
    if arguments.port is None or not arguments.out:
        parser.error("--port and --out are required")
    asyncio.run(serve(arguments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
