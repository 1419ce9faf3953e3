-- bench-report-content.sql: what `lead-report content` prints, by hand.
-- Run as: sqlite3 -bail DB ".read scripts/bench-report-content.sql"
-- Every lead is in the cohort (no period: every touch's lead is in it);
-- progressed = reached opportunity (as in the funnel: ever at
-- opportunity or won).  Per activity.content (not empty): the
-- leads with a touch on it, progressed or not, their shares of all the
-- progressed and not progressed leads, and the lift of its progress rate
-- over the cohort's.
PRAGMA cache_size=-8192;
.mode tabs
.headers on
BEGIN;
WITH progressed AS (
  SELECT lead_id FROM stage_history
  WHERE from_stage IN ('opportunity', 'won')
    OR to_stage IN ('opportunity', 'won')
  UNION SELECT id FROM lead WHERE stage IN ('opportunity', 'won')),
tot AS (
  SELECT (SELECT count(*) FROM lead) AS n,
    (SELECT count(*) FROM progressed) AS prog),
-- Each lead once per content.  (SELECT DISTINCT takes 3.5 times as long
-- here: it fills a b-tree in the temp database, whose cache is 2 MB,
-- where GROUP BY sorts.)
seen AS (
  SELECT content, lead_id FROM activity WHERE content <> ''
  GROUP BY content, lead_id),
per AS (
  SELECT content, count(*) AS leads,
    count(*) FILTER (WHERE lead_id IN progressed) AS progressed
  FROM seen GROUP BY content)
SELECT per.content, per.leads, per.progressed,
  per.leads - per.progressed AS not_progressed,
  CASE WHEN tot.prog > 0 THEN printf('%.1f', 100.0 * per.progressed
    / tot.prog) END AS pct_of_progressed,
  CASE WHEN tot.n > tot.prog THEN printf('%.1f', 100.0 * (per.leads
    - per.progressed) / (tot.n - tot.prog)) END AS pct_of_not_progressed,
  printf('%.1f', 100.0 * per.progressed / per.leads) AS pct_progressed,
  CASE WHEN tot.prog > 0 THEN printf('%.2f', (1.0 * per.progressed
    / per.leads) / (1.0 * tot.prog / tot.n)) END AS lift
FROM per, tot
ORDER BY per.content;
COMMIT;
