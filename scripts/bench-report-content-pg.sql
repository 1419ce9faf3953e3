-- bench-report-content-pg.sql: scripts/bench-report-content.sql for
-- PostgreSQL, the anchor of `scripts/bench-pg report`: what
--     lead-report content
-- prints, by hand, in one transaction:
--     psql -X -q -v ON_ERROR_STOP=1 URL -f scripts/bench-report-content-pg.sql
-- The SQLite file says how it mirrors lead-report.  Engine words: IN
-- (SELECT ...) for IN of a table; round() of a numeric for printf('%.1f')
-- and printf('%.2f') (half away from zero, as lead-report rounds; a
-- double's round() is half to even).
\pset format unaligned
\pset fieldsep '\t'
\pset footer off
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
WITH progressed AS (
  SELECT lead_id FROM stage_history
  WHERE from_stage IN ('opportunity', 'won')
    OR to_stage IN ('opportunity', 'won')
  UNION SELECT id FROM lead WHERE stage IN ('opportunity', 'won')),
tot AS (
  SELECT (SELECT count(*) FROM lead) AS n,
    (SELECT count(*) FROM progressed) AS prog),
-- Each lead once per content.
seen AS (
  SELECT content, lead_id FROM activity WHERE content <> ''
  GROUP BY content, lead_id),
per AS (
  SELECT content, count(*) AS leads,
    count(*) FILTER (WHERE lead_id IN (SELECT lead_id FROM progressed))
      AS progressed
  FROM seen GROUP BY content)
SELECT per.content, per.leads, per.progressed,
  per.leads - per.progressed AS not_progressed,
  CASE WHEN tot.prog > 0 THEN round(100.0 * per.progressed / tot.prog, 1)
    END AS pct_of_progressed,
  CASE WHEN tot.n > tot.prog THEN round(100.0 * (per.leads
    - per.progressed) / (tot.n - tot.prog), 1) END AS pct_of_not_progressed,
  round(100.0 * per.progressed / per.leads, 1) AS pct_progressed,
  CASE WHEN tot.prog > 0 THEN round((1.0 * per.progressed / per.leads)
    / (1.0 * tot.prog / tot.n), 2) END AS lift
FROM per, tot
ORDER BY per.content;
COMMIT;
