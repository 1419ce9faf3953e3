-- bench-report-campaigns-pg.sql: scripts/bench-report-campaigns.sql for
-- PostgreSQL, the anchor of `scripts/bench-pg report`: what
--     lead-report campaigns
-- prints, by hand, in one transaction:
--     psql -X -q -v ON_ERROR_STOP=1 URL -f scripts/bench-report-campaigns-pg.sql
-- The SQLite file says how it mirrors lead-report.  Engine words:
-- greatest() for SQLite's scalar max(), IS NOT DISTINCT FROM for IS,
-- coalesce() for total(); DISTINCT ON for the latest list of a file; the
-- rows' figures put together by a GROUP BY rather than the joins on IS; money as a numeric to the cent (lead-report sums cents),
-- and round() of a numeric for printf('%.2f') and printf('%.1f') (half
-- away from zero, as lead-report rounds; a double's round() is half to
-- even).
\pset format unaligned
\pset fieldsep '\t'
\pset footer off
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
WITH h AS (
  SELECT lead_id,
    max(greatest(CASE from_stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2
        WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5
        ELSE 0 END,
      CASE to_stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2 WHEN 'sql' THEN 3
        WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5 ELSE 0 END)) AS top
  FROM stage_history GROUP BY lead_id),
-- The imports that make rows: not undone, not every record rejected.
b AS (
  SELECT id, source, campaign, file, round(CAST(cost AS numeric), 2) AS cost
  FROM batch
  WHERE command = 'lead-import' AND undone_at IS NULL
    AND NOT (nread > 0 AND nrejected = nread)),
first_touch AS (
  SELECT source, campaign, count(*) AS new,
    count(*) FILTER (WHERE top >= 1) AS mql,
    count(*) FILTER (WHERE top >= 2) AS sal,
    count(*) FILTER (WHERE top >= 4) AS opportunity,
    count(*) FILTER (WHERE top >= 5) AS won,
    coalesce(sum(amount), 0) AS won_amount
  FROM (SELECT l.source, l.campaign,
      greatest(CASE l.stage WHEN 'mql' THEN 1 WHEN 'sal' THEN 2
        WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'won' THEN 5
        ELSE 0 END, coalesce(h.top, 0)) AS top,
      -- the amount of the touch of its (last) move to won
      CASE WHEN l.stage = 'won' THEN (SELECT round(CAST(a.amount AS numeric),
          2)
        FROM stage_history w JOIN activity a ON a.id = w.activity_id
        WHERE w.lead_id = l.id AND w.to_stage = 'won'
        ORDER BY w.id DESC LIMIT 1) END AS amount
    FROM lead l LEFT JOIN h ON h.lead_id = l.id) x
  GROUP BY source, campaign),
-- The leads of a row's batches whose first touch is another.
others AS (
  SELECT b.source, b.campaign, count(DISTINCT m.lead_id) AS n
  FROM batch_member m JOIN b ON b.id = m.batch_id
  JOIN lead l ON l.id = m.lead_id
  WHERE NOT (l.source IS NOT DISTINCT FROM b.source
    AND l.campaign IS NOT DISTINCT FROM b.campaign)
  GROUP BY b.source, b.campaign),
-- A campaign's spend paid once: the latest list of a file states its
-- cost, and a cost another of its lists states too is counted once.
spend AS (
  SELECT DISTINCT ON (source, campaign, coalesce(file, '#' || id))
    source, campaign, cost
  FROM b WHERE cost IS NOT NULL
  ORDER BY source, campaign, coalesce(file, '#' || id), id DESC),
-- Each row's figures gathered by GROUP BY, which takes NULL keys as one
-- (a join on IS NOT DISTINCT FROM cannot hash: a nested loop).
r AS (
  SELECT source, campaign, sum(new) + sum(others) AS leads, sum(new) AS new,
    sum(mql) AS mql, sum(sal) AS sal, sum(opportunity) AS opportunity,
    sum(won) AS won, sum(won_amount) AS won_amount, sum(DISTINCT cost) AS cost
  FROM (
    SELECT source, campaign, new, mql, sal, opportunity, won, won_amount,
      0 AS others, CAST(NULL AS numeric) AS cost FROM first_touch
    UNION ALL SELECT source, campaign, 0, 0, 0, 0, 0, 0, n, NULL FROM others
    UNION ALL SELECT source, campaign, 0, 0, 0, 0, 0, 0, 0, cost FROM spend
    UNION ALL SELECT source, campaign, 0, 0, 0, 0, 0, 0, 0, NULL FROM b) x
  GROUP BY source, campaign)
SELECT source, campaign, leads, new, mql, sal, opportunity, won,
  round(won_amount, 2) AS won_amount,
  round(cost, 2) AS cost,
  CASE WHEN leads > 0 THEN round(cost / leads, 2) END AS cost_per_lead,
  CASE WHEN mql > 0 THEN round(cost / mql, 2) END AS cost_per_mql,
  CASE WHEN won > 0 THEN round(cost / won, 2) END AS cost_per_won,
  CASE WHEN cost > 0 THEN round(100 * (won_amount - cost) / cost, 1)
    END AS roi_pct
FROM r
ORDER BY coalesce(source, '') = '', source, coalesce(campaign, '') = '',
  campaign;
COMMIT;
