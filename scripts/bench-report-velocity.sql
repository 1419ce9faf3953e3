-- bench-report-velocity.sql: what `lead-report velocity` prints, by hand.
-- Run as: sqlite3 -bail DB ".read scripts/bench-report-velocity.sql"
-- Every lead (no period).  First arrival at a stage = its earliest
-- stage_history row to it; new = created_at.  A lead gives a sample of a
-- step when it has both arrivals and the second is not earlier; median
-- and p90 by nearest rank (k = ceil(n/2), ceil(9n/10)).
PRAGMA cache_size=-8192;
.mode tabs
.headers on
BEGIN;
WITH first AS (
  SELECT h.lead_id, unixepoch(l.created_at) AS new,
    unixepoch(min(h.at) FILTER (WHERE h.to_stage = 'mql')) AS mql,
    unixepoch(min(h.at) FILTER (WHERE h.to_stage = 'sal')) AS sal,
    unixepoch(min(h.at) FILTER (WHERE h.to_stage = 'sql')) AS sql,
    unixepoch(min(h.at) FILTER (WHERE h.to_stage = 'opportunity')) AS opp,
    unixepoch(min(h.at) FILTER (WHERE h.to_stage = 'won')) AS won
  FROM stage_history h JOIN lead l ON l.id = h.lead_id
  GROUP BY h.lead_id),
all_steps (ord, "from", "to") AS (
  VALUES (1, 'new', 'mql'), (2, 'mql', 'sal'), (3, 'sal', 'sql'),
    (4, 'sql', 'opportunity'), (5, 'opportunity', 'won'),
    (6, 'new', 'opportunity'), (7, 'new', 'won')),
steps AS (
  SELECT st.ord, CASE st.ord WHEN 1 THEN f.mql - f.new WHEN 2 THEN f.sal - f.mql
      WHEN 3 THEN f.sql - f.sal WHEN 4 THEN f.opp - f.sql
      WHEN 5 THEN f.won - f.opp WHEN 6 THEN f.opp - f.new
      ELSE f.won - f.new END AS s
  FROM first f, all_steps st),
ranked AS (
  SELECT ord, s,
    row_number() OVER (PARTITION BY ord ORDER BY s) AS k,
    count(*) OVER (PARTITION BY ord) AS n
  FROM steps WHERE s >= 0),
agg AS (
  SELECT ord, count(*) AS leads,
    max(s) FILTER (WHERE k = (n + 1) / 2) AS median,
    max(s) FILTER (WHERE k = (9 * n + 9) / 10) AS p90
  FROM ranked GROUP BY ord)
SELECT st."from", st."to", ifnull(a.leads, 0) AS leads,
  CASE WHEN a.leads > 0 THEN printf('%.1f', a.median / 86400.0) END
    AS median_days,
  CASE WHEN a.leads > 0 THEN printf('%.1f', a.p90 / 86400.0) END AS p90_days
FROM all_steps st LEFT JOIN agg a ON a.ord = st.ord
ORDER BY st.ord;
COMMIT;
