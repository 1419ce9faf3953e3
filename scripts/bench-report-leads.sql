-- bench-report-leads.sql: what `lead-report leads --where 'score > 50'`
-- prints, by hand.
-- Run as: sqlite3 -bail DB ".read scripts/bench-report-leads.sql"
-- The default columns, in lead id order, forgotten leads left out; text
-- escaped as lead-report's TSV escapes it (\\, \t, \n, \r); dnc = the
-- channels the lead is do-not-contact on.
PRAGMA cache_size=-8192;
.mode tabs
.headers on
BEGIN;
SELECT
  replace(replace(replace(replace(email, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS email,
  replace(replace(replace(replace(first_name, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS first_name,
  replace(replace(replace(replace(last_name, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS last_name,
  replace(replace(replace(replace(company, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS company,
  replace(replace(replace(replace(title, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS title,
  replace(replace(replace(replace(country, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS country,
  replace(replace(replace(replace(source, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS source,
  replace(replace(replace(replace(campaign, '\', '\\'), char(9), '\t'),
    char(10), '\n'), char(13), '\r') AS campaign,
  stage,
  (SELECT name FROM rep WHERE rep.id = lead.owner_id) AS owner,
  score, grade, created_at,
  CASE WHEN dnc_email <> 0 AND dnc_phone <> 0 THEN 'email, phone'
    WHEN dnc_email <> 0 THEN 'email' WHEN dnc_phone <> 0 THEN 'phone'
    END AS dnc
FROM lead
WHERE forgotten_at IS NULL AND score > 50
ORDER BY id;
COMMIT;
