-- bench-report-funnel-pg.sql: scripts/bench-report-funnel.sql for
-- PostgreSQL, the anchor of `scripts/bench-pg report`: what
--     lead-report funnel
-- prints, by hand, in one transaction:
--     psql -X -q -v ON_ERROR_STOP=1 URL -f scripts/bench-report-funnel-pg.sql
-- The SQLite file says how it mirrors lead-report.
-- Engine words: greatest() for SQLite's scalar max(), bool_or() for max()
-- of a truth value, IS NOT DISTINCT FROM for IS, coalesce() for ifnull(),
-- and round() of a numeric for printf('%.1f') (half away from zero, as
-- lead-report rounds; a double's round() is half to even).
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
    bool_or(from_stage IS NOT DISTINCT FROM 'nurture'
      OR to_stage = 'nurture') AS nur,
    bool_or(from_stage IS NOT DISTINCT FROM 'lost' OR to_stage = 'lost')
      AS lost,
    bool_or(from_stage IS NOT DISTINCT FROM 'disqualified'
      OR to_stage = 'disqualified') AS disq
  FROM stage_history GROUP BY lead_id),
l AS (
  SELECT greatest(CASE l.stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2
        WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5
        ELSE 0 END, coalesce(h.top, 0)) AS top,
    l.stage = 'nurture' OR h.nur AS nur,
    l.stage = 'lost' OR h.lost AS lost,
    l.stage = 'disqualified' OR h.disq AS disq
  FROM lead l LEFT JOIN h ON h.lead_id = l.id),
t AS (
  SELECT count(*) AS new,
    count(*) FILTER (WHERE top >= 1) AS mql,
    count(*) FILTER (WHERE top >= 2) AS sal,
    count(*) FILTER (WHERE top >= 3) AS sql,
    count(*) FILTER (WHERE top >= 4) AS opportunity,
    count(*) FILTER (WHERE top >= 5) AS won,
    count(*) FILTER (WHERE nur) AS nurture,
    count(*) FILTER (WHERE lost) AS lost,
    count(*) FILTER (WHERE disq) AS disqualified
  FROM l),
r (ord, stage, leads, prev, cohort) AS (
  SELECT 1, 'new', new, NULL, new FROM t
  UNION ALL SELECT 2, 'mql', mql, new, new FROM t
  UNION ALL SELECT 3, 'sal', sal, mql, new FROM t
  UNION ALL SELECT 4, 'sql', sql, sal, new FROM t
  UNION ALL SELECT 5, 'opportunity', opportunity, sql, new FROM t
  UNION ALL SELECT 6, 'won', won, opportunity, new FROM t
  UNION ALL SELECT 7, 'nurture', nurture, NULL, new FROM t
  UNION ALL SELECT 8, 'lost', lost, NULL, new FROM t
  UNION ALL SELECT 9, 'disqualified', disqualified, NULL, new FROM t)
SELECT stage, leads,
  CASE WHEN cohort > 0 THEN round(100.0 * leads / cohort, 1) END
    AS pct_of_cohort,
  CASE WHEN prev > 0 THEN round(100.0 * leads / prev, 1) END
    AS pct_of_previous
FROM r ORDER BY ord;
COMMIT;
