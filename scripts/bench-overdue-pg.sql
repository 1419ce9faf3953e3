-- bench-overdue-pg.sql: scripts/bench-overdue.sql for PostgreSQL, the
-- anchor of `scripts/bench-pg handoff`: what
--     lead-handoff --now 2025-11-03T06:00:00Z overdue
-- prints, by hand, in one statement (TSV): the open assignments past
-- their due time with no first touch, whose lead their rep still owns
-- and is open, and the promised next steps past their due time, oldest
-- due time first:
--     psql -X -q -v ON_ERROR_STOP=1 URL -f scripts/bench-overdue-pg.sql
-- The SQLite file says how it mirrors lead-handoff.  Engine words: the
-- epoch of a time by extract() for strftime('%s'); integer division of
-- a bigint as SQLite's of an integer; the score as it is, a double
-- printing without a trailing '.0', where SQLite needs a CAST.  It
-- changes nothing.
\pset format unaligned
\pset fieldsep '\t'
\pset footer off
SELECT rep, email, assigned_at, due,
  CASE WHEN s >= 86400 THEN (s / 86400) || 'd ' || (s % 86400 / 3600) || 'h'
    WHEN s >= 3600 THEN (s / 3600) || 'h ' || (s % 3600 / 60) || 'm'
    ELSE (s / 60) || 'm' END AS late,
  s AS late_s, score, grade, stage, what
FROM (
  SELECT r.name AS rep, coalesce(l.email, 'id:' || l.id) AS email,
    a.at AS assigned_at, a.due,
    CAST(extract(epoch FROM timestamptz '2025-11-03T06:00:00Z') AS bigint)
      - CAST(extract(epoch FROM CAST(a.due AS timestamptz)) AS bigint) AS s,
    l.score, l.grade, l.stage, 'first touch' AS what, l.id
  FROM assignment a JOIN lead l ON l.id = a.lead_id
  JOIN rep r ON r.id = a.rep_id
  WHERE a.ended_at IS NULL AND a.first_touch_at IS NULL
    AND a.due < '2025-11-03T06:00:00Z' AND l.owner_id = a.rep_id
    AND l.stage IN ('mql', 'sal', 'sql', 'opportunity')
  UNION ALL
  SELECT coalesce(p.rep, r.name), coalesce(l.email, 'id:' || l.id), p.at,
    p.due,
    CAST(extract(epoch FROM timestamptz '2025-11-03T06:00:00Z') AS bigint)
      - CAST(extract(epoch FROM CAST(p.due AS timestamptz)) AS bigint),
    l.score, l.grade, l.stage, 'promised: ' || p.next_step, l.id
  FROM promise p JOIN lead l ON l.id = p.lead_id
  LEFT JOIN rep r ON r.id = l.owner_id
  WHERE p.due < '2025-11-03T06:00:00Z') x
ORDER BY due, id;
