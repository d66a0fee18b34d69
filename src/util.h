/* util.h — memory wrappers, the growable buffer, the error record and a string arena.
 * Every other module builds on these; out-of-memory is reported and exits here only. */
#ifndef CUNDANG_UTIL_H
#define CUNDANG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Allocation wrappers: on failure they print one line and exit(3). They never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *p (an array of *cap elements of size elem) so it holds at least need elements. */
void xgrow(void **p, size_t *cap, size_t need, size_t elem);

/* buf_t: bytes with a length, always NUL-terminated once anything was added. */
typedef struct {
	char *data;
	size_t len, cap;
} buf_t;

void buf_reserve(buf_t *b, size_t extra);
void buf_add(buf_t *b, const void *p, size_t n);
void buf_adds(buf_t *b, const char *s);
void buf_addc(buf_t *b, char c);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap);
void buf_clear(buf_t *b);
/* Hands the bytes to the caller (who frees them) and leaves b empty. */
char *buf_detach(buf_t *b);
void buf_free(buf_t *b);

/* err_t: a fatal problem for a person to act on: "file:line: message" (line 0 = none). */
typedef struct {
	char file[512];
	long line;
	char msg[512];
} err_t;

/* Fills e (which may be NULL) and returns -1, so callers can write `return err_set(...)`. */
int err_set(err_t *e, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Formats e as "file:line: message" (or "file: message" / "message") into out. */
void err_format(const err_t *e, char *out, size_t n);

/* arena_t: many small strings with one lifetime; freed all at once by arena_free. */
typedef struct arena_block arena_block_t;
typedef struct {
	arena_block_t *head;
} arena_t;

char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_strdup(arena_t *a, const char *s);
void *arena_alloc(arena_t *a, size_t n);
/* Moves every block of src into dst; src is left empty. */
void arena_merge(arena_t *dst, arena_t *src);
void arena_free(arena_t *a);

/* Hash of a byte string (FNV-1a 64), for the string maps. */
uint64_t hash_bytes(const void *p, size_t n);

/* strmap_t: string → int, open addressing; keys are borrowed (caller keeps them alive). A
 * slot holds its key's hash and value beside the key, so a probe at a million ids touches one
 * cache line and, on a matching hash only, the key. */
typedef struct {
	const char *key; /* NULL: empty */
	uint32_t hash;
	int val;
} strmap_slot_t;

typedef struct {
	strmap_slot_t *slots;
	size_t cap, count;
} strmap_t;

void strmap_init(strmap_t *m, size_t expect);
/* Returns the value for key or -1. */
int strmap_get(const strmap_t *m, const char *key);
/* Inserts key → val unless present; returns the existing value or -1 when inserted. */
int strmap_put(strmap_t *m, const char *key, int val);
void strmap_free(strmap_t *m);
/* The same with the key's hash given (strmap_hash), for a loop that hashes a few keys ahead
 * and has strmap_prefetch bring their slots into the cache: at a million ids each probe
 * else waits for memory. */
uint32_t strmap_hash(const char *key);
void strmap_prefetch(const strmap_t *m, uint32_t hash);
int strmap_get_h(const strmap_t *m, const char *key, uint32_t hash);
int strmap_put_h(strmap_t *m, const char *key, uint32_t hash, int val);

/* Path helpers. path_join returns a new string the caller frees. */
char *path_join(const char *dir, const char *name);

/* mkdir -p: makes the folders of path that are missing, from the one after its first `skip`
 * bytes (a folder known to exist, or 0), and path itself unless parents_only. Returns 0, or
 * -1 with errno set and, when failed is not NULL, *failed the folder that could not be made
 * (a new string the caller frees). */
int path_make_dirs(const char *path, size_t skip, bool parents_only, char **failed);

#endif
