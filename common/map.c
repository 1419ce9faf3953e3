/*
 * map.c: the one hash container.  A lead_map holds records of a fixed
 * size, made zeroed on first sight of their key and kept in the order
 * made; keys are byte strings copied into the map's own arena, found
 * by open addressing (linear probing, at most half full).  A record is
 * also reached by its index, so a caller may sort the indexes by key
 * and walk them.
 *
 * Its faces: lead_strmap (names to numbers: a header's names, a team's
 * company domains), lead-report's rows (up to three keys to counters)
 * and its (row, lead) sets, and lead-score's per-lead sums and kinds.
 */
#include <stdlib.h>
#include <string.h>

#include "lead.h"

struct lead_mkey {
	uint64_t hash;
	size_t off, len;	/* in m->arena */
};

/*
 * A key is given as segments of bytes (one for a plain key; a string
 * each, with its NUL, for lead_map_index_strs), hashed and compared
 * without first joining them.
 */
struct seg {
	const void *p;
	size_t len;
};

#define FNV_BASIS 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

static inline uint64_t
fnv(uint64_t h, const unsigned char *p, size_t len)
{
	while (len--)
		h = (h ^ *p++) * FNV_PRIME;
	return h;
}

/* Numbers (a key of one or two 64-bit words, as the lead ids are) by
 * multiplying, the rest a byte at a time. */
static inline uint64_t
mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ h >> 33;
}

static inline uint64_t
keyhash(const void *k, size_t len)
{
	uint64_t w[2] = { 0, 0 };

	if (len == 8)
		memcpy(w, k, 8);
	else if (len == 16)
		memcpy(w, k, 16);
	else
		return fnv(FNV_BASIS, k, len);
	return mix(w[0] ^ mix(w[1] + 0x9e3779b97f4a7c15ULL));
}

static inline size_t
probe(const struct lead_map *m, uint64_t h)
{
	return (size_t)h & (m->nslot - 1);
}

static void
rehash(struct lead_map *m)
{
	size_t ns = m->nslot ? 2 * m->nslot : 64;

	free(m->slot);
	m->slot = lead_xcalloc(ns, sizeof *m->slot);
	m->nslot = ns;
	for (size_t i = 0; i < m->n; i++) {
		size_t s = probe(m, m->key[i].hash);

		while (m->slot[s])
			s = (s + 1) & (ns - 1);
		m->slot[s] = i + 1;
	}
}

static inline int
same(const struct lead_map *m, const struct lead_mkey *e, uint64_t h,
    const struct seg *k, int nk, size_t len)
{
	const char *a = m->arena + e->off;

	if (e->hash != h || e->len != len)
		return 0;
	if (nk == 1 && len == 16)	/* a pair of numbers */
		return memcmp(a, k[0].p, 16) == 0;
	for (int i = 0; i < nk; a += k[i].len, i++)
		if (memcmp(a, k[i].p, k[i].len) != 0)
			return 0;
	return 1;
}

/* The slot holding the key, or the empty one it would go to. */
static inline size_t
find(const struct lead_map *m, const struct seg *k, int nk, size_t len,
    uint64_t h)
{
	size_t s = probe(m, h);

	for (; m->slot[s]; s = (s + 1) & (m->nslot - 1))
		if (same(m, &m->key[m->slot[s] - 1], h, k, nk, len))
			break;
	return s;
}

static size_t
make(struct lead_map *m, size_t s, const struct seg *k, int nk, size_t len,
    uint64_t h)
{
	char *a;

	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 16;
		m->key = lead_xrealloc(m->key, m->cap * sizeof *m->key);
		if (m->size)
			m->rec = lead_xrealloc(m->rec, m->cap * m->size);
	}
	if (m->narena + len + 1 > m->arenacap) {
		while (m->narena + len + 1 > m->arenacap)
			m->arenacap = m->arenacap ? 2 * m->arenacap : 1024;
		m->arena = lead_xrealloc(m->arena, m->arenacap);
	}
	a = m->arena + m->narena;
	for (int i = 0; i < nk; a += k[i].len, i++)
		memcpy(a, k[i].p, k[i].len);
	*a = '\0';		/* a string key reads as one */
	m->key[m->n] = (struct lead_mkey){ h, m->narena, len };
	m->narena += len + 1;
	if (m->size)
		memset(m->rec + m->n * m->size, 0, m->size);
	m->slot[s] = m->n + 1;
	return m->n++;
}

static size_t
index_of(struct lead_map *m, const struct seg *k, int nk, size_t len,
    uint64_t h)
{
	size_t s;

	if (2 * (m->n + 1) > m->nslot)
		rehash(m);
	if (m->slot[s = find(m, k, nk, len, h)])
		return m->slot[s] - 1;
	return make(m, s, k, nk, len, h);
}

ssize_t
lead_map_find(const struct lead_map *m, const void *k, size_t len)
{
	struct seg g = { k, len };
	size_t s;

	if (m->n == 0)
		return -1;
	s = find(m, &g, 1, len, keyhash(k, len));
	return m->slot[s] ? (ssize_t)m->slot[s] - 1 : -1;
}

size_t
lead_map_index(struct lead_map *m, const void *k, size_t len)
{
	struct seg g = { k, len };

	return index_of(m, &g, 1, len, keyhash(k, len));
}

/* A string a word at a time (its NUL in the last word). */
static inline uint64_t
strhash(uint64_t h, const char *s, size_t len)
{
	uint64_t w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = mix(h ^ w);
	}
	for (w = 0; len > 0; len--)
		w = w << 8 | (unsigned char)s[len - 1];
	return mix(h ^ w ^ 0x80);
}

size_t
lead_map_index_strs(struct lead_map *m, const char *const *s, int n)
{
	struct seg g[LEAD_MAP_MAXSTRS];
	uint64_t h = FNV_BASIS;
	size_t len = 0;

	for (int i = 0; i < n; i++) {
		const char *p = s[i] ? s[i] : "";
		size_t l = strlen(p);

		h = strhash(h, p, l);
		g[i].p = p;
		g[i].len = l + 1;
		len += l + 1;
	}
	return index_of(m, g, n, len, h);
}

void *
lead_map_get(const struct lead_map *m, const void *k, size_t len)
{
	ssize_t i = lead_map_find(m, k, len);

	return i < 0 ? NULL : m->rec + (size_t)i * m->size;
}

void *
lead_map_put(struct lead_map *m, const void *k, size_t len)
{
	size_t i = lead_map_index(m, k, len);

	return m->rec + i * m->size;
}

const char *
lead_map_key(const struct lead_map *m, size_t i, size_t *len)
{
	if (len)
		*len = m->key[i].len;
	return m->arena + m->key[i].off;
}

int
lead_map_add(struct lead_map *m, const void *k, size_t len)
{
	size_t n = m->n;

	return lead_map_index(m, k, len) == n;
}

size_t *
lead_map_sorted(const struct lead_map *m,
    int (*cmp)(const struct lead_map *, size_t, size_t))
{
	size_t *ix = lead_xcalloc(m->n + 1, sizeof *ix);

	for (size_t i = 0; i < m->n; i++)
		ix[i] = i;
	size_t *t = lead_xcalloc(m->n + 1, sizeof *t);

	/* merge sort, bottom up: stable, and cmp gets the map, not a global */
	for (size_t w = 1; w < m->n; w *= 2) {
		for (size_t lo = 0; lo < m->n; lo += 2 * w) {
			size_t mid = lo + w < m->n ? lo + w : m->n;
			size_t hi = lo + 2 * w < m->n ? lo + 2 * w : m->n;
			size_t a = lo, b = mid, o = lo;

			while (a < mid && b < hi)
				t[o++] = cmp(m, ix[b], ix[a]) < 0 ?
				    ix[b++] : ix[a++];
			while (a < mid)
				t[o++] = ix[a++];
			while (b < hi)
				t[o++] = ix[b++];
		}
		memcpy(ix, t, m->n * sizeof *ix);
	}
	free(t);
	return ix;
}

void
lead_map_free(struct lead_map *m)
{
	size_t size = m->size;

	free(m->key);
	free(m->rec);
	free(m->slot);
	free(m->arena);
	memset(m, 0, sizeof *m);
	m->size = size;
}

/* ---- lead_strmap: strings to 64-bit values ------------------------------ */

int64_t *
lead_strmap_get(const struct lead_strmap *m, const char *k)
{
	return lead_map_get(&m->m, k, strlen(k));
}

int64_t *
lead_strmap_put(struct lead_strmap *m, const char *k)
{
	m->m.size = sizeof(int64_t);
	return lead_map_put(&m->m, k, strlen(k));
}

void
lead_strmap_free(struct lead_strmap *m)
{
	lead_map_free(&m->m);
}

/* ---- lead_bloom: a set that may answer yes wrongly, never no -------------- */

/* 2^25 bits (4 MiB), four bits a key, all in one 64-bit word so that a
 * key costs one cache miss: one key in a thousand wrongly said there at a
 * million keys, one in four at ten million. */
#define BLOOM_WORDS ((size_t)1 << 19)

static uint64_t
bloom_mask(const char *k, size_t *word)
{
	uint64_t h = mix(fnv(FNV_BASIS, (const unsigned char *)k, strlen(k)));
	uint64_t m = 0;

	*word = (size_t)h & (BLOOM_WORDS - 1);
	h >>= 40;
	for (int i = 0; i < 4; i++, h >>= 6)
		m |= (uint64_t)1 << (h & 63);
	return m;
}

void
lead_bloom_add(struct lead_bloom *f, const char *k)
{
	size_t w;
	uint64_t m = bloom_mask(k, &w);

	if (f->bits == NULL)
		f->bits = lead_xcalloc(BLOOM_WORDS, sizeof *f->bits);
	f->bits[w] |= m;
}

int
lead_bloom_may(const struct lead_bloom *f, const char *k)
{
	size_t w;
	uint64_t m;

	if (f->bits == NULL)
		return 0;
	m = bloom_mask(k, &w);
	return (f->bits[w] & m) == m;
}

void
lead_bloom_free(struct lead_bloom *f)
{
	free(f->bits);
	f->bits = NULL;
}
