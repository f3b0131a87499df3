"""baseline_investigate.py: the pandas baseline of the investigation bench
(investigate.sh, `make bench`): what an analyst would write by hand to
reconcile a carrier's CDR export with ours.

    python3 baseline_investigate.py OURS.csv THEIRS.csv [OURS.csv THEIRS.csv ...]

One pair of files per account, done in turn in one process (pandas is
imported once, as an analyst running it over several disputes would).

Our side: the export an analyst takes from billtop beforehand (not timed),
`billtop cdrs ACCOUNT --from DAY --to DAY --format csv`: columns call_id,
start, src, dst, billsec, cost, state, ... (no answer time). Their side: the
carrier's generic CSV (call_id, start, answer, src, dst, billsec,
disposition, cost). Both in UTC.

Per account it does what `billtop investigate` is compared on:
  1. UTC day totals on each side: calls, connected, seconds, cost, and the
     differences; the worst day = the largest |cost difference| relative to
     the larger side (billtop's first criterion);
  2. the hour of that day whose connected counts differ most;
  3. a time-tolerant join by destination number: pandas.merge_asof of our
     calls to theirs on the start time, by dst, direction "nearest",
     tolerance 5 s; matched = our calls that found one, unmatched ours = the
     rest, unmatched theirs = their calls no call of ours found;
  4. our connected calls in the worst hour that found no match (the calls
     they lack).
merge_asof is not one-to-one: two of our calls to one number within 5 s can
take the same call of theirs (billtop pairs one-to-one, best pair first),
and it joins on the start time only (billtop also tries answer times and
checks the calling number). Numbers are compared as written (billtop
normalises +, 00, 011 and NANP 1 first; both files here write them alike),
so this does a little less work than billtop does. With BASELINE_BY_SRC=1
the join is by dst and src (investigate.sh runs it so once, untimed, to
show that the difference in matches is the calling number).

Prints one "ACCOUNT key value ..." line per figure, and the time each part
took ("time import|read|totals|join|account S"), for investigate.sh.
"""
import os
import sys
import time

t0 = time.monotonic()
import pandas as pd  # noqa: E402

T_IMPORT = time.monotonic() - t0

TOL = pd.Timedelta(seconds=5)
BY = ["dst", "src"] if os.environ.get("BASELINE_BY_SRC") == "1" else "dst"
CONNECTED_STATES = ("rated", "unrated", "emergency")  # billtop cdrs: the rest did not connect


def read_ours(path):
    df = pd.read_csv(path, usecols=["call_id", "start", "src", "dst", "billsec", "cost", "state"],
                     dtype={"call_id": str, "src": str, "dst": str, "state": str},
                     keep_default_na=False)
    df = df[df["state"] != "extra leg"]  # another leg of a call already billed, as billtop leaves out
    df["start"] = pd.to_datetime(df["start"], format="%Y-%m-%d %H:%M:%S")
    df["connected"] = df["state"].isin(CONNECTED_STATES)
    return df


def read_theirs(path):
    df = pd.read_csv(path, usecols=["call_id", "start", "src", "dst", "billsec", "disposition", "cost"],
                     dtype={"call_id": str, "src": str, "dst": str, "disposition": str},
                     keep_default_na=False)
    df["start"] = pd.to_datetime(df["start"], format="%Y-%m-%d %H:%M:%S")
    df["connected"] = df["disposition"].str.upper().isin(["ANSWERED", "COMPLETED"])
    return df


def totals(df, freq):
    return df.groupby(df["start"].dt.floor(freq)).agg(
        calls=("start", "size"), connected=("connected", "sum"),
        seconds=("billsec", "sum"), cost=("cost", "sum"))


def side_by_side(a, b):
    t = a.join(b, how="outer", lsuffix="_ours", rsuffix="_theirs").fillna(0)
    for k in ("calls", "connected", "seconds", "cost"):
        t[k + "_diff"] = t[k + "_theirs"] - t[k + "_ours"]
    return t


def investigate(name, ours_path, theirs_path, tm):
    t = time.monotonic()
    ours = read_ours(ours_path)
    theirs = read_theirs(theirs_path)
    tm["read"] += time.monotonic() - t

    # 1-2. day totals, the worst day, its worst hour
    t = time.monotonic()
    days = side_by_side(totals(ours, "D"), totals(theirs, "D"))
    big = days[["cost_ours", "cost_theirs"]].abs().max(axis=1)
    rel = (days["cost_diff"].abs() / big.where(big > 0)).fillna(0)
    worst_day = rel.idxmax()
    day_o = ours[ours["start"].dt.floor("D") == worst_day]
    day_t = theirs[theirs["start"].dt.floor("D") == worst_day]
    hours = side_by_side(totals(day_o, "H"), totals(day_t, "H"))
    worst_hour = hours["connected_diff"].abs().idxmax()
    tm["totals"] += time.monotonic() - t

    # 3-4. the time-tolerant join
    t = time.monotonic()
    keys = ["start", "dst", "src"] if BY != "dst" else ["start", "dst"]
    left = ours[keys + ["connected"]].sort_values("start")
    right = theirs[keys].assign(tid=range(len(theirs))).sort_values("start")
    m = pd.merge_asof(left, right, on="start", by=BY, tolerance=TOL, direction="nearest")
    found = m["tid"].notna()
    matched = int(found.sum())
    theirs_taken = int(m.loc[found, "tid"].nunique())
    in_hour = (m["start"] >= worst_hour) & (m["start"] < worst_hour + pd.Timedelta(hours=1))
    lack = int((in_hour & m["connected"] & ~found).sum())
    tm["join"] += time.monotonic() - t

    out = [
        ("rows_ours", len(ours)), ("rows_theirs", len(theirs)), ("days", len(days)),
        ("worst_day", worst_day.strftime("%Y-%m-%d")),
        ("worst_hour", worst_hour.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("matched", matched), ("theirs_matched", theirs_taken),
        ("unmatched_ours", len(ours) - matched), ("unmatched_theirs", len(theirs) - theirs_taken),
        ("shared_matches", matched - theirs_taken), ("missing_theirs_in_hour", lack),
        ("connected_ours", int(days["connected_ours"].sum())),
        ("connected_theirs", int(days["connected_theirs"].sum())),
        ("cost_ours", "%.4f" % days["cost_ours"].sum()), ("cost_theirs", "%.4f" % days["cost_theirs"].sum()),
    ]
    for k, v in out:
        print(name, k, v)


def main(argv):
    if len(argv) < 2 or len(argv) % 2:
        sys.stderr.write(__doc__)
        return 2
    tm = {"read": 0.0, "totals": 0.0, "join": 0.0}
    for i in range(0, len(argv), 2):
        t = time.monotonic()
        name = argv[i].rsplit("/", 1)[-1].replace("ours_", "").replace(".csv", "")
        investigate(name, argv[i], argv[i + 1], tm)
        print("time account %s %.3f" % (name, time.monotonic() - t))
    print("time import %.3f" % T_IMPORT)
    for k in ("read", "totals", "join"):
        print("time %s %.3f" % (k, tm[k]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
