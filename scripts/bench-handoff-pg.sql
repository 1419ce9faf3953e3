-- bench-handoff-pg.sql: scripts/bench-handoff.sql for PostgreSQL, the
-- anchor of `scripts/bench-pg handoff`: what
--     lead-handoff --now 2025-11-01T06:00:00Z assign --sla A=24h,B=72h,*=48h
-- does, by hand, set-based, in one transaction: every unowned MQL gets an
-- owner and one assignment row with its SLA due time, the reps' places in
-- the turns move on, and the hand-off sheet is printed (TSV):
--     psql -X -q -v ON_ERROR_STOP=1 URL -f scripts/bench-handoff-pg.sql
-- The SQLite file says how it routes and where that differs from
-- lead-handoff; this one routes the same way, step for step, and gives
-- the same owners on the same database.  Engine words: pg_temp for
-- SQLite's temp schema, and plain BEGIN for BEGIN IMMEDIATE (no PRAGMAs);
-- unnest(string_to_array()) to split a list, where SQLite needs a
-- recursive CTE; ARRAY[...] for json_each(); ~ for REGEXP; strpos() for
-- instr(); greatest() and least() for the scalar max() and min();
-- string_agg() for group_concat(); IS NOT DISTINCT FROM for IS;
-- generate_series() as a set-returning function in FROM (LATERAL) for
-- the shell's table-valued one; <> 0 for a flag as a truth value (the
-- columns are integers); to_char() of a timestamptz plus an interval for
-- strftime(); chr() for char(); the assignment ids given as the largest
-- plus a row number (the schema has no sequence: its default draws the
-- largest plus one a row, as SQLite's rowid does); ANALYZE of the bigger
-- temp tables, which autovacuum never sees; a function of pg_temp for
-- the TSV escapes; lower() for COLLATE NOCASE (text is in the "C"
-- collation: both fold ASCII alone); and the score as it is, a double
-- printing without a trailing '.0'.

BEGIN;

-- The clock and the SLA by grade, in seconds: A=24h,B=72h,*=48h.
CREATE TEMP TABLE param AS
SELECT text '2025-11-01T06:00:00Z' AS now, 86400 AS sla_a, 259200 AS sla_b,
  172800 AS sla_other;

-- A sheet's value as lead-handoff's TSV writes it: \\, \t, \n, \r.
CREATE FUNCTION pg_temp.tsv(x text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$SELECT replace(replace(replace(replace(x, '\', '\\'), chr(9), '\t'),
    chr(10), '\n'), chr(13), '\r')$$;

-- A name as a key: lower case, no spaces, dots, hyphens or apostrophes.
CREATE FUNCTION pg_temp.namekey(x text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$SELECT replace(replace(replace(replace(lower(x), ' ', ''), '.', ''),
    '-', ''), '''', '')$$;

-- The countries leadkit knows (common/geo.c): code, region, names.
CREATE TEMP TABLE country (code text, region text, names text);
INSERT INTO pg_temp.country VALUES
  ('US', 'NA', 'united states|usa|us|united states of america|'
    || 'america|vereinigte staaten|etats unis|états unis|'
    || 'estados unidos'),
  ('CA', 'NA', 'canada|kanada'),
  ('MX', 'LATAM', 'mexico|méxico|mexiko'),
  ('BR', 'LATAM', 'brazil|brasil|brasilien'),
  ('AR', 'LATAM', 'argentina|argentinien'),
  ('CL', 'LATAM', 'chile'),
  ('CO', 'LATAM', 'colombia|kolumbien'),
  ('PE', 'LATAM', 'peru|perú'),
  ('GB', 'EMEA', 'united kingdom|uk|gb|great britain|britain|england|'
    || 'scotland|wales|northern ireland|'
    || 'vereinigtes königreich|grossbritannien|'
    || 'großbritannien|royaume uni|reino unido'),
  ('IE', 'EMEA', 'ireland|irland|éire|eire'),
  ('DE', 'EMEA', 'germany|deutschland|allemagne|alemania|germania'),
  ('AT', 'EMEA', 'austria|österreich|oesterreich|autriche'),
  ('CH', 'EMEA', 'switzerland|schweiz|suisse|svizzera|suiza'),
  ('FR', 'EMEA', 'france|frankreich|francia'),
  ('BE', 'EMEA', 'belgium|belgien|belgique|belgië|belgie'),
  ('NL', 'EMEA', 'netherlands|the netherlands|holland|nederland|'
    || 'niederlande|pays bas|países bajos'),
  ('LU', 'EMEA', 'luxembourg|luxemburg'),
  ('IT', 'EMEA', 'italy|italia|italien|italie'),
  ('ES', 'EMEA', 'spain|españa|espana|spanien|espagne'),
  ('PT', 'EMEA', 'portugal'),
  ('DK', 'EMEA', 'denmark|danmark|dänemark|daenemark|danemark'),
  ('SE', 'EMEA', 'sweden|sverige|schweden|suède'),
  ('NO', 'EMEA', 'norway|norge|norwegen|norvège'),
  ('FI', 'EMEA', 'finland|suomi|finnland'),
  ('IS', 'EMEA', 'iceland|ísland|island'),
  ('PL', 'EMEA', 'poland|polska|polen|pologne'),
  ('CZ', 'EMEA', 'czech republic|czechia|česko|cesko|tschechien'),
  ('SK', 'EMEA', 'slovakia|slovensko|slowakei'),
  ('HU', 'EMEA', 'hungary|magyarország|ungarn'),
  ('RO', 'EMEA', 'romania|românia|rumänien'),
  ('BG', 'EMEA', 'bulgaria|българия|bulgarien'),
  ('GR', 'EMEA', 'greece|ελλάδα|griechenland|grèce'),
  ('HR', 'EMEA', 'croatia|hrvatska|kroatien'),
  ('SI', 'EMEA', 'slovenia|slovenija|slowenien'),
  ('RS', 'EMEA', 'serbia|србија|serbien'),
  ('EE', 'EMEA', 'estonia|eesti|estland'),
  ('LV', 'EMEA', 'latvia|latvija|lettland'),
  ('LT', 'EMEA', 'lithuania|lietuva|litauen'),
  ('UA', 'EMEA', 'ukraine|україна'),
  ('TR', 'EMEA', 'turkey|türkiye|turkiye|türkei'),
  ('IL', 'EMEA', 'israel'),
  ('AE', 'EMEA', 'united arab emirates|uae|emirates|'
    || 'vereinigte arabische emirate'),
  ('SA', 'EMEA', 'saudi arabia|saudi-arabien'),
  ('QA', 'EMEA', 'qatar|katar'),
  ('EG', 'EMEA', 'egypt|ägypten'),
  ('MA', 'EMEA', 'morocco|maroc|marokko'),
  ('NG', 'EMEA', 'nigeria'),
  ('KE', 'EMEA', 'kenya|kenia'),
  ('ZA', 'EMEA', 'south africa|südafrika|suedafrika'),
  ('IN', 'APAC', 'india|indien|bharat'),
  ('CN', 'APAC', 'china|中国|prc|people''s republic of china'),
  ('HK', 'APAC', 'hong kong|hongkong'),
  ('TW', 'APAC', 'taiwan'),
  ('JP', 'APAC', 'japan|日本|nippon'),
  ('KR', 'APAC', 'south korea|korea|republic of korea|대한민국|südkorea'),
  ('SG', 'APAC', 'singapore|singapur'),
  ('MY', 'APAC', 'malaysia'),
  ('TH', 'APAC', 'thailand'),
  ('VN', 'APAC', 'vietnam|viet nam'),
  ('ID', 'APAC', 'indonesia|indonesien'),
  ('PH', 'APAC', 'philippines|philippinen'),
  ('AU', 'APAC', 'australia|australien'),
  ('NZ', 'APAC', 'new zealand|aotearoa|neuseeland'),
  ('PK', 'APAC', 'pakistan'),
  ('BD', 'APAC', 'bangladesh|bangladesch'),
  ('RU', 'EMEA', 'russia|russian federation|россия|russland');

-- Every name of every country, and its code, as a key.
CREATE TEMP TABLE cname AS
SELECT DISTINCT pg_temp.namekey(n) AS k, code
FROM pg_temp.country, unnest(string_to_array(names, '|')) AS n
UNION SELECT lower(code), code FROM pg_temp.country;

-- The groups a territory may name, and the regions.
CREATE TEMP TABLE grp (k text, code text);
INSERT INTO pg_temp.grp SELECT 'dach', unnest(ARRAY['DE', 'AT', 'CH']);
INSERT INTO pg_temp.grp SELECT 'benelux', unnest(ARRAY['BE', 'NL', 'LU']);
INSERT INTO pg_temp.grp SELECT 'nordics',
  unnest(ARRAY['DK', 'SE', 'NO', 'FI', 'IS']);
INSERT INTO pg_temp.grp SELECT 'anz', unnest(ARRAY['AU', 'NZ']);
INSERT INTO pg_temp.grp SELECT 'uki', unnest(ARRAY['GB', 'IE']);
INSERT INTO pg_temp.grp SELECT 'americas',
  unnest(ARRAY['US', 'CA', 'MX', 'BR', 'AR', 'CL', 'CO', 'PE']);
INSERT INTO pg_temp.grp SELECT 'europe',
  unnest(ARRAY['GB', 'IE', 'DE', 'AT', 'CH', 'FR', 'BE', 'NL', 'LU', 'IT',
    'ES', 'PT', 'DK', 'SE', 'NO', 'FI', 'IS', 'PL', 'CZ', 'SK', 'HU', 'RO',
    'BG', 'GR', 'HR', 'SI', 'RS', 'EE', 'LV', 'LT', 'UA']);
INSERT INTO pg_temp.grp SELECT lower(region), code FROM pg_temp.country;

-- The active reps: room is how many more open leads they can take (0
-- when unavailable; a blank capacity is no limit).
CREATE TEMP TABLE team AS
SELECT r.id, r.name, r.weight, r.rr_pass AS pass0,
  CASE WHEN r.available = 0 THEN 0
    WHEN r.capacity IS NULL OR r.capacity = 0 THEN 1000000000
    ELSE greatest(r.capacity - (SELECT count(*) FROM lead l
      WHERE l.owner_id = r.id
        AND l.stage IN ('mql', 'sal', 'sql', 'opportunity')), 0) END AS room
FROM rep r WHERE r.active <> 0;

-- Their territory entries (stored joined by ', '), as keys.
CREATE TEMP TABLE entry AS
SELECT r.id AS rep_id, pg_temp.namekey(trim(e)) AS k
FROM rep r, unnest(string_to_array(r.territory, ',')) AS e
WHERE r.active <> 0 AND coalesce(r.territory, '') <> '' AND trim(e) <> '';

-- Generalists: a blank territory, or '*' among the entries.
CREATE TEMP TABLE generalist AS
SELECT id AS rep_id FROM pg_temp.team
WHERE id NOT IN (SELECT rep_id FROM pg_temp.entry)
  OR id IN (SELECT rep_id FROM pg_temp.entry WHERE k = '*');

-- The countries each territory rep covers: a country by any name or its
-- code, a region, a group.
CREATE TEMP TABLE ecode AS
SELECT e.rep_id, e.k, c.code FROM pg_temp.entry e
JOIN pg_temp.cname c ON c.k = e.k
WHERE e.rep_id NOT IN (SELECT rep_id FROM pg_temp.generalist)
UNION
SELECT e.rep_id, e.k, g.code FROM pg_temp.entry e
JOIN pg_temp.grp g ON g.k = e.k
WHERE e.rep_id NOT IN (SELECT rep_id FROM pg_temp.generalist);

-- The leads to hand over: the unowned MQLs, best score first, with their
-- company domain (free mail is no company: lead_freemail's list).
CREATE TEMP TABLE todo AS
SELECT row_number() OVER (ORDER BY score DESC, id) AS n, id, grade, score,
  country, region, dnc,
  CASE WHEN d = '' OR d IN ('126.com', '139.com', '163.com', 'aim.com',
      'alice.it', 'att.net', 'bigpond.com', 'bk.ru', 'bluewin.ch',
      'btinternet.com', 'comcast.net', 'cox.net', 'daum.net',
      'earthlink.net', 'email.com', 'fastmail.com', 'fastmail.fm',
      'free.fr', 'freenet.de', 'gmail.com', 'googlemail.com', 'hanmail.net',
      'hey.com', 'hushmail.com', 'icloud.com', 'inbox.com', 'inbox.ru',
      'interia.pl', 'laposte.net', 'libero.it', 'list.ru', 'mac.com',
      'mail.com', 'mail.ru', 'me.com', 'msn.com', 'naver.com', 'o2.pl',
      'onet.pl', 'orange.fr', 'pm.me', 'proton.me', 'protonmail.ch',
      'protonmail.com', 'qq.com', 'rambler.ru', 'rediffmail.com',
      'rocketmail.com', 'sbcglobal.net', 'seznam.cz', 'sfr.fr', 'shaw.ca',
      'sina.com', 'sky.com', 't-online.de', 'tiscali.it', 'tuta.io',
      'tutanota.com', 'verizon.net', 'virgilio.it', 'wanadoo.fr', 'web.de',
      'wp.pl', 'ya.ru', 'yeah.net', 'ymail.com', 'zoho.com', 'zohomail.com')
    OR d ~ '^(aol|gmx|hotmail|live|outlook|yahoo|yandex)\.[a-z]{2,3}(\.[a-z]{2,3})?$'
    THEN NULL ELSE d END AS dom
FROM (SELECT id, grade, score, country, region,
    dnc_email <> 0 OR dnc_phone <> 0 AS dnc,
    lower(coalesce(nullif(domain, ''), substr(email, strpos(email, '@') + 1)))
      AS d
  FROM lead WHERE stage = 'mql' AND owner_id IS NULL AND forgotten_at IS NULL)
  x;
ANALYZE pg_temp.todo;

-- Step 1: the domains an active rep owns already (the first owned lead
-- of the domain, by id; an erased lead, without an address, has none).
CREATE TEMP TABLE owned AS
SELECT d AS dom, owner_id AS rep_id FROM (
  SELECT lower(coalesce(nullif(domain, ''), substr(email, strpos(email, '@')
      + 1))) AS d, owner_id,
    row_number() OVER (PARTITION BY lower(coalesce(nullif(domain, ''),
      substr(email, strpos(email, '@') + 1))) ORDER BY id) AS rn
  FROM lead WHERE owner_id IS NOT NULL
    AND stage NOT IN ('lost', 'disqualified', 'nurture')) x
WHERE rn = 1 AND d IS NOT NULL
  AND owner_id IN (SELECT id FROM pg_temp.team);

-- The leads still to route: the first of each domain leads it.
CREATE TEMP TABLE open_todo AS
SELECT t.*, t.dom IS NULL OR row_number() OVER (PARTITION BY t.dom
    ORDER BY t.n) = 1 AS head
FROM pg_temp.todo t
WHERE NOT t.dnc
  AND (t.dom IS NULL OR t.dom NOT IN (SELECT dom FROM pg_temp.owned));
ANALYZE pg_temp.open_todo;

-- Where each first lead is: its country's code if leadkit knows it, and
-- the territory reps with room who cover it (its region column, its
-- country, the country's region or group, or its unknown country as
-- written).
CREATE TEMP TABLE loc AS
SELECT o.country, o.region,
  (SELECT c.code FROM pg_temp.cname c WHERE c.k = pg_temp.namekey(o.country))
    AS code
FROM (SELECT DISTINCT country, region FROM pg_temp.open_todo WHERE head) o;

CREATE TEMP TABLE loc_rep AS
SELECT l.country, l.region, t.id AS rep_id
FROM pg_temp.loc l CROSS JOIN pg_temp.team t
WHERE t.room > 0 AND t.id NOT IN (SELECT rep_id FROM pg_temp.generalist)
  AND (EXISTS (SELECT 1 FROM pg_temp.ecode e WHERE e.rep_id = t.id
      AND e.code = l.code)
    OR EXISTS (SELECT 1 FROM pg_temp.entry e WHERE e.rep_id = t.id
      AND (e.k = pg_temp.namekey(l.region)
        OR (l.code IS NULL AND e.k = pg_temp.namekey(l.country)))));

-- A territory group: the reps who cover a place, as a list of their ids.
CREATE TEMP TABLE loc_pool AS
SELECT country, region, string_agg(CAST(rep_id AS text), ' ' ORDER BY rep_id)
  AS pool
FROM pg_temp.loc_rep GROUP BY country, region;

-- Step 2: the first leads by group, best first, and each group's slots.
CREATE TEMP TABLE head_rank AS
SELECT o.n, o.id, lp.pool,
  row_number() OVER (PARTITION BY lp.pool ORDER BY o.n) AS k
FROM pg_temp.open_todo o JOIN pg_temp.loc_pool lp
  ON lp.country IS NOT DISTINCT FROM o.country
    AND lp.region IS NOT DISTINCT FROM o.region
WHERE o.head;
ANALYZE pg_temp.head_rank;

CREATE TEMP TABLE slot AS
SELECT p.pool, t.id AS rep_id,
  row_number() OVER (PARTITION BY p.pool
    ORDER BY t.pass0 + (g.j - 1) / t.weight, t.id) AS k
FROM (SELECT pool, count(*) AS nlead FROM pg_temp.head_rank GROUP BY pool) p
JOIN (SELECT DISTINCT lp.pool, lr.rep_id FROM pg_temp.loc_pool lp
    JOIN pg_temp.loc_rep lr ON lr.country IS NOT DISTINCT FROM lp.country
      AND lr.region IS NOT DISTINCT FROM lp.region) pr ON pr.pool = p.pool
JOIN pg_temp.team t ON t.id = pr.rep_id
CROSS JOIN LATERAL generate_series(1, least(t.room, p.nlead)) AS g(j);
ANALYZE pg_temp.slot;

CREATE TEMP TABLE route (id bigint PRIMARY KEY, rep_id bigint, why text);
INSERT INTO pg_temp.route
SELECT h.id, s.rep_id, 'territory ' || CASE WHEN coalesce(o.country, '') <> ''
    THEN o.country ELSE o.region END || ', next in turn'
FROM pg_temp.head_rank h JOIN pg_temp.slot s ON s.pool = h.pool AND s.k = h.k
JOIN pg_temp.open_todo o ON o.id = h.id;

-- Step 3: the first leads left over go to the generalists.
CREATE TEMP TABLE gen_rank AS
SELECT id, row_number() OVER (ORDER BY n) AS k
FROM pg_temp.open_todo WHERE head AND id NOT IN (SELECT id FROM pg_temp.route);

INSERT INTO pg_temp.route
SELECT g.id, s.rep_id, 'next in turn'
FROM pg_temp.gen_rank g JOIN (
  SELECT t.id AS rep_id,
    row_number() OVER (ORDER BY t.pass0 + (s.j - 1) / t.weight, t.id) AS k
  FROM pg_temp.team t CROSS JOIN LATERAL generate_series(1, least(t.room,
    (SELECT count(*) FROM pg_temp.gen_rank))) AS s(j)
  WHERE t.room > 0 AND t.id IN (SELECT rep_id FROM pg_temp.generalist)) s
  ON s.k = g.k;
ANALYZE pg_temp.route;

-- Steps 1 and 4: by account, to the rep who owns the domain already, or
-- to the rep its first lead went to.
CREATE TEMP TABLE dom_rep AS
SELECT dom, rep_id FROM pg_temp.owned
UNION ALL
SELECT o.dom, r.rep_id FROM pg_temp.open_todo o
JOIN pg_temp.route r ON r.id = o.id
WHERE o.head AND o.dom IS NOT NULL;

CREATE TEMP TABLE routed AS
SELECT t.n, t.id, t.grade, r.rep_id, r.why FROM pg_temp.todo t
JOIN pg_temp.route r ON r.id = t.id
UNION ALL
SELECT t.n, t.id, t.grade, d.rep_id, 'account: ' || tm.name || ' owns '
  || t.dom
FROM pg_temp.todo t JOIN pg_temp.dom_rep d ON d.dom = t.dom
JOIN pg_temp.team tm ON tm.id = d.rep_id
WHERE NOT t.dnc AND t.id NOT IN (SELECT id FROM pg_temp.route);

-- Step 5: each rep keeps the best leads that fit their room; the SLA.
CREATE TEMP TABLE handed (lead_id bigint PRIMARY KEY, rep_id bigint,
  due text, reason text, n bigint);
INSERT INTO pg_temp.handed
SELECT r.id, r.rep_id, to_char(CAST(p.now AS timestamptz) AT TIME ZONE 'UTC'
    + CASE upper(r.grade) WHEN 'A' THEN p.sla_a WHEN 'B' THEN p.sla_b
      ELSE p.sla_other END * interval '1 second',
    'YYYY-MM-DD"T"HH24:MI:SS"Z"'), r.why, r.n
FROM (SELECT routed.*, row_number() OVER (PARTITION BY rep_id ORDER BY n)
    AS k FROM pg_temp.routed) r
JOIN pg_temp.team t ON t.id = r.rep_id CROSS JOIN pg_temp.param p
WHERE r.k <= t.room;
ANALYZE pg_temp.handed;

-- The handed leads' past with sales, for the sheet: each time one came
-- back to nurture from a sales stage (not by lead-score), the latest
-- first -- how (the assignment that ended then: rejected, recycled, else
-- nurtured), when, by whom (that assignment's rep, else who moved it),
-- why.
CREATE TEMP TABLE back AS
SELECT h.lead_id, row_number() OVER (PARTITION BY h.lead_id
    ORDER BY h.id DESC) AS k,
  CASE (SELECT a.end_reason FROM assignment a WHERE a.lead_id = h.lead_id
      AND a.ended_at = h.at ORDER BY a.id DESC LIMIT 1)
    WHEN 'rejected' THEN 'rejected' WHEN 'recycled' THEN 'recycled'
    ELSE 'nurtured' END || ' ' || substr(h.at, 1, 10)
  || coalesce(' by ' || nullif(coalesce((SELECT r.name FROM assignment a
      JOIN rep r ON r.id = a.rep_id WHERE a.lead_id = h.lead_id
      AND a.ended_at = h.at ORDER BY a.id DESC LIMIT 1), h.actor), ''), '')
  || coalesce(': ' || nullif(h.reason, ''), '') AS x
FROM stage_history h JOIN pg_temp.handed t ON t.lead_id = h.lead_id
WHERE h.to_stage = 'nurture' AND h.from_stage IN ('mql', 'sal', 'sql',
    'opportunity', 'lost', 'disqualified')
  AND h.actor IS DISTINCT FROM 'lead-score';
CREATE INDEX back_lead ON pg_temp.back (lead_id, k);

-- The hand-offs: owner, assignment (in the order lead-handoff writes
-- them), the reps' places in the turns.
UPDATE lead SET owner_id = h.rep_id, updated_at = p.now
FROM pg_temp.handed h, pg_temp.param p WHERE lead.id = h.lead_id;

INSERT INTO assignment (id, lead_id, rep_id, at, due, reason, actor)
SELECT (SELECT coalesce(max(id), 0) FROM assignment)
    + row_number() OVER (ORDER BY h.n),
  h.lead_id, h.rep_id, p.now, h.due, h.reason, 'lead-handoff'
FROM pg_temp.handed h, pg_temp.param p ORDER BY h.n;

UPDATE rep SET rr_pass = rr_pass + c.nlead * (1.0 / rep.weight)
FROM (SELECT rep_id, count(*) AS nlead FROM pg_temp.handed GROUP BY rep_id) c
WHERE rep.id = c.rep_id;

-- The sheet: lead-handoff's columns and rows, by rep, best score first;
-- no reasons.
\pset format unaligned
\pset fieldsep '\t'
\pset footer off
WITH sheet AS (
SELECT r.name AS rep, r.email AS rep_email, h.due,
  coalesce(l.email, 'id:' || l.id) AS email,
  trim(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, ''))
    AS name,
  l.company, l.title, l.phone, l.country, l.source AS first_source,
  l.campaign AS first_campaign, b.source AS last_source,
  b.campaign AS last_campaign, l.score, l.grade, NULL AS reasons,
  (SELECT string_agg(x, '; ') FROM (SELECT substr(a.ts, 1, 10) || ' '
      || a.kind || coalesce(' ' || coalesce(a.content, a.note), '') AS x
    FROM activity a WHERE a.lead_id = l.id
    ORDER BY a.ts DESC, a.kind DESC, a.fp DESC LIMIT 3) t)
    AS last_touches,
  h.reason AS why,
  CASE WHEN l.dnc_email <> 0 AND l.dnc_phone <> 0 THEN 'email, phone'
    WHEN l.dnc_email <> 0 THEN 'email' WHEN l.dnc_phone <> 0 THEN 'phone'
    END AS dnc,
  (SELECT string_agg(x, '; ' ORDER BY k.k) FROM pg_temp.back k
      WHERE k.lead_id = l.id AND k.k <= 3)
    || CASE WHEN EXISTS (SELECT 1 FROM pg_temp.back k WHERE k.lead_id = l.id
        AND k.k = 4) THEN '; and earlier' ELSE '' END
    || coalesce(' (rejected ' || nullif(nullif((SELECT count(*)
        FROM assignment a WHERE a.lead_id = l.id
        AND a.rejected_at IS NOT NULL), 0), 1) || ' times)', '')
    AS history,
  (SELECT string_agg(p.next_step || coalesce(' (due ' || substr(p.due, 1, 10)
      || ')', ''), '; ' ORDER BY p.at, p.activity_id) FROM promise p
    WHERE p.lead_id = l.id) AS promises,
  l.id
FROM pg_temp.handed h JOIN lead l ON l.id = h.lead_id
JOIN rep r ON r.id = h.rep_id LEFT JOIN batch b ON b.id = l.last_batch)
SELECT pg_temp.tsv(rep) AS rep, pg_temp.tsv(rep_email) AS rep_email, due,
  pg_temp.tsv(email) AS email, pg_temp.tsv(name) AS name,
  pg_temp.tsv(company) AS company, pg_temp.tsv(title) AS title,
  pg_temp.tsv(phone) AS phone, pg_temp.tsv(country) AS country,
  pg_temp.tsv(first_source) AS first_source,
  pg_temp.tsv(first_campaign) AS first_campaign,
  pg_temp.tsv(last_source) AS last_source,
  pg_temp.tsv(last_campaign) AS last_campaign, score,
  pg_temp.tsv(grade) AS grade, reasons,
  pg_temp.tsv(last_touches) AS last_touches, pg_temp.tsv(why) AS why,
  pg_temp.tsv(dnc) AS dnc, pg_temp.tsv(history) AS history,
  pg_temp.tsv(promises) AS promises
FROM sheet ORDER BY lower(rep), score DESC, id;

COMMIT;
