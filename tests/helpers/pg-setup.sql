-- The database of a PostgreSQL test run (scripts/test --pg): lk, where
-- each test makes a schema of its own, and lkcompat, the few SQLite
-- functions the tests' own queries use (the commands never see it: it
-- is on the search_path of the tests' sql helper alone).
CREATE DATABASE lk;
\connect lk
CREATE SCHEMA lkcompat;
-- json_extract(doc, '$.name') or '$."name"', as text
CREATE FUNCTION lkcompat.json_extract(doc text, path text) RETURNS text
    LANGUAGE sql IMMUTABLE AS
    $$ SELECT doc::jsonb ->> trim(both '"' from substr(path, 3)) $$;
CREATE FUNCTION lkcompat.ifnull(a anyelement, b anyelement) RETURNS anyelement
    LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(a, b) $$;
-- quote(x): SQLite's SQL literal of a value
CREATE FUNCTION lkcompat.quote(x text) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT CASE WHEN x IS NULL THEN 'NULL'
        ELSE '''' || replace(x, '''', '''''') || '''' END $$;
CREATE FUNCTION lkcompat.quote(x bigint) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT coalesce(x::text, 'NULL') $$;
CREATE FUNCTION lkcompat.quote(x double precision) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(x::text, 'NULL') $$;
-- doc ->> 'key' (or '$.key') of JSON kept as text
CREATE FUNCTION lkcompat.json_get(doc text, k text) RETURNS text
    LANGUAGE sql IMMUTABLE AS
    $$ SELECT doc::jsonb ->> CASE WHEN k LIKE '$.%'
        THEN trim(both '"' from substr(k, 3)) ELSE k END $$;
CREATE OPERATOR lkcompat.->> (LEFTARG = text, RIGHTARG = text,
    FUNCTION = lkcompat.json_get);
-- group_concat(x, sep): string_agg, with SQLite's text of a REAL
CREATE FUNCTION lkcompat.real_text(x double precision) RETURNS text
    LANGUAGE sql IMMUTABLE AS
    $$ SELECT CASE WHEN x = trunc(x) AND abs(x) < 1e15
        THEN x::bigint::text || '.0' ELSE x::text END $$;
CREATE FUNCTION lkcompat.gc_step(acc text, x text, sep text) RETURNS text
    LANGUAGE sql IMMUTABLE AS
    $$ SELECT CASE WHEN x IS NULL THEN acc WHEN acc IS NULL THEN x
        ELSE acc || sep || x END $$;
CREATE AGGREGATE lkcompat.group_concat(text, text) (SFUNC = lkcompat.gc_step,
    STYPE = text);
CREATE FUNCTION lkcompat.gc_step1(acc text, x text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT lkcompat.gc_step(acc, x, ',') $$;
CREATE AGGREGATE lkcompat.group_concat(text) (SFUNC = lkcompat.gc_step1,
    STYPE = text);
CREATE FUNCTION lkcompat.gc_real(acc text, x double precision, sep text)
    RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT lkcompat.gc_step(acc, lkcompat.real_text(x), sep) $$;
CREATE AGGREGATE lkcompat.group_concat(double precision, text) (
    SFUNC = lkcompat.gc_real, STYPE = text);
CREATE FUNCTION lkcompat.gc_int(acc text, x bigint, sep text)
    RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT lkcompat.gc_step(acc, x::text, sep) $$;
CREATE AGGREGATE lkcompat.group_concat(bigint, text) (
    SFUNC = lkcompat.gc_int, STYPE = text);
-- json_each(doc): its members, as text
CREATE FUNCTION lkcompat.json_each(doc text) RETURNS TABLE (key text, value text)
    LANGUAGE sql IMMUTABLE AS $$ SELECT * FROM jsonb_each_text(doc::jsonb) $$;
-- sqlite_schema: the test's tables, by name
CREATE VIEW lkcompat.sqlite_schema AS
    SELECT tablename AS name, 'table' AS type FROM pg_tables
    WHERE schemaname = current_schema();
