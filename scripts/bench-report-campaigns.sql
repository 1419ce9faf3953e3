-- bench-report-campaigns.sql: what `lead-report campaigns` prints, by hand.
-- Run as: sqlite3 -bail DB ".read scripts/bench-report-campaigns.sql"
-- One row per (source, campaign) of the leads' first touch and of the
-- import batches (undone ones left out), an empty key last: new = the leads whose
-- first touch it is; leads = new + the other leads of its batches (the
-- batch_member view: the leads a batch created under another first touch,
-- and the known leads it named again), each lead once; mql .. won of the
-- new leads, reached as in the funnel; won_amount = the amount of the
-- touch that moved each lead now won to won; cost = its batches' costs
-- (empty if none had one), paid once: the latest list of a file states
-- its cost, and a cost another list of the campaign states too counts
-- once.  A batch every record of which was rejected makes no row.  No
-- period: every lead and batch.
PRAGMA cache_size=-8192;
.mode tabs
.headers on
BEGIN;
WITH h AS (
  SELECT lead_id,
    max(max(CASE from_stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2
        WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5
        ELSE 0 END,
      CASE to_stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2 WHEN 'sql' THEN 3
        WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5 ELSE 0 END)) AS top
  FROM stage_history GROUP BY lead_id),
-- The imports that make rows: not undone, not every record rejected.
b AS (
  SELECT id, source, campaign, file, cost FROM batch
  WHERE command = 'lead-import' AND undone_at IS NULL
    AND NOT (nread > 0 AND nrejected = nread)),
first_touch AS (
  SELECT source, campaign, count(*) AS new,
    count(*) FILTER (WHERE top >= 1) AS mql,
    count(*) FILTER (WHERE top >= 2) AS sal,
    count(*) FILTER (WHERE top >= 4) AS opportunity,
    count(*) FILTER (WHERE top >= 5) AS won,
    total(amount) AS won_amount
  FROM (SELECT l.source, l.campaign,
      max(CASE l.stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2 WHEN 'sql' THEN 3
        WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5 ELSE 0 END,
        ifnull(h.top, 0)) AS top,
      -- the amount of the touch of its (last) move to won
      CASE WHEN l.stage = 'won' THEN (SELECT a.amount
        FROM stage_history w JOIN activity a ON a.id = w.activity_id
        WHERE w.lead_id = l.id AND w.to_stage = 'won'
        ORDER BY w.id DESC LIMIT 1) END AS amount
    FROM lead l LEFT JOIN h ON h.lead_id = l.id)
  GROUP BY source, campaign),
-- The leads of a row's batches whose first touch is another.
others AS (
  SELECT b.source, b.campaign, count(DISTINCT m.lead_id) AS n
  FROM batch_member m JOIN b ON b.id = m.batch_id
  JOIN lead l ON l.id = m.lead_id
  WHERE NOT (l.source IS b.source AND l.campaign IS b.campaign)
  GROUP BY b.source, b.campaign),
-- A campaign's spend paid once, in cents: the latest list of a file
-- states its cost, and a cost another of its lists states too counts
-- once.
spend AS (
  SELECT source, campaign, round(cost, 2) AS cost,
    row_number() OVER (PARTITION BY source, campaign,
      ifnull(file, '#' || id) ORDER BY id DESC) AS latest
  FROM b WHERE cost IS NOT NULL),
cost AS (
  SELECT source, campaign, sum(DISTINCT cost) AS cost FROM spend
  WHERE latest = 1 GROUP BY source, campaign),
keys AS (
  SELECT source, campaign FROM first_touch
  UNION SELECT source, campaign FROM b),
r AS (
  SELECT k.source, k.campaign,
    ifnull(f.new, 0) + ifnull(o.n, 0) AS leads, ifnull(f.new, 0) AS new,
    ifnull(f.mql, 0) AS mql, ifnull(f.sal, 0) AS sal,
    ifnull(f.opportunity, 0) AS opportunity, ifnull(f.won, 0) AS won,
    ifnull(f.won_amount, 0) AS won_amount, c.cost
  FROM keys k
  LEFT JOIN first_touch f ON f.source IS k.source AND f.campaign IS k.campaign
  LEFT JOIN others o ON o.source IS k.source AND o.campaign IS k.campaign
  LEFT JOIN cost c ON c.source IS k.source AND c.campaign IS k.campaign)
SELECT source, campaign, leads, new, mql, sal, opportunity, won,
  printf('%.2f', won_amount) AS won_amount,
  CASE WHEN cost IS NOT NULL THEN printf('%.2f', cost) END AS cost,
  CASE WHEN cost IS NOT NULL AND leads > 0 THEN printf('%.2f', cost / leads)
    END AS cost_per_lead,
  CASE WHEN cost IS NOT NULL AND mql > 0 THEN printf('%.2f', cost / mql)
    END AS cost_per_mql,
  CASE WHEN cost IS NOT NULL AND won > 0 THEN printf('%.2f', cost / won)
    END AS cost_per_won,
  CASE WHEN cost > 0 THEN printf('%.1f', 100 * (won_amount - cost) / cost)
    END AS roi_pct
FROM r
ORDER BY ifnull(source, '') = '', source, ifnull(campaign, '') = '', campaign;
COMMIT;
