#!/usr/bin/env python3
"""deck_expected.py: what each real deck in tests/corpus/deck holds, computed
with Python's csv module and nothing of billtop, from what each writer's own
documentation or source says its columns mean (cited per writer below).

For every deck of manifest.tsv: the data rows (records that are not blank),
and for three chosen prefixes the rate per minute, the first increment and
the increment as billtop's rating rule needs them (min, inc: billed =
min if billsec <= min else min + ceil((billsec-min)/inc)*inc), and the
connect fee. Refused decks are listed with their rows only.

Usage: python3 tests/corpus/deck_expected.py > tests/corpus/deck_expected.json
"""
import csv
import io
import json
import lzma
import os
from decimal import Decimal

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "deck")


def text(name):
    raw = open(os.path.join(HERE, name), "rb").read()
    if name.endswith(".xz"):
        raw = lzma.decompress(raw)
    return raw.decode("utf-8-sig")


def read(name):
    rows = list(csv.reader(io.StringIO(text(name), newline="")))
    header, data = rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]
    return header, data


def money(text):
    # the exact decimal, without trailing zeros, at least 4 decimals as billtop lists it
    d = Decimal(text.strip())
    s = format(d.normalize(), "f")
    if "." not in s:
        s += "."
    whole, frac = s.split(".")
    return whole + "." + frac.ljust(4, "0")


def ivozprovider(name, prefixes):
    # IvozProvider doc (doc/sphinx/administration_portal/brand/billing/destination_rates.rst):
    # cost grows by (per minute rate / 60) * charge period every charge period seconds,
    # so the first increment and the increment are both the charge period; the
    # connection charge is charged at call establishment.
    header, data = read(name)
    h = {c: i for i, c in enumerate(header)}
    out = {}
    for r in data:
        p = r[h["Prefix"]].lstrip("+")
        if p in prefixes and p not in out:
            per = int(r[h["Charge period"]])
            out[p] = {"rate": money(r[h["Per minute charge"]]), "min": per, "inc": per,
                      "connect_fee": money(r[h["Connection charge"]])}
    return len(data), out


def astpp(name, prefixes):
    # ASTPP freeswitch/fs/lib/astpp.cdr.php (commit be464dc, lines 480-487): an
    # initial increment < 1 is no initial block, an increment < 1 is 1 second;
    # the cost is init block + ceil(rest / inc) * inc. In billtop's rule that is
    # min = initial increment, or inc when there is none.
    header, data = read(name)
    h = {c: i for i, c in enumerate(header)}
    rate_col = "Cost / Min (USD)" if "Cost / Min (USD)" in h else "Per Minute Cost"
    fee_col = "Connection Cost (USD)" if "Connection Cost (USD)" in h else "Connect Cost"
    out = {}
    for r in data:
        p = r[h["Code"]]
        if p in prefixes and p not in out:
            inc = int(r[h["Increment"]] or 0)
            inc = inc if inc >= 1 else 1
            init = int(r[h["Initial Increment"]] or 0) if "Initial Increment" in h else 0
            out[p] = {"rate": money(r[h[rate_col]]), "min": init if init >= 1 else inc, "inc": inc,
                      "connect_fee": money(r[h[fee_col]])}
    return len(data), out


def neon(name, prefixes):
    # Neon rate tables: Interval1 = first billing interval, IntervalN = the next ones (seconds).
    header, data = read(name)
    h = {c: i for i, c in enumerate(header)}
    out = {}
    for r in data:
        p = r[h["Code"]]
        if p in prefixes and p not in out:
            out[p] = {"rate": money(r[h["Rate"]]), "min": int(r[h["Interval1"]]), "inc": int(r[h["IntervalN"]]),
                      "connect_fee": money(r[h["Connection Fee"]])}
    return len(data), out


def sdf(name, prefixes):
    # The SDF outbound rates: First Interval and Sub Interval are the first and
    # the next increments (seconds), Rate per minute; a row without a rate is a
    # prefix the carrier does not sell (counted apart: billtop rejects it).
    header, data = read(name)
    h = {c: i for i, c in enumerate(header)}
    out = {}
    for r in data:
        p = r[h["Prefix"]]
        if p in prefixes and p not in out and r[h["Rate"]].strip():
            out[p] = {"rate": money(r[h["Rate"]]), "min": int(r[h["First Interval"]]),
                      "inc": int(r[h["Sub Interval"]]), "connect_fee": "0.0000"}
    return len(data), out


def no_rate(name):
    header, data = read(name)
    h = {c.strip(): i for i, c in enumerate(header)}
    return sum(1 for r in data if "Rate" in h and not r[h["Rate"]].strip())


def count_only(name, prefixes):
    header, data = read(name)
    return len(data), {}


DECKS = {
    "ivozprovider-pricesSample.csv": (ivozprovider, ["9377", "35534606", "263"]),
    "astpp-originationrates_sample.csv": (astpp, ["1", "44"]),
    "astpp-terminationrates_sample.csv": (astpp, ["1", "44"]),
    "astpp-v4-originationrates_sample.csv": (astpp, ["93"]),
    "astpp-v4-terminationrates_sample.csv": (astpp, ["1"]),
    "neon-RateTableUploadSample.csv": (neon, ["91", "92", "926"]),
    "neon-VendorRateUploadSample.csv": (neon, ["916", "923", "92"]),
    "sdf-outbound-rates.csv.xz": (sdf, ["9375", "88213", "52429", "1800", "44"]),
    "astpp-termination-rates-export-2019-05-24.csv": (count_only, []),
    "astpp-import-error-report.csv": (count_only, []),
    "astpp-ratedeck_sample.csv": (count_only, []),
    "cgrates-tutorial-Rates.csv": (count_only, []),
}


def main():
    out = {}
    with open(os.path.join(HERE, "manifest.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, outcome = line.rstrip("\n").split("\t")[:2]
            fn, prefixes = DECKS[name]
            rows, rates = fn(name, prefixes)
            out[name] = {"outcome": outcome, "rows": rows, "rates": rates,
                         "no_rate": no_rate(name) if outcome != "refused" else None}
    print(json.dumps(out, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
