/*
 * kinds.c: the vendor event names that mean leadkit's kinds.
 *
 * Marketing automation and CRMs name the same event differently ("Open
 * Email" in Marketo, "EMAIL_OPEN" in an API dump, "email.read" in
 * Mautic, "Opened" in HubSpot).  A kind map says which leadkit kind each
 * name means; names match like header names (case, spaces and
 * punctuation ignored).  leadkit ships one (lead_kinds_default, in the
 * file format below); the team's own file, stored in the database like
 * the contact protocol (lead-log --kinds FILE), adds to it and wins where
 * both name the same event:
 *
 *	# KIND: vendor name | vendor name ...
 *	email_open:   Open Email | EMAIL_OPEN | email.read
 *	demo_request: Demo Requested | Request a demo
 *
 * The same kind of map turns the source names of lists and CRM exports
 * into the team's ("Trade Show", "tradeshow", "Event": tradeshow), so
 * that a report groups them: lead-import --sources FILE.
 */
#include <stdlib.h>
#include <string.h>

#include "lead.h"

const char lead_sources_default[] =
	"# The team's name for each source name lists and CRM exports give\n"
	"# (lead-import(1), SOURCES).  A line is NAME: alias | alias ...;\n"
	"# names match whatever their case, spaces and punctuation, so\n"
	"# \"Trade Show\" is tradeshow and \"WEBINAR\" webinar already.\n"
	"webinar:    Webinar | Webinars | Online Webinar | Web Seminar\n"
	"tradeshow:  Trade Show | Trade Shows | Tradeshows | Trade Fair\n"
	"content:    Content | Content Download | Gated Content\n"
	"website:    Website | Web Site | Web Form\n";

const char lead_kinds_default[] =
	"# The vendor event names that mean leadkit's kinds (lead-log(1),\n"
	"# KINDS).  A line is KIND: name | name ...; names match whatever\n"
	"# their case, spaces and punctuation.\n"
	"email_sent:     Send Email | Sent Email | Email Sent | email.sent |"
	" Email Delivered | Delivered | EMAIL_SEND | Outbound Email |"
	" Sales Email | Email | Logged Email | Send Letter Email\n"
	"email_open:     Open Email | Opened Email | Email Open | Email Opened |"
	" Opened | Open | email.read | EMAIL_OPEN | Email Read\n"
	"email_click:    Click Email | Clicked Email | Email Click |"
	" Email Clicked | Clicked | Click Link in Email | Clicked Link |"
	" email.click | EMAIL_CLICK | Email Link Clicked\n"
	"email_bounce:   Email Bounced | Bounced | Hard Bounce | Soft Bounce |"
	" Email Bounced Soft | email.bounced | EMAIL_BOUNCE | Bounce\n"
	"unsubscribe:    Unsubscribe Email | Unsubscribed | Unsubscribe |"
	" email.unsubscribe | lead.donotcontact | Opt Out | Opted Out |"
	" EMAIL_UNSUBSCRIBE | Do Not Contact\n"
	"page_visit:     Visit Webpage | Visited Webpage | Page View |"
	" Page Viewed | Pageview | page.hit | Web Page Visit | Visit |"
	" Website Visit | PAGE_VIEW\n"
	"form_submit:    Fill Out Form | Filled Out Form | Form Submitted |"
	" Form Submission | Submitted Form | form.submitted | FORM_SUBMIT |"
	" Form Fill\n"
	"download:       Download | Downloaded | asset.download |"
	" File Download | Downloaded Content | Asset Download\n"
	"content_view:   Content View | Viewed Content | Video View |"
	" Watched Video | Viewed Video | View Content\n"
	"webinar_registered: Webinar Registration | Registered for Webinar |"
	" Register for Event | Registered | Event Registration |"
	" WEBINAR_REGISTRATION\n"
	"webinar_attended: Attended Webinar | Webinar Attended |"
	" Attended Event | Attended | Event Attended | WEBINAR_ATTENDED |"
	" Webinar Attendance\n"
	"call:           Call | Phone Call | Logged Call | Outbound Call |"
	" Inbound Call | Call Made | Calls | CALL\n"
	"voicemail:      Voicemail | Left Voicemail | Left VM\n"
	"meeting:        Meeting | Meetings | Event | Meeting Booked |"
	" Appointment | Logged Meeting | MEETING | Meeting Held\n"
	"sms:            SMS | Text Message | SMS Sent | Sent SMS\n"
	"social_message: LinkedIn Message | InMail | Social Message |"
	" LinkedIn InMail\n"
	"direct_mail:    Direct Mail | Send Letter | Letter | Postcard\n"
	"note:           Note | Notes | Comment | Logged Note | NOTE\n"
	"quote:          Quote | Quote Sent | Proposal | Proposal Sent\n"
	"won:            Closed Won | Deal Won | Won\n"
	"lost:           Closed Lost | Deal Lost | Lost\n";

static void
perr(const char *name, int ln, const char *what, const char *arg)
{
	if (arg)
		lead_warn("%s:%d: %s '%s'", name, ln, what, arg);
	else
		lead_warn("%s:%d: %s", name, ln, what);
}

static int
entcmp(const void *a, const void *b)
{
	return strcmp(((const struct lead_kindent *)a)->name,
	    ((const struct lead_kindent *)b)->name);
}

/* The entry of a vendor name (in colkey form): bsearch once sorted (a
 * map is read whole, then looked up once an event), a scan while it is
 * being read. */
static int
find(const struct lead_kindmap *m, const char *key)
{
	struct lead_kindent k = { .name = (char *)key }, *e;

	if (m->sorted) {
		e = bsearch(&k, m->ent, m->n, sizeof *m->ent, entcmp);
		return e ? (int)(e - m->ent) : -1;
	}
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->ent[i].name, key) == 0)
			return (int)i;
	return -1;
}

/* Add the lines of text to m (a later line for a name wins).  0, or -1
 * with every error reported. */
static int
parse(struct lead_kindmap *m, const char *text, const char *name, int kinds)
{
	char *copy = lead_xstrdup(text), *line, *next;
	int ln = 0, bad = 0;

	for (line = copy; line; line = next) {
		char *colon, *kind, *save = NULL, *v;
		const char *why;

		ln++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line[strcspn(line, "#\r")] = '\0';
		if (*lead_trim(line) == '\0')
			continue;
		if ((colon = strchr(line, ':')) == NULL) {
			perr(name, ln, "expected KIND: name | name ...", NULL);
			bad = 1;
			continue;
		}
		*colon = '\0';
		kind = lead_trim(line);
		why = kinds ? lead_kind_norm(kind) : *kind ? NULL :
		    "no name before the ':'";
		if (why != NULL) {
			perr(name, ln, why, kind);
			bad = 1;
			continue;
		}
		for (v = strtok_r(colon + 1, "|", &save); v;
		    v = strtok_r(NULL, "|", &save)) {
			char *key = lead_colkey(lead_trim(v));
			int i;

			if (*key == '\0') {
				free(key);
				continue;
			}
			if ((i = find(m, key)) >= 0) {
				free(m->ent[i].kind);
				free(key);
			} else {
				m->ent = lead_xrealloc(m->ent, (m->n + 1) *
				    sizeof *m->ent);
				i = (int)m->n++;
				m->ent[i].name = key;
			}
			m->ent[i].kind = lead_xstrdup(kind);
		}
	}
	free(copy);
	return bad ? -1 : 0;
}

int
lead_kindmap_load(struct lead_kindmap *m, const char *team, const char *name)
{
	return lead_namemap_load(m, lead_kinds_default, team, name, 1);
}

int
lead_namemap_load(struct lead_kindmap *m, const char *builtin,
    const char *team, const char *name, int kinds)
{
	memset(m, 0, sizeof *m);
	if (parse(m, builtin, "built-in map", kinds) < 0)
		lead_die(LEAD_EX_SOFTWARE, "bug: a built-in map is invalid "
		    "(please report it)");
	if (team && parse(m, team, name, kinds) < 0) {
		lead_kindmap_free(m);
		return -1;
	}
	qsort(m->ent, m->n, sizeof *m->ent, entcmp);
	m->sorted = 1;
	return 0;
}

void
lead_kindmap_free(struct lead_kindmap *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->ent[i].name);
		free(m->ent[i].kind);
	}
	free(m->ent);
	memset(m, 0, sizeof *m);
}

const char *
lead_kindmap_kind(const struct lead_kindmap *m, const char *vendor)
{
	char *key = lead_colkey(vendor);
	int i = find(m, key);

	free(key);
	return i >= 0 ? m->ent[i].kind : NULL;
}
