-- bench-report-scoring.sql: what `lead-report scoring` prints, by hand.
-- Run as: sqlite3 -bail DB ".read scripts/bench-report-scoring.sql"
-- Every lead (no period), reached as in the funnel.  Score bands of 10
-- ("50-60": 50 <= score < 60), highest first, the unscored last; then
-- the grades (none last); then the leads that were at the mql stage
-- itself (now or in their stage history), and the rest.
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
    max(from_stage IS 'mql' OR to_stage = 'mql') AS was_mql
  FROM stage_history GROUP BY lead_id),
l AS MATERIALIZED (
  SELECT l.score, l.grade,
    max(CASE l.stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2 WHEN 'sql' THEN 3
      WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5 ELSE 0 END,
      ifnull(h.top, 0)) AS top,
    l.stage = 'mql' OR ifnull(h.was_mql, 0) AS was_mql
  FROM lead l LEFT JOIN h ON h.lead_id = l.id),
g (by, ord1, ord2, band, leads, mql, sal, opportunity, won) AS (
  SELECT 'score', 1, -CAST(floor(score / 10) * 10 AS INTEGER),
    CAST(floor(score / 10) * 10 AS INTEGER) || '-'
      || CAST(floor(score / 10) * 10 + 10 AS INTEGER),
    count(*), count(*) FILTER (WHERE top >= 1),
    count(*) FILTER (WHERE top >= 2), count(*) FILTER (WHERE top >= 4),
    count(*) FILTER (WHERE top >= 5)
  FROM l WHERE score IS NOT NULL GROUP BY 3
  UNION ALL
  SELECT 'score', 2, 0, NULL, count(*), count(*) FILTER (WHERE top >= 1),
    count(*) FILTER (WHERE top >= 2), count(*) FILTER (WHERE top >= 4),
    count(*) FILTER (WHERE top >= 5)
  FROM l WHERE score IS NULL HAVING count(*) > 0
  UNION ALL
  SELECT 'grade', 3 + (ifnull(grade, '') = ''), 0, grade, count(*),
    count(*) FILTER (WHERE top >= 1), count(*) FILTER (WHERE top >= 2),
    count(*) FILTER (WHERE top >= 4), count(*) FILTER (WHERE top >= 5)
  FROM l GROUP BY grade
  UNION ALL
  SELECT 'mql', 5, NOT was_mql, CASE WHEN was_mql THEN 'yes' ELSE 'no' END,
    count(*), count(*) FILTER (WHERE top >= 1),
    count(*) FILTER (WHERE top >= 2), count(*) FILTER (WHERE top >= 4),
    count(*) FILTER (WHERE top >= 5)
  FROM l GROUP BY was_mql)
SELECT by, band, leads, mql, sal, opportunity, won,
  printf('%.1f', 100.0 * mql / leads) AS pct_mql,
  printf('%.1f', 100.0 * sal / leads) AS pct_sal,
  printf('%.1f', 100.0 * opportunity / leads) AS pct_opportunity,
  printf('%.1f', 100.0 * won / leads) AS pct_won
FROM g ORDER BY ord1, ord2, band;
COMMIT;
