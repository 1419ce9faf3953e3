-- bench-report-fatigue-pg.sql: scripts/bench-report-fatigue.sql for
-- PostgreSQL, the anchor of `scripts/bench-pg report`: what
--     lead-report fatigue --now 2025-11-01T06:00:00Z
-- prints, by hand, with the caps the benchmark stores (lead-log --cap
-- email=3/7d,call=2/7d,all=5/7d), in one transaction:
--     psql -X -q -v ON_ERROR_STOP=1 URL -f scripts/bench-report-fatigue-pg.sql
-- The SQLite file says how it mirrors lead-report.  Engine words: the
-- epoch of a time by extract() for unixepoch().
\pset format unaligned
\pset fieldsep '\t'
\pset footer off
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
WITH caps (ord, channel, max, secs, spec) AS (
  VALUES (1, 'email', 3, 7 * 86400, 'email=3/7d'),
    (2, 'call', 2, 7 * 86400, 'call=2/7d'),
    (3, 'all', 5, 7 * 86400, 'all=5/7d')),
-- MATERIALIZED: one scan of the touches, not one per cap.
touch AS MATERIALIZED (
  SELECT lead_id, ts, CASE kind WHEN 'email_sent' THEN 'email'
      WHEN 'call' THEN 'call' WHEN 'voicemail' THEN 'call'
      WHEN 'meeting' THEN 'meeting' WHEN 'sms' THEN 'sms'
      WHEN 'social_message' THEN 'social' WHEN 'direct_mail' THEN 'mail'
    END AS channel
  FROM activity
  WHERE ts > '2025-10-25T06:00:00Z' AND ts <= '2025-11-01T06:00:00Z'
    AND kind IN ('email_sent', 'call', 'voicemail', 'meeting', 'sms',
      'social_message', 'direct_mail')),
n AS (
  SELECT t.lead_id, c.ord, c.channel, c.max, c.spec, count(*) AS touches,
    max(t.ts) AS last_touch
  FROM touch t JOIN caps c ON (c.channel = 'all' OR c.channel = t.channel)
    AND extract(epoch FROM CAST(t.ts AS timestamptz))
      > extract(epoch FROM timestamptz '2025-11-01T06:00:00Z') - c.secs
  GROUP BY t.lead_id, c.ord, c.channel, c.max, c.spec)
SELECT l.email, n.channel, n.touches, n.spec AS cap,
  CASE WHEN n.touches > n.max THEN 'over' ELSE 'at' END AS status,
  n.last_touch,
  CASE WHEN l.dnc_email <> 0 AND l.dnc_phone <> 0 THEN 'email, phone'
    WHEN l.dnc_email <> 0 THEN 'email' WHEN l.dnc_phone <> 0 THEN 'phone'
    END AS dnc
FROM n JOIN lead l ON l.id = n.lead_id
WHERE n.touches >= n.max AND l.forgotten_at IS NULL
ORDER BY n.lead_id, n.ord;
COMMIT;
