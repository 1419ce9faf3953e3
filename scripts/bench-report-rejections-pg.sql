-- bench-report-rejections-pg.sql: scripts/bench-report-rejections.sql for
-- PostgreSQL, the anchor of `scripts/bench-pg report`: what
--     lead-report rejections
-- prints, by hand, in one transaction:
--     psql -X -q -v ON_ERROR_STOP=1 URL -f scripts/bench-report-rejections-pg.sql
-- The SQLite file says how it mirrors lead-report.  Engine words: btrim()
-- for trim() of given characters, E'\t' (chr(9)) for char(9),
-- regexp_replace() for the rounds of replace() that make a run of spaces
-- one, coalesce() for ifnull(), IS NOT DISTINCT FROM for IS; lower()
-- folds ASCII alone under the C collation of leadkit's columns, as
-- SQLite's does; round() of a numeric for printf('%.1f') (half away from
-- zero, as lead-report rounds; a double's round() is half to even).
\pset format unaligned
\pset fieldsep '\t'
\pset footer off
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
WITH r AS (
  SELECT a.id, l.source, l.campaign, l.stage,
    btrim(coalesce(a.reject_reason, ''), E' \t\n\r') AS shown,
    lower(regexp_replace(btrim(translate(coalesce(a.reject_reason, ''),
      E'\t\n\r', '   '), ' '), ' {2,}', ' ', 'g')) AS reason
  FROM assignment a JOIN lead l ON l.id = a.lead_id
  WHERE a.rejected_at IS NOT NULL),
g AS (
  SELECT source, campaign, reason, count(*) AS rejected,
    count(*) FILTER (WHERE stage = 'disqualified') AS disqualified,
    min(id) AS first_id
  FROM r GROUP BY source, campaign, reason),
t AS (
  SELECT source, campaign, count(*) AS n FROM r GROUP BY source, campaign)
SELECT g.source, g.campaign,
  replace(replace(replace(replace(r.shown, '\', '\\'), E'\t', '\t'),
    E'\n', '\n'), E'\r', '\r') AS reason,
  g.rejected, round(100.0 * g.rejected / t.n, 1) AS pct_of_group,
  g.disqualified
FROM g JOIN t ON t.source IS NOT DISTINCT FROM g.source
  AND t.campaign IS NOT DISTINCT FROM g.campaign
JOIN r ON r.id = g.first_id
ORDER BY coalesce(g.source, '') = '', g.source,
  coalesce(g.campaign, '') = '', g.campaign, g.rejected DESC, g.reason;
COMMIT;
