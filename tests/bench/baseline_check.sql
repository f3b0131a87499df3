-- baseline_check.sql: figures of the baseline database (built by
-- baseline_import.sql) that run.sh compares with billtop's, as "key value"
-- lines. Run after the timing: sqlite3 -bail base.db < ../baseline_check.sql
SELECT 'rows ' || count(*) FROM cdr;
SELECT 'raw_rows ' || count(*) FROM raw;
SELECT 'cost_nano ' || coalesce(sum(cost), 0) FROM cdr;
SELECT 'states ' || group_concat(state || ':' || k, ' ')
  FROM (SELECT state, count(*) AS k FROM cdr GROUP BY state ORDER BY state);
SELECT 'rollup_hours ' || count(*) || ' ' || coalesce(sum(cost_calls), 0) FROM rollup_hour;
-- Both must be 0: the normalisation handles digits with a leading '+' only,
-- and the COALESCE starts at 6 digits.
SELECT 'bad_dst ' || count(*) FROM raw
  WHERE substr(dst, 1, 1) GLOB '[^0-9+]' OR substr(dst, 2) GLOB '*[^0-9]*';
SELECT 'long_prefix ' || count(*) FROM deck WHERE length(prefix) > 6;
