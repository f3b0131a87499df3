#!/usr/bin/env python3
"""seeds.py OUT REALDATA: build the fuzz seed corpora from the real CDR files.

Writes OUT/csv, OUT/import, OUT/deck, OUT/money and OUT/tm (each emptied
first), one seed per file, from tests/realdata (copies of ../shared/realdata):
  csv    every realdata file whole, its first line, its first three lines,
         and each of its first 12 records alone
  import every realdata file whole and its first three lines
  deck   rate decks whose prefixes and rates come from the realdata records
         (destinations, Flowroute's rate and fees), under two header styles
  money  every field of the realdata files that looks like an amount, and
         "A/B" pairs of them (fuzz_money divides A by B)
  tm     every field that looks like a time, alone and with a zone line
The hand-written seeds in tests/fuzz/seeds/<target>/ are used beside these.
Standard library only; files are named by a digest of their bytes."""
import csv
import hashlib
import io
import os
import re
import sys

MAX_PER_TARGET = 400
KINDS = ("csv", "import", "deck", "money", "tm")


def put(out, kind, data, made):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    if made.get(kind, 0) >= MAX_PER_TARGET:
        return
    name = hashlib.sha1(data).hexdigest()[:16]
    path = os.path.join(out, kind, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        made[kind] = made.get(kind, 0) + 1


def records(raw):
    """CSV records of a file read leniently (bad bytes kept, bad quoting skipped)."""
    text = raw.decode("utf-8", "surrogateescape")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return [line.split(",") for line in text.splitlines()]


AMOUNT = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$")
TIME = re.compile(r"^\s*\d{4}[-/]\d")


def main():
    out, real = sys.argv[1], sys.argv[2]
    for kind in KINDS:
        d = os.path.join(out, kind)
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            os.unlink(os.path.join(d, f))
    made = {}
    amounts, times, dests = [], [], []
    for name in sorted(os.listdir(real)):
        if not name.endswith(".csv"):
            continue
        with open(os.path.join(real, name), "rb") as f:
            raw = f.read()
        put(out, "csv", raw, made)
        put(out, "import", raw, made)
        lines = raw.splitlines(keepends=True)
        put(out, "csv", b"".join(lines[:1]), made)
        put(out, "csv", b"".join(lines[:3]), made)
        put(out, "import", b"".join(lines[:3]), made)
        header = lines[0] if lines and not TIME.search(lines[0].decode("latin-1")) else b""
        for line in lines[1:13] if header else lines[:12]:
            put(out, "csv", header + line, made)
        for rec in records(raw):
            for field in rec:
                if AMOUNT.match(field) and len(field) < 40:
                    amounts.append(field)
                elif TIME.match(field) and len(field) < 40:
                    times.append(field)
            for field in rec[1:4]:
                digits = re.sub(r"\D", "", field)
                if 3 <= len(digits) <= 15 and field.strip().lstrip("+").isdigit():
                    dests.append(digits)
    amounts = sorted(set(amounts))
    times = sorted(set(times))
    dests = sorted(set(dests))
    for a in amounts:
        put(out, "money", a, made)
    for i, a in enumerate(amounts[:40]):
        put(out, "money", "%s/%s" % (a, amounts[(i * 7 + 3) % len(amounts)]), made)
    put(out, "money", "0.005/60", made)
    for t in times:
        put(out, "tm", t, made)
    for i, t in enumerate(times[:30]):
        zone = ("America/New_York", "+03:00", "UTC", "Europe/London")[i % 4]
        put(out, "tm", "%s\n%s" % (t, zone), made)
    rates = [a.strip() for a in amounts if "." in a and 0 <= float(a) < 10] or ["0.005"]
    for style in range(2):
        for k in range(0, max(1, len(dests)), 6):
            rows = dests[k:k + 6] or ["1"]
            if style == 0:
                text = "prefix,description,rate,first increment,increment,connect_fee,grace\r\n"
                for j, d in enumerate(rows):
                    text += "%s,dest %s,%s,%d,%d,0,%d\r\n" % (d[: 1 + j % 5], d, rates[(k + j) % len(rates)],
                                                             (1, 6, 30, 60)[j % 4], (1, 6, 6, 60)[j % 4], j % 3)
            else:
                text = "dialcode,destination,rate_per_min,initblock,billingblock,connectcost,eff_from,eff_to\n"
                for j, d in enumerate(rows):
                    text += '%s,"Dest, %s",%s,60,60,0.01,2025-0%d-01,\n' % (d[: 2 + j % 4], d,
                                                                        rates[(k + j) % len(rates)], 1 + j % 9)
            put(out, "deck", text, made)
    print("seeds: " + ", ".join("%s %d" % (k, made.get(k, 0)) for k in KINDS))


if __name__ == "__main__":
    main()
