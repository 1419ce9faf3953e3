-- bench-score-pg.sql: scripts/bench-score.sql for PostgreSQL, the anchor
-- of `scripts/bench-pg score`: the same scores, fits, grades and
-- promotions as
--     lead-score -r scripts/bench-rules.txt --now 2025-11-01T00:00:00Z
-- in one transaction, by hand:
--     psql -X -v ON_ERROR_STOP=1 URL -f scripts/bench-score-pg.sql
-- The SQLite file says how it mirrors lead-score.  Here, the engine's
-- words for the same: ~ for REGEXP; greatest() and least() for the
-- scalar max() and min(); rnd(), SQLite's round() (half away from zero:
-- a numeric's round(), where a double's rounds half to even) of
-- SQLite's total() (0, not NULL, over no rows); the epoch of a time by
-- extract(); the first number of company_size by a pattern (SQLite's
-- CAST reads it).

BEGIN;

CREATE FUNCTION pg_temp.rnd(x double precision) RETURNS numeric
  LANGUAGE sql IMMUTABLE AS 'SELECT round(CAST(coalesce(x, 0) AS numeric))';
CREATE FUNCTION pg_temp.rnd(x numeric) RETURNS numeric
  LANGUAGE sql IMMUTABLE AS 'SELECT round(coalesce(x, 0))';
-- Unix seconds, a double as lead-score's (power() of a numeric is not
-- pow()).
CREATE FUNCTION pg_temp.epoch(t text) RETURNS double precision
  LANGUAGE sql STABLE AS
  'SELECT CAST(extract(epoch FROM CAST(t AS timestamptz)) AS double precision)';

CREATE TEMP TABLE scored AS
WITH
-- The scoring time, in Unix seconds.
params(now) AS (SELECT pg_temp.epoch('2025-11-01T00:00:00Z')),

-- Per lead: the fit rules, read from the lead's fields, and the sums of
-- the behavior rules without a where clause, over the lead's touches of
-- their kinds no later than the scoring time (the index holds lead_id,
-- ts and kind).  A touch counts points x 0.5 ^ (age / half-life), age in
-- seconds, in hundredths x 10000 and rounded; each sum is rounded to
-- hundredths.  company_size reads the first number of the value
-- ("201-500" is 201): CAST does that here.  No lead of the benchmark has
-- a free-mail address; the list is lead_freemail()'s (common/text.c).
per_lead AS (
  SELECT l.id, l.stage,
      CASE WHEN lower(title) ~
        'director|vp|vice president|head|chief|founder' THEN 2000 ELSE 0 END
    + CASE WHEN instr(lower(title), 'manager') > 0 THEN 1000 ELSE 0 END
    + CASE WHEN lower(title) ~ 'intern|student|assistant'
        THEN -1000 ELSE 0 END
    + CASE WHEN CAST(substring(company_size FROM '^ *([0-9]+)') AS integer) >= 200 THEN 1500 ELSE 0 END
    + CASE WHEN CAST(substring(company_size FROM '^ *([0-9]+)') AS integer) >= 50
        AND CAST(substring(company_size FROM '^ *([0-9]+)') AS integer) < 200 THEN 500 ELSE 0 END
    + CASE WHEN lower(country) IN ('united states', 'canada',
        'united kingdom', 'germany') THEN 1000 ELSE 0 END
    + CASE WHEN lower(industry) IN ('software', 'financial services',
        'banking') THEN 500 ELSE 0 END
    + CASE WHEN substr(email, instr(email, '@') + 1) IN ('126.com',
        '139.com', '163.com', 'aim.com', 'alice.it', 'att.net',
        'bigpond.com', 'bk.ru', 'bluewin.ch', 'btinternet.com',
        'comcast.net', 'cox.net', 'daum.net', 'earthlink.net', 'email.com',
        'fastmail.com', 'fastmail.fm', 'free.fr', 'freenet.de', 'gmail.com',
        'googlemail.com', 'hanmail.net', 'hey.com', 'hushmail.com',
        'icloud.com', 'inbox.com', 'inbox.ru', 'interia.pl', 'laposte.net',
        'libero.it', 'list.ru', 'mac.com', 'mail.com', 'mail.ru', 'me.com',
        'msn.com', 'naver.com', 'o2.pl', 'onet.pl', 'orange.fr', 'pm.me',
        'proton.me', 'protonmail.ch', 'protonmail.com', 'qq.com',
        'rambler.ru', 'rediffmail.com', 'rocketmail.com', 'sbcglobal.net',
        'seznam.cz', 'sfr.fr', 'shaw.ca', 'sina.com', 'sky.com',
        't-online.de', 'tiscali.it', 'tuta.io', 'tutanota.com',
        'verizon.net', 'virgilio.it', 'wanadoo.fr', 'web.de', 'wp.pl',
        'ya.ru', 'yeah.net', 'ymail.com', 'zoho.com', 'zohomail.com')
        OR substr(email, instr(email, '@') + 1) ~ ('^(aol|gmx|hotmail|'
          || 'live|outlook|yahoo|yandex)\.[a-z]{2,3}(\.[a-z]{2,3})?$')
        THEN -2000 ELSE 0 END
    + CASE WHEN coalesce(phone, '') <> '' THEN 500 ELSE 0 END
    + CASE WHEN lower(source) IN ('webinar', 'referral', 'trade_show')
        THEN 500 ELSE 0 END AS fit,
    pg_temp.rnd(sum(CASE WHEN a.kind = 'webinar_attended' THEN
      pg_temp.rnd(2500 * 10000 * power(0.5, (p.now - pg_temp.epoch(a.ts))
        / (60 * 86400.0))) END) / 10000.0) AS webinar,
    pg_temp.rnd(sum(CASE WHEN a.kind = 'download' THEN
      pg_temp.rnd(1000 * 10000 * power(0.5, (p.now - pg_temp.epoch(a.ts))
        / (90 * 86400.0))) END) / 10000.0) AS download,
    pg_temp.rnd(sum(CASE WHEN a.kind = 'page_visit' THEN 100 END)) AS visit,
    pg_temp.rnd(sum(CASE WHEN a.kind = 'email_open' THEN
      pg_temp.rnd(200 * 10000 * power(0.5, (p.now - pg_temp.epoch(a.ts))
        / (30 * 86400.0))) END) / 10000.0) AS email_open,
    pg_temp.rnd(sum(CASE WHEN a.kind = 'email_click' THEN
      pg_temp.rnd(400 * 10000 * power(0.5, (p.now - pg_temp.epoch(a.ts))
        / (30 * 86400.0))) END) / 10000.0) AS email_click,
    pg_temp.rnd(sum(CASE WHEN a.kind = 'form_submit' THEN
      pg_temp.rnd(2000 * 10000 * power(0.5, (p.now - pg_temp.epoch(a.ts))
        / (90 * 86400.0))) END) / 10000.0) AS form,
    pg_temp.rnd(sum(CASE WHEN a.kind = 'meeting' THEN
      pg_temp.rnd(1000 * 10000 * power(0.5, (p.now - pg_temp.epoch(a.ts))
        / (120 * 86400.0))) END) / 10000.0) AS meeting,
    pg_temp.rnd(sum(CASE WHEN a.kind = 'call' THEN
      pg_temp.rnd(500 * 10000 * power(0.5, (p.now - pg_temp.epoch(a.ts))
        / (60 * 86400.0))) END) / 10000.0) AS call
  FROM lead AS l CROSS JOIN params AS p
    LEFT JOIN activity AS a ON a.lead_id = l.id
      AND a.kind IN ('webinar_attended', 'download', 'page_visit',
        'email_open', 'email_click', 'form_submit', 'meeting', 'call')
      AND a.ts <= '2025-11-01T00:00:00Z'
  WHERE l.forgotten_at IS NULL
  GROUP BY l.id
),

-- The two page_visit rules with a where clause on the note, from a scan
-- of the activity table.
per_lead_where AS (
  SELECT a.lead_id,
    pg_temp.rnd(sum(CASE WHEN instr(lower(a.note), '/pricing') > 0
      AND p.now - pg_temp.epoch(a.ts) <= 14 * 86400 THEN 1500 END)) AS pricing,
    pg_temp.rnd(sum(CASE WHEN instr(lower(a.note), '/demo') > 0 THEN
      pg_temp.rnd(500 * 10000 * power(0.5, (p.now - pg_temp.epoch(a.ts))
        / (30 * 86400.0))) END) / 10000.0) AS demo
  FROM activity AS a CROSS JOIN params AS p
  WHERE a.kind = 'page_visit' AND a.ts <= '2025-11-01T00:00:00Z'
    AND (instr(lower(a.note), '/pricing') > 0
      OR instr(lower(a.note), '/demo') > 0)
  GROUP BY a.lead_id
),

-- The caps (page_visit 20, email_open 10, email_click 20); score = fit +
-- behavior.
summed AS (
  SELECT l.id, l.stage, l.fit,
    l.fit + l.webinar + l.download + greatest(-2000, least(2000, l.visit))
    + coalesce(w.pricing, 0) + coalesce(w.demo, 0)
    + greatest(-1000, least(1000, l.email_open))
    + greatest(-2000, least(2000, l.email_click))
    + l.form + l.meeting + l.call AS score
  FROM per_lead AS l LEFT JOIN per_lead_where AS w ON w.lead_id = l.id
),

-- The grade is the band of fit.
graded AS (
  SELECT id, stage, fit, score,
    CASE WHEN fit >= 4000 THEN 'A' WHEN fit >= 2500 THEN 'B'
      WHEN fit >= 1000 THEN 'C' ELSE 'D' END AS grade
  FROM summed
)

-- mql: score >= 60 and grade in (A, B); only new and nurture leads move.
SELECT id, score, fit, grade,
  score >= 6000 AND grade IN ('A', 'B')
    AND stage IN ('new', 'nurture') AS promote
FROM graded;

-- Store what changed; promote.
UPDATE lead SET
  score = s.score / 100.0,
  fit = s.fit / 100.0,
  grade = s.grade,
  scored_at = '2025-11-01T00:00:00Z',
  stage = CASE WHEN s.promote THEN 'mql' ELSE lead.stage END,
  stage_at = CASE WHEN s.promote THEN '2025-11-01T00:00:00Z'
    ELSE lead.stage_at END,
  updated_at = CASE WHEN s.promote THEN '2025-11-01T00:00:00Z'
    ELSE lead.updated_at END
FROM scored AS s
WHERE lead.id = s.id
  AND (s.promote OR lead.score IS DISTINCT FROM s.score / 100.0
    OR lead.fit IS DISTINCT FROM s.fit / 100.0 OR lead.grade IS DISTINCT FROM s.grade);

COMMIT;
