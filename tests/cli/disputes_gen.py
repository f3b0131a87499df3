# disputes_gen.py: the two-fault fixture of tests/cli/disputes.sh (issue 11).
#   ours OUT.csv: our switch's records in Asterisk's cdr_csv layout (18
#     columns, no header, as tests/corpus/cdr/asterisk-cdr_csv-18col-*.csv);
#   theirs CDRS.json DIR: their file (a carrier's CSV: its own ids "CR-...",
#     numbers written "+1 206-555-0100") from our rated calls, with two
#     faults: on day A (2026-11-02) four short connected calls of ours
#     (09:00-14:00) are missing and two of theirs are not ours; on day B (2026-11-03) four
#     UK calls last 90 s longer and cost accordingly. expect.json says what
#     the report must find.
import calendar, json, random, sys, time
from decimal import Decimal, ROUND_HALF_UP

DAY0 = 1793577600  # 2026-11-02 00:00:00 UTC
def ts(t): return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))

def ours(path):
    r = random.Random(11)
    out = []
    i = 0
    for day in range(3):
        for k in range(300):
            start = DAY0 + day * 86400 + k * 288 + r.randint(0, 30)
            kind = k % 3
            dst = ["1206555%04d", "1212555%04d", "4420%07d"][kind] % r.randint(0, 9999999 if kind == 2 else 9999)
            ans = r.random() > 0.1
            bill = r.randint(30, 600) if ans else 0
            end = start + bill + 5
            uid = f"{start}.{i}"
            out.append(["", "1555000%04d" % r.randint(0, 9999), dst, "from-internal", "", f"SIP/100-{i:08x}",
                        "", "Dial", "", ts(start), ts(start + 5) if ans else "", ts(end), bill + 5, bill,
                        "ANSWERED" if ans else "NO ANSWER", "DOCUMENTATION", uid, ""])
            i += 1
    with open(path, "w") as f:
        for row in out:
            f.write(",".join(str(x) if isinstance(x, int) else '"%s"' % x for x in row) + "\n")

def fmt(n): return f"+1 {n[1:4]}-{n[4:7]}-{n[7:]}" if len(n) == 11 and n[0] == "1" else "+" + n

def theirs(cdrs_path, d):
    calls = json.load(open(cdrs_path))
    for c in calls:
        c["t"] = calendar.timegm(time.strptime(c["start"], "%Y-%m-%dT%H:%M:%SZ"))
        c["sec"] = c["billsec_ms"] // 1000
    calls.sort(key=lambda c: c["t"])
    exp = {}
    a0, b0 = DAY0, DAY0 + 86400
    # the four shortest connected calls to Seattle of 09:00-14:00: cheap, so day B's cost differs more
    gone = sorted((c for c in calls if a0 + 9 * 3600 <= c["t"] < a0 + 14 * 3600 and c["disposition"] == "ANSWERED"
                   and c["dst"].startswith("1206")), key=lambda c: (c["sec"], c["t"]))[:4]
    uk = [c for c in calls if b0 + 12 * 3600 <= c["t"] < b0 + 18 * 3600 and c["disposition"] == "ANSWERED"
          and c["dst"].startswith("44")][:4]
    gone_ids = {c["call_id"] for c in gone}
    uk_ids = {c["call_id"] for c in uk}
    rows = []
    for n, c in enumerate(calls):
        if c["call_id"] in gone_ids:
            continue
        sec, cost = c["sec"], Decimal(c["cost"])
        if c["call_id"] in uk_ids:
            sec += 90
            cost = (Decimal(-(-sec // 60) * 60) * Decimal("0.0200") / 60).quantize(Decimal("0.0001"), ROUND_HALF_UP)
            c["their_id"] = f"CR-{n:06d}"
            c["their_cost"] = str(cost)
        rows.append((c["t"], f"CR-{n:06d}", fmt(c["src"]), fmt(c["dst"]), sec, c["disposition"], cost))
    rows.append((a0 + 9 * 3600 + 1500, "CR-900001", "+1 555-000-7777", "+1 206-555-0001", 61, "ANSWERED", Decimal("0.0120")))
    rows.append((a0 + 9 * 3600 + 2700, "CR-900002", "+1 555-000-7777", "+1 206-555-0002", 62, "ANSWERED", Decimal("0.0120")))
    rows.sort()
    with open(f"{d}/carrier.csv", "w") as f:
        f.write("call_id,start,src,dst,billsec,disposition,cost\n")
        for t, cid, s, dd, sec, disp, cost in rows:
            f.write(f"{cid},{ts(t)},{s},{dd},{sec},{disp},{cost}\n")
    exp["day_a"], exp["day_b"] = "2026-11-02", "2026-11-03"
    exp["gone"] = sorted(c["call_id"].split(":", 1)[1].split("/")[0] for c in gone)
    exp["gone_src"] = sorted(c["call_id"].split("/")[0] for c in gone)
    exp["extra"] = ["CR-900001", "CR-900002"]
    exp["long_ours"] = sorted(c["call_id"].split(":", 1)[1].split("/")[0] for c in uk)
    exp["long_theirs"] = sorted(c["their_id"] for c in uk)
    exp["money_b"] = str(sum(Decimal(c["their_cost"]) - Decimal(c["cost"]) for c in uk))
    exp["money_a"] = str(Decimal("0.0240") - sum(Decimal(c["cost"]) for c in gone))
    json.dump(exp, open(f"{d}/expect.json", "w"))

if sys.argv[1] == "ours":
    ours(sys.argv[2])
else:
    theirs(sys.argv[2], sys.argv[3])
