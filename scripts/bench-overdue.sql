-- The hand-written SQL counterpart of
--     lead-handoff --now 2025-11-03T06:00:00Z overdue
-- for the stock sqlite3 shell:
--     sqlite3 -bail DB '.read scripts/bench-overdue.sql'
-- It is an anchor of `scripts/bench handoff` (BENCHMARKS.md): the open
-- assignments past their due time with no first touch, whose lead their
-- rep still owns and is open, and the promised next steps past their due
-- time (the promise view), by whoever promised (else the lead's owner),
-- oldest due time first, with lead-handoff's columns (TSV): how late for
-- people ('1d 0h', '14h 30m', '12m') and in seconds, the score without a
-- trailing '.0', as lead-handoff prints it, and what is late.  The time
-- is written below; scripts/bench gives lead-handoff the same.  It
-- changes nothing.

PRAGMA cache_size = -65536;             -- lead-handoff's setting
.headers on
.mode tabs
SELECT rep, email, assigned_at, due,
  CASE WHEN s >= 86400 THEN (s / 86400) || 'd ' || (s % 86400 / 3600) || 'h'
    WHEN s >= 3600 THEN (s / 3600) || 'h ' || (s % 3600 / 60) || 'm'
    ELSE (s / 60) || 'm' END AS late,
  s AS late_s,
  CASE WHEN score = round(score) THEN CAST(score AS INTEGER)
    ELSE score END AS score,
  grade, stage, what
FROM (
  SELECT r.name AS rep, coalesce(l.email, 'id:' || l.id) AS email,
    a.at AS assigned_at, a.due,
    CAST(strftime('%s', '2025-11-03T06:00:00Z') AS INTEGER)
      - CAST(strftime('%s', a.due) AS INTEGER) AS s,
    l.score, l.grade, l.stage, 'first touch' AS what, l.id
  FROM assignment a JOIN lead l ON l.id = a.lead_id
  JOIN rep r ON r.id = a.rep_id
  WHERE a.ended_at IS NULL AND a.first_touch_at IS NULL
    AND a.due < '2025-11-03T06:00:00Z' AND l.owner_id = a.rep_id
    AND l.stage IN ('mql', 'sal', 'sql', 'opportunity')
  UNION ALL
  SELECT coalesce(p.rep, r.name), coalesce(l.email, 'id:' || l.id), p.at,
    p.due, CAST(strftime('%s', '2025-11-03T06:00:00Z') AS INTEGER)
      - CAST(strftime('%s', p.due) AS INTEGER),
    l.score, l.grade, l.stage, 'promised: ' || p.next_step, l.id
  FROM promise p JOIN lead l ON l.id = p.lead_id
  LEFT JOIN rep r ON r.id = l.owner_id
  WHERE p.due < '2025-11-03T06:00:00Z')
ORDER BY due, id;
