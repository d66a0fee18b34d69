/* config.c — reads site.yaml into site_t, on a YAML layer (ydoc_*) that bounds every
 * document before it is walked; village.c reads its front matter through the same layer. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- reading a file as UTF-8 ---- */

/* True when s[0..n) is well-formed UTF-8 (no overlong forms, surrogates or > U+10FFFF). */
static bool utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		unsigned lo = 0x80, hi = 0xBF;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			return false;
		}
		if (n - i <= k)
			return false;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t j = 2; j <= k; j++)
			if (s[i + j] < 0x80 || s[i + j] > 0xBF)
				return false;
		i += k + 1;
	}
	return true;
}

/* Converts GB18030 text in[0..n) to UTF-8 in *out. Returns false on bytes that are not
 * GB18030 either. */
static bool gb18030_to_utf8(const char *in, size_t n, buf_t *out)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return false;
	char *src = (char *)in;
	size_t left = n;
	bool ok = true;
	buf_clear(out);
	while (left > 0) {
		buf_reserve(out, left * 2 + 16);
		char *dst = out->data + out->len;
		size_t room = out->cap - out->len - 1;
		size_t r = iconv(cd, &src, &left, &dst, &room);
		out->len = (size_t)(dst - out->data);
		if (r == (size_t)-1 && errno != E2BIG) {
			ok = false;
			break;
		}
	}
	iconv_close(cd);
	buf_reserve(out, 0);
	out->data[out->len] = '\0';
	return ok;
}

int ydoc_read_file(const char *path, buf_t *out, err_t *err)
{
	buf_t raw = {0};
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(err, path, 0, "cannot open: %s", strerror(errno));
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (raw.len + got > YDOC_MAX_FILE) {
			fclose(f);
			buf_free(&raw);
			return err_set(err, path, 0, "the file is larger than %u MiB; is it the right file?",
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

	size_t skip = 0;
	if (raw.len >= 3 && memcmp(raw.data, "\xEF\xBB\xBF", 3) == 0)
		skip = 3;
	if (utf8_valid((const unsigned char *)raw.data + skip, raw.len - skip)) {
		buf_clear(out);
		buf_add(out, raw.data + skip, raw.len - skip);
		buf_reserve(out, 0);
		out->data[out->len] = '\0';
		buf_free(&raw);
		return 0;
	}
	bool ok = gb18030_to_utf8(raw.data, raw.len, out);
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
		return err_set(err, d->file, line, "YAML syntax error: %s (%s from line %ld)", problem,
		               p->context, (long)p->context_mark.line + d->first_line);
	if (p->context)
		return err_set(err, d->file, line, "YAML syntax error: %s (%s)", problem, p->context);
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
				rc = err_set(err, d->file, line,
				             "a second YAML document starts here; only one is allowed");
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > YDOC_MAX_DEPTH)
				rc = err_set(err, d->file, line, "lists and maps are nested more than %d deep",
				             YDOC_MAX_DEPTH);
			/* fallthrough */
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			if (rc == 0 && ++nodes > YDOC_MAX_NODES)
				rc = err_set(err, d->file, line, "more than %d YAML values; is it the right file?",
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
			return err_set(err, file, line,
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

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

bool ydoc_is_null(const yaml_node_t *n)
{
	if (!n)
		return true;
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = scalar(n);
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
		return err_set(err, d->file, ydoc_line(d, map), "%s: expected a map (key: value), found %s",
		               name, ydoc_is_null(map) ? "nothing" : kind(map));
	strmap_t seen = {0};
	int rc = 0;
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start;
	     rc == 0 && pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&d->doc, pr->key);
		if (!k || k->type != YAML_SCALAR_NODE) {
			rc = err_set(err, d->file, ydoc_line(d, k), "%s: a key is %s, not text", name,
			             k ? kind(k) : "missing");
			break;
		}
		const char *key = scalar(k);
		const char *sep = path ? "." : "";
		const char *pre = path ? path : "";
		int at = strmap_put(&seen, key, (int)ydoc_line(d, k));
		if (at >= 0) {
			rc = err_set(err, d->file, ydoc_line(d, k), "%s%s%s: appears twice (first at line %d)",
			             pre, sep, key, at);
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
			rc = err_set(err, d->file, ydoc_line(d, k), "%s%s%s: unknown key (expected %s)", pre,
			             sep, key, list.data);
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
		return err_set(err, d->file, ydoc_line(d, n), "%s: expected %s, found %s", path, what,
		               kind(n));
	if (strlen(scalar(n)) != n->data.scalar.length)
		return err_set(err, d->file, ydoc_line(d, n), "%s: contains a NUL character", path);
	*out = scalar(n);
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
		return err_set(err, d->file, ydoc_line(d, n), "%s: expected a number, got '%s'", path, s);
	*out = v;
	return 0;
}

int ydoc_count(ydoc_t *d, yaml_node_t *n, const char *path, int64_t max, int64_t *out,
               err_t *err)
{
	const char *s;
	if (scalar_text(d, n, path, "a whole number", &s, err))
		return -1;
	size_t len = strlen(s);
	if (len == 0 || strspn(s, "0123456789") != len)
		return err_set(err, d->file, ydoc_line(d, n), "%s: expected a whole number >= 0, got '%s'",
		               path, s);
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (v > (max - (*p - '0')) / 10)
			return err_set(err, d->file, ydoc_line(d, n),
			               "%s: %s is too large (at most %lld)", path, s, (long long)max);
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
	return err_set(err, d->file, ydoc_line(d, n), "%s: expected true or false, got '%s'", path, s);
}

/* ---- site.yaml ---- */

/* The indicator keys, in rate_t order. */
static const char *const RATE_KEYS[RATE_COUNT] = {
	"visit_rate", "archive_rate", "credit_coverage", "signing_rate",
	"usage_rate", "amount_usage_rate", "npl_rate", "online_share",
};

#define TARGET_MAX 10000000 /* target_granted counts households */

/* [A-Za-z0-9_-]{1,max}, or without '-' when dash is false. */
static bool is_code(const char *s, size_t max, bool dash)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (const char *p = s; *p; p++) {
		char c = *p;
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		          c == '_' || (dash && c == '-');
		if (!ok)
			return false;
	}
	return true;
}

/* A required, non-empty text; *out is a copy the site owns. */
static int required_text(ydoc_t *d, yaml_node_t *map, const char *key, const char *path,
                         long map_line, char **out, err_t *err)
{
	const char *s;
	yaml_node_t *n = ydoc_get(d, map, key, NULL);
	if (!n)
		return err_set(err, d->file, map_line, "%s: missing", path);
	if (ydoc_text(d, n, path, &s, err))
		return -1;
	if (!s[0])
		return err_set(err, d->file, ydoc_line(d, n), "%s: is empty", path);
	*out = xstrdup(s);
	return 0;
}

static int read_branches(ydoc_t *d, yaml_node_t *seq, site_t *site, err_t *err)
{
	static const char *const keys[] = {"code", "name", "target_granted", NULL};
	if (!seq)
		return err_set(err, d->file, 0, "branches: missing (the list of branches, each "
		                                "{code, name, target_granted})");
	if (seq->type != YAML_SEQUENCE_NODE || seq->data.sequence.items.top ==
	                                           seq->data.sequence.items.start)
		return err_set(err, d->file, ydoc_line(d, seq),
		               "branches: expected a non-empty list of {code, name, target_granted}");
	size_t n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	site->branches = xcalloc(n, sizeof *site->branches);
	strmap_t seen = {0};
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		yaml_node_t *m = yaml_document_get_node(&d->doc, seq->data.sequence.items.start[i]);
		branch_t *b = &site->branches[i];
		char path[64], field[96];
		long line = ydoc_line(d, m);
		/* Items are numbered from 1, as people count them. */
		snprintf(path, sizeof path, "branches[%zu]", i + 1);
		site->nbranches = (int)i + 1;
		if ((rc = ydoc_check_map(d, m, path, keys, err)))
			break;
		snprintf(field, sizeof field, "%s.code", path);
		if ((rc = required_text(d, m, "code", field, line, &b->code, err)))
			break;
		if (!is_code(b->code, 64, true)) {
			rc = err_set(err, d->file, ydoc_line(d, ydoc_get(d, m, "code", NULL)),
			             "%s: '%s' is not a branch code (1 to 64 letters, digits, _ or -)", field,
			             b->code);
			break;
		}
		int first = strmap_put(&seen, b->code, (int)line);
		if (first >= 0) {
			rc = err_set(err, d->file, line, "%s: branch code '%s' is listed twice (first at line %d)",
			             field, b->code, first);
			break;
		}
		snprintf(field, sizeof field, "%s.name", path);
		if ((rc = required_text(d, m, "name", field, line, &b->name, err)))
			break;
		yaml_node_t *t = ydoc_get(d, m, "target_granted", NULL);
		if (!ydoc_is_null(t)) {
			snprintf(field, sizeof field, "%s.target_granted", path);
			if ((rc = ydoc_count(d, t, field, TARGET_MAX, &b->target_granted, err)))
				break;
			b->has_target = true;
		}
	}
	strmap_free(&seen);
	return rc;
}

/* One indicator entry {min|max, weight}; key_line is the line of its key. */
static int read_indicator(ydoc_t *d, yaml_node_t *m, const char *key, long key_line,
                          indicator_rule_t *r, err_t *err)
{
	static const char *const keys[] = {"min", "max", "weight", NULL};
	char path[128], field[160];
	snprintf(path, sizeof path, "acceptance.indicators.%s", key);
	int rate = -1;
	for (int i = 0; i < RATE_COUNT; i++)
		if (strcmp(RATE_KEYS[i], key) == 0)
			rate = i;
	if (rate < 0)
		return err_set(err, d->file, key_line,
		               "%s: unknown indicator (expected one of visit_rate, archive_rate, "
		               "credit_coverage, signing_rate, usage_rate, amount_usage_rate, npl_rate, "
		               "online_share)",
		               path);
	if (ydoc_check_map(d, m, path, keys, err))
		return -1;
	yaml_node_t *mn = ydoc_get(d, m, "min", NULL), *mx = ydoc_get(d, m, "max", NULL);
	bool has_min = !ydoc_is_null(mn), has_max = !ydoc_is_null(mx);
	if (has_min == has_max)
		return err_set(err, d->file, key_line, "%s: needs exactly one of min or max", path);
	r->key = xstrdup(key);
	r->rate = (rate_t)rate;
	r->is_max = has_max;
	snprintf(field, sizeof field, "%s.%s", path, has_max ? "max" : "min");
	yaml_node_t *th = has_max ? mx : mn;
	if (ydoc_number(d, th, field, &r->threshold, err))
		return -1;
	if (!(r->threshold > 0 && r->threshold <= 1))
		return err_set(err, d->file, ydoc_line(d, th),
		               "%s: must be a rate in (0, 1], e.g. 0.95 for 95%%; got %s", field, scalar(th));
	snprintf(field, sizeof field, "%s.weight", path);
	yaml_node_t *w = ydoc_get(d, m, "weight", NULL);
	if (ydoc_is_null(w))
		return err_set(err, d->file, key_line, "%s: missing", field);
	if (ydoc_number(d, w, field, &r->weight, err))
		return -1;
	if (!(r->weight > 0))
		return err_set(err, d->file, ydoc_line(d, w), "%s: must be greater than 0, got %s", field,
		               scalar(w));
	return 0;
}

/* One check entry {label, weight, required}. */
static int read_check(ydoc_t *d, yaml_node_t *m, const char *key, long key_line,
                      check_rule_t *c, err_t *err)
{
	static const char *const keys[] = {"label", "weight", "required", NULL};
	char path[128], field[160];
	snprintf(path, sizeof path, "acceptance.checks.%s", key);
	if (!is_code(key, 64, false))
		return err_set(err, d->file, key_line,
		               "%s: a check key is 1 to 64 letters, digits or _ (it is ticked by this "
		               "name in village.md)",
		               path);
	if (ydoc_check_map(d, m, path, keys, err))
		return -1;
	c->key = xstrdup(key);
	const char *label = "";
	yaml_node_t *l = ydoc_get(d, m, "label", NULL);
	snprintf(field, sizeof field, "%s.label", path);
	if (l && ydoc_text(d, l, field, &label, err))
		return -1;
	c->label = xstrdup(label[0] ? label : key);
	yaml_node_t *w = ydoc_get(d, m, "weight", NULL);
	snprintf(field, sizeof field, "%s.weight", path);
	if (ydoc_is_null(w))
		return err_set(err, d->file, key_line, "%s: missing", field);
	if (ydoc_number(d, w, field, &c->weight, err))
		return -1;
	if (!(c->weight >= 0))
		return err_set(err, d->file, ydoc_line(d, w), "%s: must be 0 or more, got %s", field,
		               scalar(w));
	c->required = true;
	yaml_node_t *rq = ydoc_get(d, m, "required", NULL);
	snprintf(field, sizeof field, "%s.required", path);
	if (!ydoc_is_null(rq) && ydoc_bool(d, rq, field, &c->required, err))
		return -1;
	return 0;
}

static size_t map_size(const yaml_node_t *m)
{
	return (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
}

static int read_acceptance(ydoc_t *d, yaml_node_t *acc, long acc_line, site_t *site,
                           err_t *err)
{
	static const char *const keys[] = {"pass_score", "indicators", "checks", NULL};
	if (!acc)
		return err_set(err, d->file, 0,
		               "acceptance: missing (pass_score, indicators and checks of SPEC §3)");
	if (ydoc_check_map(d, acc, "acceptance", keys, err))
		return -1;

	yaml_node_t *ps = ydoc_get(d, acc, "pass_score", NULL);
	if (ydoc_is_null(ps))
		return err_set(err, d->file, acc_line, "acceptance.pass_score: missing");
	if (ydoc_number(d, ps, "acceptance.pass_score", &site->pass_score, err))
		return -1;
	if (site->pass_score < 0 || site->pass_score > 100)
		return err_set(err, d->file, ydoc_line(d, ps),
		               "acceptance.pass_score: must be between 0 and 100, got %s", scalar(ps));

	long ind_line;
	yaml_node_t *ind = ydoc_get(d, acc, "indicators", &ind_line);
	if (!ind)
		return err_set(err, d->file, acc_line, "acceptance.indicators: missing");
	if (ydoc_check_map(d, ind, "acceptance.indicators", NULL, err))
		return -1;
	size_t n = map_size(ind);
	if (n == 0)
		return err_set(err, d->file, ind_line, "acceptance.indicators: needs at least one indicator");
	site->indicators = xcalloc(n, sizeof *site->indicators);
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *pr = &ind->data.mapping.pairs.start[i];
		yaml_node_t *k = yaml_document_get_node(&d->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&d->doc, pr->value);
		site->nindicators = (int)i + 1;
		if (read_indicator(d, v, scalar(k), ydoc_line(d, k), &site->indicators[i], err))
			return -1;
	}

	yaml_node_t *chk = ydoc_get(d, acc, "checks", NULL);
	if (ydoc_is_null(chk))
		return 0;
	if (ydoc_check_map(d, chk, "acceptance.checks", NULL, err))
		return -1;
	n = map_size(chk);
	site->checks = xcalloc(n, sizeof *site->checks);
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *pr = &chk->data.mapping.pairs.start[i];
		yaml_node_t *k = yaml_document_get_node(&d->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&d->doc, pr->value);
		site->nchecks = (int)i + 1;
		if (read_check(d, v, scalar(k), ydoc_line(d, k), &site->checks[i], err))
			return -1;
	}
	return 0;
}

static int read_site(ydoc_t *d, site_t *site, err_t *err)
{
	yaml_node_t *root = ydoc_root(d);
	if (!root)
		return err_set(err, d->file, 0, "the file is empty; it needs bank, branches and acceptance");
	if (ydoc_check_map(d, root, NULL, NULL, err))
		return -1; /* unknown top-level keys are ignored */

	if (required_text(d, root, "bank", "bank", 0, &site->bank, err))
		return -1;

	yaml_node_t *month = ydoc_get(d, root, "month", NULL);
	if (!ydoc_is_null(month)) {
		const char *s;
		if (ydoc_text(d, month, "month", &s, err))
			return -1;
		if (!value_parse_month(s, &site->month))
			return err_set(err, d->file, ydoc_line(d, month),
			               "month: expected YYYY-MM (e.g. 2026-10), got '%s'", s);
	}

	if (read_branches(d, ydoc_get(d, root, "branches", NULL), site, err))
		return -1;

	long acc_line;
	yaml_node_t *acc = ydoc_get(d, root, "acceptance", &acc_line);
	if (read_acceptance(d, acc, acc_line, site, err))
		return -1;

	site->mask_workbooks = true;
	yaml_node_t *priv = ydoc_get(d, root, "privacy", NULL);
	if (!ydoc_is_null(priv)) {
		static const char *const keys[] = {"mask_workbooks", NULL};
		if (ydoc_check_map(d, priv, "privacy", keys, err))
			return -1;
		yaml_node_t *mw = ydoc_get(d, priv, "mask_workbooks", NULL);
		if (!ydoc_is_null(mw) &&
		    ydoc_bool(d, mw, "privacy.mask_workbooks", &site->mask_workbooks, err))
			return -1;
	}
	return 0;
}

int config_load(const char *path, site_t *site, err_t *err)
{
	memset(site, 0, sizeof *site);
	buf_t text = {0};
	if (ydoc_read_file(path, &text, err))
		return -1;
	ydoc_t d;
	int rc = ydoc_parse(&d, path, text.data, text.len, 1, err);
	if (rc == 0) {
		rc = read_site(&d, site, err);
		ydoc_free(&d);
	}
	buf_free(&text);
	if (rc)
		config_free(site);
	return rc;
}

void config_free(site_t *site)
{
	free(site->bank);
	for (int i = 0; i < site->nbranches; i++) {
		free(site->branches[i].code);
		free(site->branches[i].name);
	}
	free(site->branches);
	for (int i = 0; i < site->nindicators; i++)
		free(site->indicators[i].key);
	free(site->indicators);
	for (int i = 0; i < site->nchecks; i++) {
		free(site->checks[i].key);
		free(site->checks[i].label);
	}
	free(site->checks);
	memset(site, 0, sizeof *site);
}
