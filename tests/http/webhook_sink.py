#!/usr/bin/python3
"""A webhook receiver for numberdesk's black-box tests (Python's http.server).

Each POST is written atomically (temp file + rename) as OUT/<seq>.json:

  {"path", "headers": {lower-cased name: value}, "body": the raw body as text}

and answered with 200, or with --status CODE. Numbering continues after the
files already in OUT, so that a restarted receiver adds to what an earlier
run received.

Prints "webhook_sink listening on 127.0.0.1:PORT" once listening; exits with 0
on SIGTERM or SIGINT. Run it with /usr/bin/python3.
"""

import argparse
import http.server
import json
import os
import signal
import sys
import threading

from sink_records import first_sequence, write_atomically


class Receiver(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, out_dir, status):
        super().__init__(address, Handler)
        self.out_dir = out_dir
        self.status = status
        self.lock = threading.Lock()
        self.sequence = first_sequence(out_dir)

    def store(self, record):
        with self.lock:
            sequence = self.sequence
            self.sequence += 1
            write_atomically(self.out_dir, sequence, record)
        return sequence


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def do_POST(self):
        body = self.read_body()
        record = {
            "path": self.path,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
        }
        sequence = self.server.store(record)
        answer = b"stored %d\n" % sequence
        self.send_response(self.server.status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format, *args):
        print("webhook_sink: " + format % args, file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--status", type=int, default=200)
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)

    server = Receiver(("127.0.0.1", arguments.port), arguments.out, arguments.status)

    def stop(number, frame):
        # shutdown() waits for serve_forever(), which runs on this thread.
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("webhook_sink listening on 127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever(poll_interval=0.1)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
