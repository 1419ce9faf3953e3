/*
 * lktest: drives common/ units from the shell for the bats tests and the
 * csv-spectrum check.  Not installed.
 *
 *   lktest time STR...          parse times, print them as stored
 *   lktest duration STR...      parse durations, print seconds
 *   lktest sha256 FILE          SHA-256 of a file
 *   lktest csv [OPTS] FILE      dump records: line, then fields, TSV-escaped
 *   lktest table [OPTS] FILE    the table found: header line, section, names,
 *                               records (--want COL, --sample N, -v)
 *   lktest spectrum FILE        records as a JSON array of objects
 *   lktest out FMT [--raw] [--no-header] [--num COL]  re-write stdin TSV
 *   lktest email STR / trim STR / blank STR / colkey STR / sanitize STR
 *   lktest country STR...       ISO code of each country name, or "-"
 *   lktest territory ENTRY COUNTRY [REGION]   "yes" or "no"
 *   lktest pgsql URL SQL...     run SQL on a PostgreSQL server; rows as
 *                               sqlite3 prints them ('|' between values,
 *                               a REAL as SQLite writes it, 1/0 for
 *                               true/false, nothing for NULL)
 */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "lead.h"

static int
usage(void)
{
	fputs("usage: lktest time|duration|sha256|csv|table|spectrum|out|email|trim|"
	    "blank|colkey|sanitize|country|territory ARGS\n", stderr);
	return 2;
}

static int
do_time(int argc, char **argv)
{
	char buf[LEAD_TIME_LEN], why[512];
	lead_time t;
	int rc = 0, order = 0;

	/* lktest time [--dmy|--mdy] [--tz ZONE] TIME... */
	for (; argc > 0 && strncmp(argv[0], "--", 2) == 0; argc--, argv++) {
		if (strcmp(argv[0], "--dmy") == 0)
			order = LEAD_DATE_DMY;
		else if (strcmp(argv[0], "--mdy") == 0)
			order = LEAD_DATE_MDY;
		else if (strcmp(argv[0], "--tz") == 0 && argc > 1) {
			if (lead_time_zone_set(argv[1], why, sizeof why) < 0) {
				printf("%s\n", why);
				return 2;
			}
			argc--, argv++;
		} else
			return 2;
	}
	for (int i = 0; i < argc; i++) {
		if (lead_time_read(argv[i], order, &t) == 0)
			printf("%s\n", lead_time_format(t, buf));
		else {
			printf("invalid\n");
			rc = 1;
		}
	}
	return rc;
}

static int
do_duration(int argc, char **argv)
{
	int64_t s;
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		if (lead_duration_parse(argv[i], &s) == 0)
			printf("%lld\n", (long long)s);
		else {
			printf("invalid\n");
			rc = 1;
		}
	}
	return rc;
}

static int
do_sha256(const char *path)
{
	struct lead_sha256 c;
	char buf[65536], hex[65];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		return 3;
	lead_sha256_init(&c);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		lead_sha256_update(&c, buf, n);
	fclose(fp);
	lead_sha256_hex(&c, hex);
	printf("%s\n", hex);
	return 0;
}

static void
put_escaped(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '\t': fputs("\\t", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		default: putchar(s[i]);
		}
	}
}

static void
dump(const struct lead_record *r)
{
	printf("%ld", r->line);
	if (r->bad)
		printf("\t!%s", r->bad);
	for (size_t i = 0; i < r->n; i++) {
		putchar('\t');
		putchar('[');
		put_escaped(r->f[i], r->len[i]);
		putchar(']');
	}
	putchar('\n');
}

/* lktest csv [--tsv|--csv|--delimiter C|--encoding E|--skip N|
 * --no-header --columns a,b] FILE */
static int
do_csv(int argc, char **argv, int spectrum)
{
	struct lead_inopts o = { 0 };
	struct lead_reader *r;
	const struct lead_record *h, *rec;
	const char *path = "-";
	struct lead_buf b = { 0 };
	char **names;
	int n, first = 1;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--tsv"))
			o.fmt = LEAD_FMT_TSV;
		else if (!strcmp(argv[i], "--csv"))
			o.fmt = LEAD_FMT_CSV;
		else if (!strcmp(argv[i], "--delimiter") && i + 1 < argc)
			o.delim = (unsigned char)argv[++i][0];
		else if (!strcmp(argv[i], "--encoding") && i + 1 < argc)
			o.encoding = argv[++i];
		else if (!strcmp(argv[i], "--skip") && i + 1 < argc)
			o.skip = atol(argv[++i]);
		else if (!strcmp(argv[i], "--no-header"))
			o.no_header = 1;
		else if (!strcmp(argv[i], "--columns") && i + 1 < argc)
			o.columns = argv[++i];
		else
			path = argv[i];
	}
	if ((r = lead_reader_open(path, &o)) == NULL)
		return 3;
	if ((h = lead_reader_header(r)) == NULL) {
		lead_reader_close(r);
		return spectrum ? (puts("[]"), 0) : 1;
	}
	names = lead_xcalloc(h->n + 1, sizeof *names);
	for (size_t i = 0; i < h->n; i++)
		names[i] = lead_xstrdup(h->f[i]);
	if (!spectrum)
		dump(h);
	else
		lead_buf_adds(&b, "[");
	while ((n = lead_reader_next(r, &rec)) == 1) {
		if (!spectrum) {
			dump(rec);
			continue;
		}
		lead_buf_adds(&b, first ? "\n{" : ",\n{");
		first = 0;
		for (size_t i = 0; i < rec->n && i < h->n; i++) {
			if (i)
				lead_buf_adds(&b, ",");
			lead_buf_json(&b, names[i]);
			lead_buf_adds(&b, ":");
			lead_buf_json(&b, rec->f[i]);
		}
		lead_buf_adds(&b, "}");
	}
	if (spectrum) {
		lead_buf_adds(&b, "\n]\n");
		fputs(b.s, stdout);
	}
	for (size_t i = 0; names[i]; i++)
		free(names[i]);
	free(names);
	lead_buf_free(&b);
	lead_reader_close(r);
	return n < 0 ? 3 : 0;
}

/* A want that takes tables with a column named like col, the wider the
 * better. */
static int
want_col(const struct lead_record *hdr, void *ctx)
{
	char *key = lead_colkey(ctx);
	int found = 0;

	for (size_t i = 0; i < hdr->n && !found; i++) {
		char *k = lead_colkey(hdr->f[i]);

		found = strcmp(k, key) == 0;
		free(k);
	}
	free(key);
	return found ? (int)hdr->n : 0;
}

/* lktest table [--want COL] [--sample N] [-v] [--skip N] [--no-header
 * --columns a,b] [--tsv|--csv] FILE: the table the reader finds. */
static int
do_table(int argc, char **argv)
{
	struct lead_inopts o = { 0 };
	struct lead_reader *r;
	const struct lead_record *h, *rec, *const *recs;
	const char *path = "-";
	size_t nsample = 0, n;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--want") && i + 1 < argc) {
			o.want = want_col;
			o.want_ctx = argv[++i];
		} else if (!strcmp(argv[i], "--sample") && i + 1 < argc)
			nsample = (size_t)atol(argv[++i]);
		else if (!strcmp(argv[i], "-v"))
			lead_verbosity = 1;
		else if (!strcmp(argv[i], "--skip") && i + 1 < argc)
			o.skip = atol(argv[++i]);
		else if (!strcmp(argv[i], "--no-header"))
			o.no_header = 1;
		else if (!strcmp(argv[i], "--columns") && i + 1 < argc)
			o.columns = argv[++i];
		else if (!strcmp(argv[i], "--tsv"))
			o.fmt = LEAD_FMT_TSV;
		else if (!strcmp(argv[i], "--csv"))
			o.fmt = LEAD_FMT_CSV;
		else
			path = argv[i];
	}
	if ((r = lead_reader_open(path, &o)) == NULL)
		return 3;
	if ((h = lead_reader_header(r)) == NULL) {
		lead_reader_close(r);
		return 1;
	}
	printf("header %ld\nsection %s\nnames", h->line,
	    lead_reader_section(r) ? lead_reader_section(r) : "-");
	for (size_t i = 0; i < h->n; i++) {
		putchar('\t');
		put_escaped(h->f[i], h->len[i]);
	}
	putchar('\n');
	if (nsample > 0) {
		if (lead_reader_sample(r, nsample, &recs, &n) < 0) {
			lead_reader_close(r);
			return 3;
		}
		for (size_t i = 0; i < n; i++)
			printf("sample %ld\n", recs[i]->line);
	}
	while ((rc = lead_reader_next(r, &rec)) == 1)
		dump(rec);
	lead_reader_close(r);
	return rc < 0 ? 3 : 0;
}

/* lktest out tsv|csv|json|table [--raw] [--no-header] [--num I]...
 * reads TSV (header first) on stdin. */
static int
do_out(int argc, char **argv)
{
	struct lead_inopts in = { .fmt = LEAD_FMT_TSV };
	struct lead_outopts o = { 0 };
	struct lead_reader *r;
	const struct lead_record *h, *rec;
	struct lead_out *w;
	int n;

	if (argc < 1)
		return usage();
	if (!strcmp(argv[0], "csv"))
		o.fmt = LEAD_FMT_CSV;
	else if (!strcmp(argv[0], "json"))
		o.fmt = LEAD_FMT_JSON;
	else if (!strcmp(argv[0], "table"))
		o.fmt = LEAD_FMT_TABLE;
	else
		o.fmt = LEAD_FMT_TSV;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--raw"))
			o.raw = 1;
		else if (!strcmp(argv[i], "--no-header"))
			o.no_header = 1;
	}
	if ((r = lead_reader_open("-", &in)) == NULL)
		return 3;
	if ((h = lead_reader_header(r)) == NULL) {
		lead_reader_close(r);
		return 1;
	}
	w = lead_out_new(stdout, &o, (const char *const *)h->f, h->n);
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--num") && i + 1 < argc)
			lead_out_coltype(w, (size_t)atoi(argv[++i]), LEAD_COL_NUM);
	while ((n = lead_reader_next(r, &rec)) == 1) {
		const char **vals = lead_xcalloc(h->n, sizeof *vals);

		for (size_t i = 0; i < h->n; i++)
			vals[i] = i < rec->n ? rec->f[i] : NULL;
		lead_out_row(w, vals);
		free(vals);
	}
	lead_reader_close(r);
	return lead_out_close(w) < 0 ? 3 : 0;
}

static int
do_text(const char *what, char *s)
{
	char *p;
	const char *why;

	if (!strcmp(what, "email")) {
		if ((why = lead_email_norm(s)) != NULL) {
			printf("invalid: %s\n", why);
			return 1;
		}
		printf("%s\n", s);
	} else if (!strcmp(what, "trim")) {
		printf("[%s]\n", lead_trim(s));
	} else if (!strcmp(what, "blank")) {
		return lead_blank(lead_trim(s)) ? 0 : 1;
	} else if (!strcmp(what, "colkey")) {
		p = lead_colkey(s);
		printf("%s\n", p);
		free(p);
	} else if (!strcmp(what, "sanitize")) {
		p = lead_sanitize(s);
		printf("%s\n", p);
		free(p);
	} else
		return usage();
	return 0;
}

/* The tests' sql helper on PostgreSQL: what they read of the database
 * prints as sqlite3 prints it, so that one assertion serves both. */
static int
do_pgsql(int argc, char **argv)
{
	PGconn *c = PQconnectdb(argv[0]);
	char buf[LEAD_REAL_LEN];
	int rc = 0;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "lktest pgsql: %s", PQerrorMessage(c));
		return 1;
	}
	PQsetClientEncoding(c, "UTF8");
	for (int a = 1; a < argc && rc == 0; a++) {
		PGresult *r = PQexec(c, argv[a]);

		if (PQresultStatus(r) != PGRES_TUPLES_OK &&
		    PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "%s", PQresultErrorMessage(r));
			rc = 1;
		}
		for (int i = 0; rc == 0 && i < PQntuples(r); i++)
			for (int j = 0; j < PQnfields(r); j++) {
				const char *v = PQgetvalue(r, i, j);
				Oid t = PQftype(r, j);

				if (PQgetisnull(r, i, j))
					v = "";
				else if (t == 16)
					v = *v == 't' ? "1" : "0";
				else if (t == 700 || t == 701)
					v = lead_real_text(strtod(v, NULL), buf);
				printf("%s%s", v, j + 1 < PQnfields(r) ? "|" :
				    "\n");
			}
		PQclear(r);
	}
	PQfinish(c);
	return rc;
}

int
main(int argc, char **argv)
{
	lead_setprog("lktest");
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "time"))
		return do_time(argc - 2, argv + 2);
	if (!strcmp(argv[1], "pgsql") && argc >= 4)
		return do_pgsql(argc - 2, argv + 2);
	if (!strcmp(argv[1], "duration"))
		return do_duration(argc - 2, argv + 2);
	if (!strcmp(argv[1], "sha256") && argc == 3)
		return do_sha256(argv[2]);
	if (!strcmp(argv[1], "csv"))
		return do_csv(argc - 2, argv + 2, 0);
	if (!strcmp(argv[1], "spectrum"))
		return do_csv(argc - 2, argv + 2, 1);
	if (!strcmp(argv[1], "table"))
		return do_table(argc - 2, argv + 2);
	if (!strcmp(argv[1], "out"))
		return do_out(argc - 2, argv + 2);
	if (!strcmp(argv[1], "country")) {
		for (int i = 2; i < argc; i++) {
			const char *c = lead_country_code(argv[i]);

			printf("%s\n", c ? c : "-");
		}
		return 0;
	}
	if (!strcmp(argv[1], "territory") && (argc == 4 || argc == 5)) {
		puts(lead_territory_match(argv[2], argv[3], argc == 5 ?
		    argv[4] : NULL) ? "yes" : "no");
		return 0;
	}
	if (argc == 3)
		return do_text(argv[1], argv[2]);
	return usage();
}
