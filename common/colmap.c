/*
 * colmap.c: header names to leadkit fields.
 *
 * Names match after lead_colkey() (case, spaces and punctuation ignored),
 * so "E-mail Address", "email_address" and "EMAIL ADDRESS" are one name.
 * The alias lists below are the column names of common exports (HubSpot,
 * Salesforce, Marketo, Mautic, Pardot, Zoom, Teams, GoTo, badge scanners)
 * and of European spreadsheets, written in colkey form.
 */
#include <stdlib.h>
#include <string.h>

#include "lead.h"

#define A(...) (const char *const[]){ __VA_ARGS__, NULL }

const struct lead_fieldspec lead_lead_fields[LF_NFIELDS] = {
	[LF_EMAIL] = { "email", A("emailaddress", "workemail", "businessemail",
	    "emailaddr", "mail", "primaryemail", "contactemail", "attendeeemail",
	    "registrantemail", "useremail", "emailadresse", "courriel",
	    "adresseemail", "adressemail", "correo", "correoelectronico",
	    "emailid", "emails", "workemailaddress", "businessemailaddress",
	    "participantidupn", "upn"), LEAD_FIELD_PERSONAL },
	[LF_FIRST_NAME] = { "first_name", A("firstname", "first", "givenname",
	    "fname", "forename", "vorname", "prénom", "prenom", "nombre"),
	    LEAD_FIELD_PERSONAL },
	[LF_LAST_NAME] = { "last_name", A("lastname", "last", "surname",
	    "familyname", "lname", "nachname", "nom", "nomdefamille",
	    "apellido", "apellidos"), LEAD_FIELD_PERSONAL },
	[LF_FULL_NAME] = { "full_name", A("name", "fullname", "contactname",
	    "attendeename", "registrantname", "leadname", "username",
	    "usernameoriginalname", "nameoriginalname", "participantname",
	    "displayname", "personname", "attendee", "registrant"),
	    LEAD_FIELD_PERSONAL | LEAD_FIELD_UNSTORED },
	[LF_COMPANY] = { "company", A("companyname", "organization",
	    "organisation", "org", "organizationname", "account",
	    "accountname", "employer", "business", "businessname", "firma",
	    "unternehmen", "firmenname", "société", "societe", "entreprise",
	    "empresa", "companyaccount", "accountcompany"),
	    LEAD_FIELD_PERSONAL },
	[LF_TITLE] = { "title", A("jobtitle", "position", "role", "jobrole",
	    "designation", "titel", "berufsbezeichnung", "funktion", "poste",
	    "fonction", "cargo", "puesto"), LEAD_FIELD_PERSONAL },
	[LF_PHONE] = { "phone", A("phonenumber", "telephone", "tel",
	    "telephonenumber", "workphone", "businessphone", "directphone",
	    "officephone", "mobile", "mobilephone", "mobilenumber", "cellphone",
	    "cell", "telefon", "telefonnummer", "téléphone", "telephone",
	    "teléfono", "telefono", "mobilephonenumber", "phonenumbers"),
	    LEAD_FIELD_PERSONAL },
	[LF_COUNTRY] = { "country", A("countryregion", "countryregionname",
	    "countryname", "countrycode", "nation", "land", "pays", "pais",
	    "país"), 0 },
	[LF_REGION] = { "region", A("state", "stateprovince", "province",
	    "stateregion", "county", "bundesland", "provincia", "estado"), 0 },
	[LF_CITY] = { "city", A("town", "ort", "stadt", "ville", "ciudad",
	    "locality"), LEAD_FIELD_PERSONAL },
	[LF_INDUSTRY] = { "industry", A("sector", "vertical", "branche",
	    "industrie", "secteur", "industria"), 0 },
	[LF_COMPANY_SIZE] = { "company_size", A("companysize", "employees",
	    "numberofemployees", "noofemployees", "employeecount",
	    "employeesize", "headcount", "annualemployees", "mitarbeiter",
	    "anzahlmitarbeiter", "mitarbeiterzahl", "effectif", "empleados"), 0 },
	[LF_WEBSITE] = { "website", A("web", "url", "webaddress",
	    "companywebsite", "domain", "companydomain", "companydomainname",
	    "webseite", "homepage", "siteweb", "sitioweb", "websiteurl",
	    "companywebsiteurl", "companyurl"), LEAD_FIELD_PERSONAL },
	[LF_SOURCE] = { "source", A("leadsource", "originalsource",
	    "utmsource", "quelle", "origine", "fuente"), 0 },
	[LF_CAMPAIGN] = { "campaign", A("campaignname", "utmcampaign",
	    "originalcampaign", "kampagne", "campagne", "campaña",
	    "acquisitionprogram"), 0 },
	[LF_CREATED_AT] = { "created_at", A("createdat", "created",
	    "createdate", "createddate", "creationdate", "datecreated",
	    "registrationtime", "registrationdate", "registeredat",
	    "registered", "signupdate", "submittedat", "submissiondate",
	    "erstelltam", "datedecreation", "datedecréation", "dateadded", "createdon",
	    "createtime", "createdtime"), 0 },
};

/* A reps file's columns (lead-handoff(1), THE REPS FILE). */
const struct lead_fieldspec lead_rep_fields[RF_NFIELDS] = {
	[RF_NAME] = { "name", A("rep", "repname", "owner", "user",
	    "username", "salesrep"), 0 },
	[RF_EMAIL] = { "email", A("emailaddress", "workemail", "repemail"), 0 },
	[RF_TERRITORY] = { "territory", A("territories", "region", "regions",
	    "countries", "country", "area"), 0 },
	[RF_CAPACITY] = { "capacity", A("maxleads", "maxopenleads",
	    "openleads", "limit", "max"), 0 },
	[RF_WEIGHT] = { "weight", A("share", "ratio"), 0 },
	[RF_AVAILABLE] = { "available", A("active", "availability",
	    "onduty", "working"), 0 },
	[RF_MANAGER] = { "manager", A("escalateto", "escalation", "lead",
	    "teamlead", "boss"), 0 },
};

/* An event file's columns (lead-log(1)). */
const struct lead_fieldspec lead_eventfile_fields[EV_NFIELDS] = {
	/* HubSpot, Salesforce tasks and events, Zoho calls and events,
	 * Marketo activity logs, Mautic, and the webinar tools. */
	[EV_EMAIL] = { "email", A("emailaddress", "workemail", "contactemail",
	    "recipient", "recipientemail", "leademail", "useremail",
	    "associatedcontact", "associatedcontactemail",
	    "contactemailaddress", "leademailaddress", "attendeeemail",
	    "participantemail", "whoemail"), 0 },
	/* A lead named by a CRM's record id (a source key) or leadkit's. */
	[EV_KEY] = { "key", A("leadid", "contactid", "recordid", "prospectid",
	    "leadnumber", "crmid", "externalid", "whoid",
	    "associatedcontactid", "associatedcontactids", "contactrecordid",
	    "leadorcontactid", "marketoleadid", "mauticcontactid"), 0 },
	[EV_TS] = { "ts", A("time", "timestamp", "date", "datetime",
	    "occurredat", "eventtime", "eventdate", "activitydate",
	    "activitytime", "activitydatetime", "activitytimestamp",
	    "createdat", "created", "createddate", "createddatetime",
	    "dateadded", "at", "when", "closedate", "closedat", "closedon",
	    "callstarttime", "starttime", "startdatetime", "start",
	    "completeddate", "completedat", "meetingstarttime"), 0 },
	[EV_KIND] = { "kind", A("type", "event", "eventtype", "activity",
	    "activitytype", "action", "eventname", "tasksubtype", "subtype",
	    "engagementtype", "activitytypename"), 0 },
	[EV_NOTE] = { "note", A("detail", "details", "description", "notes",
	    "comment", "comments", "body", "summary", "bodypreview",
	    "callnotes", "meetingnotes", "notebody", "callbody",
	    "activitydescription", "fulldescription"), 0 },
	[EV_CHANNEL] = { "channel", A("medium"), 0 },
	[EV_ACTOR] = { "actor", A("by", "user", "rep", "owner", "performedby",
	    "agent", "activityassignedto", "assignedto", "assigneduser",
	    "callowner", "createdby", "host", "activityowner", "taskowner",
	    "meetingowner", "loggedby", "assigned"), 0 },
	[EV_CONTENT] = { "content", A("asset", "url", "page", "pageurl",
	    "subject", "emailname", "link", "file", "document", "emailsubject",
	    "calltitle", "meetingtitle", "title", "primaryattributevalue",
	    "assetname", "webpage", "webpageurl", "formname"), 0 },
	[EV_OUTCOME] = { "outcome", A("result", "disposition", "callresult",
	    "calloutcome", "meetingoutcome", "callstatus"), 0 },
	[EV_NEXT] = { "next", A("nextstep", "followup"), 0 },
	[EV_DUE] = { "due", A("duedate", "followupdate", "nextdate"), 0 },
	[EV_AMOUNT] = { "amount", A("value", "dealamount", "revenue"), 0 },
	/* leadkit's own lists and reports: a lead's id (or id:N, or a
	 * source key; a value that names two leads is refused). */
	[EV_LEAD] = { "lead", A("id", "leadkitid"), 0 },
};

int
lead_header_find(const struct lead_record *hdr, const char *name)
{
	char wb[256], kb[256];
	char *want = lead_colkey_buf(name, wb, sizeof wb);
	int found = -1;

	/* No allocation a column: a header may have 100,000 of them. */
	for (size_t c = 0; c < hdr->n && found < 0; c++) {
		char *k = lead_colkey_buf(hdr->f[c], kb, sizeof kb);

		if (strcmp(k, want) == 0)
			found = (int)c;
		if (k != kb)
			free(k);
	}
	if (want != wb)
		free(want);
	return found;
}

int
lead_field_index(const struct lead_fieldspec *f, size_t nf, const char *name)
{
	char *key = lead_colkey(name);
	int found = -1;

	for (size_t i = 0; i < nf && found < 0; i++) {
		char *k = lead_colkey(f[i].name);

		if (strcmp(k, key) == 0)
			found = (int)i;
		free(k);
	}
	free(key);
	return found;
}

/* The extras' names taken so far, and for each base name the next
 * suffix to try (lead_strmap), so that thousands of
 * columns of one name are named in linear time, not cubic. */
static int
names_get(const struct lead_strmap *t, const char *k)
{
	int64_t *v = lead_strmap_get(t, k);

	return v ? (int)*v : 0;
}

static void
names_put(struct lead_strmap *t, const char *k, int v)
{
	*lead_strmap_put(t, k) = v;
}

/* The fields' names and aliases as keys, indexed once a bind: a header
 * of 100,000 columns costs a lookup a column, not a scan of every
 * alias.  Values: the field's index + 1, or -1 for an alias that
 * several fields have. */
struct specidx {
	struct lead_strmap name, alias;
	char **keys;		/* the fields' names as keys */
	size_t nf;
};

static void
specidx_build(struct specidx *x, const struct lead_fieldspec *f, size_t nf)
{
	memset(x, 0, sizeof *x);
	x->nf = nf;
	x->keys = lead_xcalloc(nf, sizeof *x->keys);
	for (size_t i = 0; i < nf; i++) {
		x->keys[i] = lead_colkey(f[i].name);
		if (names_get(&x->name, x->keys[i]) == 0)
			names_put(&x->name, x->keys[i], (int)i + 1);
	}
	for (size_t i = 0; i < nf; i++)
		for (const char *const *a = f[i].aliases; a && *a; a++) {
			int v = names_get(&x->alias, *a);

			names_put(&x->alias, *a, v == 0 || v == (int)i + 1 ?
			    (int)i + 1 : -1);
		}
}

static void
specidx_free(struct specidx *x)
{
	for (size_t i = 0; i < x->nf; i++)
		free(x->keys[i]);
	free(x->keys);
	lead_strmap_free(&x->name);
	lead_strmap_free(&x->alias);
}

/* Which free field a header name means, or -1: by the field's own name
 * (aliases 0), or by one of its aliases (aliases 1). */
static int
match_field(const struct specidx *x, const struct lead_fieldspec *f,
    size_t nf, const char *key, const int *taken, int aliases)
{
	int v = names_get(aliases ? &x->alias : &x->name, key);

	if (v > 0)
		return taken[v - 1] >= 0 ? -1 : v - 1;
	if (v == 0)
		return -1;
	/* An alias several fields have: the first of them still free. */
	for (size_t i = 0; i < nf; i++) {
		if (taken[i] >= 0)
			continue;
		for (const char *const *a = f[i].aliases; a && *a; a++)
			if (strcmp(*a, key) == 0)
				return (int)i;
	}
	return -1;
}

char *
lead_attr_name(const char *header)
{
	struct lead_buf b = { 0 };
	int under = 0;

	for (const unsigned char *p = (const unsigned char *)header; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p >= 0x80) {
			if (under && b.len > 0)
				lead_buf_addc(&b, '_');
			under = 0;
			lead_buf_addc(&b, *p);
		} else if (*p >= 'A' && *p <= 'Z') {
			if (under && b.len > 0)
				lead_buf_addc(&b, '_');
			under = 0;
			lead_buf_addc(&b, *p - 'A' + 'a');
		} else
			under = 1;
	}
	return lead_buf_take(&b);
}

/* Columns a reject file adds; reading one back ignores them. */
static int
reject_column(const char *name)
{
	return strcmp(name, "_line") == 0 || strcmp(name, "_reason") == 0;
}

static int
bind_maps(struct lead_colmap *m, const struct lead_fieldspec *f, size_t nf,
    const struct lead_record *hdr, char *const *maps, size_t nmaps,
    char **err)
{
	struct lead_buf e = { 0 };

	for (size_t i = 0; i < nmaps; i++) {
		const char *eq = strchr(maps[i], '=');
		char *field;
		int fi;
		size_t c;

		if (eq == NULL || eq == maps[i] || eq[1] == '\0') {
			lead_buf_addf(&e, "--map '%s': expected FIELD=COLUMN",
			    maps[i]);
			break;
		}
		field = lead_xstrndup(maps[i], (size_t)(eq - maps[i]));
		fi = lead_field_index(f, nf, field);
		free(field);
		if (fi < 0) {
			lead_buf_addf(&e, "--map '%s': unknown field; known: ",
			    maps[i]);
			for (size_t j = 0; j < nf; j++)
				lead_buf_addf(&e, "%s%s", j ? ", " : "", f[j].name);
			break;
		}
		if ((c = (size_t)lead_header_find(hdr, eq + 1)) == (size_t)-1) {
			lead_buf_addf(&e, "--map '%s': the input has no column "
			    "'%s'", maps[i], eq + 1);
			break;
		}
		if (m->field[c] >= 0 && m->field[c] != fi) {
			lead_buf_addf(&e, "--map '%s': column '%s' is already "
			    "mapped to %s", maps[i], eq + 1, f[m->field[c]].name);
			break;
		}
		if (m->col[fi] >= 0)
			m->field[m->col[fi]] = -1;
		m->col[fi] = (int)c;
		m->field[c] = fi;
	}
	if (e.len) {
		*err = lead_buf_take(&e);
		return -1;
	}
	return 0;
}

int
lead_colmap_bind(struct lead_colmap *m, const struct lead_fieldspec *f,
    size_t nf, const struct lead_record *hdr, char *const *maps, size_t nmaps,
    char **err)
{
	char **keys, **bases_keep;
	struct lead_strmap taken = { 0 }, bases = { 0 };
	struct specidx spec;
	int rc = 0;

	*err = NULL;
	memset(m, 0, sizeof *m);
	m->nfields = nf;
	m->ncols = hdr->n;
	m->col = lead_xcalloc(nf, sizeof *m->col);
	m->field = lead_xcalloc(hdr->n, sizeof *m->field);
	m->attr = lead_xcalloc(hdr->n, sizeof *m->attr);
	keys = lead_xcalloc(hdr->n, sizeof *keys);
	bases_keep = lead_xcalloc(hdr->n, sizeof *bases_keep);
	specidx_build(&spec, f, nf);
	for (size_t i = 0; i < nf; i++)
		m->col[i] = -1;
	for (size_t c = 0; c < hdr->n; c++) {
		keys[c] = lead_colkey(hdr->f[c]);
		m->field[c] = reject_column(hdr->f[c]) ? -2 : -1;
	}
	if (bind_maps(m, f, nf, hdr, maps, nmaps, err) < 0) {
		lead_colmap_free(m);
		rc = -1;
		goto out;
	}
	/* Field names first, then aliases: a "Website" column is the
	 * website even when a "Domain" column (an alias) comes before it. */
	for (int aliases = 0; aliases <= 1; aliases++)
		for (size_t c = 0; c < hdr->n; c++) {
			int fi;

			if (m->field[c] != -1 || keys[c][0] == '\0')
				continue;
			if ((fi = match_field(&spec, f, nf, keys[c], m->col,
			    aliases)) >= 0) {
				m->col[fi] = (int)c;
				m->field[c] = fi;
			}
		}
	/* Extras: kept under a snake_case name, unique within the file
	 * ("x", "x_2", "x_3", ...). */
	for (size_t c = 0; c < hdr->n; c++) {
		char *base, *name;
		int n;

		if (m->field[c] != -1)
			continue;
		base = lead_attr_name(hdr->f[c]);
		if (base[0] == '\0') {
			free(base);
			base = lead_xmalloc(32);
			snprintf(base, 32, "column_%zu", c + 1);
		}
		name = lead_xstrdup(base);
		if ((n = names_get(&bases, base)) < 2)
			n = 2;
		while (names_get(&taken, name)) {
			free(name);
			name = lead_xmalloc(strlen(base) + 24);
			sprintf(name, "%s_%d", base, n++);
		}
		m->attr[c] = name;
		names_put(&taken, name, 1);
		bases_keep[c] = base;
		names_put(&bases, base, n);
	}
out:
	for (size_t c = 0; c < hdr->n; c++) {
		free(keys[c]);
		free(bases_keep[c]);
	}
	free(keys);
	free(bases_keep);
	lead_strmap_free(&taken);
	lead_strmap_free(&bases);
	specidx_free(&spec);
	return rc;
}

void
lead_colmap_free(struct lead_colmap *m)
{
	for (size_t c = 0; c < m->ncols; c++)
		free(m->attr[c]);
	free(m->attr);
	free(m->field);
	free(m->col);
	memset(m, 0, sizeof *m);
}

int
lead_colmap_want(const struct lead_record *hdr, void *ctx)
{
	const struct lead_want *w = ctx;
	struct lead_colmap m;
	char *err;
	int score = 0, found = 0;

	if (lead_colmap_bind(&m, w->f, w->nf, hdr, w->maps, w->nmaps,
	    &err) < 0) {
		free(err);
		return 0;
	}
	for (const int *n = w->need; n && *n >= 0; n++)
		found |= m.col[*n] >= 0;
	if (w->col && lead_header_find(hdr, w->col) >= 0)
		found = 1;
	for (size_t i = 0; found && i < w->nf; i++)
		score += m.col[i] >= 0;
	lead_colmap_free(&m);
	return found ? 1 + score : 0;
}
