/* yamldoc.c — the small YAML layer under config.c and village.c: files read as UTF-8 or
 * GB18030, libyaml documents bounded before they are walked, typed getters with line numbers. */
#include "read/yamldoc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "read/encoding.h"

/* ---- reading a file as UTF-8 ---- */

/* Appends one converted piece to the buffer (encoding_from_gb18030 callback). */
static int append_chunk(const char *utf8, size_t len, void *ctx)
{
	buf_add(ctx, utf8, len);
	return 0;
}

int ydoc_read_file(const char *path, buf_t *out, err_t *err)
{
	buf_t raw = {0};
	/* O_NOFOLLOW: no symbolic link in the archive; O_NONBLOCK: a FIFO must not hang us. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 && errno == ELOOP)
		return err_set(err, path, 0, "symbolic links are not allowed in the archive");
	if (fd < 0)
		return err_set(err, path, 0, "cannot open: %s", strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(err, path, 0, "not a regular file");
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return err_set(err, path, 0, "cannot open: %s", strerror(errno));
	}
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (raw.len + got > YDOC_MAX_FILE) {
			fclose(f);
			buf_free(&raw);
			return err_set(err, path, 0,
			               "the file is larger than %u MiB; is it the right file?",
			               YDOC_MAX_FILE >> 20);
		}
		buf_add(&raw, chunk, got);
	}
	bool failed = ferror(f);
	fclose(f);
	if (failed) {
		buf_free(&raw);
		return err_set(err, path, 0, "cannot read: %s", strerror(errno));
	}
	buf_reserve(&raw, 0); /* NUL-terminated even when empty */
	raw.data[raw.len] = '\0';
	const char *nul = memchr(raw.data, '\0', raw.len);
	if (nul) {
		int line = 1;
		for (const char *p = raw.data; p < nul; p++)
			line += *p == '\n';
		buf_free(&raw);
		return err_set(err, path, line, "NUL byte in the file");
	}

	size_t skip = encoding_bom(raw.data, raw.len);
	if (encoding_is_utf8((const unsigned char *)raw.data + skip, raw.len - skip)) {
		buf_clear(out);
		buf_add(out, raw.data + skip, raw.len - skip);
		buf_reserve(out, 0);
		out->data[out->len] = '\0';
		buf_free(&raw);
		return 0;
	}
	buf_clear(out);
	bool ok = encoding_from_gb18030(raw.data, raw.len, append_chunk, out, NULL) == 0;
	buf_reserve(out, 0);
	out->data[out->len] = '\0';
	buf_free(&raw);
	if (!ok) {
		buf_free(out);
		return err_set(err, path, 0, "the file is neither UTF-8 nor GB18030 text");
	}
	return 0;
}

/* ---- parsing a bounded document ---- */

/* The file line of a byte offset of the text (for reader errors, which carry no mark). */
static long line_at_offset(const char *text, size_t len, size_t off)
{
	long line = 0;
	for (size_t i = 0; i < off && i < len; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* Wraps libyaml's error state into err. */
static int parser_error(const ydoc_t *d, const yaml_parser_t *p, const char *text, size_t len,
                        err_t *err)
{
	const char *problem = p->problem ? p->problem : "unreadable YAML";
	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return err_set(err, d->file, 0, "YAML reader ran out of memory");
	case YAML_READER_ERROR:
		return err_set(err, d->file,
		               line_at_offset(text, len, p->problem_offset) + d->first_line,
		               "YAML syntax error: %s", problem);
	default:
		break;
	}
	long line = (long)p->problem_mark.line + d->first_line;
	if (p->context && p->context_mark.line != p->problem_mark.line)
		return err_set(err, d->file, line, "YAML syntax error: %s (%s from line %ld)",
		               problem, p->context, (long)p->context_mark.line + d->first_line);
	if (p->context)
		return err_set(err, d->file, line, "YAML syntax error: %s (%s)", problem,
		               p->context);
	return err_set(err, d->file, line, "YAML syntax error: %s", problem);
}

/* First pass over the events only: syntax errors, the node budget, the nesting of the text
 * as written and the one-document rule, all in memory bounded by the limits. */
static int scan_events(const ydoc_t *d, const char *text, size_t len, err_t *err)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return err_set(err, d->file, 0, "YAML reader ran out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);

	long nodes = 0;
	int depth = 0, docs = 0, rc = 0;
	for (bool done = false; !done && rc == 0;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			rc = parser_error(d, &p, text, len, err);
			break;
		}
		long line = (long)ev.start_mark.line + d->first_line;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				rc = err_set(
				    err, d->file, line,
				    "a second YAML document starts here; only one is allowed");
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > YDOC_MAX_DEPTH)
				rc = err_set(err, d->file, line,
				             "lists and maps are nested more than %d deep",
				             YDOC_MAX_DEPTH);
			/* fallthrough */
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			if (rc == 0 && ++nodes > YDOC_MAX_NODES)
				rc = err_set(err, d->file, line,
				             "more than %d YAML values; is it the right file?",
				             YDOC_MAX_NODES);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

/* The height of node id (collections on its longest downward path, 0 for a scalar), with
 * depth collections above it. Returns -1, with *bad set, once depth + height would pass
 * the limit; an alias cycle always does. memo[id - 1] caches height + 1, so a shared node
 * is walked once and the pass is linear in the number of edges. */
static int node_height(yaml_document_t *doc, int id, int depth, unsigned char *memo,
                       yaml_node_t **bad)
{
	yaml_node_t *n = yaml_document_get_node(doc, id);
	if (!n || n->type == YAML_SCALAR_NODE)
		return 0;
	if (memo[id - 1]) {
		int h = memo[id - 1] - 1;
		if (depth + h > YDOC_MAX_DEPTH) {
			*bad = n;
			return -1;
		}
		return h;
	}
	if (depth + 1 > YDOC_MAX_DEPTH) {
		*bad = n;
		return -1;
	}
	int h = 0;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			int c = node_height(doc, *it, depth + 1, memo, bad);
			if (c < 0)
				return -1;
			if (c > h)
				h = c;
		}
	} else {
		for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
		     pr < n->data.mapping.pairs.top; pr++) {
			int c = node_height(doc, pr->key, depth + 1, memo, bad);
			if (c < 0)
				return -1;
			if (c > h)
				h = c;
			c = node_height(doc, pr->value, depth + 1, memo, bad);
			if (c < 0)
				return -1;
			if (c > h)
				h = c;
		}
	}
	memo[id - 1] = (unsigned char)(h + 2);
	return h + 1;
}

int ydoc_parse(ydoc_t *d, const char *file, const char *text, size_t len, long first_line,
               err_t *err)
{
	memset(d, 0, sizeof *d);
	d->file = file;
	d->first_line = first_line;
	if (scan_events(d, text, len, err))
		return -1;

	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return err_set(err, file, 0, "YAML reader ran out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	if (!yaml_parser_load(&p, &d->doc)) {
		int rc = parser_error(d, &p, text, len, err);
		yaml_parser_delete(&p);
		return rc;
	}
	yaml_parser_delete(&p);
	d->loaded = true;

	size_t count = (size_t)(d->doc.nodes.top - d->doc.nodes.start);
	if (count > YDOC_MAX_NODES) {
		ydoc_free(d);
		return err_set(err, file, 0, "more than %d YAML values; is it the right file?",
		               YDOC_MAX_NODES);
	}
	if (count > 0) {
		unsigned char *memo = xcalloc(count, 1);
		yaml_node_t *bad = NULL;
		int h = node_height(&d->doc, 1, 0, memo, &bad);
		free(memo);
		if (h < 0) {
			long line = ydoc_line(d, bad);
			ydoc_free(d);
			return err_set(
			    err, file, line,
			    "lists and maps are nested more than %d deep (through aliases)",
			    YDOC_MAX_DEPTH);
		}
	}
	return 0;
}

void ydoc_free(ydoc_t *d)
{
	if (d->loaded)
		yaml_document_delete(&d->doc);
	d->loaded = false;
}

yaml_node_t *ydoc_root(ydoc_t *d)
{
	return d->loaded ? yaml_document_get_root_node(&d->doc) : NULL;
}

long ydoc_line(const ydoc_t *d, const yaml_node_t *n)
{
	return n ? (long)n->start_mark.line + d->first_line : 0;
}

/* ---- typed access ---- */

const char *ydoc_scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

bool ydoc_is_null(const yaml_node_t *n)
{
	if (!n)
		return true;
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = ydoc_scalar(n);
	return s[0] == '\0' || strcmp(s, "~") == 0 || strcasecmp(s, "null") == 0;
}

static const char *kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a map";
	default:
		return "text";
	}
}

int ydoc_check_map(ydoc_t *d, yaml_node_t *map, const char *path, const char *const *allowed,
                   err_t *err)
{
	const char *name = path ? path : "the top level";
	if (!map)
		return err_set(err, d->file, 0, "%s: missing", name);
	if (map->type != YAML_MAPPING_NODE)
		return err_set(err, d->file, ydoc_line(d, map),
		               "%s: expected a map (key: value), found %s", name,
		               ydoc_is_null(map) ? "nothing" : kind(map));
	if (map->data.mapping.pairs.top - map->data.mapping.pairs.start > YDOC_MAX_KEYS)
		return err_set(err, d->file, ydoc_line(d, map), "%s: more than %d keys", name,
		               YDOC_MAX_KEYS);
	strmap_t seen = {0};
	int rc = 0;
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start;
	     rc == 0 && pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&d->doc, pr->key);
		if (!k || k->type != YAML_SCALAR_NODE) {
			rc = err_set(err, d->file, ydoc_line(d, k), "%s: a key is %s, not text",
			             name, k ? kind(k) : "missing");
			break;
		}
		const char *key = ydoc_scalar(k);
		const char *sep = path ? "." : "";
		const char *pre = path ? path : "";
		int at = strmap_put(&seen, key, (int)ydoc_line(d, k));
		if (at >= 0) {
			rc = err_set(err, d->file, ydoc_line(d, k),
			             "%s%s%s: appears twice (first at line %d)", pre, sep, key, at);
			break;
		}
		if (!allowed)
			continue;
		bool known = false;
		for (const char *const *a = allowed; *a; a++)
			known = known || strcmp(*a, key) == 0;
		if (!known) {
			buf_t list = {0};
			for (const char *const *a = allowed; *a; a++)
				buf_printf(&list, "%s%s", a == allowed ? "" : ", ", *a);
			rc = err_set(err, d->file, ydoc_line(d, k),
			             "%s%s%s: unknown key (expected %s)", pre, sep, key, list.data);
			buf_free(&list);
		}
	}
	strmap_free(&seen);
	return rc;
}

yaml_node_t *ydoc_get(ydoc_t *d, yaml_node_t *map, const char *key, long *key_line)
{
	if (key_line)
		*key_line = 0;
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	size_t klen = strlen(key);
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = yaml_document_get_node(&d->doc, pr->key);
		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == klen &&
		    memcmp(k->data.scalar.value, key, klen) == 0) {
			if (key_line)
				*key_line = ydoc_line(d, k);
			return yaml_document_get_node(&d->doc, pr->value);
		}
	}
	return NULL;
}

/* A scalar's text, or -1 with "path: expected text" for a list or a map. */
static int scalar_text(ydoc_t *d, yaml_node_t *n, const char *path, const char *what,
                       const char **out, err_t *err)
{
	if (!n)
		return err_set(err, d->file, 0, "%s: missing", path);
	if (n->type != YAML_SCALAR_NODE)
		return err_set(err, d->file, ydoc_line(d, n), "%s: expected %s, found %s", path,
		               what, kind(n));
	if (strlen(ydoc_scalar(n)) != n->data.scalar.length)
		return err_set(err, d->file, ydoc_line(d, n), "%s: contains a NUL character", path);
	*out = ydoc_scalar(n);
	return 0;
}

int ydoc_text(ydoc_t *d, yaml_node_t *n, const char *path, const char **out, err_t *err)
{
	if (scalar_text(d, n, path, "text", out, err))
		return -1;
	if (ydoc_is_null(n))
		*out = "";
	return 0;
}

int ydoc_number(ydoc_t *d, yaml_node_t *n, const char *path, double *out, err_t *err)
{
	const char *s;
	if (scalar_text(d, n, path, "a number", &s, err))
		return -1;
	/* Decimal only: strtod alone would also take "inf", "nan", hex and leading space. */
	bool ok = s[0] != '\0' && strspn(s, "0123456789+-.eE") == strlen(s);
	char *end = NULL;
	double v = ok ? strtod(s, &end) : 0;
	if (!ok || *end != '\0' || end == s || !isfinite(v))
		return err_set(err, d->file, ydoc_line(d, n), "%s: expected a number, got '%s'",
		               path, s);
	*out = v;
	return 0;
}

int ydoc_count(ydoc_t *d, yaml_node_t *n, const char *path, int64_t max, int64_t *out, err_t *err)
{
	const char *s;
	if (scalar_text(d, n, path, "a whole number", &s, err))
		return -1;
	size_t len = strlen(s);
	if (len == 0 || strspn(s, "0123456789") != len)
		return err_set(err, d->file, ydoc_line(d, n),
		               "%s: expected a whole number >= 0, got '%s'", path, s);
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (v > (max - (*p - '0')) / 10)
			return err_set(err, d->file, ydoc_line(d, n),
			               "%s: %s is too large (at most %lld)", path, s,
			               (long long)max);
		v = v * 10 + (*p - '0');
	}
	*out = v;
	return 0;
}

int ydoc_bool(ydoc_t *d, yaml_node_t *n, const char *path, bool *out, err_t *err)
{
	const char *s;
	if (scalar_text(d, n, path, "true or false", &s, err))
		return -1;
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0) {
		*out = true;
		return 0;
	}
	if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0) {
		*out = false;
		return 0;
	}
	return err_set(err, d->file, ydoc_line(d, n), "%s: expected true or false, got '%s'", path,
	               s);
}
