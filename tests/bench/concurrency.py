#!/usr/bin/env python3
"""concurrency.py: the readers and the arithmetic of the live-feed bench
(concurrency.sh; issue 5, "a writer feeding 2,000 CDRs per second while four
console or CLI readers poll").

  stamp OUT            copy stdin to OUT, each line prefixed with the wall
                       clock (ns) at which it arrived: `billtop ingest
                       --verbose` prints one line per committed batch right
                       after its COMMIT, so this is the commit time
  cli OUT ACCOUNT      a CLI reader: `billtop balance ACCOUNT --format json`
                       in a loop, one poll every CONC_POLL_MS
  screen OUT TARGET    a console reader: the screen of the console running
                       in tmux pane TARGET (socket CONC_TMUX_SOCK), read with
                       `tmux capture-pane` every CONC_POLL_MS
  analyze ...          staleness, errors, latency, writer lag (see below)

Readers stop when the file CONC_STOP exists. Every poll is one JSON line:
t0/t1 (wall ns before and after the poll), rc, err (stderr or the console's
status line when it reports a failure), bal {account: balance text}.
CONC_BILLTOP and CONC_DB name the binary and the database.

Staleness of a poll: the generator (gencdr --pace) logs for every chunk the
rows appended so far and when; an uninterrupted `import cdr` of the same
file gives each record's account and charge, and row i of the file has
Asterisk sequence i (record id ".../i"). A balance shown is the opening
balance minus the charges of the first j charged calls of its account (the
feed commits in file order), so it identifies j exactly; the balance is
stale from the moment the next charged call of that account was appended
(a complete line) until it shows. For each poll: staleness = t1 (when the
poll returned what it shows) minus that moment, 0 if that call was not yet
appended; the largest over the accounts shown. A balance that matches no
prefix of the feed is counted as "unexplained" (a state that never
existed: torn or lost records).
"""
import bisect
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal

NS = 1_000_000_000


def poll_loop(out, poll):
    """Call poll() every CONC_POLL_MS until CONC_STOP exists; log its dicts."""
    period = int(os.environ.get("CONC_POLL_MS", "100")) * 1_000_000
    stop = os.environ["CONC_STOP"]
    with open(out, "w", buffering=1) as f:  # a line at a time: a crash loses nothing
        nxt = time.time_ns()
        while not os.path.exists(stop):
            t0 = time.time_ns()
            try:
                rec = poll()
            except Exception as e:  # logged as the poll's error, never lost
                rec = {"rc": -1, "err": "reader failed: %r" % e, "bal": {}}
            rec["t0"] = t0
            rec["t1"] = time.time_ns()
            f.write(json.dumps(rec) + "\n")
            nxt += period
            wait = nxt - time.time_ns()
            if wait > 0:
                time.sleep(wait / NS)
            else:
                nxt = time.time_ns()  # late: no burst to catch up


def cmd_stamp(out):
    # os.read returns what the pipe holds at once: no stdio buffering
    # between the COMMIT and the time taken
    fd, rest = sys.stdin.fileno(), b""
    with open(out, "w") as f:
        while True:
            chunk = os.read(fd, 65536)
            t = time.time_ns()
            if not chunk:
                break
            *lines, rest = (rest + chunk).split(b"\n")
            for line in lines:
                f.write("%d %s\n" % (t, line.decode("utf-8", "replace")))
            f.flush()


def cmd_cli(out, account):
    argv = [os.environ["CONC_BILLTOP"], "--db", os.environ["CONC_DB"], "balance", account, "--format", "json"]

    def poll():
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        rec = {"rc": p.returncode, "err": p.stderr.decode("utf-8", "replace").strip(), "bal": {}}
        if p.returncode == 0:
            try:
                d = json.loads(p.stdout)
                rec["bal"][d["account"]] = d["balance"]
                rec["status"] = d["status"]
            except (ValueError, KeyError) as e:
                rec["err"] = (rec["err"] + " unreadable JSON: %s" % e).strip()
        return rec

    poll_loop(out, poll)


BAL_DASH = re.compile(r"^Balance (-?\d+\.\d+) [A-Z]{3}")
TITLE_DASH = re.compile(r"^\s*billtop\s+(\S+)\s+dashboard")
ROW_LIST = re.compile(r"^(\S+)\s+(-?\d+\.\d+) [A-Z]{3}\s+(active|SUSPENDED)")
FAILED = re.compile(r"locked|busy|dashboard:|accounts:|exited|error", re.I)


def cmd_screen(out, target):
    argv = ["tmux", "-L", os.environ["CONC_TMUX_SOCK"], "-f", "/dev/null", "capture-pane", "-p", "-t", target]

    def poll():
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines = p.stdout.decode("utf-8", "replace").split("\n")
        rec = {"rc": p.returncode, "err": "", "bal": {}}
        while lines and not lines[-1].strip():
            lines.pop()
        status = lines[-1] if lines else ""
        if p.returncode != 0:
            rec["err"] = "capture-pane: " + p.stderr.decode("utf-8", "replace").strip()
            return rec
        if FAILED.search(status):
            rec["err"] = status.strip()
        m = TITLE_DASH.match(lines[0]) if lines else None
        if m:
            for ln in lines[1:3]:
                b = BAL_DASH.match(ln)
                if b:
                    rec["bal"][m.group(1)] = b.group(1)
        else:
            for ln in lines[2:-1]:
                r = ROW_LIST.match(ln)
                if r:
                    rec["bal"][r.group(1)] = r.group(2)
        if not rec["bal"] and not rec["err"]:
            rec["err"] = "no balance on the screen: " + " | ".join(x.strip() for x in lines[:3])
        return rec

    poll_loop(out, poll)


# ---- analysis -----------------------------------------------------------------


def pct(v, p):
    """Nearest-rank percentile of a list (None when empty)."""
    if not v:
        return None
    s = sorted(v)
    k = max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))
    return s[k]


def ms(ns):
    return "-" if ns is None else "%.0f" % (ns / 1e6)


class Feed:
    """What was appended when, and each account's balance after each charge."""

    def __init__(self, times_path, ref_db=None):
        self.cum, self.tns = [], []
        with open(times_path) as f:
            for ln in f:
                a, b = ln.split()
                self.cum.append(int(a))
                self.tns.append(int(b))
        self.rows = self.cum[-1] if self.cum else 0
        self.seqs, self.index = {}, {}
        if ref_db:
            self.load_charges(ref_db)

    def load_charges(self, ref_db):
        db = sqlite3.connect("file:%s?mode=ro" % ref_db, uri=True)
        opening = dict(db.execute("SELECT a.name, COALESCE(SUM(l.amount), 0) FROM account a"
                                  " LEFT JOIN ledger l ON l.account_id = a.id GROUP BY a.id"))
        charged = {a: [] for a in opening}
        for name, rid, cost in db.execute("SELECT a.name, c.record_id, c.cost + c.cnam_cost FROM cdr c"
                                          " JOIN account a ON a.id = c.account_id"):
            if cost > 0:
                charged[name].append((int(rid.rsplit("/", 1)[1]), cost))
        db.close()
        for a, calls in charged.items():
            calls.sort()
            self.seqs[a] = [s for s, _ in calls]
            bal, idx = opening[a], {opening[a]: 0}
            for j, (_, c) in enumerate(calls):
                bal -= c
                idx[bal] = j + 1
            self.index[a] = idx

    def appended(self, row):
        """Wall ns at which row (from 0) was complete in the file, or None."""
        k = bisect.bisect_right(self.cum, row)
        return self.tns[k] if k < len(self.tns) else None

    def staleness(self, account, shown, t):
        """ns the balance shown at t is behind, or None if it matches no prefix."""
        idx = self.index.get(account)
        if idx is None:
            return None
        j = idx.get(int(Decimal(shown) * NS))
        if j is None:
            return None
        seqs = self.seqs[account]
        if j >= len(seqs):
            return 0
        ta = self.appended(seqs[j])
        return 0 if ta is None or ta > t else t - ta


def reader_figures(feed, name, path, t_from, t_to):
    polls = errs = busy = unexplained = 0
    stale, lat, first_err, first_unexpl = [], [], "", ""
    with open(path) as f:
        for ln in f:
            r = json.loads(ln)
            polls += 1
            lat.append(r["t1"] - r["t0"])
            if r["rc"] != 0 or r["err"]:
                errs += 1
                if re.search(r"locked|busy", r["err"], re.I):
                    busy += 1
                first_err = first_err or r["err"] or "exit status %d" % r["rc"]
            worst = 0
            for acct, shown in r["bal"].items():
                s = feed.staleness(acct, shown, r["t1"]) if feed else 0
                if s is None:
                    unexplained += 1
                    first_unexpl = first_unexpl or "%s %s" % (acct, shown)
                else:
                    worst = max(worst, s)
            if r["bal"] and (t_from is None or t_from <= r["t1"] <= t_to):
                stale.append(worst)
    return {
        "name": name, "polls": polls, "errors": errs, "busy": busy, "unexplained": unexplained,
        "stale_p50": pct(stale, 50), "stale_p99": pct(stale, 99), "stale_max": max(stale) if stale else None,
        "lat_p50": pct(lat, 50), "lat_p99": pct(lat, 99), "lat_max": max(lat) if lat else None,
        "first_err": first_err, "first_unexplained": first_unexpl,
    }


def writer_figures(feed, stamp_path):
    """Per committed batch: commit time minus the append time of its oldest row."""
    lags, newest, batches, prev = [], [], 0, 0
    pat = re.compile(r"batch \d+: (\d+) rows .* line (\d+)$")
    with open(stamp_path) as f:
        for ln in f:
            t, _, text = ln.rstrip("\n").partition(" ")
            m = pat.search(text)
            if not m:
                continue
            done = int(m.group(2)) - 1
            if done <= prev:
                continue
            batches += 1
            t = int(t)
            a0, a1 = feed.appended(prev), feed.appended(done - 1)
            if a0 is not None:
                lags.append(t - a0)
            if a1 is not None:
                newest.append(t - a1)
            prev = done
    return {"batches": batches, "committed": prev, "lag_p50": pct(lags, 50), "lag_p99": pct(lags, 99),
            "lag_max": max(lags) if lags else None, "newest_p50": pct(newest, 50)}


def cmd_analyze(args):
    """analyze PHASE [--times T --ref DB] [--stamp S] NAME=LOG...

    Prints a human summary and "CONC PHASE_key value" lines. Staleness is
    taken over the polls between the first and the last chunk appended."""
    phase, times, ref, stamp, readers = args[0], None, None, None, []
    i = 1
    while i < len(args):
        if args[i] in ("--times", "--ref", "--stamp"):
            if args[i] == "--times":
                times = args[i + 1]
            elif args[i] == "--ref":
                ref = args[i + 1]
            else:
                stamp = args[i + 1]
            i += 2
        else:
            readers.append(args[i].split("=", 1))
            i += 1
    feed = Feed(times, ref) if times else None
    t_from = feed.tns[0] if feed and feed.tns else None
    t_to = feed.tns[-1] + 2 * NS if feed and feed.tns else None
    out = []

    def kv(k, v):
        out.append("CONC %s_%s %s" % (phase, k, v))

    if feed:
        span = (feed.tns[-1] - feed.tns[0]) / NS if len(feed.tns) > 1 else 0
        rate = feed.rows / span if span > 0 else 0
        print("  feed: %d CDRs appended in %.1f s = %.0f CDRs/s, %d chunks" % (feed.rows, span, rate, len(feed.tns)))
        kv("rows", feed.rows)
        kv("secs", "%.1f" % span)
        kv("rate", "%.0f" % rate)
    if stamp and feed:
        w = writer_figures(feed, stamp)
        print("  writer (ingest --follow): %d batches committed, %d rows; commit lag (commit minus append of the "
              "batch's oldest row) median %s ms, p99 %s ms, max %s ms; newest row median %s ms"
              % (w["batches"], w["committed"], ms(w["lag_p50"]), ms(w["lag_p99"]), ms(w["lag_max"]),
                 ms(w["newest_p50"])))
        for k in ("batches", "committed"):
            kv("writer_" + k, w[k])
        for k in ("lag_p50", "lag_p99", "lag_max"):
            kv("writer_" + k + "_ms", ms(w[k]))
    tot = {"polls": 0, "errors": 0, "busy": 0, "unexplained": 0}
    smax = sp99 = None
    for name, path in readers:
        r = reader_figures(feed, name, path, t_from, t_to)
        for k in tot:
            tot[k] += r[k]
        line = "  reader %-22s %6d polls, %d errors (%d busy)" % (name + ":", r["polls"], r["errors"], r["busy"])
        if feed:
            line += ", staleness median %s ms, p99 %s ms, max %s ms" % (ms(r["stale_p50"]), ms(r["stale_p99"]),
                                                                     ms(r["stale_max"]))
            if r["unexplained"]:
                line += ", %d balances matching no prefix of the feed (first: %s)" % (r["unexplained"],
                                                                                     r["first_unexplained"])
        if name.startswith("cli"):
            line += "; poll (whole process) median %s ms, p99 %s ms, max %s ms" % (ms(r["lat_p50"]),
                                                                                  ms(r["lat_p99"]), ms(r["lat_max"]))
        print(line)
        if r["first_err"]:
            print("    first error: %s" % r["first_err"][:300])
        kv(name + "_polls", r["polls"])
        kv(name + "_errors", r["errors"])
        kv(name + "_busy", r["busy"])
        kv(name + "_stale_p99_ms", ms(r["stale_p99"]))
        kv(name + "_stale_max_ms", ms(r["stale_max"]))
        kv(name + "_lat_p50_ms", ms(r["lat_p50"]))
        kv(name + "_lat_p99_ms", ms(r["lat_p99"]))
        if r["stale_max"] is not None:
            smax = r["stale_max"] if smax is None else max(smax, r["stale_max"])
            sp99 = r["stale_p99"] if sp99 is None else max(sp99, r["stale_p99"])
    for k, v in tot.items():
        kv(k, v)
    kv("stale_max_ms", ms(smax))
    kv("stale_p99_ms", ms(sp99))
    print("\n".join(out))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "stamp" and len(args) == 1:
        cmd_stamp(args[0])
    elif cmd == "cli" and len(args) == 2:
        cmd_cli(*args)
    elif cmd == "screen" and len(args) == 2:
        cmd_screen(*args)
    elif cmd == "analyze" and args:
        cmd_analyze(args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
