-- baseline_import.sql: the import benchmark's baseline. The Debian sqlite3
-- CLI does the job of `billtop import cdr big.csv` with its own tools only:
-- .import of the Asterisk cdr_csv file and of the rate deck, then plain SQL
-- that rates every call the way billtop does and stores what billtop stores.
--
-- Run by run.sh from tests/bench/out/ on a fresh database:
--   sqlite3 -bail base.db < ../baseline_import.sql
--   sqlite3 -bail base.db < ../baseline_check.sql   (untimed)
-- big.csv (21-column cdr_csv, no header) and deck.csv (prefix, description,
-- rate, min, inc, connect_fee, grace with a header) must be in the current
-- directory. The accounts are the four gencdr writes.
--
-- Same rules as billtop (README "Rating", data/cdrfmt_switch.c, data/store.c):
--   - dst normalised for rating: digits only, then a leading 011 or 00
--     dropped. gencdr writes digits with at most a leading '+', so only '+'
--     is removed and a dst starting with 1-9 is taken as it is (the first
--     CASE arm: it saves half the rating time); baseline_check.sql counts
--     destinations outside that alphabet, which must be 0;
--   - rate row: longest deck prefix of the normalised dst, a COALESCE of
--     primary-key lookups on substr(n, 1, L) for L = 6 (the longest prefix in
--     `gencdr --deck 100`; baseline_check.sql checks it) down to 1; the deck
--     has no effective dates;
--   - connected = disposition ANSWERED and billsec > 0; only connected calls
--     are charged; 911/933/112 are emergency (state 4, never charged); a
--     connected call with no matching row is unrated (state 1, cost 0);
--   - billed = 0 if billsec <= grace, else min if billsec <= min, else
--     min + ceil((billsec - min) / inc) * inc;
--   - cost in nano-units (10^-9): rate * billed / 60 + connect fee, exact in
--     integers, rounded once per call half-up to 4 decimals (the account
--     defaults billtop uses), i.e. to a multiple of 100000 nano-units.
-- Stored like billtop: a cdr table with the same columns, the UNIQUE record
-- key 'asterisk:' || uniqueid || '/' || sequence, the (account, start) index
-- and the partial unique "one billed leg per linkedid" index (both unique
-- indexes double as checks: gencdr writes no duplicates and one leg per call,
-- so building them must not fail), an hourly rollup and a per-day per-prefix
-- rollup (billtop keeps both in the import transaction).
-- Not done here (billtop does it): the suspension walk that flags calls made
-- while the balance is negative, the import and reject bookkeeping.
--
-- Indexes are built after the bulk insert, as one would with the CLI; the
-- cache is the same 16 MB billtop uses. The `.shell date '+phase X %s%N'` lines
-- let run.sh report the time of each phase. baseline_check.sql, run after the
-- timing, prints the figures run.sh compares with billtop's.

PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
PRAGMA cache_size=-16000;

.shell date '+phase import %s%N'
CREATE TABLE raw(accountcode TEXT, src TEXT, dst TEXT, dcontext TEXT, clid TEXT,
  channel TEXT, dstchannel TEXT, lastapp TEXT, lastdata TEXT, start TEXT, answer TEXT,
  "end" TEXT, duration TEXT, billsec TEXT, disposition TEXT, amaflags TEXT, uniqueid TEXT,
  userfield TEXT, peeraccount TEXT, linkedid TEXT, sequence TEXT);
CREATE TABLE deck_raw(prefix TEXT, description TEXT, rate TEXT, min TEXT, inc TEXT,
  connect_fee TEXT, grace TEXT);
.mode csv
.import big.csv raw
.import --skip 1 deck.csv deck_raw
.mode list

.shell date '+phase deck %s%N'
-- Money text to nano-units, exactly (no floating point): "0.0050" -> 5000000.
CREATE TABLE deck(id INTEGER PRIMARY KEY, prefix TEXT NOT NULL UNIQUE, rate INTEGER NOT NULL,
  min_secs INTEGER NOT NULL, inc_secs INTEGER NOT NULL, connect_fee INTEGER NOT NULL,
  grace_secs INTEGER NOT NULL);
INSERT INTO deck(prefix, rate, min_secs, inc_secs, connect_fee, grace_secs)
SELECT prefix,
  CAST(substr(rate, 1, instr(rate || '.', '.') - 1) AS INTEGER) * 1000000000
    + CAST(substr(substr(rate, instr(rate || '.', '.') + 1) || '000000000', 1, 9) AS INTEGER),
  max(CAST(min AS INTEGER), 1), max(CAST(inc AS INTEGER), 1),
  CAST(substr(connect_fee, 1, instr(connect_fee || '.', '.') - 1) AS INTEGER) * 1000000000
    + CAST(substr(substr(connect_fee, instr(connect_fee || '.', '.') + 1) || '000000000', 1, 9) AS INTEGER),
  max(CAST(grace AS INTEGER), 0)
FROM deck_raw;
CREATE TABLE account(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO account(name) VALUES('acme'), ('globex'), ('initech'), ('umbrella');

.shell date '+phase rate %s%N'
CREATE TABLE cdr(
  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, record_id TEXT NOT NULL, call_key TEXT,
  start INTEGER NOT NULL, answer INTEGER, "end" INTEGER, duration_ms INTEGER NOT NULL,
  billsec_ms INTEGER NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, clid BLOB, disposition INTEGER NOT NULL, disp_text TEXT NOT NULL, connected INTEGER NOT NULL,
  state INTEGER NOT NULL, billed_leg INTEGER NOT NULL DEFAULT 0, rate_id INTEGER, prefix TEXT,
  billed_secs INTEGER NOT NULL DEFAULT 0, cost INTEGER NOT NULL DEFAULT 0,
  cnam_cost INTEGER NOT NULL DEFAULT 0, their_cost INTEGER, their_billed INTEGER,
  direction TEXT NOT NULL DEFAULT '', suspended INTEGER NOT NULL DEFAULT 0, import_id INTEGER);

INSERT INTO cdr(account_id, record_id, call_key, start, answer, "end", duration_ms, billsec_ms,
  src, dst, clid, disposition, disp_text, connected, state, billed_leg, rate_id, prefix,
  billed_secs, cost, import_id)
SELECT account_id, record_id, call_key, start, answer, "end", dur * 1000, bs * 1000,
  src, dst, clid, disposition, disp_text, connected, state, connected AND call_key != '',
  rid, prefix, billed,
  CASE WHEN billed > 0 THEN (rate * billed + connect_fee * 60 + 3000000) / 6000000 * 100000
       ELSE 0 END,
  1
FROM (
  SELECT *,
    CASE WHEN state != 0 OR bs <= grace_secs THEN 0
         WHEN bs <= min_secs THEN min_secs
         ELSE min_secs + (bs - min_secs + inc_secs - 1) / inc_secs * inc_secs END AS billed
  FROM (
    SELECT *,
      CASE WHEN NOT connected THEN 2
           WHEN n IN ('911', '933', '112') THEN 4
           WHEN rid IS NULL THEN 1 ELSE 0 END AS state
    FROM (
      SELECT a.id AS account_id,
        'asterisk:' || r.uniqueid || '/' || r.sequence AS record_id,
        coalesce(nullif(r.linkedid, ''), r.uniqueid) AS call_key,
        unixepoch(r.start) AS start, unixepoch(nullif(r.answer, '')) AS answer,
        unixepoch(nullif(r."end", '')) AS "end",
        CAST(r.duration AS INTEGER) AS dur, CAST(r.billsec AS INTEGER) AS bs,
        r.src, r.dst, r.n, CAST(nullif(r.clid, '') AS BLOB) AS clid,
        CASE r.disposition WHEN 'ANSWERED' THEN 0 WHEN 'NO ANSWER' THEN 1 WHEN 'BUSY' THEN 2
             WHEN 'FAILED' THEN 3 WHEN 'CONGESTION' THEN 4 ELSE 5 END AS disposition,
        r.disposition AS disp_text,
        r.disposition = 'ANSWERED' AND CAST(r.billsec AS INTEGER) > 0 AS connected,
        d.id AS rid, d.prefix, d.rate, d.min_secs, d.inc_secs, d.connect_fee, d.grace_secs
      FROM (SELECT raw.*,
              CASE WHEN substr(dst, 1, 1) NOT IN ('+', '0') THEN dst
                   WHEN substr(replace(dst, '+', ''), 1, 3) = '011' THEN substr(replace(dst, '+', ''), 4)
                   WHEN substr(replace(dst, '+', ''), 1, 2) = '00' THEN substr(replace(dst, '+', ''), 3)
                   ELSE replace(dst, '+', '') END AS n
            FROM raw) AS r
      JOIN account AS a ON a.name = r.accountcode
      LEFT JOIN deck AS d ON d.id = coalesce(
          (SELECT id FROM deck WHERE prefix = substr(r.n, 1, 6)),
          (SELECT id FROM deck WHERE prefix = substr(r.n, 1, 5)),
          (SELECT id FROM deck WHERE prefix = substr(r.n, 1, 4)),
          (SELECT id FROM deck WHERE prefix = substr(r.n, 1, 3)),
          (SELECT id FROM deck WHERE prefix = substr(r.n, 1, 2)),
          (SELECT id FROM deck WHERE prefix = substr(r.n, 1, 1)))
    )
  )
);

.shell date '+phase index %s%N'
CREATE UNIQUE INDEX cdr_record ON cdr(record_id);
-- billtop's index (schema migration 5): it also covers an investigation's columns
CREATE INDEX cdr_acct_start ON cdr(account_id, start, src, dst, answer, billsec_ms, connected,
  state, cost, billed_secs, prefix, cnam_cost);
CREATE UNIQUE INDEX cdr_one_billed_leg ON cdr(account_id, call_key) WHERE billed_leg = 1;

.shell date '+phase rollup %s%N'
CREATE TABLE rollup_hour(account_id INTEGER NOT NULL, hour INTEGER NOT NULL,
  calls INTEGER NOT NULL, connected INTEGER NOT NULL, duration_ms INTEGER NOT NULL,
  billsec_ms INTEGER NOT NULL, billed_secs INTEGER NOT NULL, unrated INTEGER NOT NULL,
  cost_calls INTEGER NOT NULL, PRIMARY KEY(account_id, hour)) WITHOUT ROWID;
INSERT INTO rollup_hour
SELECT account_id, start / 3600 * 3600, count(*), sum(connected), sum(duration_ms),
  sum(CASE WHEN connected THEN billsec_ms ELSE 0 END), sum(billed_secs), sum(state = 1), sum(cost)
FROM cdr GROUP BY 1, 2;
CREATE TABLE rollup_dest_day(account_id INTEGER NOT NULL, day INTEGER NOT NULL,
  prefix TEXT NOT NULL, calls INTEGER NOT NULL, connected INTEGER NOT NULL,
  billsec_ms INTEGER NOT NULL, billed_secs INTEGER NOT NULL, cost INTEGER NOT NULL,
  PRIMARY KEY(account_id, day, prefix)) WITHOUT ROWID;
INSERT INTO rollup_dest_day
SELECT account_id, start / 86400 * 86400, coalesce(prefix, ''), count(*), sum(connected),
  sum(CASE WHEN connected THEN billsec_ms ELSE 0 END), sum(billed_secs), sum(cost)
FROM cdr GROUP BY 1, 2, 3;

.shell date '+phase end %s%N'
