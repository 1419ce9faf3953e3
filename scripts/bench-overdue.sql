-- The hand-written SQL counterpart of
--     lead-handoff --now 2025-11-03T06:00:00Z overdue
-- for the stock sqlite3 shell:
--     sqlite3 -bail DB '.read scripts/bench-overdue.sql'
-- It is an anchor of `scripts/bench handoff` (BENCHMARKS.md): the open
-- assignments past their due time with no first touch, whose lead their
-- rep still owns and is open, oldest due time first, with lead-handoff's
-- columns (TSV): how late for people ('1d 0h', '14h 30m', '12m') and in
-- seconds, and the score without a trailing '.0', as lead-handoff
-- prints it.  The time is written below; scripts/bench gives lead-handoff
-- the same.  It changes nothing.

PRAGMA cache_size = -65536;             -- lead-handoff's setting
.headers on
.mode tabs
SELECT r.name AS rep, l.email, a.at AS assigned_at, a.due,
  CASE WHEN s >= 86400 THEN (s / 86400) || 'd ' || (s % 86400 / 3600) || 'h'
    WHEN s >= 3600 THEN (s / 3600) || 'h ' || (s % 3600 / 60) || 'm'
    ELSE (s / 60) || 'm' END AS late,
  s AS late_s,
  CASE WHEN l.score = round(l.score) THEN CAST(l.score AS INTEGER)
    ELSE l.score END AS score,
  l.grade, l.stage
FROM (SELECT *, CAST(strftime('%s', '2025-11-03T06:00:00Z') AS INTEGER)
    - CAST(strftime('%s', due) AS INTEGER) AS s
  FROM assignment
  WHERE ended_at IS NULL AND first_touch_at IS NULL
    AND due < '2025-11-03T06:00:00Z') a
JOIN lead l ON l.id = a.lead_id JOIN rep r ON r.id = a.rep_id
WHERE l.owner_id = a.rep_id AND l.stage IN ('mql', 'sal', 'sql', 'opportunity')
ORDER BY a.due, l.id;
