-- bench-report-aging-pg.sql: scripts/bench-report-aging.sql for
-- PostgreSQL, the anchor of `scripts/bench-pg report`: what
--     lead-report aging --now 2025-11-01T06:00:00Z
-- prints, by hand, in one transaction:
--     psql -X -q -v ON_ERROR_STOP=1 URL -f scripts/bench-report-aging-pg.sql
-- The SQLite file says how it mirrors lead-report.  Engine words: the
-- epoch of a time by extract() for unixepoch(); greatest() for SQLite's
-- scalar max(); coalesce() for ifnull(); round() of a numeric for
-- printf('%.1f') (half away from zero, as lead-report rounds; a double's
-- round() is half to even).
\pset format unaligned
\pset fieldsep '\t'
\pset footer off
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
WITH stages (ord, stage) AS (
  VALUES (1, 'new'), (2, 'nurture'), (3, 'mql'), (4, 'sal'), (5, 'sql'),
    (6, 'opportunity')),
age AS (
  SELECT stage, greatest(extract(epoch FROM
      timestamptz '2025-11-01T06:00:00Z' - CAST(coalesce(stage_at, created_at)
        AS timestamptz)), 0) AS s
  FROM lead
  WHERE stage IN ('new', 'nurture', 'mql', 'sal', 'sql', 'opportunity')),
ranked AS (
  SELECT stage, s, row_number() OVER (PARTITION BY stage ORDER BY s) AS k,
    count(*) OVER (PARTITION BY stage) AS n
  FROM age),
agg AS (
  SELECT stage, count(*) AS leads, count(*) FILTER (WHERE s > 30 * 86400)
      AS stuck,
    max(s) FILTER (WHERE k = (n + 1) / 2) AS median,
    max(s) FILTER (WHERE k = (9 * n + 9) / 10) AS p90, max(s) AS max
  FROM ranked GROUP BY stage)
SELECT st.stage, coalesce(a.leads, 0) AS leads, coalesce(a.stuck, 0) AS stuck,
  CASE WHEN a.leads > 0 THEN round(100.0 * a.stuck / a.leads, 1) END
    AS pct_stuck,
  CASE WHEN a.leads > 0 THEN round(a.median / 86400, 1) END AS median_days,
  CASE WHEN a.leads > 0 THEN round(a.p90 / 86400, 1) END AS p90_days,
  CASE WHEN a.leads > 0 THEN round(a.max / 86400, 1) END AS max_days
FROM stages st LEFT JOIN agg a ON a.stage = st.stage
ORDER BY st.ord;
COMMIT;
