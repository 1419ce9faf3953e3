/*
 * map.c: strings to 64-bit values, by hash (open addressing, linear
 * probing, at most half full).  The one container for the tables the
 * code needs by name: a header's names, the company domains of a team.
 * Keys are borrowed, or copied and freed with the map (own).
 */
#include <stdlib.h>
#include <string.h>

#include "lead.h"

static size_t
slot(const struct lead_strmap *m, const char *k)
{
	size_t i = lead_strhash(k) & (m->cap - 1);

	while (m->k[i] && strcmp(m->k[i], k) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

int64_t *
lead_strmap_get(const struct lead_strmap *m, const char *k)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	i = slot(m, k);
	return m->k[i] ? &m->v[i] : NULL;
}

int64_t *
lead_strmap_put(struct lead_strmap *m, const char *k)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		struct lead_strmap o = *m;

		m->cap = m->cap ? 2 * m->cap : 64;
		m->k = lead_xcalloc(m->cap, sizeof *m->k);
		m->v = lead_xcalloc(m->cap, sizeof *m->v);
		for (size_t j = 0; j < o.cap; j++)
			if (o.k[j]) {
				i = slot(m, o.k[j]);
				m->k[i] = o.k[j];
				m->v[i] = o.v[j];
			}
		free(o.k);
		free(o.v);
	}
	if (m->k[i = slot(m, k)] == NULL) {
		m->k[i] = m->own ? lead_xstrdup(k) : k;
		m->v[i] = 0;
		m->n++;
	}
	return &m->v[i];
}

void
lead_strmap_free(struct lead_strmap *m)
{
	int own = m->own;

	for (size_t i = 0; own && i < m->cap; i++)
		free((char *)m->k[i]);
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof *m);
	m->own = own;
}
