-- bench-report-aging.sql: what `lead-report aging --now 2025-11-01T06:00:00Z`
-- prints, by hand.
-- Run as: sqlite3 -bail DB ".read scripts/bench-report-aging.sql"
-- The leads now at an open stage, each stage a row (zeros too): time in
-- stage = now - coalesce(stage_at, created_at); stuck = more than 30 days;
-- median and p90 by nearest rank (the k-th smallest of n, k = ceil(n/2),
-- ceil(9n/10)).
PRAGMA cache_size=-8192;
.mode tabs
.headers on
BEGIN;
WITH stages (ord, stage) AS (
  VALUES (1, 'new'), (2, 'nurture'), (3, 'mql'), (4, 'sal'), (5, 'sql'),
    (6, 'opportunity')),
age AS (
  SELECT stage, max(unixepoch('2025-11-01T06:00:00Z')
    - unixepoch(coalesce(stage_at, created_at)), 0) AS s
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
SELECT st.stage, ifnull(a.leads, 0) AS leads, ifnull(a.stuck, 0) AS stuck,
  CASE WHEN a.leads > 0 THEN printf('%.1f', 100.0 * a.stuck / a.leads) END
    AS pct_stuck,
  CASE WHEN a.leads > 0 THEN printf('%.1f', a.median / 86400.0) END
    AS median_days,
  CASE WHEN a.leads > 0 THEN printf('%.1f', a.p90 / 86400.0) END AS p90_days,
  CASE WHEN a.leads > 0 THEN printf('%.1f', a.max / 86400.0) END AS max_days
FROM stages st LEFT JOIN agg a ON a.stage = st.stage
ORDER BY st.ord;
COMMIT;
