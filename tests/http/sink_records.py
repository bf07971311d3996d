"""How the test sinks (smtp_sink.py, webhook_sink.py) keep what they receive:
one <seq>.json file per message in an output folder, numbered on from what
the folder already holds, so that a sink restarted on the same folder adds
to it and a reader never sees half a file."""

import json
import os


def first_sequence(out_dir):
    """The number after the highest <seq>.json already in out_dir."""
    highest = 0
    for name in os.listdir(out_dir):
        stem, dot, ext = name.partition(".")
        if ext == "json" and stem.isdigit():
            highest = max(highest, int(stem))
    return highest + 1


def write_atomically(out_dir, sequence, record):
    """Writes record as <sequence>.json, whole or not at all."""
    final = os.path.join(out_dir, "%d.json" % sequence)
    temp = os.path.join(out_dir, ".%d.json.tmp" % sequence)
    with open(temp, "w", encoding="utf-8") as out:
        json.dump(record, out, ensure_ascii=False, indent=1)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, final)
