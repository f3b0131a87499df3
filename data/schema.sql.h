/* schema.sql.h: migration 1 (the first schema), migration 2 (cases),
 * migration 3 (live feeds, audit), migration 4 (ledger idempotency keys),
 * migration 5 (the call index covers what an investigation reads),
 * migration 6 (dial plans, internal calls, unrated reasons),
 * migration 7 (re-rating: append-only corrections) and migration 8
 * (alerts: low-balance crossings, the alert outbox).
 * Included by db.c only.
 * Money columns are INTEGER nano-units; times INTEGER UTC seconds; durations
 * INTEGER milliseconds. Posted ledger entries and rated call charges are
 * append-only (triggers refuse UPDATE/DELETE of them). Rollups and the
 * suspension table are derived and re-derivable (`billtop verify`). */
static const char SCHEMA_V1[] =
"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
"CREATE TABLE deck(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created INTEGER NOT NULL);\n"
"CREATE TABLE rate(\n"
"  id INTEGER PRIMARY KEY, deck_id INTEGER NOT NULL REFERENCES deck(id),\n"
"  prefix TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',\n"
"  rate INTEGER NOT NULL, min_secs INTEGER NOT NULL, inc_secs INTEGER NOT NULL,\n"
"  grace_secs INTEGER NOT NULL DEFAULT 0, connect_fee INTEGER NOT NULL DEFAULT 0,\n"
"  eff_from INTEGER NOT NULL, eff_to INTEGER, import_id INTEGER,\n"
"  UNIQUE(deck_id, prefix, eff_from));\n"
"CREATE TABLE account(\n"
"  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,\n"
"  currency TEXT NOT NULL DEFAULT 'USD', decimals INTEGER NOT NULL DEFAULT 4,\n"
"  rounding TEXT NOT NULL DEFAULT 'half-up', low_balance INTEGER,\n"
"  deck_id INTEGER REFERENCES deck(id), created INTEGER NOT NULL,\n"
/* walk_*: where the incremental suspension walk stands (derived cache). */
"  walk_balance INTEGER NOT NULL DEFAULT 0, walk_status INTEGER NOT NULL DEFAULT 0,\n"
"  walk_since INTEGER, walk_at INTEGER, walk_class INTEGER NOT NULL DEFAULT 0,\n"
"  walk_id INTEGER NOT NULL DEFAULT 0);\n"
"CREATE TABLE import(\n"
"  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, path TEXT NOT NULL, format TEXT,\n"
"  started INTEGER NOT NULL, finished INTEGER, rows INTEGER NOT NULL DEFAULT 0,\n"
"  inserted INTEGER NOT NULL DEFAULT 0, duplicates INTEGER NOT NULL DEFAULT 0,\n"
"  rejected INTEGER NOT NULL DEFAULT 0, unrated INTEGER NOT NULL DEFAULT 0,\n"
"  operator TEXT NOT NULL, ssh_client TEXT NOT NULL DEFAULT '');\n"
"CREATE TABLE reject(\n"
"  id INTEGER PRIMARY KEY, import_id INTEGER NOT NULL REFERENCES import(id),\n"
"  path TEXT NOT NULL, line INTEGER NOT NULL, reason TEXT NOT NULL, raw BLOB);\n"
"CREATE TABLE ledger(\n"
"  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES account(id),\n"
"  kind TEXT NOT NULL, amount INTEGER NOT NULL, memo TEXT NOT NULL DEFAULT '',\n"
"  at INTEGER NOT NULL, posted INTEGER NOT NULL, operator TEXT NOT NULL,\n"
"  ssh_client TEXT NOT NULL DEFAULT '');\n"
"CREATE INDEX ledger_acct_at ON ledger(account_id, at);\n"
"CREATE TRIGGER ledger_append_only_u BEFORE UPDATE ON ledger\n"
"  BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: post a correction'); END;\n"
"CREATE TRIGGER ledger_append_only_d BEFORE DELETE ON ledger\n"
"  BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: post a correction'); END;\n"
/* record_id ("source:id") and (account_id, call_key) are indexed as text:
 * switch ids start with the call's epoch (Asterisk uniqueid, linkedid), so
 * a chronological import appends to both indexes instead of touching random
 * pages (hashed keys were 1.6x slower at a million rows for that reason).
 * state: 0 rated, 1 unrated (no deck or no prefix), 2 not connected,
 * 3 extra leg of an already billed call, 4 emergency (never charged). */
"CREATE TABLE cdr(\n"
"  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES account(id),\n"
"  record_id TEXT NOT NULL UNIQUE, call_key TEXT,\n"
"  start INTEGER NOT NULL, answer INTEGER, end INTEGER,\n"
"  duration_ms INTEGER NOT NULL, billsec_ms INTEGER NOT NULL,\n"
"  src TEXT NOT NULL, dst TEXT NOT NULL, clid BLOB,\n"
"  disposition INTEGER NOT NULL, disp_text TEXT NOT NULL, connected INTEGER NOT NULL,\n"
"  state INTEGER NOT NULL, billed_leg INTEGER NOT NULL DEFAULT 0,\n"
"  rate_id INTEGER, prefix TEXT, billed_secs INTEGER NOT NULL DEFAULT 0,\n"
"  cost INTEGER NOT NULL DEFAULT 0, cnam_cost INTEGER NOT NULL DEFAULT 0,\n"
"  their_cost INTEGER, their_billed INTEGER, direction TEXT NOT NULL DEFAULT '',\n"
"  suspended INTEGER NOT NULL DEFAULT 0, import_id INTEGER);\n"
"CREATE INDEX cdr_acct_start ON cdr(account_id, start);\n"
"CREATE UNIQUE INDEX cdr_one_billed_leg ON cdr(account_id, call_key) WHERE billed_leg = 1;\n"
"CREATE TRIGGER cdr_charge_immutable BEFORE UPDATE OF account_id, record_id, start,\n"
"  billsec_ms, state, rate_id, billed_secs, cost, cnam_cost ON cdr\n"
"  BEGIN SELECT RAISE(ABORT, 'rated call records are append-only'); END;\n"
"CREATE TRIGGER cdr_no_delete BEFORE DELETE ON cdr\n"
"  BEGIN SELECT RAISE(ABORT, 'rated call records are append-only'); END;\n"
"CREATE TABLE mdr(\n"
"  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES account(id),\n"
"  record_id TEXT NOT NULL UNIQUE, at INTEGER NOT NULL, direction TEXT NOT NULL,\n"
"  src TEXT NOT NULL, dst TEXT NOT NULL, type TEXT NOT NULL, segments INTEGER NOT NULL,\n"
"  cost INTEGER NOT NULL, suspended INTEGER NOT NULL DEFAULT 0, import_id INTEGER);\n"
"CREATE INDEX mdr_acct_at ON mdr(account_id, at);\n"
"CREATE TRIGGER mdr_no_delete BEFORE DELETE ON mdr\n"
"  BEGIN SELECT RAISE(ABORT, 'message records are append-only'); END;\n"
/* Hourly rollup per account: kept in the same transaction as the records. */
"CREATE TABLE rollup_hour(\n"
"  account_id INTEGER NOT NULL, hour INTEGER NOT NULL,\n"
"  calls INTEGER NOT NULL DEFAULT 0, connected INTEGER NOT NULL DEFAULT 0,\n"
"  duration_ms INTEGER NOT NULL DEFAULT 0, billsec_ms INTEGER NOT NULL DEFAULT 0,\n"
"  billed_secs INTEGER NOT NULL DEFAULT 0, unrated INTEGER NOT NULL DEFAULT 0,\n"
"  cost_calls INTEGER NOT NULL DEFAULT 0, cost_cnam INTEGER NOT NULL DEFAULT 0,\n"
"  cnam_lookups INTEGER NOT NULL DEFAULT 0, msgs INTEGER NOT NULL DEFAULT 0,\n"
"  msg_segments INTEGER NOT NULL DEFAULT 0, cost_msg INTEGER NOT NULL DEFAULT 0,\n"
"  PRIMARY KEY(account_id, hour)) WITHOUT ROWID;\n"
"CREATE TABLE rollup_dest_day(\n"
"  account_id INTEGER NOT NULL, day INTEGER NOT NULL, prefix TEXT NOT NULL,\n"
"  calls INTEGER NOT NULL DEFAULT 0, connected INTEGER NOT NULL DEFAULT 0,\n"
"  billsec_ms INTEGER NOT NULL DEFAULT 0, billed_secs INTEGER NOT NULL DEFAULT 0,\n"
"  cost INTEGER NOT NULL DEFAULT 0,\n"
"  PRIMARY KEY(account_id, day, prefix)) WITHOUT ROWID;\n"
/* Messages per day by type (0 sms, 1 mms) and direction (0 outbound,
 * 1 inbound, 2 other), for the messaging screen without scanning mdr. */
"CREATE TABLE rollup_msg_day(\n"
"  account_id INTEGER NOT NULL, day INTEGER NOT NULL, type INTEGER NOT NULL, dir INTEGER NOT NULL,\n"
"  msgs INTEGER NOT NULL DEFAULT 0, segments INTEGER NOT NULL DEFAULT 0, cost INTEGER NOT NULL DEFAULT 0,\n"
"  PRIMARY KEY(account_id, day, type, dir)) WITHOUT ROWID;\n"
/* Suspension transitions (derived from the walk; re-derivable). */
"CREATE TABLE suspension(\n"
"  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, at INTEGER NOT NULL,\n"
"  event TEXT NOT NULL, balance INTEGER NOT NULL, cause_kind TEXT NOT NULL,\n"
"  cause_id INTEGER NOT NULL);\n"
"CREATE INDEX suspension_acct ON suspension(account_id, at);\n";

/* Migration 2: dispute investigations kept as cases (issue 4). The report
 * is stored as written (JSON, text, CSV) so a reopened case shows what the
 * engineer saw; their file is not kept (path, format and counts are). A
 * case's findings never change: only notes (appended) and the status (open
 * -> closed, once) do. */
static const char SCHEMA_V2[] =
"CREATE TABLE investigation(\n"
"  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES account(id),\n"
"  created INTEGER NOT NULL, operator TEXT NOT NULL, ssh_client TEXT NOT NULL DEFAULT '',\n"
"  status TEXT NOT NULL DEFAULT 'open' CHECK(status IN ('open', 'closed')),\n"
"  closed INTEGER, closed_by TEXT,\n"
"  their_path TEXT NOT NULL, their_format TEXT NOT NULL,\n"
"  their_rows INTEGER NOT NULL, their_calls INTEGER NOT NULL, their_rejected INTEGER NOT NULL,\n"
"  our_calls INTEGER NOT NULL, period_from INTEGER NOT NULL, period_to INTEGER NOT NULL,\n"
"  options TEXT NOT NULL, verdict TEXT NOT NULL, worst_day INTEGER,\n"
"  report_json TEXT NOT NULL, report_text TEXT, report_csv TEXT,\n"
"  notes TEXT NOT NULL DEFAULT '');\n"
"CREATE INDEX investigation_acct ON investigation(account_id, id);\n"
"CREATE TRIGGER investigation_findings_immutable BEFORE UPDATE OF id, account_id, created, operator,\n"
"  ssh_client, their_path, their_format, their_rows, their_calls, their_rejected, our_calls,\n"
"  period_from, period_to, options, verdict, worst_day, report_json\n"
"  ON investigation\n"
"  BEGIN SELECT RAISE(ABORT, 'an investigation''s findings never change: add a note'); END;\n"
/* report_text and report_csv are written once each, after report_json, in
 * the transaction that creates the case (one report in memory at a time). */
"CREATE TRIGGER investigation_reports_once BEFORE UPDATE OF report_text, report_csv ON investigation\n"
"  WHEN (OLD.report_text IS NOT NULL AND NEW.report_text IS NOT OLD.report_text)\n"
"    OR (OLD.report_csv IS NOT NULL AND NEW.report_csv IS NOT OLD.report_csv)\n"
"  BEGIN SELECT RAISE(ABORT, 'an investigation''s findings never change: add a note'); END;\n"
"CREATE TRIGGER investigation_notes_append BEFORE UPDATE OF notes ON investigation\n"
"  WHEN substr(NEW.notes, 1, length(OLD.notes)) IS NOT OLD.notes\n"
"  BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;\n"
"CREATE TRIGGER investigation_closed_once BEFORE UPDATE OF status, closed, closed_by ON investigation\n"
"  WHEN OLD.status = 'closed'\n"
"  BEGIN SELECT RAISE(ABORT, 'the case is closed'); END;\n"
"CREATE TRIGGER investigation_no_delete BEFORE DELETE ON investigation\n"
"  BEGIN SELECT RAISE(ABORT, 'cases are kept: close it instead'); END;\n";

/* Migration 3 (issue 5): live feeds and audit.
 * ingest: where `billtop ingest --follow PATH` stands in the file it reads:
 * the file (device, inode) and the bytes of it whose records are committed
 * (offset, always just after a line end; line is the physical line there).
 * It is updated in the same transaction as the records it covers, so a
 * restart resumes exactly after the last committed record. import_id is the
 * follower's current session in `import` (kind 'ingest'), whose counters each
 * batch updates: the audit trail of a feed.
 * investigation.closed_ssh: the SSH client that closed a case (who closed it
 * was already kept in closed_by). */
static const char SCHEMA_V3[] =
"CREATE TABLE ingest(\n"
"  id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, format TEXT NOT NULL,\n"
"  dev INTEGER NOT NULL, inode INTEGER NOT NULL, offset INTEGER NOT NULL, line INTEGER NOT NULL,\n"
"  files INTEGER NOT NULL DEFAULT 1, import_id INTEGER REFERENCES import(id),\n"
"  started INTEGER NOT NULL, updated INTEGER NOT NULL);\n"
"ALTER TABLE investigation ADD COLUMN closed_ssh TEXT;\n"
"DROP TRIGGER investigation_closed_once;\n"
"CREATE TRIGGER investigation_closed_once BEFORE UPDATE OF status, closed, closed_by, closed_ssh\n"
"  ON investigation WHEN OLD.status = 'closed'\n"
"  BEGIN SELECT RAISE(ABORT, 'the case is closed'); END;\n";

/* Migration 4 (issue 5): an optional idempotency key on a ledger entry,
 * `billtop ledger add ... --ref KEY`. A retried command finds its entry by
 * (account, ref) and posts nothing (post.c); the partial unique index makes
 * a second entry with the same key on the same account impossible whatever
 * the code path. Entries before the migration, and entries posted without
 * --ref, have none (NULL). The ledger stays append-only: the write-once
 * triggers of migration 1 refuse any UPDATE, the new column included. */
static const char SCHEMA_V4[] =
"ALTER TABLE ledger ADD COLUMN ref TEXT;\n"
"CREATE UNIQUE INDEX ledger_ref ON ledger(account_id, ref) WHERE ref IS NOT NULL;\n";

/* Migration 5 (issue 4): the (account, start) index of calls also holds
 * what a dispute investigation reads of every call of the period (numbers,
 * times, durations, state, charge, prefix, CNAM fee), so reading our side
 * is a scan of that index alone: no seek into the table per call, and a
 * third of the pages (the table rows carry record ids, names and text the
 * investigation never reads). Measured on 400,000 calls of one account:
 * the whole investigation takes a fifth less CPU. Same name and leading
 * columns, so every other query keeps using it as before. Rebuilding it on
 * an existing database takes a few seconds per million calls, once. */
static const char SCHEMA_V5[] =
"DROP INDEX cdr_acct_start;\n"
"CREATE INDEX cdr_acct_start ON cdr(account_id, start, src, dst, answer, billsec_ms, connected,\n"
"  state, cost, billed_secs, prefix, cnam_cost);\n";

/* Migration 6 (issue 9): dial plans.
 * account.dial_cc / dial_np / dial_ip: the account's dial plan (calling
 * code, national trunk prefix or '', international prefixes "810,00"); no
 * plan when dial_cc is NULL (numbers are rated as before, number.c).
 * cdr.dialplan: the plan a call was rated with, encoded "44/0/00"
 * (core/dialplan.h), NULL when none: verify and explain re-derive the
 * number's class from it even after the account's plan changes.
 * cdr.unrated_reason: why a connected call is unrated ("no rate deck", "no
 * rate for prefix of 442079460000", "trunk 0, then 5 digits: ..."); NULL
 * for other states and for calls stored before this migration.
 * cdr.state 5 = internal (extension, feature code, voicemail: never
 * charged, never unrated); rollup_hour.internal counts them.
 * The charge trigger now also guards the two new call columns. */
static const char SCHEMA_V6[] =
"ALTER TABLE account ADD COLUMN dial_cc TEXT;\n"
"ALTER TABLE account ADD COLUMN dial_np TEXT;\n"
"ALTER TABLE account ADD COLUMN dial_ip TEXT;\n"
"ALTER TABLE cdr ADD COLUMN dialplan TEXT;\n"
"ALTER TABLE cdr ADD COLUMN unrated_reason TEXT;\n"
"ALTER TABLE rollup_hour ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;\n"
"DROP TRIGGER cdr_charge_immutable;\n"
"CREATE TRIGGER cdr_charge_immutable BEFORE UPDATE OF account_id, record_id, start,\n"
"  billsec_ms, state, rate_id, billed_secs, cost, cnam_cost, dialplan, unrated_reason ON cdr\n"
"  BEGIN SELECT RAISE(ABORT, 'rated call records are append-only'); END;\n";

/* Migration 7 (issue 10): re-rating, append-only corrections.
 * The cdr row keeps the call's first rating for good (its charge trigger is
 * unchanged). rating: one row per correction of a call (seq 1, 2, ...) with
 * its run and the rating it set; seq 1 replaced the cdr row's rating, each
 * later one the row before it. Append-only. rating_now: the latest correction of each corrected call
 * (a derived cache, like the rollups: written with the rating in the same
 * transaction, re-derivable, checked by verify), so that readers find the
 * current rating with one probe. cdr_now: every call with its CURRENT
 * rating (the cdr row's columns, the charge ones from rating_now when the
 * call was corrected, rating_seq 0 when not): what every figure reads.
 * rerate: one run of `billtop rerate` on one account (who, when, why, the
 * deck, the scope and what it changed), written once at the end of the
 * run's transaction. rerate_day: the run's effect per UTC day of the calls'
 * start (calls corrected, sum of new - previous cost): the statement's
 * correction lines, read without scanning calls. */
static const char SCHEMA_V7[] =
"CREATE TABLE rerate(\n"
"  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES account(id),\n"
"  at INTEGER NOT NULL, operator TEXT NOT NULL, ssh_client TEXT NOT NULL DEFAULT '',\n"
"  memo TEXT NOT NULL, deck_id INTEGER NOT NULL REFERENCES deck(id), deck TEXT NOT NULL,\n"
"  period_from INTEGER, period_to INTEGER, only_unrated INTEGER NOT NULL,\n"
"  examined INTEGER NOT NULL, corrected INTEGER NOT NULL, newly_rated INTEGER NOT NULL,\n"
"  delta INTEGER NOT NULL);\n"
"CREATE INDEX rerate_acct ON rerate(account_id, id);\n"
"CREATE TRIGGER rerate_append_only_u BEFORE UPDATE ON rerate\n"
"  BEGIN SELECT RAISE(ABORT, 'rerate runs are append-only'); END;\n"
"CREATE TRIGGER rerate_append_only_d BEFORE DELETE ON rerate\n"
"  BEGIN SELECT RAISE(ABORT, 'rerate runs are append-only'); END;\n"
"CREATE TABLE rerate_day(\n"
"  rerate_id INTEGER NOT NULL, account_id INTEGER NOT NULL, day INTEGER NOT NULL,\n"
"  calls INTEGER NOT NULL, delta INTEGER NOT NULL,\n"
"  PRIMARY KEY(account_id, day, rerate_id)) WITHOUT ROWID;\n"
"CREATE TRIGGER rerate_day_append_only_u BEFORE UPDATE ON rerate_day\n"
"  BEGIN SELECT RAISE(ABORT, 'rerate runs are append-only'); END;\n"
"CREATE TRIGGER rerate_day_append_only_d BEFORE DELETE ON rerate_day\n"
"  BEGIN SELECT RAISE(ABORT, 'rerate runs are append-only'); END;\n"
"CREATE TABLE rating(\n"
"  cdr_id INTEGER NOT NULL, seq INTEGER NOT NULL, rerate_id INTEGER NOT NULL,\n"
"  state INTEGER NOT NULL, rate_id INTEGER, prefix TEXT, billed_secs INTEGER NOT NULL,\n"
"  cost INTEGER NOT NULL, unrated_reason TEXT,\n"
"  PRIMARY KEY(cdr_id, seq)) WITHOUT ROWID;\n"
"CREATE TRIGGER rating_append_only_u BEFORE UPDATE ON rating\n"
"  BEGIN SELECT RAISE(ABORT, 'ratings are append-only: rerate again'); END;\n"
"CREATE TRIGGER rating_append_only_d BEFORE DELETE ON rating\n"
"  BEGIN SELECT RAISE(ABORT, 'ratings are append-only: rerate again'); END;\n"
"CREATE TABLE rating_now(\n"
"  cdr_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL,\n"
"  state INTEGER NOT NULL, rate_id INTEGER, prefix TEXT, billed_secs INTEGER NOT NULL,\n"
"  cost INTEGER NOT NULL, unrated_reason TEXT);\n"
"CREATE VIEW cdr_now AS SELECT c.id AS id, c.account_id AS account_id, c.record_id AS record_id,\n"
"  c.call_key AS call_key, c.start AS start, c.answer AS answer, c.end AS end,\n"
"  c.duration_ms AS duration_ms, c.billsec_ms AS billsec_ms, c.src AS src, c.dst AS dst, c.clid AS clid,\n"
"  c.disposition AS disposition, c.disp_text AS disp_text, c.connected AS connected,\n"
"  CASE WHEN n.cdr_id IS NULL THEN c.state ELSE n.state END AS state, c.billed_leg AS billed_leg,\n"
"  CASE WHEN n.cdr_id IS NULL THEN c.rate_id ELSE n.rate_id END AS rate_id,\n"
"  CASE WHEN n.cdr_id IS NULL THEN c.prefix ELSE n.prefix END AS prefix,\n"
"  CASE WHEN n.cdr_id IS NULL THEN c.billed_secs ELSE n.billed_secs END AS billed_secs,\n"
"  CASE WHEN n.cdr_id IS NULL THEN c.cost ELSE n.cost END AS cost, c.cnam_cost AS cnam_cost,\n"
"  c.their_cost AS their_cost, c.their_billed AS their_billed, c.direction AS direction,\n"
"  c.suspended AS suspended, c.import_id AS import_id, c.dialplan AS dialplan,\n"
"  CASE WHEN n.cdr_id IS NULL THEN c.unrated_reason ELSE n.unrated_reason END AS unrated_reason,\n"
"  COALESCE(n.seq, 0) AS rating_seq\n"
"  FROM cdr c LEFT JOIN rating_now n ON n.cdr_id = c.id;\n";

/* Migration 8 (issue 10): alerts.
 * balance_mark: every downward crossing of an account's low-balance mark
 * (the balance was >= the mark before the event, < it after), derived by the
 * suspension walk like `suspension` and re-derivable; mark is the mark it
 * was walked with (the account's at the time). For a database migrated
 * here, the crossings of the history so far are derived below by a running
 * sum over the walk's event order (time, ledger < call < message, id).
 * alert: the outbox of `billtop watch`, one row per transition (account,
 * event, time, causing record), written by the walk in the transaction that
 * commits the transition, so an alert cannot be missed while no watcher
 * runs. status: pending (to send; attempts/next_try/last_error say how it
 * went), sending (the command was started: a watcher that died there may
 * have sent it, it is sent again), sent, withdrawn (a re-walk of late
 * records showed the transition did not happen; never sent), skipped (the
 * transition was already history when alerts began: recorded, not sent).
 * Transitions recorded before this migration are skipped. */
static const char SCHEMA_V8[] =
"CREATE TABLE balance_mark(\n"
"  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, at INTEGER NOT NULL,\n"
"  balance INTEGER NOT NULL, mark INTEGER NOT NULL, cause_kind TEXT NOT NULL,\n"
"  cause_id INTEGER NOT NULL);\n"
"CREATE INDEX balance_mark_acct ON balance_mark(account_id, at);\n"
"CREATE TABLE alert(\n"
"  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,\n"
"  event TEXT NOT NULL CHECK(event IN ('low_balance', 'suspended', 'restored')),\n"
"  at INTEGER NOT NULL, balance INTEGER NOT NULL, cause_kind TEXT NOT NULL,\n"
"  cause_id INTEGER NOT NULL, created INTEGER NOT NULL,\n"
"  status TEXT NOT NULL DEFAULT 'pending'\n"
"    CHECK(status IN ('pending', 'sending', 'sent', 'withdrawn', 'skipped')),\n"
"  attempts INTEGER NOT NULL DEFAULT 0, next_try INTEGER NOT NULL DEFAULT 0,\n"
"  last_error TEXT, sent_at INTEGER,\n"
"  UNIQUE(account_id, event, at, cause_kind, cause_id));\n"
"CREATE INDEX alert_status ON alert(status, account_id, at);\n"
"INSERT INTO balance_mark(account_id, at, balance, mark, cause_kind, cause_id)\n"
"  SELECT account_id, at, bal, mark, CASE cls WHEN 0 THEN 'ledger' WHEN 1 THEN 'cdr' ELSE 'mdr' END, id\n"
"  FROM (SELECT e.account_id, e.at, e.cls, e.id, e.delta, a.low_balance mark,\n"
"          SUM(e.delta) OVER (PARTITION BY e.account_id ORDER BY e.at, e.cls, e.id\n"
"                             ROWS UNBOUNDED PRECEDING) bal\n"
"        FROM (SELECT account_id, at, 0 cls, id, amount delta FROM ledger\n"
"              UNION ALL SELECT account_id, start, 1, id, -(cost + cnam_cost) FROM cdr_now\n"
"                WHERE connected = 1 OR cost != 0 OR cnam_cost != 0\n"
"              UNION ALL SELECT account_id, at, 2, id, -cost FROM mdr) e\n"
"        JOIN account a ON a.id = e.account_id WHERE a.low_balance IS NOT NULL)\n"
"  WHERE bal < mark AND bal - delta >= mark;\n"
"INSERT INTO alert(account_id, event, at, balance, cause_kind, cause_id, created, status)\n"
"  SELECT account_id, event, at, balance, cause_kind, cause_id, CAST(strftime('%s', 'now') AS INTEGER),\n"
"         'skipped' FROM suspension\n"
"  UNION ALL SELECT account_id, 'low_balance', at, balance, cause_kind, cause_id,\n"
"         CAST(strftime('%s', 'now') AS INTEGER), 'skipped' FROM balance_mark;\n";

/* Migration 9 (issue 10): the (account, start) index of calls also holds
 * the suspended flag, so the suspension walk reads its calls from the
 * index alone (plus the rating_now probe of cdr_now) instead of seeking
 * each call's table row for the flag: a quarter less time for the walk a
 * re-rate of a million calls ends with. The flag 0 or 1 takes no bytes in
 * an index entry (only its header byte); the import is not slowed. Same
 * name and leading columns as migration 5's. */
static const char SCHEMA_V9[] =
"DROP INDEX cdr_acct_start;\n"
"CREATE INDEX cdr_acct_start ON cdr(account_id, start, src, dst, answer, billsec_ms, connected,\n"
"  state, cost, billed_secs, prefix, cnam_cost, suspended);\n";

/* Migration 10 (issue 11): the engineer's conclusions about a case. A case's
 * first findings (the investigation row: the engine's answer) never change;
 * when the engineer overrides the tree (the console's wizard, `investigate
 * --override`), the conclusion (verdict, the path through the tree, the
 * missing-call lists and the single call, in the three reports) is appended
 * here as version 2, 3, ...; the latest is what `case ID` and `cases` show,
 * any earlier one stays readable (`case ID --version N`). Append-only, as
 * the ledger: no update, no delete. disputed: the money the conclusion puts
 * in dispute (theirs - ours over the period), as a decimal string. */
static const char SCHEMA_V10[] =
"CREATE TABLE investigation_version(\n"
"  case_id INTEGER NOT NULL REFERENCES investigation(id), version INTEGER NOT NULL CHECK(version >= 2),\n"
"  created INTEGER NOT NULL, operator TEXT NOT NULL, ssh_client TEXT NOT NULL DEFAULT '',\n"
"  verdict TEXT NOT NULL, worst_day INTEGER, path TEXT NOT NULL, disputed TEXT NOT NULL,\n"
"  report_json TEXT NOT NULL, report_text TEXT NOT NULL, report_csv TEXT NOT NULL,\n"
"  PRIMARY KEY(case_id, version));\n"
"CREATE TRIGGER investigation_version_immutable BEFORE UPDATE ON investigation_version\n"
"  BEGIN SELECT RAISE(ABORT, 'a conclusion never changes: conclude again'); END;\n"
"CREATE TRIGGER investigation_version_no_delete BEFORE DELETE ON investigation_version\n"
"  BEGIN SELECT RAISE(ABORT, 'conclusions are kept'); END;\n";
