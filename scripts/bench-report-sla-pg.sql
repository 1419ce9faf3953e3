-- bench-report-sla-pg.sql: scripts/bench-report-sla.sql for PostgreSQL,
-- the anchor of `scripts/bench-pg report`: what
--     lead-report sla --now 2025-11-01T06:00:00Z
-- prints, by hand, in one transaction:
--     psql -X -q -v ON_ERROR_STOP=1 URL -f scripts/bench-report-sla-pg.sql
-- The SQLite file says how it mirrors lead-report.  Engine words: the
-- epoch of a time by extract() for unixepoch(); greatest() for SQLite's
-- scalar max(); active <> 0 for a flag as a truth value (the column is
-- an integer); coalesce() for ifnull(); round() of a numeric for
-- printf('%.1f') (half away from zero, as lead-report rounds; a double's
-- round() is half to even).
\pset format unaligned
\pset fieldsep '\t'
\pset footer off
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
WITH a AS (
  SELECT coalesce(r.name, '#' || a.rep_id) AS rep, a.rep_id,
    extract(epoch FROM CAST(a.at AS timestamptz)) AS at,
    extract(epoch FROM CAST(a.due AS timestamptz)) AS due,
    extract(epoch FROM CAST(a.first_touch_at AS timestamptz)) AS ft,
    a.accepted_at, a.rejected_at, a.ended_at, l.owner_id, l.stage
  FROM assignment a JOIN lead l ON l.id = a.lead_id
  LEFT JOIN rep r ON r.id = a.rep_id),
per_rep AS (
  SELECT rep, count(*) AS assigned, count(accepted_at) AS accepted,
    count(rejected_at) AS rejected, count(ft) AS touched,
    count(*) FILTER (WHERE ft IS NOT NULL AND ft <= due) AS within,
    count(*) FILTER (WHERE due IS NOT NULL AND (ft IS NOT NULL
      OR due < extract(epoch FROM timestamptz '2025-11-01T06:00:00Z')))
      AS due_n,
    count(*) FILTER (WHERE ft IS NULL AND ended_at IS NULL
      AND due < extract(epoch FROM timestamptz '2025-11-01T06:00:00Z')
      AND owner_id = rep_id
      AND stage IN ('mql', 'sal', 'sql', 'opportunity')) AS overdue,
    count(*) FILTER (WHERE ft IS NULL AND (ended_at IS NOT NULL
      OR due < extract(epoch FROM timestamptz '2025-11-01T06:00:00Z')))
      AS never
  FROM a GROUP BY rep),
tt AS (
  SELECT rep, greatest(ft - at, 0) AS s,
    row_number() OVER (PARTITION BY rep ORDER BY greatest(ft - at, 0)) AS k,
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
  SELECT name AS rep FROM rep WHERE active <> 0
  UNION SELECT rep FROM per_rep
  UNION SELECT rep FROM bare)
SELECT r.rep,
  coalesce(p.assigned, 0) AS assigned, coalesce(p.accepted, 0) AS accepted,
  coalesce(p.rejected, 0) AS rejected, coalesce(p.touched, 0) AS touched,
  round(s.median / 3600, 1) AS median_hours_to_touch,
  round(s.p90 / 3600, 1) AS p90_hours_to_touch,
  CASE WHEN p.due_n > 0 THEN round(100.0 * p.within / p.due_n, 1) END
    AS within_sla_pct,
  coalesce(p.overdue, 0) AS overdue, coalesce(p.never, 0) AS never_touched,
  coalesce(b.n, 0) AS touches_without_context
FROM reps r
LEFT JOIN per_rep p ON p.rep = r.rep
LEFT JOIN spread s ON s.rep = r.rep
LEFT JOIN bare b ON b.rep = r.rep
ORDER BY 1;
COMMIT;
