-- bench-report-velocity-pg.sql: scripts/bench-report-velocity.sql for
-- PostgreSQL, the anchor of `scripts/bench-pg report`: what
--     lead-report velocity
-- prints, by hand, in one transaction:
--     psql -X -q -v ON_ERROR_STOP=1 URL -f scripts/bench-report-velocity-pg.sql
-- The SQLite file says how it mirrors lead-report.  Engine words: the
-- epoch of a time by extract() for unixepoch() (a numeric: the seconds
-- are whole); GROUP BY the lead's key, which lets its created_at be
-- read; coalesce() for ifnull(); round() of a numeric for
-- printf('%.1f') (half away from zero, as lead-report rounds; a double's
-- round() is half to even).
\pset format unaligned
\pset fieldsep '\t'
\pset footer off
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
WITH first AS (
  SELECT l.id, extract(epoch FROM CAST(l.created_at AS timestamptz)) AS new,
    extract(epoch FROM CAST(min(h.at) FILTER (WHERE h.to_stage = 'mql')
      AS timestamptz)) AS mql,
    extract(epoch FROM CAST(min(h.at) FILTER (WHERE h.to_stage = 'sal')
      AS timestamptz)) AS sal,
    extract(epoch FROM CAST(min(h.at) FILTER (WHERE h.to_stage = 'sql')
      AS timestamptz)) AS sql,
    extract(epoch FROM CAST(min(h.at) FILTER (WHERE h.to_stage =
      'opportunity') AS timestamptz)) AS opp,
    extract(epoch FROM CAST(min(h.at) FILTER (WHERE h.to_stage = 'won')
      AS timestamptz)) AS won
  FROM stage_history h JOIN lead l ON l.id = h.lead_id
  GROUP BY l.id),
all_steps (ord, "from", "to") AS (
  VALUES (1, 'new', 'mql'), (2, 'mql', 'sal'), (3, 'sal', 'sql'),
    (4, 'sql', 'opportunity'), (5, 'opportunity', 'won'),
    (6, 'new', 'opportunity'), (7, 'new', 'won')),
steps AS (
  SELECT st.ord, CASE st.ord WHEN 1 THEN f.mql - f.new WHEN 2 THEN f.sal - f.mql
      WHEN 3 THEN f.sql - f.sal WHEN 4 THEN f.opp - f.sql
      WHEN 5 THEN f.won - f.opp WHEN 6 THEN f.opp - f.new
      ELSE f.won - f.new END AS s
  FROM first f, all_steps st),
ranked AS (
  SELECT ord, s,
    row_number() OVER (PARTITION BY ord ORDER BY s) AS k,
    count(*) OVER (PARTITION BY ord) AS n
  FROM steps WHERE s >= 0),
agg AS (
  SELECT ord, count(*) AS leads,
    max(s) FILTER (WHERE k = (n + 1) / 2) AS median,
    max(s) FILTER (WHERE k = (9 * n + 9) / 10) AS p90
  FROM ranked GROUP BY ord)
SELECT st."from", st."to", coalesce(a.leads, 0) AS leads,
  CASE WHEN a.leads > 0 THEN round(a.median / 86400, 1) END AS median_days,
  CASE WHEN a.leads > 0 THEN round(a.p90 / 86400, 1) END AS p90_days
FROM all_steps st LEFT JOIN agg a ON a.ord = st.ord
ORDER BY st.ord;
COMMIT;
