/*
 * lifecycle.c: the one lifecycle policy every command applies.
 *
 * What it means to name a lead (an email, a leadkit id, a source key),
 * to be do-not-contact (a suppression entry holds however the lead comes
 * to exist), to come back from sales (rejected, recycled or sent to
 * nurture) and to re-qualify (only on new behaviour, or on the re-entry
 * date the rule file states), which kinds are the lead's own behaviour,
 * which kinds are stage words, and who a rep named on the command line
 * is.  lead(7), LIFECYCLE, documents it once; the commands call it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lead.h"
#include "store-lifecycle.h"

/* ---- naming a lead ------------------------------------------------------ */

static void
ref_label(struct lead_conn *db, struct lead_ref *r)
{
	char key[sizeof r->label - 32];	/* room for "lead N ()" */

	if (r->email[0])
		snprintf(r->label, sizeof r->label, "%s", r->email);
	else if (lead_store_first_key(db, r->id, key, sizeof key))
		snprintf(r->label, sizeof r->label, "lead %lld (%s)",
		    (long long)r->id, key);
	else
		snprintf(r->label, sizeof r->label, "lead %lld",
		    (long long)r->id);
}

/* Fill r from the lead row of id; 0 if there is none. */
static int
ref_load(struct lead_conn *db, int64_t id, struct lead_ref *r)
{
	if (!lead_store_lead_ref(db, id, r->email, sizeof r->email,
	    &r->forgotten))
		return 0;
	r->id = id;
	ref_label(db, r);
	return 1;
}

/* A leadkit id written as digits: 1 and *id, else 0. */
static int
ref_digits(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9' || strlen(s) > 18)
		return 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v <= 0)
		return 0;
	*id = v;
	return 1;
}

int
lead_ref_find(struct lead_conn *db, const char *arg, struct lead_ref *r, char *why,
    size_t n)
{
	return lead_ref_find_as(db, arg, 0, r, why, n);
}

int
lead_ref_find_as(struct lead_conn *db, const char *arg, int keyonly,
    struct lead_ref *r, char *why, size_t n)
{
	char buf[512], *s, *colon;
	const char *bad;
	int64_t id = 0, ids[2];
	int nk;

	memset(r, 0, sizeof *r);
	snprintf(buf, sizeof buf, "%s", arg ? arg : "");
	s = lead_trim(buf);
	if (lead_blank(s)) {
		snprintf(why, n, "no lead named (an email, an id or a source "
		    "key)");
		return 0;
	}
	if (strchr(s, '@') != NULL) {
		if ((bad = lead_email_norm(s)) != NULL) {
			snprintf(why, n, "invalid email '%.200s': %s", arg, bad);
			return 0;
		}
		id = lead_store_by_email(db, s);
		snprintf(r->email, sizeof r->email, "%s", s);
		if (id == 0 || !ref_load(db, id, r)) {
			snprintf(why, n, "no lead '%.200s'", s);
			return 0;
		}
		return 1;
	}
	if (strncasecmp(s, "id:", 3) == 0) {
		if (!ref_digits(lead_trim(s + 3), &id) || !ref_load(db, id, r)) {
			snprintf(why, n, "no lead '%.200s'", s);
			return 0;
		}
		return 1;
	}
	/* SYSTEM:KEY, where SYSTEM is a --key column of an import. */
	if ((colon = strchr(s, ':')) != NULL && colon > s) {
		*colon = '\0';
		nk = lead_store_key_leads(db, s, colon + 1, ids);
		*colon = ':';
		if (nk == 1)
			return ref_load(db, ids[0], r) ? 1 :
			    (snprintf(why, n, "no lead '%.200s'", s), 0);
	}
	/* A bare word: a source key of any system, or a leadkit id (not
	 * for a CRM's id column: its 12345 is not leadkit's lead 12345). */
	nk = lead_store_key_leads(db, NULL, s, ids);
	if (keyonly || (ref_digits(s, &id) && !ref_load(db, id, r)))
		id = 0;
	if (nk == 2 || (nk == 1 && id && ids[0] != id)) {
		snprintf(why, n, "'%.200s' names more than one lead (%s); say "
		    "id:N for a leadkit id, or SYSTEM:KEY for a source key",
		    s, id ? "a leadkit id and a source key" :
		    "source keys of different systems");
		memset(r, 0, sizeof *r);
		return 0;
	}
	if (nk == 1)
		return ref_load(db, ids[0], r);
	if (id)
		return 1;
	snprintf(why, n, keyonly ? "no lead with the key '%.200s'" :
	    "no lead '%.200s' (an email, a leadkit id, or a source key)", s);
	return 0;
}

/* ---- lead lists ------------------------------------------------------------ */

/* The column of a list that names its leads by a field (aliases too). */
static int
list_col(const struct lead_record *hdr, int field)
{
	int c = lead_header_find(hdr, lead_lead_fields[field].name);

	for (const char *const *a = lead_lead_fields[field].aliases;
	    c < 0 && a && *a; a++)
		c = lead_header_find(hdr, *a);
	return c;
}

static const char *const key_names[] = {
	"lead_id", "leadid", "contact_id", "contactid", "record_id",
	"recordid", "prospect_id", "prospectid", "lead_number", "leadnumber",
	"crm_id", "crmid", "external_id", "externalid", "key", "id", NULL
};

int
lead_key_col(const struct lead_record *hdr)
{
	for (int i = 0; key_names[i]; i++) {
		int c = lead_header_find(hdr, key_names[i]);

		if (c >= 0)
			return c;
	}
	return -1;
}

struct lead_list *
lead_list_read(const char *path, const struct lead_inopts *in,
    struct lead_err *e)
{
	struct lead_reader *rd = lead_reader_open(path, in);
	const struct lead_record *hdr, *rec;
	struct lead_list *l;
	int cemail, cid, own, bare, rc = 0;

	if (rd == NULL) {	/* the reader said why */
		lead_err_set(e, lead_reader_status == LEAD_EX_REJECT ?
		    LEAD_EX_USAGE : lead_reader_status, "%s", "");
		return NULL;
	}
	l = lead_xcalloc(1, sizeof *l);
	l->name = lead_xstrdup(lead_reader_name(rd));
	if ((hdr = lead_reader_header(rd)) == NULL) {
		lead_reader_close(rd);
		return l;
	}
	cemail = list_col(hdr, LF_EMAIL);
	cid = lead_key_col(hdr);
	/* leadkit's own lists (lead-import -p, lead-score, reports) start
	 * with its id: exact, even for a lead without email.  A CRM's "ID"
	 * column is the CRM's: a source key. */
	own = hdr->n >= 2 && strcmp(hdr->f[0], "id") == 0 && cemail == 1;
	if (own)
		cid = 0;
	/* No header: one lead a line, the first named in its place. */
	bare = cemail < 0 && cid < 0;
	if (bare && hdr->n > 1 && lead_header_find(hdr, "email") < 0 &&
	    strchr(hdr->f[0], '@') == NULL && !ref_digits(hdr->f[0],
	    &(int64_t){ 0 })) {
		lead_err_set(e, LEAD_EX_USAGE, "%s: no id, key or email "
		    "column", l->name);
		lead_reader_close(rd);
		lead_list_free(l);
		return NULL;
	}
	for (rec = bare ? hdr : NULL; bare || (rc = lead_reader_next(rd,
	    &rec)) > 0; bare = 0) {
		const char *v = NULL;
		char *t;

		if (rec->bad) {
			lead_list_add(l, NULL, rec->line, 0);
			lead_warn_at(l->name, rec->line, "%s", rec->bad);
			l->bad++;
			continue;
		}
		if (cemail >= 0 && (size_t)cemail < rec->n &&
		    !lead_blank(lead_trim(rec->f[cemail])) && !own)
			v = rec->f[cemail];
		else if (cid >= 0 && (size_t)cid < rec->n &&
		    !lead_blank(lead_trim(rec->f[cid])))
			v = rec->f[cid];
		else if (cemail < 0 && cid < 0 && rec->n > 0)
			v = lead_trim(rec->f[0]);
		if (v == NULL || lead_blank(v)) {
			lead_list_add(l, NULL, rec->line, 0);
			lead_warn_at(l->name, rec->line, "no email, id or key");
			l->bad++;
			continue;
		}
		if (own && v == rec->f[cid]) {
			struct lead_buf b = { 0 };

			lead_buf_addf(&b, "id:%s", v);
			t = lead_buf_take(&b);
		} else
			t = lead_xstrdup(v);
		/* A CRM's id column holds its keys, not leadkit's ids. */
		lead_list_add(l, t, rec->line, !own && cid >= 0 &&
		    v == rec->f[cid]);
	}
	lead_reader_close(rd);
	if (rc < 0) {
		lead_err_set(e, LEAD_EX_RUNTIME, "%s: read error", path);
		lead_list_free(l);
		return NULL;
	}
	return l;
}

void
lead_list_add(struct lead_list *l, char *ref, long line, int askey)
{
	l->ref = lead_xrealloc(l->ref, (l->n + 1) * sizeof *l->ref);
	l->line = lead_xrealloc(l->line, (l->n + 1) * sizeof *l->line);
	l->askey = lead_xrealloc(l->askey, (l->n + 1) * sizeof *l->askey);
	l->ref[l->n] = ref;
	l->line[l->n] = line;
	l->askey[l->n++] = (unsigned char)askey;
}

void
lead_list_free(struct lead_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->ref[i]);
	free(l->ref);
	free(l->line);
	free(l->askey);
	free(l->name);
	free(l);
}

/* ---- opt-outs ------------------------------------------------------------------ */

int
lead_optout_bits(const char *channel)
{
	if (channel == NULL || strcmp(channel, "all") == 0)
		return LEAD_DNC_EMAIL | LEAD_DNC_PHONE;
	if (strcmp(channel, "email") == 0)
		return LEAD_DNC_EMAIL;
	if (strcmp(channel, "phone") == 0)
		return LEAD_DNC_PHONE;
	return 0;
}


const char *
lead_dnc_text(int dnc_email, int dnc_phone)
{
	if (dnc_email && dnc_phone)
		return "email, phone";
	if (dnc_email)
		return "email";
	if (dnc_phone)
		return "phone";
	return NULL;
}

const char *
lead_dnc_blocks(const char *channel, int dnc_email, int dnc_phone)
{
	if (channel == NULL)
		return NULL;
	if (dnc_email && dnc_phone)
		return "the lead is do-not-contact (every channel)";
	if (dnc_email && (strcmp(channel, "email") == 0 ||
	    strcmp(channel, "all") == 0))
		return "the lead is do-not-contact by email";
	if (dnc_phone && (strcmp(channel, "call") == 0 ||
	    strcmp(channel, "sms") == 0 || strcmp(channel, "phone") == 0 ||
	    strcmp(channel, "all") == 0))
		return "the lead is do-not-contact by phone";
	return NULL;
}

/* ---- kinds ------------------------------------------------------------------------ */

const char *const lead_std_kinds[] = {
	"email_sent", "email_open", "email_click", "email_bounce",
	"page_visit", "download", "form_submit", "webinar_registered",
	"webinar_attended", "call", "voicemail", "meeting", "sms",
	"social_message", "direct_mail", "note", "quote", "content_view",
	"unsubscribe", "import", "won", "lost", "disqualified", NULL
};

/* Kinds that are neither the lead's behaviour nor a contact by sales. */
static const char *const neutral_kinds[] = {
	"note", "quote", "email_bounce", "unsubscribe", "import", "won",
	"lost", "disqualified", "opportunity", "sql", "nurture", NULL
};

int
lead_kind_behavior(const char *kind)
{
	if (kind == NULL || lead_kind_channel(kind) != NULL)
		return 0;
	for (int i = 0; neutral_kinds[i]; i++)
		if (strcmp(kind, neutral_kinds[i]) == 0)
			return 0;
	return 1;
}

const char *
lead_behavior_sql(void)
{
	static char buf[512];

	if (buf[0] == '\0') {
		snprintf(buf, sizeof buf, "%s", lead_channel_kinds("all"));
		for (int i = 0; neutral_kinds[i]; i++) {
			strcat(buf, ", '");
			strcat(buf, neutral_kinds[i]);
			strcat(buf, "'");
		}
	}
	return buf;
}

const char *
lead_kind_stage(const char *kind)
{
	static const struct {
		const char *kind, *stage;
	} words[] = {
		{ "quote", "opportunity" }, { "opportunity", "opportunity" },
		{ "won", "won" }, { "lost", "lost" },
		{ "disqualified", "disqualified" }, { "sql", "sql" },
		{ "nurture", "nurture" },
	};

	for (size_t i = 0; kind && i < sizeof words / sizeof *words; i++)
		if (strcmp(kind, words[i].kind) == 0)
			return words[i].stage;
	return NULL;
}

char *
lead_kind_unknown(const char *kind, const char *const *declared, size_t nd)
{
	const char *names[64 + 256], *s;
	size_t n = 0;
	struct lead_buf b = { 0 };

	for (int i = 0; lead_std_kinds[i]; i++)
		if (strcmp(kind, lead_std_kinds[i]) == 0)
			return NULL;
	if (lead_kind_stage(kind))
		return NULL;
	for (size_t i = 0; i < nd; i++)
		if (strcmp(kind, declared[i]) == 0)
			return NULL;
	for (int i = 0; lead_std_kinds[i] && n < 64; i++)
		names[n++] = lead_std_kinds[i];
	for (size_t i = 0; i < nd && n < sizeof names / sizeof *names; i++)
		names[n++] = declared[i];
	lead_buf_addf(&b, "unknown kind '%s'", kind);
	if ((s = lead_suggest(kind, names, n)) != NULL)
		lead_buf_addf(&b, " (did you mean '%s'?)", s);
	lead_buf_adds(&b, "; declare the team's own kinds in the contact "
	    "protocol (kind NAME, see lead-log protocol)");
	return lead_buf_take(&b);
}

/* ---- coming back from sales, and re-qualifying ------------------------------ */

int
lead_return_find(struct lead_conn *db, int64_t lead, struct lead_return *r)
{
	return lead_returns(db, lead, r, 1) == 1;
}

int
lead_requalify(struct lead_conn *db, int64_t lead, lead_time now, int64_t reentry,
    char *why, size_t n)
{
	struct lead_return r;
	lead_time back;
	int yes;

	if (!lead_return_find(db, lead, &r))
		return 1;
	if (lead_time_stored(r.at, &back) < 0)
		return 1;
	if (reentry > 0 && now >= back + reentry)
		return 1;
	/* The lead's own behaviour since it came back (not a contact by
	 * sales, a note, or the import of an old history). */
	yes = lead_store_behaved(db, lead, r.at, now);
	if (!yes) {
		char until[LEAD_TIME_LEN];

		if (reentry > 0)
			snprintf(why, n, "%s %s%s%s: no new behaviour since, "
			    "re-entry on %s", r.how, r.at, r.by[0] ? " by " :
			    "", r.by, lead_time_format(back + reentry, until));
		else
			snprintf(why, n, "%s %s%s%s: no new behaviour since",
			    r.how, r.at, r.by[0] ? " by " : "", r.by);
	}
	return yes;
}

/* ---- reps named on the command line ------------------------------------------ */

int
lead_rep_match(const char *who, const char *const *names,
    const char *const *emails, size_t n, char *why, size_t nwhy)
{
	size_t len = who ? strlen(who) : 0;
	int found = -1, nprefix = 0;
	struct lead_buf b = { 0 };
	const char *s;

	if (len == 0) {
		snprintf(why, nwhy, "no rep named");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(names[i], who) == 0 ||
		    (emails[i] && strcasecmp(emails[i], who) == 0))
			return (int)i;
	/* An unambiguous prefix of a name ("carol" for "Carol Ng") or of an
	 * email's local part. */
	for (size_t i = 0; i < n; i++)
		if (strncasecmp(names[i], who, len) == 0 ||
		    (emails[i] && strncasecmp(emails[i], who, len) == 0)) {
			if (nprefix++ == 0)
				found = (int)i;
			lead_buf_addf(&b, "%s%s", nprefix > 1 ? ", " : "",
			    names[i]);
		}
	if (nprefix == 1) {
		lead_buf_free(&b);
		return found;
	}
	if (nprefix > 1)
		snprintf(why, nwhy, "'%s' could be any of %s; say which", who,
		    b.s);
	else if ((s = lead_suggest(who, names, n)) != NULL)
		snprintf(why, nwhy, "no rep '%s' (did you mean '%s'?)", who, s);
	else
		snprintf(why, nwhy, "no rep '%s' (lead-handoff reps lists "
		    "them)", who);
	lead_buf_free(&b);
	return -1;
}

void
lead_reps_free(struct lead_reps *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->name[i]);
		free(t->email[i]);
	}
	free(t->name);
	free(t->email);
	free(t->id);
	memset(t, 0, sizeof *t);
}
