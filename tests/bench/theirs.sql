-- theirs.sql: the other side's CDR exports for the investigation bench
-- (investigate.sh), made from our imported calls, deterministically.
-- Run from out/ on the import database (only TEMP tables are written):
--   sqlite3 -bail -cmd ".parameter set @n 600000" -cmd ".parameter set @f 10000" \
--           imp.db ".read ../theirs.sql"
-- writes theirs_ACCOUNT.csv for every account of the database: generic
-- CSV with a header (call_id, start, answer, src, dst, billsec,
-- disposition, cost), times in UTC.
--
-- What their side holds (a carrier's export of what it billed us for):
--  - @n calls (investigate.sh sets 60 % of our calls: 600,000 of
--    1,000,000): our connected calls with the highest charges, then @f
--    failed attempts (a hash of the row id picks them). So their file lacks
--    our failed attempts but @f, the calls with no charge (toll-free,
--    emergency) and the cheapest charged calls: a small and steady share of
--    each day's cost, under the 0.5 % tolerance, while the connected counts
--    differ every day by about 12 %. One ranking over every account.
--  - what there is to find: in one hour (2024-02-14 14:00 UTC) a third of
--    our connected calls (row id divisible by 3) are not in their file.
--  - a clock jitter of -2..+2 s (another hash of the row id), the same on
--    start and answer; their own record ids ("T" and our row id); the
--    numbers as written in our records; their cost = our charge (exact, 9
--    decimals); billsec with 3 decimals.
-- The hashes are multiplicative (Knuth) on the row id: the files depend on
-- nothing but the database.
.bail on
CREATE TEMP TABLE pick AS
SELECT id FROM (SELECT c.id AS id FROM cdr c
                WHERE c.connected AND c.state != 3
                  AND NOT (c.start >= 1707919200 AND c.start < 1707922800 AND c.id % 3 = 0)
                ORDER BY c.cost DESC, (c.id * 2654435761) % 4294967296, c.id
                LIMIT @n - @f)
UNION ALL
SELECT id FROM (SELECT c.id AS id FROM cdr c WHERE NOT c.connected AND c.state != 3
                ORDER BY (c.id * 2654435761) % 4294967296, c.id LIMIT @f);
CREATE TEMP TABLE theirs AS
SELECT c.account_id AS account_id, c.id AS id,
       ((c.id * 2246822519) % 4294967291) % 5 - 2 AS jit
FROM pick p JOIN cdr c ON c.id = p.id;
CREATE INDEX temp.theirs_acct ON theirs(account_id, id);
.headers off
.mode list
.output theirs_cmds.sql
SELECT '.once theirs_' || a.name || '.csv' || char(10) ||
       'SELECT ''T'' || t.id AS call_id,' ||
       ' strftime(''%Y-%m-%d %H:%M:%S'', c.start + t.jit, ''unixepoch'') AS start,' ||
       ' CASE WHEN c.answer IS NULL THEN '''' ELSE strftime(''%Y-%m-%d %H:%M:%S'', c.answer + t.jit, ''unixepoch'') END AS answer,' ||
       ' c.src AS src, c.dst AS dst,' ||
       ' printf(''%d.%03d'', c.billsec_ms / 1000, c.billsec_ms % 1000) AS billsec,' ||
       ' c.disp_text AS disposition,' ||
       ' printf(''%d.%09d'', c.cost / 1000000000, c.cost % 1000000000) AS cost' ||
       ' FROM theirs t JOIN cdr c ON c.id = t.id WHERE t.account_id = ' || a.id || ' ORDER BY t.id;'
FROM account a ORDER BY a.id;
.output stdout
.headers on
.mode csv
.read theirs_cmds.sql
