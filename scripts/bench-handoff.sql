-- The hand-written SQL counterpart of
--     lead-handoff --now 2025-11-01T06:00:00Z assign --sla A=24h,B=72h,*=48h
-- for the stock sqlite3 shell (3.33 or later: UPDATE ... FROM, and the
-- shell's generate_series):
--     sqlite3 -bail DB '.read scripts/bench-handoff.sql'
-- It is the anchor of `scripts/bench handoff` (BENCHMARKS.md): every
-- unowned MQL gets an owner and one assignment row with its SLA due time,
-- the reps' places in the turns move on, and the hand-off sheet is
-- printed (TSV), in one transaction.  The time and the SLA are written
-- below (temp.param); scripts/bench gives lead-handoff the same.
--
-- The routing is lead-handoff's (lead-handoff(1), ROUTING), set-based:
--   1. a lead whose company domain (its domain, else its email's; never a
--      free-mail one) an active rep owns already -- a lead not in nurture,
--      lost or disqualified -- goes to that rep;
--   2. else the first lead of each domain, best score first, goes to the
--      territory reps who cover it, by weighted turns: rep r's j-th lead
--      comes at the place rr_pass + (j - 1) / weight, slots are made up to
--      the rep's room (capacity less the open leads they own), the slots
--      of the reps that cover the same countries are numbered by (place,
--      rep id), and the k-th lead of those countries, best score first,
--      takes the k-th slot: lead-handoff's order, as long as nothing else
--      moves the reps on;
--   3. the first leads no territory rep covers, or that find no slot left,
--      go to the generalists (blank territory, or '*') the same way;
--   4. the other leads of a domain follow its first lead to that rep
--      ("account: REP owns DOMAIN");
--   5. a rep who would get more leads than their room keeps the best ones;
--      the rest are held back, as lead-handoff holds back a lead whose
--      account owner is at capacity.
-- Where it differs from lead-handoff, which hands out the leads one at a
-- time: (a) a lead a rep gets by account does not move the rep on in the
-- turns (in lead-handoff it does, so a rep with big accounts gets fewer
-- new ones); (b) a rep's room is counted at step 5, after the turns, so a
-- first lead may take a slot and then be held back when the rep's account
-- leads fill the room (lead-handoff would have given it to the next rep);
-- (c) when the first lead of a domain is held back, the others are too
-- (lead-handoff tries the next one as a new first lead); (d) all the
-- reps who cover a place take turns there as one group: lead-handoff
-- prefers those who cover it most closely (a country, then a group such
-- as 'DACH', then a region such as 'EMEA'), and with territories that
-- overlap a rep's turns in each group would be counted apart here -- the
-- benchmark's team has no overlaps, so neither matters; (e)
-- names are compared lower-cased without spaces, dots, hyphens and
-- apostrophes (lead-handoff ignores all ASCII punctuation, and folds
-- accented capitals); (f) ties in the places are broken by the exact
-- fractions (j - 1) / weight, lead-handoff's by its running sums.
-- Do-not-contact leads are held back, as lead-handoff does without
-- --force.  The sheet has lead-handoff's columns and rows, escaped as
-- its TSV is, but no reasons (the top three scoring rules of each lead
-- need the rules engine: lead-handoff scores the handed leads again).
-- Its history column is each time the lead came back from sales to
-- nurture (not by lead-score), the latest three first; its promises,
-- the promise view's open next steps, by time, then activity id, as
-- lead-handoff orders them.

PRAGMA foreign_keys = ON;               -- lead-handoff's settings
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -65536;
BEGIN IMMEDIATE;

-- The clock and the SLA by grade, in seconds: A=24h,B=72h,*=48h.
CREATE TEMP TABLE param AS
SELECT '2025-11-01T06:00:00Z' AS now, 86400 AS sla_a, 259200 AS sla_b,
  172800 AS sla_other;

-- The countries leadkit knows (common/geo.c): code, region, names.
CREATE TEMP TABLE country (code TEXT, region TEXT, names TEXT);
INSERT INTO temp.country VALUES
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

-- Every name of every country, and its code, as a key: lower case, no
-- spaces, dots, hyphens or apostrophes.
CREATE TEMP TABLE cname AS
WITH RECURSIVE s(code, name, rest) AS (
  SELECT code, NULL, names || '|' FROM temp.country
  UNION ALL
  SELECT code, substr(rest, 1, instr(rest, '|') - 1),
    substr(rest, instr(rest, '|') + 1) FROM s WHERE rest <> '')
SELECT DISTINCT replace(replace(replace(replace(name, ' ', ''), '.', ''),
  '-', ''), '''', '') AS k, code
FROM s WHERE name IS NOT NULL
UNION SELECT lower(code), code FROM temp.country;

-- The groups a territory may name, and the regions.
CREATE TEMP TABLE grp (k TEXT, code TEXT);
INSERT INTO temp.grp SELECT 'dach', value FROM json_each('["DE","AT","CH"]');
INSERT INTO temp.grp SELECT 'benelux', value FROM json_each('["BE","NL","LU"]');
INSERT INTO temp.grp SELECT 'nordics', value
  FROM json_each('["DK","SE","NO","FI","IS"]');
INSERT INTO temp.grp SELECT 'anz', value FROM json_each('["AU","NZ"]');
INSERT INTO temp.grp SELECT 'uki', value FROM json_each('["GB","IE"]');
INSERT INTO temp.grp SELECT 'americas', value
  FROM json_each('["US","CA","MX","BR","AR","CL","CO","PE"]');
INSERT INTO temp.grp SELECT 'europe', value
  FROM json_each('["GB","IE","DE","AT","CH","FR","BE","NL","LU","IT","ES",'
    || '"PT","DK","SE","NO","FI","IS","PL","CZ","SK","HU","RO","BG","GR",'
    || '"HR","SI","RS","EE","LV","LT","UA"]');
INSERT INTO temp.grp SELECT lower(region), code FROM temp.country;

-- The active reps: room is how many more open leads they can take (0
-- when unavailable; a blank capacity is no limit).
CREATE TEMP TABLE team AS
SELECT r.id, r.name, r.weight, r.rr_pass AS pass0,
  CASE WHEN NOT r.available THEN 0
    WHEN r.capacity IS NULL OR r.capacity = 0 THEN 1000000000
    ELSE max(r.capacity - (SELECT count(*) FROM lead l WHERE l.owner_id = r.id
      AND l.stage IN ('mql', 'sal', 'sql', 'opportunity')), 0) END AS room
FROM rep r WHERE r.active;

-- Their territory entries (stored joined by ', '), as keys.
CREATE TEMP TABLE entry AS
WITH RECURSIVE s(rep_id, e, rest) AS (
  SELECT id, NULL, territory || ',' FROM rep
  WHERE active AND coalesce(territory, '') <> ''
  UNION ALL
  SELECT rep_id, trim(substr(rest, 1, instr(rest, ',') - 1)),
    substr(rest, instr(rest, ',') + 1) FROM s WHERE rest <> '')
SELECT rep_id, replace(replace(replace(replace(lower(e), ' ', ''), '.', ''),
  '-', ''), '''', '') AS k
FROM s WHERE e IS NOT NULL AND e <> '';

-- Generalists: a blank territory, or '*' among the entries.
CREATE TEMP TABLE generalist AS
SELECT id AS rep_id FROM temp.team
WHERE id NOT IN (SELECT rep_id FROM temp.entry)
  OR id IN (SELECT rep_id FROM temp.entry WHERE k = '*');

-- The countries each territory rep covers: a country by any name or its
-- code, a region, a group.
CREATE TEMP TABLE ecode AS
SELECT e.rep_id, e.k, c.code FROM temp.entry e JOIN temp.cname c ON c.k = e.k
WHERE e.rep_id NOT IN (SELECT rep_id FROM temp.generalist)
UNION
SELECT e.rep_id, e.k, g.code FROM temp.entry e JOIN temp.grp g ON g.k = e.k
WHERE e.rep_id NOT IN (SELECT rep_id FROM temp.generalist);

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
    OR d REGEXP '^(aol|gmx|hotmail|live|outlook|yahoo|yandex)\.[a-z]{2,3}'
      || '(\.[a-z]{2,3})?$'
    THEN NULL ELSE d END AS dom
FROM (SELECT id, grade, score, country, region,
    dnc_email OR dnc_phone AS dnc,
    lower(coalesce(nullif(domain, ''), substr(email, instr(email, '@') + 1)))
      AS d
  FROM lead WHERE stage = 'mql' AND owner_id IS NULL AND forgotten_at IS NULL);

-- Step 1: the domains an active rep owns already (the first owned lead
-- of the domain, by id; an erased lead, without an address, has none).
CREATE TEMP TABLE owned AS
SELECT d AS dom, owner_id AS rep_id FROM (
  SELECT lower(coalesce(nullif(domain, ''), substr(email, instr(email, '@')
      + 1))) AS d, owner_id,
    row_number() OVER (PARTITION BY lower(coalesce(nullif(domain, ''),
      substr(email, instr(email, '@') + 1))) ORDER BY id) AS rn
  FROM lead WHERE owner_id IS NOT NULL
    AND stage NOT IN ('lost', 'disqualified', 'nurture'))
WHERE rn = 1 AND d IS NOT NULL
  AND owner_id IN (SELECT id FROM temp.team);

-- The leads still to route: the first of each domain leads it.
CREATE TEMP TABLE open_todo AS
SELECT t.*, t.dom IS NULL OR row_number() OVER (PARTITION BY t.dom
    ORDER BY t.n) = 1 AS head
FROM temp.todo t
WHERE NOT t.dnc AND (t.dom IS NULL OR t.dom NOT IN (SELECT dom FROM temp.owned));

-- Where each first lead is: its country's code if leadkit knows it, and
-- the territory reps with room who cover it (its region column, its
-- country, the country's region or group, or its unknown country as
-- written).
CREATE TEMP TABLE loc AS
SELECT o.country, o.region,
  (SELECT c.code FROM temp.cname c WHERE c.k = replace(replace(replace(
    replace(lower(o.country), ' ', ''), '.', ''), '-', ''), '''', ''))
    AS code
FROM (SELECT DISTINCT country, region FROM temp.open_todo WHERE head) o;

CREATE TEMP TABLE loc_rep AS
SELECT l.country, l.region, t.id AS rep_id
FROM temp.loc l JOIN temp.team t
WHERE t.room > 0 AND t.id NOT IN (SELECT rep_id FROM temp.generalist)
  AND (EXISTS (SELECT 1 FROM temp.ecode e WHERE e.rep_id = t.id
      AND e.code = l.code)
    OR EXISTS (SELECT 1 FROM temp.entry e WHERE e.rep_id = t.id
      AND (e.k = replace(replace(replace(replace(lower(l.region), ' ', ''),
          '.', ''), '-', ''), '''', '')
        OR (l.code IS NULL AND e.k = replace(replace(replace(replace(
          lower(l.country), ' ', ''), '.', ''), '-', ''), '''', '')))));

-- A territory group: the reps who cover a place, as a list of their ids.
CREATE TEMP TABLE loc_pool AS
SELECT country, region, group_concat(rep_id, ' ') AS pool
FROM (SELECT * FROM temp.loc_rep ORDER BY rep_id) GROUP BY country, region;

-- Step 2: the first leads by group, best first, and each group's slots.
CREATE TEMP TABLE head_rank AS
SELECT o.n, o.id, lp.pool,
  row_number() OVER (PARTITION BY lp.pool ORDER BY o.n) AS k
FROM temp.open_todo o JOIN temp.loc_pool lp
  ON lp.country IS o.country AND lp.region IS o.region
WHERE o.head;

CREATE TEMP TABLE slot AS
SELECT p.pool, t.id AS rep_id,
  row_number() OVER (PARTITION BY p.pool
    ORDER BY t.pass0 + (g.value - 1) / t.weight, t.id) AS k
FROM (SELECT pool, count(*) AS nlead FROM temp.head_rank GROUP BY pool) p
JOIN (SELECT DISTINCT lp.pool, lr.rep_id FROM temp.loc_pool lp
    JOIN temp.loc_rep lr ON lr.country IS lp.country
      AND lr.region IS lp.region) pr ON pr.pool = p.pool
JOIN temp.team t ON t.id = pr.rep_id
JOIN generate_series(1, min(t.room, p.nlead)) g;

CREATE TEMP TABLE route (id INTEGER PRIMARY KEY, rep_id INTEGER, why TEXT);
INSERT INTO temp.route
SELECT h.id, s.rep_id, 'territory ' || CASE WHEN coalesce(o.country, '') <> ''
    THEN o.country ELSE o.region END || ', next in turn'
FROM temp.head_rank h JOIN temp.slot s ON s.pool = h.pool AND s.k = h.k
JOIN temp.open_todo o ON o.id = h.id;

-- Step 3: the first leads left over go to the generalists.
CREATE TEMP TABLE gen_rank AS
SELECT id, row_number() OVER (ORDER BY n) AS k
FROM temp.open_todo WHERE head AND id NOT IN (SELECT id FROM temp.route);

INSERT INTO temp.route
SELECT g.id, s.rep_id, 'next in turn'
FROM temp.gen_rank g JOIN (
  SELECT t.id AS rep_id,
    row_number() OVER (ORDER BY t.pass0 + (s.value - 1) / t.weight, t.id)
      AS k
  FROM temp.team t JOIN generate_series(1, min(t.room,
    (SELECT count(*) FROM temp.gen_rank))) s
  WHERE t.room > 0 AND t.id IN (SELECT rep_id FROM temp.generalist)) s
  ON s.k = g.k;

-- Steps 1 and 4: by account, to the rep who owns the domain already, or
-- to the rep its first lead went to.
CREATE TEMP TABLE dom_rep AS
SELECT dom, rep_id FROM temp.owned
UNION ALL
SELECT o.dom, r.rep_id FROM temp.open_todo o JOIN temp.route r ON r.id = o.id
WHERE o.head AND o.dom IS NOT NULL;

CREATE TEMP TABLE routed AS
SELECT t.n, t.id, t.grade, r.rep_id, r.why FROM temp.todo t
JOIN temp.route r ON r.id = t.id
UNION ALL
SELECT t.n, t.id, t.grade, d.rep_id, 'account: ' || tm.name || ' owns '
  || t.dom
FROM temp.todo t JOIN temp.dom_rep d ON d.dom = t.dom
JOIN temp.team tm ON tm.id = d.rep_id
WHERE NOT t.dnc AND t.id NOT IN (SELECT id FROM temp.route);

-- Step 5: each rep keeps the best leads that fit their room; the SLA.
CREATE TEMP TABLE handed (lead_id INTEGER PRIMARY KEY, rep_id INTEGER,
  due TEXT, reason TEXT, n INTEGER);
INSERT INTO temp.handed
SELECT r.id, r.rep_id, strftime('%Y-%m-%dT%H:%M:%SZ', p.now, '+'
    || CASE upper(r.grade) WHEN 'A' THEN p.sla_a WHEN 'B' THEN p.sla_b
      ELSE p.sla_other END || ' seconds'), r.why, r.n
FROM (SELECT routed.*, row_number() OVER (PARTITION BY rep_id ORDER BY n)
    AS k FROM temp.routed) r
JOIN temp.team t ON t.id = r.rep_id, temp.param p
WHERE r.k <= t.room;

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
  || ifnull(' by ' || nullif(coalesce((SELECT r.name FROM assignment a
      JOIN rep r ON r.id = a.rep_id WHERE a.lead_id = h.lead_id
      AND a.ended_at = h.at ORDER BY a.id DESC LIMIT 1), h.actor), ''), '')
  || ifnull(': ' || nullif(h.reason, ''), '') AS x
FROM stage_history h JOIN temp.handed t ON t.lead_id = h.lead_id
WHERE h.to_stage = 'nurture' AND h.from_stage IN ('mql', 'sal', 'sql',
    'opportunity', 'lost', 'disqualified')
  AND h.actor IS NOT 'lead-score';
CREATE INDEX temp.back_lead ON back (lead_id, k);

-- The hand-offs: owner, assignment (in the order lead-handoff writes
-- them), the reps' places in the turns.
UPDATE lead SET owner_id = h.rep_id, updated_at = p.now
FROM temp.handed h, temp.param p WHERE lead.id = h.lead_id;

INSERT INTO assignment (lead_id, rep_id, at, due, reason, actor)
SELECT h.lead_id, h.rep_id, p.now, h.due, h.reason, 'lead-handoff'
FROM temp.handed h, temp.param p ORDER BY h.n;

UPDATE rep SET rr_pass = rr_pass + c.nlead * (1.0 / rep.weight)
FROM (SELECT rep_id, count(*) AS nlead FROM temp.handed GROUP BY rep_id) c
WHERE rep.id = c.rep_id;

-- The sheet: lead-handoff's columns and rows, by rep, best score first;
-- no reasons.  Backslashes, tabs and line ends in a value are escaped as
-- lead-handoff's TSV does (\\, \t, \n, \r), and a whole score is
-- written without '.0', so that the rows compare.
.headers on
.mode tabs
WITH sheet AS (
SELECT r.name AS rep, r.email AS rep_email, h.due,
  coalesce(l.email, 'id:' || l.id) AS email,
  trim(ifnull(l.first_name, '') || ' ' || ifnull(l.last_name, '')) AS name,
  l.company, l.title, l.phone, l.country, l.source AS first_source,
  l.campaign AS first_campaign, b.source AS last_source,
  b.campaign AS last_campaign,
  CASE WHEN l.score = round(l.score) THEN CAST(l.score AS INTEGER)
    ELSE l.score END AS score,
  l.grade, NULL AS reasons,
  (SELECT group_concat(x, '; ') FROM (SELECT substr(a.ts, 1, 10) || ' '
      || a.kind || ifnull(' ' || coalesce(a.content, a.note), '') AS x
    FROM activity a WHERE a.lead_id = l.id
    ORDER BY a.ts DESC, a.kind DESC, a.fp DESC LIMIT 3))
    AS last_touches,
  h.reason AS why,
  CASE WHEN l.dnc_email AND l.dnc_phone THEN 'email, phone'
    WHEN l.dnc_email THEN 'email' WHEN l.dnc_phone THEN 'phone' END AS dnc,
  (SELECT group_concat(x, '; ') FROM (SELECT x FROM temp.back k
      WHERE k.lead_id = l.id AND k.k <= 3 ORDER BY k.k))
    || CASE WHEN EXISTS (SELECT 1 FROM temp.back k WHERE k.lead_id = l.id
        AND k.k = 4) THEN '; and earlier' ELSE '' END
    || ifnull(' (rejected ' || nullif(nullif((SELECT count(*)
        FROM assignment a WHERE a.lead_id = l.id
        AND a.rejected_at IS NOT NULL), 0), 1) || ' times)', '')
    AS history,
  (SELECT group_concat(x, '; ') FROM (SELECT p.next_step || ifnull(' (due '
      || substr(p.due, 1, 10) || ')', '') AS x FROM promise p
    WHERE p.lead_id = l.id ORDER BY p.at, p.activity_id)) AS promises,
  l.score AS o_score, l.id AS o_id
FROM temp.handed h JOIN lead l ON l.id = h.lead_id
JOIN rep r ON r.id = h.rep_id LEFT JOIN batch b ON b.id = l.last_batch)
SELECT replace(replace(replace(replace(rep, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS rep,
  replace(replace(replace(replace(rep_email, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS rep_email,
  due,
  replace(replace(replace(replace(email, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS email,
  replace(replace(replace(replace(name, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS name,
  replace(replace(replace(replace(company, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS company,
  replace(replace(replace(replace(title, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS title,
  replace(replace(replace(replace(phone, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS phone,
  replace(replace(replace(replace(country, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS country,
  replace(replace(replace(replace(first_source, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS first_source,
  replace(replace(replace(replace(first_campaign, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS first_campaign,
  replace(replace(replace(replace(last_source, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS last_source,
  replace(replace(replace(replace(last_campaign, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS last_campaign,
  score,
  replace(replace(replace(replace(grade, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS grade,
  reasons,
  replace(replace(replace(replace(last_touches, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS last_touches,
  replace(replace(replace(replace(why, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS why,
  replace(replace(replace(replace(dnc, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS dnc,
  replace(replace(replace(replace(history, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS history,
  replace(replace(replace(replace(promises, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS promises
FROM sheet ORDER BY rep COLLATE NOCASE, o_score DESC, o_id;

COMMIT;
