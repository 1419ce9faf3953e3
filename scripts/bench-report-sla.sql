-- bench-report-sla.sql: what `lead-report sla --now 2025-11-01T06:00:00Z`
-- prints, by hand.
-- Run as: sqlite3 -bail DB ".read scripts/bench-report-sla.sql"
-- Per rep (every active rep, and any rep with assignments; an unknown rep
-- id as #ID), over every assignment: hours to the first touch (nearest
-- rank: the k-th smallest of n with k = ceil(n/2), ceil(9n/10));
-- within_sla_pct = touched by the due time / those touched or past due;
-- overdue = open, untouched, past due, the lead still the rep's and open;
-- never_touched = untouched and ended or past due;
-- touches_without_context = the touches kept without the context the
-- protocol asks of a rep (activity.missing), by who logged them: a rep,
-- by name or address, else the actor, a row of their own.
PRAGMA cache_size=-8192;
.mode tabs
.headers on
BEGIN;
WITH a AS (
  SELECT coalesce(r.name, '#' || a.rep_id) AS rep, a.rep_id, unixepoch(a.at) AS at, unixepoch(a.due) AS due,
    unixepoch(a.first_touch_at) AS ft, a.accepted_at, a.rejected_at,
    a.ended_at, l.owner_id, l.stage
  FROM assignment a JOIN lead l ON l.id = a.lead_id
  LEFT JOIN rep r ON r.id = a.rep_id),
per_rep AS (
  SELECT rep, count(*) AS assigned, count(accepted_at) AS accepted,
    count(rejected_at) AS rejected, count(ft) AS touched,
    count(*) FILTER (WHERE ft IS NOT NULL AND ft <= due) AS within,
    count(*) FILTER (WHERE due IS NOT NULL AND (ft IS NOT NULL
      OR due < unixepoch('2025-11-01T06:00:00Z'))) AS due_n,
    count(*) FILTER (WHERE ft IS NULL AND ended_at IS NULL
      AND due < unixepoch('2025-11-01T06:00:00Z') AND owner_id = rep_id
      AND stage IN ('mql', 'sal', 'sql', 'opportunity')) AS overdue,
    count(*) FILTER (WHERE ft IS NULL AND (ended_at IS NOT NULL
      OR due < unixepoch('2025-11-01T06:00:00Z'))) AS never
  FROM a GROUP BY rep),
tt AS (
  SELECT rep, max(ft - at, 0) AS s,
    row_number() OVER (PARTITION BY rep ORDER BY max(ft - at, 0)) AS k,
    count(*) OVER (PARTITION BY rep) AS n
  FROM a WHERE ft IS NOT NULL),
spread AS (
  SELECT rep, max(s) FILTER (WHERE k = (n + 1) / 2) AS median,
    max(s) FILTER (WHERE k = (9 * n + 9) / 10) AS p90
  FROM tt GROUP BY rep),
-- The touches kept without the protocol's context, by who logged them.
bare AS (
  SELECT coalesce(r.name, a.actor) AS rep, count(*) AS n
  FROM activity a LEFT JOIN rep r ON lower(r.name) = lower(a.actor)
    OR r.email = lower(a.actor)
  WHERE a.missing IS NOT NULL AND a.actor IS NOT NULL
  GROUP BY 1),
reps AS (
  SELECT name AS rep FROM rep WHERE active
  UNION SELECT rep FROM per_rep
  UNION SELECT rep FROM bare)
SELECT r.rep,
  ifnull(p.assigned, 0) AS assigned, ifnull(p.accepted, 0) AS accepted,
  ifnull(p.rejected, 0) AS rejected, ifnull(p.touched, 0) AS touched,
  CASE WHEN s.median IS NOT NULL THEN printf('%.1f', s.median / 3600.0) END
    AS median_hours_to_touch,
  CASE WHEN s.p90 IS NOT NULL THEN printf('%.1f', s.p90 / 3600.0) END
    AS p90_hours_to_touch,
  CASE WHEN p.due_n > 0 THEN printf('%.1f', 100.0 * p.within / p.due_n) END
    AS within_sla_pct,
  ifnull(p.overdue, 0) AS overdue, ifnull(p.never, 0) AS never_touched,
  ifnull(b.n, 0) AS touches_without_context
FROM reps r
LEFT JOIN per_rep p ON p.rep = r.rep
LEFT JOIN spread s ON s.rep = r.rep
LEFT JOIN bare b ON b.rep = r.rep
ORDER BY 1;
COMMIT;
