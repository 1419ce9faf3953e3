-- bench-report-scoring-pg.sql: scripts/bench-report-scoring.sql for
-- PostgreSQL, the anchor of `scripts/bench-pg report`: what
--     lead-report scoring
-- prints, by hand, in one transaction:
--     psql -X -q -v ON_ERROR_STOP=1 URL -f scripts/bench-report-scoring-pg.sql
-- The SQLite file says how it mirrors lead-report.  Engine words:
-- greatest() for SQLite's scalar max(), bool_or() for max() of a truth
-- value, IS NOT DISTINCT FROM for IS, coalesce() for ifnull(); a band's
-- low end computed once (PostgreSQL groups by what the SELECT names, not
-- by an output column's position in an expression); CASE for a truth
-- value as a number; round() of a numeric for printf('%.1f') (half away
-- from zero, as lead-report rounds; a double's round() is half to even).
\pset format unaligned
\pset fieldsep '\t'
\pset footer off
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
WITH h AS (
  SELECT lead_id,
    max(greatest(CASE from_stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2
        WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5
        ELSE 0 END,
      CASE to_stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2 WHEN 'sql' THEN 3
        WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5 ELSE 0 END)) AS top,
    bool_or(from_stage IS NOT DISTINCT FROM 'mql' OR to_stage = 'mql')
      AS was_mql
  FROM stage_history GROUP BY lead_id),
l AS MATERIALIZED (
  SELECT l.score, l.grade,
    CAST(floor(l.score / 10) * 10 AS bigint) AS lo,
    greatest(CASE l.stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2
      WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5
      ELSE 0 END, coalesce(h.top, 0)) AS top,
    l.stage = 'mql' OR coalesce(h.was_mql, false) AS was_mql
  FROM lead l LEFT JOIN h ON h.lead_id = l.id),
g (by, ord1, ord2, band, leads, mql, sal, opportunity, won) AS (
  SELECT 'score', 1, -lo, lo || '-' || lo + 10,
    count(*), count(*) FILTER (WHERE top >= 1),
    count(*) FILTER (WHERE top >= 2), count(*) FILTER (WHERE top >= 4),
    count(*) FILTER (WHERE top >= 5)
  FROM l WHERE score IS NOT NULL GROUP BY lo
  UNION ALL
  SELECT 'score', 2, 0, NULL, count(*), count(*) FILTER (WHERE top >= 1),
    count(*) FILTER (WHERE top >= 2), count(*) FILTER (WHERE top >= 4),
    count(*) FILTER (WHERE top >= 5)
  FROM l WHERE score IS NULL HAVING count(*) > 0
  UNION ALL
  SELECT 'grade', CASE WHEN coalesce(grade, '') = '' THEN 4 ELSE 3 END, 0,
    grade, count(*),
    count(*) FILTER (WHERE top >= 1), count(*) FILTER (WHERE top >= 2),
    count(*) FILTER (WHERE top >= 4), count(*) FILTER (WHERE top >= 5)
  FROM l GROUP BY grade
  UNION ALL
  SELECT 'mql', 5, CASE WHEN was_mql THEN 0 ELSE 1 END,
    CASE WHEN was_mql THEN 'yes' ELSE 'no' END,
    count(*), count(*) FILTER (WHERE top >= 1),
    count(*) FILTER (WHERE top >= 2), count(*) FILTER (WHERE top >= 4),
    count(*) FILTER (WHERE top >= 5)
  FROM l GROUP BY was_mql)
SELECT by, band, leads, mql, sal, opportunity, won,
  round(100.0 * mql / leads, 1) AS pct_mql,
  round(100.0 * sal / leads, 1) AS pct_sal,
  round(100.0 * opportunity / leads, 1) AS pct_opportunity,
  round(100.0 * won / leads, 1) AS pct_won
FROM g ORDER BY ord1, ord2, band;
COMMIT;
