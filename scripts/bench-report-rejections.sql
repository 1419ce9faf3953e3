-- bench-report-rejections.sql: what `lead-report rejections` prints, by
-- hand.
-- Run as: sqlite3 -bail DB ".read scripts/bench-report-rejections.sql"
-- Every rejected assignment, grouped by the lead's source and campaign
-- (an empty key last) and the reason: trimmed, ASCII lower case, runs of
-- white space as one (replace() halves a run: four rounds take runs of
-- up to 16), shown as the first assignment by id wrote it (trimmed,
-- escaped as in TSV).  Most rejected first in a group, then by reason.
PRAGMA cache_size=-8192;
.mode tabs
.headers on
BEGIN;
WITH r AS (
  SELECT a.id, l.source, l.campaign, l.stage,
    trim(ifnull(a.reject_reason, ''), ' ' || char(9, 10, 13)) AS shown,
    lower(replace(replace(replace(replace(
      trim(replace(replace(replace(ifnull(a.reject_reason, ''), char(9), ' '),
        char(10), ' '), char(13), ' ')),
      '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS reason
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
  replace(replace(replace(replace(r.shown, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS reason,
  g.rejected, printf('%.1f', 100.0 * g.rejected / t.n) AS pct_of_group,
  g.disqualified
FROM g JOIN t ON t.source IS g.source AND t.campaign IS g.campaign
JOIN r ON r.id = g.first_id
ORDER BY ifnull(g.source, '') = '', g.source, ifnull(g.campaign, '') = '',
  g.campaign, g.rejected DESC, g.reason;
COMMIT;
