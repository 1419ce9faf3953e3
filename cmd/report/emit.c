/*
 * emit.c: a report's output: the table on stdout, or its rows drawn as
 * bars (--chart, --svg).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "report.h"

#define CHART_MAXROWS 2000

/* Start a report with these columns; chart is the column charted unless
 * --chart names another, the first nkey columns label the bars, and with
 * heads the first of them heads blocks of bars instead. */
void
emit_begin(struct report_ctx *ctx, const char *report,
    const struct col *cols, size_t ncols, const char *chart, int nkey,
    int heads, int personal)
{
	struct emit *em = &ctx->em;
	const struct report_opts *opt = ctx->opt;
	const char **names;
	int *num, nn = 0;

	em->report = report;
	em->cols = cols;
	em->ncols = ncols;
	em->personal = personal;
	em->ccol = -1;
	em->nkey = nkey;
	em->heads = heads && nkey >= 2;
	if (opt->chart || opt->svg) {
		const char *want = opt->chartcol ? opt->chartcol : chart;

		for (size_t i = 0; i < ncols; i++)
			if (strcmp(cols[i].name, want) == 0)
				em->ccol = (int)i;
		if (em->ccol < 0 || !cols[em->ccol].num) {
			struct lead_buf b = { 0 };

			for (size_t i = 0; i < ncols; i++)
				if (cols[i].num)
					lead_buf_addf(&b, "%s%s", b.len ? ", " :
					    "", cols[i].name);
			lead_die(LEAD_EX_USAGE, "chart: %s has no number "
			    "column '%s' (it has %s; --bar names one)", report,
			    want, b.len ? b.s : "none");
		}
	}
	if (opt->chart)
		return;
	/* As many as the report has: the leads report's are the user's. */
	names = lead_xcalloc(ncols + 1, sizeof *names);
	num = lead_xcalloc(ncols + 1, sizeof *num);
	for (size_t i = 0; i < ncols; i++) {
		names[i] = cols[i].name;
		if (cols[i].num)
			num[nn++] = (int)i;
	}
	num[nn] = -1;
	em->w = lead_out_num(stdout, &opt->c.out, names, ncols, num);
	free(names);
	free(num);
}

void
emit_row(struct report_ctx *ctx, const char *const *vals)
{
	struct emit *em = &ctx->em;
	struct lead_buf b = { 0 };
	const char *v;
	int first = 1, heads = em->heads;

	if (em->w)
		lead_out_row(em->w, vals);
	if (em->ccol < 0)
		return;
	if (em->n == CHART_MAXROWS)
		lead_die(LEAD_EX_USAGE, "chart: more than %d rows to draw; "
		    "narrow the report (--since, --where, ...)", CHART_MAXROWS);
	if (em->n == em->cap) {
		em->cap = em->cap ? em->cap * 2 : 32;
		em->head = lead_xrealloc(em->head, em->cap * sizeof *em->head);
		em->label = lead_xrealloc(em->label, em->cap *
		    sizeof *em->label);
		em->shown = lead_xrealloc(em->shown, em->cap *
		    sizeof *em->shown);
		em->value = lead_xrealloc(em->value, em->cap *
		    sizeof *em->value);
	}
	/* With two keys or more, the first heads a block of bars. */
	em->head[em->n] = heads ? lead_xstrdup(vals[0] && *vals[0] ? vals[0] :
	    "(none)") : NULL;
	for (int i = heads; i < em->nkey; i++) {
		lead_buf_addf(&b, "%s%s", first ? "" : " / ",
		    vals[i] && *vals[i] ? vals[i] : "(none)");
		first = 0;
	}
	if (em->nkey == 0)
		lead_buf_adds(&b, "");
	em->label[em->n] = lead_buf_take(&b);
	v = vals[em->ccol];
	em->shown[em->n] = lead_xstrdup(v ? v : "");
	em->value[em->n] = v && *v ? strtod(v, NULL) : NAN;
	em->n++;
}

/* The chart's width in columns. */
static long
chart_width(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	const char *c = getenv("COLUMNS");
	struct winsize ws;

	if (opt->width)
		return opt->width;
	if (c && atol(c) >= 20 && atol(c) <= 1000)
		return atol(c);
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) ==
	    0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

static double
chart_max(struct report_ctx *ctx)
{
	struct emit *em = &ctx->em;
	double max = 0;

	for (size_t i = 0; i < em->n; i++)
		if (em->value[i] > max)
			max = em->value[i];
	return max;
}

/* The chart's title: report, column, period, grouping, filters. */
static char *
chart_title(struct report_ctx *ctx)
{
	struct emit *em = &ctx->em;
	const struct report_opts *opt = ctx->opt;
	struct lead_buf b = { 0 };

	lead_buf_addf(&b, "%s: %s", em->report, em->cols[em->ccol].name);
	if (opt->by)
		lead_buf_addf(&b, " by %s", bynames[opt->by]);
	if (opt->since)
		lead_buf_addf(&b, ", since %s", opt->from);
	if (opt->until)
		lead_buf_addf(&b, ", until %s", opt->to);
	if (filtered(ctx))
		lead_buf_adds(&b, ", filtered");
	return lead_buf_take(&b);
}

#define LABEL_MAXW 32

static void
chart_draw(struct report_ctx *ctx, FILE *fp)
{
	struct emit *em = &ctx->em;
	const struct report_opts *opt = ctx->opt;
	static const char *const eighth[] = {
		"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a",
		"\u2589"
	};
	long width = chart_width(ctx);
	size_t lw = 1, vw = 1, bw;
	double max = chart_max(ctx);
	char **cell = lead_xcalloc(em->n + 1, sizeof *cell);
	char *t = chart_title(ctx), *ts = lead_cell(t, (size_t)width);

	fprintf(fp, "%s\n", ts);
	free(ts);
	free(t);
	for (size_t i = 0; i < em->n; i++) {
		cell[i] = lead_cell(em->label[i], LABEL_MAXW);
		if (lead_dispwidth(cell[i]) > lw)
			lw = lead_dispwidth(cell[i]);
		if (strlen(em->shown[i]) > vw)
			vw = strlen(em->shown[i]);
	}
	bw = (size_t)width > lw + vw + 2 + 10 ? (size_t)width - lw - vw - 2 :
	    10;
	for (size_t i = 0; i < em->n; i++) {
		double v = em->value[i];
		size_t units = 0, pad;

		if (em->head[i] && (i == 0 || strcmp(em->head[i],
		    em->head[i - 1]))) {
			char *h = lead_cell(em->head[i], (size_t)width);

			fprintf(fp, "%s%s\n", i ? "\n" : "", h);
			free(h);
		}
		fputs(cell[i], fp);
		for (pad = lead_dispwidth(cell[i]); pad < lw + 1; pad++)
			fputc(' ', fp);
		if (max > 0 && v > 0)
			units = (size_t)llround(v / max * (double)bw *
			    (opt->ascii ? 1 : 8));
		if (opt->ascii) {
			for (size_t k = 0; k < units; k++)
				fputc('#', fp);
			pad = units;
		} else {
			for (size_t k = 0; k < units / 8; k++)
				fputs("\u2588", fp);
			fputs(eighth[units % 8], fp);
			pad = units / 8 + (units % 8 != 0);
		}
		for (; pad < bw + 1; pad++)
			fputc(' ', fp);
		fprintf(fp, "%*s\n", (int)vw, em->shown[i]);
		free(cell[i]);
	}
	if (em->n == 0)
		fputs("(no rows)\n", fp);
	free(cell);
}

/* Text for XML: the five specials escaped, control characters dropped
 * (XML 1.0 cannot carry them), and bytes that are not UTF-8 or
 * characters that hide or reorder text shown as '?' (an SVG with them
 * is not XML, or not what it seems). */
static void
xml_text(FILE *fp, const char *in)
{
	char *s = lead_xmalloc(strlen(in) + 1), *q = s;

	for (const unsigned char *p = (const unsigned char *)in; *p; p++)
		if (*p >= 0x20 && *p != 0x7f)
			*q++ = (char)*p;
	*q = '\0';
	lead_text_safe(s);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		switch (*p) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default:
			if (*p >= 0x20 && *p != 0x7f)
				fputc(*p, fp);
		}
	free(s);
}

#define SVG_ROW 22
#define SVG_W 900

static void
svg_write(struct report_ctx *ctx, FILE *fp)
{
	struct emit *em = &ctx->em;
	double max = chart_max(ctx);
	size_t lw = 8, vw = 4, nhead = 0, y;
	int barw;
	char *t = chart_title(ctx);

	for (size_t i = 0; i < em->n; i++) {
		size_t w = lead_dispwidth(em->label[i]);

		lw = w > lw ? w : lw;
		vw = strlen(em->shown[i]) > vw ? strlen(em->shown[i]) : vw;
		if (em->head[i] && (i == 0 || strcmp(em->head[i],
		    em->head[i - 1])))
			nhead++;
	}
	lw = lw > 48 ? 48 : lw;
	barw = SVG_W - 20 - (int)lw * 7 - (int)vw * 8 - 20;
	if (barw < 200)
		barw = 200;
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%zu\" viewBox=\"0 0 %d %zu\" font-family=\"sans-serif\" "
	    "font-size=\"12\">\n", SVG_W, (em->n + nhead + 3) * SVG_ROW, SVG_W,
	    (em->n + nhead + 3) * SVG_ROW);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", fp);
	fputs("<text x=\"10\" y=\"24\" font-size=\"15\" font-weight=\"bold\">",
	    fp);
	xml_text(fp, t);
	fputs("</text>\n", fp);
	free(t);
	y = 2 * SVG_ROW;
	for (size_t i = 0; i < em->n; i++) {
		double v = em->value[i];
		double w = max > 0 && v > 0 ? v / max * barw : 0;
		int x0 = 20 + (int)lw * 7;

		if (em->head[i] && (i == 0 || strcmp(em->head[i],
		    em->head[i - 1]))) {
			y += SVG_ROW;
			fprintf(fp, "<text x=\"10\" y=\"%zu\" "
			    "font-weight=\"bold\">", y - 6);
			xml_text(fp, em->head[i]);
			fputs("</text>\n", fp);
		}
		y += SVG_ROW;
		fprintf(fp, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">",
		    x0 - 6, y - 6);
		xml_text(fp, em->label[i]);
		fprintf(fp, "</text>\n<rect x=\"%d\" y=\"%zu\" width=\"%.1f\" "
		    "height=\"%d\" fill=\"#4e79a7\"><title>", x0, y - SVG_ROW + 3,
		    w, SVG_ROW - 6);
		xml_text(fp, em->label[i]);
		fputs(": ", fp);
		xml_text(fp, em->shown[i]);
		fprintf(fp, "</title></rect>\n<text x=\"%.1f\" y=\"%zu\">",
		    x0 + w + 6, y - 6);
		xml_text(fp, em->shown[i]);
		fputs("</text>\n", fp);
	}
	fputs("</svg>\n", fp);
}

/* Write the SVG beside its place, then put it there. */
static void
svg_file(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	struct lead_buf tmp = { 0 };
	const char *slash = strrchr(opt->svg, '/');
	FILE *fp;

	if (slash)
		lead_buf_addf(&tmp, "%.*s/.%s.tmp", (int)(slash - opt->svg),
		    opt->svg, slash + 1);
	else
		lead_buf_addf(&tmp, ".%s.tmp", opt->svg);
	fp = lead_file_new(tmp.s, ctx->em.personal ? 0600 : 0666);
	svg_write(ctx, fp);
	if (fflush(fp) || ferror(fp) | fclose(fp) ||
	    rename(tmp.s, opt->svg) < 0) {
		unlink(tmp.s);
		lead_die(LEAD_EX_RUNTIME, "%s: cannot write the chart",
		    opt->svg);
	}
	lead_buf_free(&tmp);
}

int
emit_end(struct report_ctx *ctx)
{
	struct emit *em = &ctx->em;
	const struct report_opts *opt = ctx->opt;
	int rc = LEAD_EX_OK;

	if (em->w && lead_out_close(em->w) < 0)
		rc = LEAD_EX_RUNTIME;
	if (opt->chart)
		chart_draw(ctx, stdout);
	if (opt->svg && em->ccol >= 0)
		svg_file(ctx);
	for (size_t i = 0; i < em->n; i++) {
		free(em->head[i]);
		free(em->label[i]);
		free(em->shown[i]);
	}
	free(em->head);
	free(em->label);
	free(em->shown);
	free(em->value);
	if (fflush(stdout) || ferror(stdout)) {
		lead_warn("stdout: write error");
		rc = LEAD_EX_RUNTIME;
	}
	return rc;
}

/* Start a report whose first column, cols[0], is the --by key when k
 * (and left out when not); rows are then given from row + 1 - k. */
void
emit_begin_by(struct report_ctx *ctx, const char *report,
    struct col *cols, size_t ncols, const char *chart, int nkey, int k)
{
	if (k) {
		cols[0].name = bynames[ctx->opt->by];
		cols[0].num = 0;
	}
	emit_begin(ctx, report, cols + 1 - k, ncols - 1 + (size_t)k, chart,
	    nkey + k, k, 0);
}
