/*
 * text.c: UTF-8 checks, trimming, placeholders, header keys, emails and
 * terminal-safe copies of data.
 *
 * Everything here works on bytes and knows only as much Unicode as lead
 * lists need: the spaces that spreadsheet and CRM exports carry, and the
 * characters that can drive a terminal.  No locale is consulted, so the
 * results do not depend on the user's LANG.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lead.h"

/*
 * Decode the UTF-8 sequence at p (n bytes available).  Returns its length
 * and sets *cp, or 0 if the bytes are not strict UTF-8: overlong forms,
 * surrogates and code points past U+10FFFF are refused because they are
 * how filters get bypassed.
 */
static size_t
u8dec(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] < 0xc2)	/* continuation byte, or overlong C0/C1 */
		return 0;
	if (p[0] < 0xe0) {
		len = 2;
		c = p[0] & 0x1f;
	} else if (p[0] < 0xf0) {
		len = 3;
		c = p[0] & 0x0f;
	} else if (p[0] < 0xf5) {
		len = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

int
lead_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t i, k;

	for (i = 0; i < n; i += k) {
		/* Plain ASCII is nearly all of any lead list: keep it cheap. */
		if (p[i] != 0 && p[i] < 0x80) {
			k = 1;
			continue;
		}
		if (p[i] == 0 || (k = u8dec(p + i, n - i, &cp)) == 0)
			return 0;
	}
	return 1;
}

static int
isuspace(uint32_t c)
{
	return c == 0xa0 || (c >= 0x2000 && c <= 0x200b) || c == 0x202f ||
	    c == 0x205f || c == 0x3000 || c == 0xfeff || c == 0x180e;
}

/*
 * Length of the white space character at p (ASCII, or one of the Unicode
 * spaces exports carry), or 0.
 */
static size_t
spacelen(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t k;

	if (n == 0)
		return 0;
	if (p[0] < 0x80)
		return (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r')) ? 1 : 0;
	if ((k = u8dec(p, n, &cp)) > 0 && isuspace(cp))
		return k;
	return 0;
}

char *
lead_trim(char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k, start, end;
	uint32_t cp;

	/* Most values start and end with a printable ASCII character: then
	 * there is nothing to trim (this runs for every field). */
	if (n == 0 || (p[0] > ' ' && p[0] < 0x7f && p[n - 1] > ' ' &&
	    p[n - 1] < 0x7f))
		return s;
	while ((k = spacelen(p + i, n - i)) > 0)
		i += k;
	/*
	 * Walk forward rather than back from the end: a UTF-8 space can only
	 * be recognised from its first byte.
	 */
	start = end = i;
	while (i < n) {
		if ((k = spacelen(p + i, n - i)) > 0) {
			i += k;
			continue;
		}
		if ((k = u8dec(p + i, n - i, &cp)) == 0)
			k = 1;
		i += k;
		end = i;
	}
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
	return s;
}

/*
 * What CRMs, form tools and spreadsheets write where there is no value.
 * "NA" is not here: it is Namibia's country code.
 */
static const char *const placeholders[] = {
	"#div/0!", "#n/a", "#name?", "#null!", "#num!", "#ref!", "#value!",
	"(blank)", "(none)", "(null)", "-", "--", "-- select --", "---",
	"--select--", "0000-00-00", "?", "[blank]", "[not provided]", "n/a",
	"nil", "none", "not provided", "null", "please select", "select",
	"undefined", "unknown",
};

int
lead_blank(const char *s)
{
	size_t i;
	char first;

	if (s == NULL || *s == '\0')
		return 1;
	/* Most values are no placeholder: rule them out by their first
	 * byte and length before comparing (this runs for every field). */
	if (strchr("#(-0?[nNpPsSuU", *s) == NULL || strlen(s) > 14)
		return 0;
	first = (char)(*s >= 'A' && *s <= 'Z' ? *s + ('a' - 'A') : *s);
	for (i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++)
		if (placeholders[i][0] == first &&
		    strcasecmp(s, placeholders[i]) == 0)
			return 1;
	return 0;
}

char *
lead_lower(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return s;
}

char *
lead_colkey(const char *name)
{
	return lead_colkey_buf(name, NULL, 0);
}

char *
lead_colkey_buf(const char *name, char *buf, size_t bufsize)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t n = strlen(name), i = 0, k;
	char *out = n < bufsize ? buf : lead_xmalloc(n + 1), *q = out;
	uint32_t cp;

	while (i < n) {
		if (p[i] < 0x80) {
			if (p[i] >= 'A' && p[i] <= 'Z')
				*q++ = (char)(p[i] + ('a' - 'A'));
			else if ((p[i] >= 'a' && p[i] <= 'z') ||
			    (p[i] >= '0' && p[i] <= '9'))
				*q++ = (char)p[i];
			i++;
			continue;
		}
		/* BOM and no-break spaces are as meaningless as ASCII ones. */
		if ((k = u8dec(p + i, n - i, &cp)) > 0 && isuspace(cp)) {
			i += k;
			continue;
		}
		if (k == 0)
			k = 1;
		memcpy(q, p + i, k);
		/* Latin-1 capitals (U+00C0..U+00DE but for U+00D7) fold to
		 * lower case, so "PRÉNOM" is "prénom". */
		if (k == 2 && cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
			q[1] = (char)(p[i + 1] + 0x20);
		q += k;
		i += k;
	}
	*q = '\0';
	return out;
}

static int
isalnum_ascii(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* Code points that change how text shows without showing themselves:
 * C1 controls, bidirectional overrides and isolates, zero-width and
 * other invisible formatting characters.  In an address they defeat
 * dedupe; in a message or a file name they can reorder or hide what a
 * terminal shows. */
static int
hidden(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0xad || c == 0x34f ||
	    c == 0x61c || (c >= 0x115f && c <= 0x1160) ||
	    (c >= 0x180b && c <= 0x180f) || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) ||
	    c == 0x3164 || (c >= 0xfe00 && c <= 0xfe0f) || c == 0xfeff ||
	    c == 0xffa0 || (c >= 0xfff0 && c <= 0xfffb) ||
	    (c >= 0x1d173 && c <= 0x1d17a) || (c >= 0xe0000 && c <= 0xe0fff);
}

const char *
lead_text_unsafe(const char *s, int lines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;
	uint32_t cp;

	for (size_t i = 0; i < n; i += k) {
		k = 1;
		if (p[i] < 0x20 || p[i] == 0x7f) {
			if (lines && (p[i] == '\n' || p[i] == '\t'))
				continue;
			return "a control character";
		}
		if (p[i] < 0x80)
			continue;
		if ((k = u8dec(p + i, n - i, &cp)) == 0)
			return "bytes that are not UTF-8";
		if (hidden(cp))
			return "an invisible or direction-changing character";
	}
	return NULL;
}

size_t
lead_text_safe(char *s)
{
	unsigned char *p = (unsigned char *)s, *q = p;
	size_t n = strlen(s), k, bad = 0;
	uint32_t cp;

	for (size_t i = 0; i < n; i += k) {
		k = 1;
		if (p[i] < 0x20 || p[i] == 0x7f) {
			*q++ = '?';
			bad++;
		} else if (p[i] < 0x80)
			*q++ = p[i];
		else if ((k = u8dec(p + i, n - i, &cp)) == 0 || hidden(cp)) {
			k = k ? k : 1;
			*q++ = '?';
			bad++;
		} else {
			memmove(q, p + i, k);
			q += k;
		}
	}
	*q = '\0';
	return bad;
}

/*
 * Practical checks rather than RFC 5322: quoted local parts, comments and
 * IP literals are legal there but in a lead list they are typing errors.
 */
static const char *
email_check(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *at, *dom, *lab, *dot;
	size_t n = strlen(s), i, k;
	uint32_t cp;

	if (n == 0)
		return "empty";
	if (n > 254)
		return "too long";
	for (i = 0; i < n; i++)
		if (spacelen(p + i, n - i) > 0)
			return "contains white space";
	if ((at = strchr(s, '@')) == NULL)
		return "missing '@'";
	if (strchr(at + 1, '@') != NULL)
		return "more than one '@'";
	if (at == s)
		return "empty local part";
	dom = at + 1;
	if (*dom == '\0')
		return "empty domain";
	if (at - s > 64)
		return "local part too long";
	for (i = 0; i < n; i += k) {
		k = 1;
		if (p[i] >= 0x80) {
			/* Internationalised addresses (RFC 6531), but none
			 * that hides or reorders what it shows. */
			if ((k = u8dec(p + i, n - i, &cp)) == 0)
				return "invalid character";
			if (hidden(cp))
				return "an invisible or direction-changing "
				    "character";
		} else if (isalnum_ascii(p[i]) || p[i] == '.' || p[i] == '-' ||
		    p[i] == '@')
			;
		else if (s + i >= dom || strchr("!#$%&'*+/=?^_`{|}~", p[i]) ==
		    NULL)
			return "invalid character";
	}
	if (strstr(s, "..") != NULL)
		return "consecutive dots";
	if (s[0] == '.' || at[-1] == '.')
		return "local part starts or ends with '.'";
	if (*dom == '.' || *dom == '-' || s[n - 1] == '.' || s[n - 1] == '-')
		return "domain starts or ends with '.' or '-'";
	if (strchr(dom, '.') == NULL)
		return "domain has no dot";
	for (lab = dom; lab != NULL; lab = dot ? dot + 1 : NULL) {
		dot = strchr(lab, '.');
		k = dot ? (size_t)(dot - lab) : strlen(lab);
		if (k > 63)
			return "domain label too long";
		if (lab[0] == '-' || lab[k - 1] == '-')
			return "domain label starts or ends with '-'";
	}
	return NULL;
}

const char *
lead_email_norm(char *s)
{
	size_t n;
	char *lt, *q;

	lead_trim(s);
	/* "Bob Smith <bob@acme.com>", as mail clients copy addresses. */
	n = strlen(s);
	if (n > 0 && s[n - 1] == '>' && (lt = strrchr(s, '<')) != NULL) {
		s[n - 1] = '\0';
		memmove(s, lt + 1, strlen(lt + 1) + 1);
		lead_trim(s);
	}
	/* CRM activity exports: "Bob Smith (bob@acme.com)". */
	n = strlen(s);
	if (n > 0 && s[n - 1] == ')' && (lt = strrchr(s, '(')) != NULL &&
	    memchr(lt, '@', (size_t)(s + n - lt)) != NULL) {
		s[n - 1] = '\0';
		memmove(s, lt + 1, strlen(lt + 1) + 1);
		lead_trim(s);
	}
	/* Scraped from web pages: "mailto:bob@acme.com?subject=Hi". */
	if (strncasecmp(s, "mailto:", 7) == 0) {
		memmove(s, s + 7, strlen(s + 7) + 1);
		if ((q = strchr(s, '?')) != NULL)
			*q = '\0';
		lead_trim(s);
	}
	lead_lower(s);
	return email_check(s);
}

const char *
lead_email_domain(const char *email)
{
	const char *at = strrchr(email, '@');

	return at ? at + 1 : "";
}

/* Free-mail domains, sorted (LC_ALL=C) for bsearch. */
static const char *const freemail[] = {
	"126.com", "139.com", "163.com", "aim.com", "alice.it", "att.net",
	"bigpond.com", "bk.ru", "bluewin.ch", "btinternet.com", "comcast.net",
	"cox.net", "daum.net", "earthlink.net", "email.com", "fastmail.com",
	"fastmail.fm", "free.fr", "freenet.de", "gmail.com", "googlemail.com",
	"hanmail.net", "hey.com", "hushmail.com", "icloud.com", "inbox.com",
	"inbox.ru", "interia.pl", "laposte.net", "libero.it", "list.ru",
	"mac.com", "mail.com", "mail.ru", "me.com", "msn.com", "naver.com",
	"o2.pl", "onet.pl", "orange.fr", "pm.me", "proton.me",
	"protonmail.ch", "protonmail.com", "qq.com", "rambler.ru",
	"rediffmail.com", "rocketmail.com", "sbcglobal.net", "seznam.cz",
	"sfr.fr", "shaw.ca", "sina.com", "sky.com", "t-online.de",
	"tiscali.it", "tuta.io", "tutanota.com", "verizon.net", "virgilio.it",
	"wanadoo.fr", "web.de", "wp.pl", "ya.ru", "yeah.net", "ymail.com",
	"zoho.com", "zohomail.com",
};

/* Providers that run the same service under many country domains. */
static const char *const freemail_family[] = {
	"aol", "gmx", "hotmail", "live", "outlook", "yahoo", "yandex",
};

static int
cmpdomain(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * 1 if s looks like a public suffix of at most two short labels ("com",
 * "fr", "co.uk", "com.br"), so that "yahoo.acme.com" is not taken for
 * Yahoo.
 */
static int
istld(const char *s)
{
	static const char letters[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	int labels = 0;
	size_t k;

	for (;;) {
		k = strspn(s, letters);
		if (k < 2 || k > 3 || ++labels > 2)
			return 0;
		if (s[k] == '\0')
			return 1;
		if (s[k] != '.')
			return 0;
		s += k + 1;
	}
}

int
lead_freemail(const char *domain)
{
	size_t i, k;

	if (bsearch(&domain, freemail, sizeof freemail / sizeof freemail[0],
	    sizeof freemail[0], cmpdomain) != NULL)
		return 1;
	for (i = 0; i < sizeof freemail_family / sizeof freemail_family[0];
	    i++) {
		k = strlen(freemail_family[i]);
		if (strncasecmp(domain, freemail_family[i], k) == 0 &&
		    domain[k] == '.' && istld(domain + k + 1))
			return 1;
	}
	return 0;
}

/*
 * Characters that reorder or break what a terminal shows: the bidi
 * embeddings, overrides and isolates ("Trojan Source"), and the Unicode
 * line and paragraph separators.
 */
static int
isbidi(uint32_t c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0x2028 || c == 0x2029;
}

char *
lead_sanitize(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct lead_buf b = { 0 };
	size_t n = strlen(s), i = 0, k, run;
	uint32_t cp;

	while (i < n) {
		/* Copy printable ASCII in runs: it is most of any value. */
		for (run = i; run < n && p[run] >= 0x20 && p[run] < 0x7f; run++)
			;
		if (run > i) {
			lead_buf_add(&b, s + i, run - i);
			i = run;
			continue;
		}
		if (p[i] < 0x80) {
			switch (p[i]) {
			case '\n': lead_buf_add(&b, "\\n", 2); break;
			case '\t': lead_buf_add(&b, "\\t", 2); break;
			case '\r': lead_buf_add(&b, "\\r", 2); break;
			default: lead_buf_addf(&b, "\\x%02x", p[i]); break;
			}
			i++;
			continue;
		}
		if ((k = u8dec(p + i, n - i, &cp)) == 0) {
			lead_buf_addf(&b, "\\x%02x", p[i]);
			i++;
			continue;
		}
		/* C1 controls include CSI (U+009B), an ESC [ of its own. */
		if ((cp >= 0x80 && cp <= 0x9f) || isbidi(cp))
			lead_buf_addf(&b, "\\u%04x", (unsigned)cp);
		else
			lead_buf_add(&b, s + i, k);
		i += k;
	}
	return lead_buf_take(&b);
}

const char *
lead_kind_norm(char *k)
{
	lead_lower(k);
	for (char *p = k; *p; p++)
		if (*p == ' ' || *p == '-')
			*p = '_';
	if (*k == '\0')
		return "no kind";
	for (const char *p = k; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_'))
			return "a kind is a word of letters, digits and '_'";
	if (strlen(k) > 64)
		return "a kind is at most 64 characters";
	return NULL;
}

uint32_t
lead_strhash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Edit distance, for "did you mean": short names only. */
static int
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[65];

	if (la > 64 || lb > 64)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0], cur;

		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = prev + ((a[i - 1] | 32) != (b[j - 1] | 32));
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			prev = cur;
		}
	}
	return row[lb];
}

const char *
lead_suggest(const char *s, const char *const *names, size_t n)
{
	const char *best = NULL;
	int bd = 3;

	for (size_t i = 0; i < n; i++) {
		int d = distance(s, names[i]);

		if (d < bd && (size_t)d < strlen(s)) {
			bd = d;
			best = names[i];
		}
	}
	return best;
}

/* Currency signs and codes that exports put before or after an amount. */
static const char *const currencies[] = {
	"$", "\xe2\x82\xac", "\xc2\xa3", "\xc2\xa5", "USD", "EUR", "GBP",
	"CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "PLN", "INR", "US$",
	"A$", "C$", "kr", NULL
};

/* s with a currency sign or code at either end taken off (in place). */
static char *
strip_currency(char *s)
{
	for (int again = 1; again;) {
		again = 0;
		lead_trim(s);
		for (int i = 0; currencies[i]; i++) {
			size_t n = strlen(currencies[i]), len = strlen(s);

			if (len > n && strncasecmp(s, currencies[i], n) == 0) {
				memmove(s, s + n, len - n + 1);
				again = 1;
			} else if (len > n && strcasecmp(s + len - n,
			    currencies[i]) == 0) {
				s[len - n] = '\0';
				again = 1;
			}
		}
	}
	return s;
}

int
lead_money_parse(const char *in, int decimal, double *v)
{
	char buf[64], digits[64], *s, *d = digits;
	const char *lastdot, *lastcomma;
	int neg = 0, dec;
	size_t n;

	if (in == NULL || strlen(in) >= sizeof buf)
		return -1;
	strcpy(buf, in);
	s = strip_currency(buf);
	n = strlen(s);
	/* Accountants' negatives: "(1,234.00)". */
	if (n > 2 && s[0] == '(' && s[n - 1] == ')') {
		s[n - 1] = '\0';
		s = strip_currency(s + 1);
		neg = 1;
	}
	if (*s == '-' || *s == '+') {
		neg ^= *s == '-';
		s = strip_currency(s + 1);
	}
	if (*s == '\0' || s[strspn(s, "0123456789.,' \xc2\xa0")] != '\0')
		return -1;
	lastdot = strrchr(s, '.');
	lastcomma = strrchr(s, ',');
	/* The decimal mark: the later of the two when both are there;
	 * else the column's (decimal); else a lone mark before three
	 * digits groups them ("4,500", "4.500": money has two decimals,
	 * not three) and any other is the decimal mark. */
	if (lastdot && lastcomma)
		dec = lastdot > lastcomma ? '.' : ',';
	else if (lastdot || lastcomma) {
		int c = lastdot ? '.' : ',';
		const char *first = strchr(s, c), *last = strrchr(s, c);
		int groups = strlen(last + 1) == 3;

		for (const char *p = first; groups && p < last; p++)
			if (*p == c && (strspn(p + 1, "0123456789") != 3))
				groups = 0;
		if (first != last)
			dec = groups ? (c == '.' ? ',' : '.') : -1;
		else if (decimal == c)
			dec = c;
		else
			dec = groups ? (c == '.' ? ',' : '.') : c;
		if (dec < 0)
			return -1;
	} else
		dec = '.';
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			*d++ = *p;
		else if (*p == dec)
			*d++ = '.';
	}
	*d = '\0';
	if (d == digits || strchr(digits, '.') != strrchr(digits, '.'))
		return -1;
	*v = strtod(digits, NULL);
	if (neg)
		*v = -*v;
	return *v > -1e15 && *v < 1e15 ? 0 : -1;
}

int
lead_money_mark(const char *s)
{
	const char *d = strrchr(s, '.'), *c = strrchr(s, ',');
	const char *last;
	size_t k;

	if (d && c)
		return d > c ? '.' : ',';
	if ((last = d ? d : c) == NULL || strchr(s, *last) != last)
		return 0;
	k = strspn(last + 1, "0123456789");
	return k != 3 && k > 0 ? *last : 0;
}

const char *
lead_real_text(double d, char buf[LEAD_REAL_LEN])
{
	if (isinf(d))
		return d > 0 ? "Inf" : "-Inf";
	snprintf(buf, LEAD_REAL_LEN, "%.15g", d);
	if (strpbrk(buf, ".en") == NULL) {
		size_t n = strlen(buf);

		memcpy(buf + n, ".0", 3);
	}
	return buf;
}
