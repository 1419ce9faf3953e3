-- bench-report-funnel-month.sql: what `lead-report funnel --by month` prints, by
-- hand; the groups are the month of lead.created_at, an empty key last.
-- Run as: sqlite3 -bail DB ".read scripts/bench-report-funnel-month.sql"
-- (scripts/bench report; see BENCHMARKS.md).  Every lead is in the
-- cohort (no --since/--until).  A lead reached a funnel stage if it was
-- ever at it or at a later one (mql < sal < sql < opportunity < won), by
-- its current stage or a stage_history row (from or to); nurture, lost
-- and disqualified: ever at that stage.
PRAGMA cache_size=-8192;
.mode tabs
.headers on
BEGIN;
WITH h AS (
  SELECT lead_id,
    max(max(CASE from_stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2
        WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5
        ELSE 0 END,
      CASE to_stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2 WHEN 'sql' THEN 3
        WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5 ELSE 0 END)) AS top,
    max(from_stage IS 'nurture' OR to_stage = 'nurture') AS nur,
    max(from_stage IS 'lost' OR to_stage = 'lost') AS lost,
    max(from_stage IS 'disqualified' OR to_stage = 'disqualified') AS disq
  FROM stage_history GROUP BY lead_id),
l AS (
  SELECT substr(l.created_at, 1, 7) AS k,
    max(CASE l.stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2
        WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5
        ELSE 0 END, ifnull(h.top, 0)) AS top,
    l.stage = 'nurture' OR h.nur AS nur,
    l.stage = 'lost' OR h.lost AS lost,
    l.stage = 'disqualified' OR h.disq AS disq
  FROM lead l LEFT JOIN h ON h.lead_id = l.id),
t AS (
  SELECT k, count(*) AS new,
    count(*) FILTER (WHERE top >= 1) AS mql,
    count(*) FILTER (WHERE top >= 2) AS sal,
    count(*) FILTER (WHERE top >= 3) AS sql,
    count(*) FILTER (WHERE top >= 4) AS opportunity,
    count(*) FILTER (WHERE top >= 5) AS won,
    count(*) FILTER (WHERE nur) AS nurture,
    count(*) FILTER (WHERE lost) AS lost,
    count(*) FILTER (WHERE disq) AS disqualified
  FROM l GROUP BY k),
r (k, ord, stage, leads, prev, cohort) AS (
  SELECT k, 1, 'new', new, NULL, new FROM t
  UNION ALL SELECT k, 2, 'mql', mql, new, new FROM t
  UNION ALL SELECT k, 3, 'sal', sal, mql, new FROM t
  UNION ALL SELECT k, 4, 'sql', sql, sal, new FROM t
  UNION ALL SELECT k, 5, 'opportunity', opportunity, sql, new FROM t
  UNION ALL SELECT k, 6, 'won', won, opportunity, new FROM t
  UNION ALL SELECT k, 7, 'nurture', nurture, NULL, new FROM t
  UNION ALL SELECT k, 8, 'lost', lost, NULL, new FROM t
  UNION ALL SELECT k, 9, 'disqualified', disqualified, NULL, new FROM t)
SELECT k AS month, stage, leads,
  CASE WHEN cohort > 0 THEN printf('%.1f', 100.0 * leads / cohort) END
    AS pct_of_cohort,
  CASE WHEN prev > 0 THEN printf('%.1f', 100.0 * leads / prev) END
    AS pct_of_previous
FROM r ORDER BY ifnull(k, '') = '', k, ord;
COMMIT;
