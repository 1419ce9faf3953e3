/*
 * geo.c: countries as exports write them, and the regions sales teams
 * split the world into.
 *
 * "US", "USA", "United States", "U.S.A." and "Vereinigte Staaten" are one
 * country: lead_country_code() gives its ISO 3166 alpha-2 code.  Names
 * match like header names (case, spaces and punctuation ignored).  The
 * table holds the English name, the name in the country's own language
 * and the other names that exports of CRMs and webinar platforms use.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lead.h"

static const struct country {
	const char *code, *region, *names;	/* names: '|'-separated */
} countries[] = {
	{ "US", "NA", "united states|usa|us|united states of america|america|"
	    "vereinigte staaten|etats unis|états unis|estados unidos" },
	{ "CA", "NA", "canada|kanada" },
	{ "MX", "LATAM", "mexico|méxico|mexiko" },
	{ "BR", "LATAM", "brazil|brasil|brasilien" },
	{ "AR", "LATAM", "argentina|argentinien" },
	{ "CL", "LATAM", "chile" },
	{ "CO", "LATAM", "colombia|kolumbien" },
	{ "PE", "LATAM", "peru|perú" },
	{ "GB", "EMEA", "united kingdom|uk|gb|great britain|britain|england|"
	    "scotland|wales|northern ireland|vereinigtes königreich|"
	    "grossbritannien|großbritannien|royaume uni|reino unido" },
	{ "IE", "EMEA", "ireland|irland|éire|eire" },
	{ "DE", "EMEA", "germany|deutschland|allemagne|alemania|germania" },
	{ "AT", "EMEA", "austria|österreich|oesterreich|autriche" },
	{ "CH", "EMEA", "switzerland|schweiz|suisse|svizzera|suiza" },
	{ "FR", "EMEA", "france|frankreich|francia" },
	{ "BE", "EMEA", "belgium|belgien|belgique|belgië|belgie" },
	{ "NL", "EMEA", "netherlands|the netherlands|holland|nederland|"
	    "niederlande|pays bas|países bajos" },
	{ "LU", "EMEA", "luxembourg|luxemburg" },
	{ "IT", "EMEA", "italy|italia|italien|italie" },
	{ "ES", "EMEA", "spain|españa|espana|spanien|espagne" },
	{ "PT", "EMEA", "portugal" },
	{ "DK", "EMEA", "denmark|danmark|dänemark|daenemark|danemark" },
	{ "SE", "EMEA", "sweden|sverige|schweden|suède" },
	{ "NO", "EMEA", "norway|norge|norwegen|norvège" },
	{ "FI", "EMEA", "finland|suomi|finnland" },
	{ "IS", "EMEA", "iceland|ísland|island" },
	{ "PL", "EMEA", "poland|polska|polen|pologne" },
	{ "CZ", "EMEA", "czech republic|czechia|česko|cesko|tschechien" },
	{ "SK", "EMEA", "slovakia|slovensko|slowakei" },
	{ "HU", "EMEA", "hungary|magyarország|ungarn" },
	{ "RO", "EMEA", "romania|românia|rumänien" },
	{ "BG", "EMEA", "bulgaria|българия|bulgarien" },
	{ "GR", "EMEA", "greece|ελλάδα|griechenland|grèce" },
	{ "HR", "EMEA", "croatia|hrvatska|kroatien" },
	{ "SI", "EMEA", "slovenia|slovenija|slowenien" },
	{ "RS", "EMEA", "serbia|србија|serbien" },
	{ "EE", "EMEA", "estonia|eesti|estland" },
	{ "LV", "EMEA", "latvia|latvija|lettland" },
	{ "LT", "EMEA", "lithuania|lietuva|litauen" },
	{ "UA", "EMEA", "ukraine|україна" },
	{ "TR", "EMEA", "turkey|türkiye|turkiye|türkei" },
	{ "IL", "EMEA", "israel" },
	{ "AE", "EMEA", "united arab emirates|uae|emirates|"
	    "vereinigte arabische emirate" },
	{ "SA", "EMEA", "saudi arabia|saudi-arabien" },
	{ "QA", "EMEA", "qatar|katar" },
	{ "EG", "EMEA", "egypt|ägypten" },
	{ "MA", "EMEA", "morocco|maroc|marokko" },
	{ "NG", "EMEA", "nigeria" },
	{ "KE", "EMEA", "kenya|kenia" },
	{ "ZA", "EMEA", "south africa|südafrika|suedafrika" },
	{ "IN", "APAC", "india|indien|bharat" },
	{ "CN", "APAC", "china|中国|prc|people's republic of china" },
	{ "HK", "APAC", "hong kong|hongkong" },
	{ "TW", "APAC", "taiwan" },
	{ "JP", "APAC", "japan|日本|nippon" },
	{ "KR", "APAC", "south korea|korea|republic of korea|대한민국|südkorea" },
	{ "SG", "APAC", "singapore|singapur" },
	{ "MY", "APAC", "malaysia" },
	{ "TH", "APAC", "thailand" },
	{ "VN", "APAC", "vietnam|viet nam" },
	{ "ID", "APAC", "indonesia|indonesien" },
	{ "PH", "APAC", "philippines|philippinen" },
	{ "AU", "APAC", "australia|australien" },
	{ "NZ", "APAC", "new zealand|aotearoa|neuseeland" },
	{ "PK", "APAC", "pakistan" },
	{ "BD", "APAC", "bangladesh|bangladesch" },
	{ "RU", "EMEA", "russia|russian federation|россия|russland" },
};
#define NCOUNTRIES (sizeof countries / sizeof countries[0])

/* Regions a territory may name, beyond the table's own. */
static const struct {
	const char *name, *codes;
} groups[] = {
	{ "dach", "DE AT CH" },
	{ "benelux", "BE NL LU" },
	{ "nordics", "DK SE NO FI IS" },
	{ "anz", "AU NZ" },
	{ "uki", "GB IE" },
	{ "americas", "US CA MX BR AR CL CO PE" },
	{ "europe", "GB IE DE AT CH FR BE NL LU IT ES PT DK SE NO FI IS PL CZ "
	    "SK HU RO BG GR HR SI RS EE LV LT UA" },
};

/* A name for matching: lead_colkey(), with the accented capitals of
 * Latin-1 folded too ("ÖSTERREICH", "Österreich").  Caller frees. */
static char *
key_of(const char *s)
{
	char *k = lead_colkey(s);

	for (unsigned char *p = (unsigned char *)k; *p; p++)
		if (p[0] == 0xc3 && p[1] >= 0x80 && p[1] <= 0x9e &&
		    p[1] != 0x97)
			p[1] += 0x20;
	return k;
}

/* Every name of every country, in key form, made once. */
static struct nameent {
	char *key;
	size_t country;
} *names;
static size_t nnames;

static void
names_init(void)
{
	size_t cap = 0;

	if (names)
		return;
	for (size_t i = 0; i < NCOUNTRIES; i++) {
		const char *p = countries[i].names;

		while (*p) {
			size_t n = strcspn(p, "|");
			char *one = lead_xstrndup(p, n);

			if (nnames == cap) {
				cap = cap ? 2 * cap : 256;
				names = lead_xrealloc(names, cap *
				    sizeof *names);
			}
			names[nnames].key = key_of(one);
			names[nnames++].country = i;
			free(one);
			p += n + (p[n] == '|');
		}
	}
}

/* The table's entry for a country as written, or -1.  The answers are
 * remembered (a direct-mapped memo): routing asks for the same few
 * countries once a rep and a lead. */
static long
country_find(const char *s)
{
	static struct {
		char *s;
		long found;
	} memo[256];
	uint32_t h;
	char *key;
	long found = -1;

	if (s == NULL || *s == '\0')
		return -1;
	h = lead_strhash(s) & 255;
	if (memo[h].s && strcmp(memo[h].s, s) == 0)
		return memo[h].found;
	names_init();
	key = key_of(s);
	for (size_t i = 0; i < NCOUNTRIES && found < 0; i++)
		if (strcasecmp(key, countries[i].code) == 0)
			found = (long)i;
	for (size_t i = 0; i < nnames && found < 0; i++)
		if (strcmp(key, names[i].key) == 0)
			found = (long)names[i].country;
	free(key);
	if (strlen(s) < 64) {
		free(memo[h].s);
		memo[h].s = lead_xstrdup(s);
		memo[h].found = found;
	}
	return found;
}

const char *
lead_country_code(const char *s)
{
	long i = country_find(s);

	return i < 0 ? NULL : countries[i].code;
}

int
lead_territory_match(const char *entry, const char *country,
    const char *region)
{
	long ci = country_find(country);
	const char *code = ci < 0 ? NULL : countries[ci].code;
	char *key;
	int level = 0;

	if (strcmp(entry, "*") == 0)
		return 1;
	key = key_of(entry);
	if (region && *region) {
		char *rk = key_of(region);

		if (strcmp(rk, key) == 0)
			level = 4;
		free(rk);
	}
	if (level == 0 && code) {
		const char *ec = lead_country_code(entry);

		if (ec && strcmp(ec, code) == 0)
			level = 4;
		for (size_t i = 0; level == 0 && i < sizeof groups /
		    sizeof groups[0]; i++)
			if (strcmp(key, groups[i].name) == 0 &&
			    strstr(groups[i].codes, code) != NULL)
				level = 3;
		if (level == 0 && strcasecmp(key, countries[ci].region) == 0)
			level = 2;
	} else if (level == 0 && country && *country) {
		char *ck = key_of(country);

		if (strcmp(ck, key) == 0)
			level = 4;
		free(ck);
	}
	free(key);
	return level;
}

int
lead_territory_known(const char *entry)
{
	char *key;
	int yes;

	if (strcmp(entry, "*") == 0 || lead_country_code(entry))
		return 1;
	key = key_of(entry);
	yes = strcmp(key, "na") == 0 || strcmp(key, "emea") == 0 ||
	    strcmp(key, "apac") == 0 || strcmp(key, "latam") == 0;
	for (size_t i = 0; !yes && i < sizeof groups / sizeof groups[0]; i++)
		yes = strcmp(key, groups[i].name) == 0;
	free(key);
	return yes;
}
