-- bench-report-leads-pg.sql: scripts/bench-report-leads.sql for
-- PostgreSQL, the anchor of `scripts/bench-pg report`: what
--     lead-report leads --where 'score > 50'
-- prints, by hand, in one transaction:
--     psql -X -q -v ON_ERROR_STOP=1 URL -f scripts/bench-report-leads-pg.sql
-- The SQLite file says how it mirrors lead-report.  Engine words: E'\t'
-- (chr(9)) for char(9); the score as SQLite writes a REAL, which
-- lead-report prints on both engines (15 significant digits -- a double
-- cast to numeric -- and ".0" when whole), where PostgreSQL writes a
-- double in its shortest form ("51" for 51.0).
\pset format unaligned
\pset fieldsep '\t'
\pset footer off
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SELECT
  replace(replace(replace(replace(email, '\', '\\'), E'\t', '\t'),
    E'\n', '\n'), E'\r', '\r') AS email,
  replace(replace(replace(replace(first_name, '\', '\\'), E'\t', '\t'),
    E'\n', '\n'), E'\r', '\r') AS first_name,
  replace(replace(replace(replace(last_name, '\', '\\'), E'\t', '\t'),
    E'\n', '\n'), E'\r', '\r') AS last_name,
  replace(replace(replace(replace(company, '\', '\\'), E'\t', '\t'),
    E'\n', '\n'), E'\r', '\r') AS company,
  replace(replace(replace(replace(title, '\', '\\'), E'\t', '\t'),
    E'\n', '\n'), E'\r', '\r') AS title,
  replace(replace(replace(replace(country, '\', '\\'), E'\t', '\t'),
    E'\n', '\n'), E'\r', '\r') AS country,
  replace(replace(replace(replace(source, '\', '\\'), E'\t', '\t'),
    E'\n', '\n'), E'\r', '\r') AS source,
  replace(replace(replace(replace(campaign, '\', '\\'), E'\t', '\t'),
    E'\n', '\n'), E'\r', '\r') AS campaign,
  stage,
  (SELECT name FROM rep WHERE rep.id = lead.owner_id) AS owner,
  CASE WHEN score = trunc(score) THEN round(CAST(score AS numeric), 1)
    ELSE CAST(score AS numeric) END AS score,
  grade, created_at,
  CASE WHEN dnc_email <> 0 AND dnc_phone <> 0 THEN 'email, phone'
    WHEN dnc_email <> 0 THEN 'email' WHEN dnc_phone <> 0 THEN 'phone'
    END AS dnc
FROM lead
WHERE forgotten_at IS NULL AND score > 50
ORDER BY id;
COMMIT;
