/* util.c — memory wrappers, growable buffer, error record, string arena and string map.
 * The one out-of-memory policy of cundang lives here: report and exit(3). */
#include "util.h"
#include <errno.h>
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
	fprintf(stderr, "cundang: out of memory (asked for %zu bytes)\n", n);
	exit(3);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		oom(count * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void xgrow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	*p = xrealloc(*p, c * elem);
	*cap = c;
}

/* ---- buf_t ---- */

void buf_reserve(buf_t *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t c = b->cap ? b->cap : 64;
	while (c < need)
		c *= 2;
	b->data = xrealloc(b->data, c);
	b->cap = c;
}

void buf_add(buf_t *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_adds(buf_t *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addc(buf_t *b, char c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void buf_vprintf(buf_t *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(buf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_clear(buf_t *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *buf_detach(buf_t *b)
{
	char *p = b->data ? b->data : xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_free(buf_t *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* ---- err_t ---- */

int err_set(err_t *e, const char *file, long line, const char *fmt, ...)
{
	if (!e)
		return -1;
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void err_format(const err_t *e, char *out, size_t n)
{
	if (e->file[0] && e->line > 0)
		snprintf(out, n, "%s:%ld: %s", e->file, e->line, e->msg);
	else if (e->file[0])
		snprintf(out, n, "%s: %s", e->file, e->msg);
	else
		snprintf(out, n, "%s", e->msg);
}

/* ---- arena_t ---- */

struct arena_block {
	arena_block_t *next;
	size_t used, size;
	max_align_t data[];
};

#define ARENA_BLOCK (256 * 1024)

void *arena_alloc(arena_t *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	arena_block_t *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		arena_block_t *nb = xmalloc(sizeof *nb + size);
		nb->used = 0;
		nb->size = size;
		if (b && size != ARENA_BLOCK) {
			/* A big one-off allocation goes behind the current block so the
			 * current block's free space stays usable. */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena_t *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_merge(arena_t *dst, arena_t *src)
{
	if (!src->head)
		return;
	arena_block_t *tail = src->head;
	while (tail->next)
		tail = tail->next;
	/* src's blocks go behind dst's head so dst keeps allocating where it was. */
	if (dst->head) {
		tail->next = dst->head->next;
		dst->head->next = src->head;
	} else {
		dst->head = src->head;
	}
	src->head = NULL;
}

void arena_free(arena_t *a)
{
	arena_block_t *b = a->head;
	while (b) {
		arena_block_t *n = b->next;
		free(b);
		b = n;
	}
	a->head = NULL;
}

/* ---- hashing and strmap_t ---- */

uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

void strmap_init(strmap_t *m, size_t expect)
{
	size_t cap = 16;
	while (cap < expect * 2)
		cap *= 2;
	m->cap = cap;
	m->count = 0;
	m->slots = xcalloc(cap, sizeof *m->slots);
}

static size_t strmap_slot(const strmap_t *m, const char *key, uint32_t h)
{
	size_t mask = m->cap - 1;
	size_t i = h & mask;
	while (m->slots[i].key) {
		if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0)
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

uint32_t strmap_hash(const char *key)
{
	return (uint32_t)hash_bytes(key, strlen(key));
}

void strmap_prefetch(const strmap_t *m, uint32_t hash)
{
	if (m->cap)
		__builtin_prefetch(&m->slots[hash & (m->cap - 1)]);
}

int strmap_get_h(const strmap_t *m, const char *key, uint32_t h)
{
	if (!m->cap)
		return -1;
	size_t i = strmap_slot(m, key, h);
	return m->slots[i].key ? m->slots[i].val : -1;
}

int strmap_get(const strmap_t *m, const char *key)
{
	return strmap_get_h(m, key, strmap_hash(key));
}

static void strmap_rehash(strmap_t *m)
{
	strmap_t n;
	strmap_init(&n, m->cap); /* doubles: init sizes to 2 × expect */
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			n.slots[strmap_slot(&n, m->slots[i].key, m->slots[i].hash)] = m->slots[i];
	n.count = m->count;
	strmap_free(m);
	*m = n;
}

int strmap_put_h(strmap_t *m, const char *key, uint32_t h, int val)
{
	if (!m->cap)
		strmap_init(m, 8);
	if ((m->count + 1) * 10 > m->cap * 7)
		strmap_rehash(m);
	size_t i = strmap_slot(m, key, h);
	if (m->slots[i].key)
		return m->slots[i].val;
	m->slots[i] = (strmap_slot_t){key, h, val};
	m->count++;
	return -1;
}

int strmap_put(strmap_t *m, const char *key, int val)
{
	return strmap_put_h(m, key, strmap_hash(key), val);
}

void strmap_free(strmap_t *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}

char *path_join(const char *dir, const char *name)
{
	size_t a = strlen(dir);
	buf_t b = {0};
	buf_add(&b, dir, a);
	if (a && dir[a - 1] != '/')
		buf_addc(&b, '/');
	buf_adds(&b, name);
	return buf_detach(&b);
}

int path_make_dirs(const char *path, size_t skip, bool parents_only, char **failed)
{
	char *p = xstrdup(path);
	size_t n = strlen(p);
	int rc = 0;
	/* Each '/' after the skipped part ends a parent; the end of the string ends path. */
	for (size_t i = skip + 1; i <= n && rc == 0; i++) {
		if (i < n && p[i] != '/')
			continue;
		if (i == n && parents_only)
			break;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			rc = -1;
			if (failed) {
				int e = errno;
				*failed = xstrdup(p);
				errno = e;
			}
		}
		p[i] = c;
	}
	free(p);
	return rc;
}
