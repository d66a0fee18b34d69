/* inddoc.c — an indicator document parsed with json-c's incremental tokener as it is read, and
 * every field rollup uses checked as hostile input before a figure is taken from it. */
#include "read/inddoc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "read/value.h"

/* One document larger than this is not an indicator document (a bank of a million households
 * writes a few tens of MB). */
#define INDDOC_MAX_BYTES (1024L * 1024 * 1024)

typedef struct {
	const char *path;
	err_t *err;
} ctx_t;

static int bad(const ctx_t *c, const char *where, const char *what)
{
	return err_set(c->err, c->path, 0, "%s%s%s (not a cundang indicator document)", where,
	               where[0] ? ": " : "", what);
}

/* The member key of o, or NULL with err when o lacks it (a JSON null is present). */
static int member(const ctx_t *c, json_object *o, const char *where, const char *key,
                  json_object **out)
{
	char w[160];
	snprintf(w, sizeof w, "%s%s%s", where, where[0] ? "." : "", key);
	if (!json_object_object_get_ex(o, key, out))
		return bad(c, w, "missing");
	return 0;
}

/* A count: a JSON integer from 0 to INT64_MAX. */
static int get_count(const ctx_t *c, json_object *o, const char *where, const char *key, int64_t *v)
{
	json_object *x;
	char w[160];
	snprintf(w, sizeof w, "%s%s%s", where, where[0] ? "." : "", key);
	if (member(c, o, where, key, &x) != 0)
		return -1;
	if (!json_object_is_type(x, json_type_int))
		return bad(c, w, "is not a whole number");
	errno = 0;
	int64_t n = json_object_get_int64(x);
	if (errno == ERANGE || n < 0 || n == INT64_MAX)
		return bad(c, w, "is not a count from 0 to 2^63 - 2");
	*v = n;
	return 0;
}

/* An amount in yuan as written, digits with at most two decimals (SPEC §6), into fen. */
static int get_amount(const ctx_t *c, json_object *o, const char *where, const char *key,
                      int64_t *fen)
{
	json_object *x;
	char w[160];
	snprintf(w, sizeof w, "%s%s%s", where, where[0] ? "." : "", key);
	if (member(c, o, where, key, &x) != 0)
		return -1;
	if (!json_object_is_type(x, json_type_int) && !json_object_is_type(x, json_type_double))
		return bad(c, w, "is not a number");
	const char *s = json_object_get_string(x); /* the text as written in the file */
	int64_t v = 0;
	int decimals = -1;
	for (const char *p = s; *p; p++) {
		if (*p == '.' && decimals < 0 && p != s) {
			decimals = 0;
			continue;
		}
		if (*p < '0' || *p > '9' || decimals >= 2)
			return bad(c, w,
			           "is not an amount in yuan of at most two decimals, 0 or more");
		if (decimals >= 0)
			decimals++;
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *p - '0', &v))
			return bad(c, w, "is too large an amount");
	}
	for (int d = decimals < 0 ? 0 : decimals; d < 2; d++)
		if (__builtin_mul_overflow(v, 10, &v))
			return bad(c, w, "is too large an amount");
	if (decimals == 0) /* "12." */
		return bad(c, w, "is not an amount in yuan of at most two decimals, 0 or more");
	*fen = v;
	return 0;
}

/* A rate: a number ≥ 0, or null. Not kept (rollup recomputes rates), but a document whose
 * rates are strings is not ours. */
static int check_rate(const ctx_t *c, json_object *o, const char *where, const char *key)
{
	json_object *x;
	char w[160];
	snprintf(w, sizeof w, "%s%s%s", where, where[0] ? "." : "", key);
	if (member(c, o, where, key, &x) != 0)
		return -1;
	if (x == NULL)
		return 0;
	if ((!json_object_is_type(x, json_type_int) && !json_object_is_type(x, json_type_double)) ||
	    !(json_object_get_double(x) >= 0))
		return bad(c, w, "is not a rate (a number of 0 or more, or null)");
	return 0;
}

static int get_object(const ctx_t *c, json_object *o, const char *where, const char *key,
                      json_object **out)
{
	if (member(c, o, where, key, out) != 0)
		return -1;
	if (!json_object_is_type(*out, json_type_object))
		return bad(c, key, "is not an object");
	return 0;
}

static int get_array(const ctx_t *c, json_object *o, const char *key, json_object **out)
{
	if (member(c, o, "", key, out) != 0)
		return -1;
	if (!json_object_is_type(*out, json_type_array))
		return bad(c, key, "is not an array");
	return 0;
}

/* The bank entry: name, COUNTS, AMOUNTS, RATES and acceptance. */
static int read_bank(const ctx_t *c, json_object *bank, inddoc_t *d)
{
	json_object *name;
	if (member(c, bank, "bank", "name", &name) != 0)
		return -1;
	if (!json_object_is_type(name, json_type_string))
		return bad(c, "bank.name", "is not a string");
	counts_t *k = &d->c;
	int64_t *counts[VOCAB_NCOUNTS] = {
	    &k->households_total,  &k->listed,      &k->negative, &k->eligible, &k->visited,
	    &k->archived,          &k->granted,     &k->signed_,  &k->used,     &k->overdue,
	    &k->loans_outstanding, &k->loans_online};
	for (int i = 0; i < VOCAB_NCOUNTS; i++)
		if (get_count(c, bank, "bank", vocab_count_key[i], counts[i]) != 0)
			return -1;
	int64_t *amounts[VOCAB_NAMOUNTS] = {&k->credit_total, &k->balance_total, &k->npl_balance};
	for (int i = 0; i < VOCAB_NAMOUNTS; i++)
		if (get_amount(c, bank, "bank", vocab_amount_key[i], amounts[i]) != 0)
			return -1;
	for (int r = 0; r < RATE_COUNT; r++)
		if (check_rate(c, bank, "bank", vocab_rate_key[r]) != 0)
			return -1;
	if (get_count(c, bank, "bank", "villages_total", &d->villages_total) != 0 ||
	    get_count(c, bank, "bank", "villages_passed", &d->villages_passed) != 0 ||
	    check_rate(c, bank, "bank", "acceptance_rate") != 0)
		return -1;
	/* The sums SPEC §6 defines between them: a document that breaks them was not computed by
	 * cundang, and its rates would not be recomputed the same. */
	if (k->negative > k->households_total || k->eligible != k->households_total - k->negative)
		return bad(c, "bank.eligible", "is not households_total − negative");
	if (d->villages_passed > d->villages_total)
		return bad(c, "bank.villages_passed", "is more than villages_total");
	d->name = xstrdup(json_object_get_string(name));
	return 0;
}

static int read_trend(const ctx_t *c, json_object *trend, inddoc_t *d)
{
	if (json_object_array_length(trend) != TREND_MONTHS)
		return bad(c, "trend", "does not hold 12 months");
	static const char *const keys[5] = {"visited", "archived", "granted", "signed", "used"};
	static const char *const rates[5] = {"visit_rate", "archive_rate", "credit_coverage",
	                                     "signing_rate", "usage_rate"};
	for (int s = 0; s < TREND_MONTHS; s++) {
		json_object *p = json_object_array_get_idx(trend, (size_t)s), *m;
		char w[64];
		snprintf(w, sizeof w, "trend[%d]", s);
		if (!json_object_is_type(p, json_type_object))
			return bad(c, w, "is not an object");
		trend_point_t *t = &d->trend[s];
		t->month = value_month_add(d->month, s - (TREND_MONTHS - 1));
		char want[16];
		snprintf(want, sizeof want, "%04d-%02d", t->month / 100, t->month % 100);
		if (member(c, p, w, "month", &m) != 0)
			return -1;
		if (!json_object_is_type(m, json_type_string) ||
		    strcmp(json_object_get_string(m), want) != 0) {
			char what[96];
			snprintf(what, sizeof what, "is not %s (the trend's months end with month)",
			         want);
			snprintf(w, sizeof w, "trend[%d].month", s);
			return bad(c, w, what);
		}
		int64_t *v[5] = {&t->visited, &t->archived, &t->granted, &t->signed_, &t->used};
		for (int i = 0; i < 5; i++)
			if (get_count(c, p, w, keys[i], v[i]) != 0 ||
			    check_rate(c, p, w, rates[i]) != 0)
				return -1;
	}
	return 0;
}

/* The bank's target is its branches' when each has one, as the indicators count it. */
static int read_targets(const ctx_t *c, json_object *branches, inddoc_t *d)
{
	size_t n = json_object_array_length(branches);
	d->has_target = n > 0;
	for (size_t i = 0; i < n; i++) {
		json_object *b = json_object_array_get_idx(branches, i), *t;
		char w[64];
		snprintf(w, sizeof w, "branches[%zu]", i);
		if (!json_object_is_type(b, json_type_object))
			return bad(c, w, "is not an object");
		if (member(c, b, w, "target_granted", &t) != 0)
			return -1;
		if (!t) {
			d->has_target = false;
			continue;
		}
		int64_t v;
		if (get_count(c, b, w, "target_granted", &v) != 0)
			return -1;
		if (__builtin_add_overflow(d->target_granted, v, &d->target_granted))
			return bad(c, w, "target_granted: the sum is too large");
	}
	if (!d->has_target)
		d->target_granted = 0;
	return 0;
}

static int read_doc(const ctx_t *c, json_object *root, inddoc_t *d)
{
	json_object *x, *bank, *trend, *quality;
	if (!json_object_is_type(root, json_type_object))
		return bad(c, "", "the file is JSON but not an object");
	if (member(c, root, "", "month", &x) != 0)
		return -1;
	const char *ms = json_object_is_type(x, json_type_string) ? json_object_get_string(x) : "";
	if (strlen(ms) != 7 || !value_parse_month(ms, &d->month))
		return bad(c, "month", "is not a month YYYY-MM");
	if (member(c, root, "", "as_of", &x) != 0)
		return -1;
	const char *as = json_object_is_type(x, json_type_string) ? json_object_get_string(x) : "";
	if (strlen(as) != 10 || as[4] != '-' || as[7] != '-' ||
	    value_parse_date(as, &d->as_of) != VALUE_OK || d->as_of / 100 != d->month)
		return bad(c, "as_of", "is not a date YYYY-MM-DD of the document's month");
	if (get_object(c, root, "", "bank", &bank) != 0 || read_bank(c, bank, d) != 0)
		return -1;
	static const char *const arrays[2] = {"villages", "managers"};
	for (int i = 0; i < 2; i++)
		if (get_array(c, root, arrays[i], &x) != 0)
			return -1;
	if (get_array(c, root, "branches", &x) != 0 || read_targets(c, x, d) != 0)
		return -1;
	if (get_array(c, root, "trend", &trend) != 0 || read_trend(c, trend, d) != 0)
		return -1;
	if (get_object(c, root, "", "quality", &quality) != 0 ||
	    get_count(c, quality, "quality", "errors", &d->errors) != 0 ||
	    get_count(c, quality, "quality", "warnings", &d->warnings) != 0)
		return -1;
	return 0;
}

static bool is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* ---- the villages and managers arrays checked, not built ----
 * They are nearly all of a bank's document (a village's figures and its 12 trend months) and
 * rollup reads nothing in them but that they are arrays, yet building them as json-c objects
 * was 95% of a rollup's time (1,000 documents of 152 villages: 7.3 s). So a strict RFC 8259
 * syntax check walks the whole text first, building nothing, and json-c then parses the text
 * with those two arrays written as []. Whatever the check does not accept (a syntax error, a
 * nesting deeper than json-c's, anything json-c would take and RFC 8259 not) is handed to
 * json-c whole, so json-c alone decides what is JSON and words every error. */

#define SCAN_DEPTH 30 /* below json-c's JSON_TOKENER_DEFAULT_DEPTH (32) */

typedef struct {
	const char *s; /* NUL-terminated after n bytes */
	size_t n, i;
} scan_t;

/* Byte classes: 1 JSON white space; 2 what ends the plain run of a string (the quote, the
 * backslash, a control character, NUL among them, so the text's terminator stops every run). */
static const unsigned char byte_class[256] = {
    [0 ... 8] = 2,       ['\t'] = 1, ['\n'] = 1, [0x0b ... 0x0c] = 2, ['\r'] = 1,
    [0x0e ... 0x1f] = 2, [' '] = 1,  ['"'] = 2,  ['\\'] = 2};

/* White space; the indentation of a pretty-printed document eight spaces at a time. */
static void scan_space(scan_t *p)
{
	const char *s = p->s;
	size_t i = p->i, n = p->n;
	for (;;) {
		uint64_t w;
		while (i + 8 <= n && (memcpy(&w, s + i, 8), w == 0x2020202020202020ull))
			i += 8;
		if (byte_class[(unsigned char)s[i]] != 1)
			break;
		i++;
	}
	p->i = i;
}

static bool scan_string(scan_t *p)
{
	if (p->s[p->i] != '"')
		return false;
	p->i++;
	for (;;) {
		const unsigned char *q = (const unsigned char *)p->s + p->i;
		while (byte_class[*q] != 2)
			q++;
		p->i = (size_t)((const char *)q - p->s) + 1;
		if (*q == '"')
			return p->i <= p->n;
		if (*q != '\\' || p->i >= p->n) /* a control character, or the end */
			return false;
		char e = p->s[p->i++];
		if (e == 'u') {
			for (int k = 0; k < 4; k++, p->i++)
				if (p->i >= p->n || !p->s[p->i] ||
				    !strchr("0123456789abcdefABCDEF", p->s[p->i]))
					return false;
		} else if (!e || !strchr("\"\\/bfnrt", e)) {
			return false;
		}
	}
}

static bool scan_digits(scan_t *p)
{
	size_t from = p->i;
	while (p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > from;
}

static bool scan_number(scan_t *p)
{
	if (p->s[p->i] == '-')
		p->i++;
	if (p->s[p->i] == '0')
		p->i++;
	else if (!scan_digits(p))
		return false;
	if (p->s[p->i] == '.') {
		p->i++;
		if (!scan_digits(p))
			return false;
	}
	if (p->s[p->i] == 'e' || p->s[p->i] == 'E') {
		p->i++;
		if (p->s[p->i] == '+' || p->s[p->i] == '-')
			p->i++;
		if (!scan_digits(p))
			return false;
	}
	return p->i <= p->n;
}

static bool scan_value(scan_t *p, int depth);

/* An object or an array, at p on its opening bracket. */
static bool scan_container(scan_t *p, int depth)
{
	bool object = p->s[p->i] == '{';
	char close = object ? '}' : ']';
	if (depth >= SCAN_DEPTH)
		return false;
	p->i++;
	scan_space(p);
	if (p->s[p->i] == close) {
		p->i++;
		return true;
	}
	for (;;) {
		if (object) {
			scan_space(p);
			if (!scan_string(p))
				return false;
			scan_space(p);
			if (p->s[p->i] != ':')
				return false;
			p->i++;
		}
		if (!scan_value(p, depth + 1))
			return false;
		scan_space(p);
		if (p->s[p->i] == close) {
			p->i++;
			return true;
		}
		if (p->s[p->i] != ',')
			return false;
		p->i++;
	}
}

static bool scan_value(scan_t *p, int depth)
{
	scan_space(p);
	char ch = p->s[p->i];
	if (ch == '{' || ch == '[')
		return scan_container(p, depth);
	if (ch == '"')
		return scan_string(p);
	if (ch == '-' || (ch >= '0' && ch <= '9'))
		return scan_number(p);
	static const char *const words[3] = {"true", "false", "null"};
	for (int k = 0; k < 3; k++) {
		size_t len = strlen(words[k]);
		if (p->n - p->i >= len && !memcmp(p->s + p->i, words[k], len)) {
			p->i += len;
			return true;
		}
	}
	return false;
}

/* The text s (n bytes, NUL-terminated) with the top-level villages and managers arrays
 * written as [], into out; false (out unspecified) when s is not one strict JSON object. */
static bool reduce(const char *s, size_t n, buf_t *out)
{
	scan_t p = {.s = s, .n = n};
	size_t copied = 0;
	scan_space(&p);
	if (s[p.i] != '{')
		return false;
	p.i++;
	scan_space(&p);
	if (s[p.i] == '}')
		p.i++;
	else
		for (;;) {
			scan_space(&p);
			size_t key = p.i;
			if (!scan_string(&p))
				return false;
			size_t klen = p.i - key;
			scan_space(&p);
			if (s[p.i] != ':')
				return false;
			p.i++;
			scan_space(&p);
			size_t from = p.i;
			if (!scan_value(&p, 1))
				return false;
			if (s[from] == '[' &&
			    ((klen == 10 && !memcmp(s + key, "\"villages\"", 10)) ||
			     (klen == 10 && !memcmp(s + key, "\"managers\"", 10)))) {
				buf_add(out, s + copied, from - copied);
				buf_adds(out, "[]");
				copied = p.i;
			}
			scan_space(&p);
			if (s[p.i] == '}') {
				p.i++;
				break;
			}
			if (s[p.i] != ',')
				return false;
			p.i++;
		}
	scan_space(&p);
	if (p.i != n)
		return false;
	buf_add(out, s + copied, n - copied);
	return true;
}

/* Parses text (n bytes) with json-c into *root; returns 0, or -1 with err (byte offsets are
 * text's). */
static int parse(const ctx_t *c, const char *text, size_t n, json_object **root)
{
	json_tokener *tok = json_tokener_new();
	*root = json_tokener_parse_ex(tok, text, (int)n);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	int rc = 0;
	if (jerr == json_tokener_continue) {
		rc = bad(c, "", "the JSON object ends too early");
	} else if (jerr != json_tokener_success) {
		char what[160];
		snprintf(what, sizeof what, "not JSON at byte %zu: %s", end,
		         json_tokener_error_desc(jerr));
		rc = bad(c, "", what);
	} else {
		for (size_t i = end; i < n && rc == 0; i++)
			if (!is_space(text[i]))
				rc = bad(c, "", "more than one JSON value");
	}
	if (rc != 0) {
		json_object_put(*root);
		*root = NULL;
	}
	return rc;
}

int inddoc_parse(const char *label, const char *text, size_t n, bool scan, inddoc_t *doc,
                 err_t *err)
{
	memset(doc, 0, sizeof *doc);
	ctx_t c = {.path = label, .err = err};
	if (n == 0)
		return bad(&c, "", "the file is empty");
	if (n > INDDOC_MAX_BYTES)
		return bad(&c, "", "larger than 1 GiB");
	buf_t small = {0};
	json_object *root = NULL;
	int rc;
	/* The checked, smaller text when the check takes it; json-c's words otherwise. */
	if (scan && reduce(text, n, &small) && parse(&c, small.data, small.len, &root) == 0)
		rc = 0;
	else
		rc = parse(&c, text, n, &root);
	buf_free(&small);
	if (rc == 0)
		rc = read_doc(&c, root, doc);
	json_object_put(root);
	if (rc != 0)
		inddoc_free(doc);
	return rc;
}

int inddoc_read(const char *path, inddoc_t *doc, err_t *err)
{
	memset(doc, 0, sizeof *doc);
	ctx_t c = {.path = path, .err = err};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, path, 0, "cannot read: %s", strerror(errno));
	/* Read whole into a buffer of the file's size (grown should the file grow meanwhile). */
	struct stat st;
	size_t cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	                     st.st_size <= INDDOC_MAX_BYTES
	                 ? (size_t)st.st_size + 1
	                 : 65536;
	char *text = xmalloc(cap);
	size_t len = 0;
	int rc = 0;
	for (;;) {
		if (len + 1 >= cap) {
			if (cap > INDDOC_MAX_BYTES) {
				rc = bad(&c, "", "larger than 1 GiB");
				break;
			}
			cap *= 2;
			text = xrealloc(text, cap);
		}
		ssize_t got = read(fd, text + len, cap - 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = err_set(err, path, 0, "cannot read: %s", strerror(errno));
			break;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	text[len] = '\0';
	if (rc == 0 && len > INDDOC_MAX_BYTES)
		rc = bad(&c, "", "larger than 1 GiB");
	if (rc == 0)
		rc = inddoc_parse(path, text, len, true, doc, err);
	free(text);
	return rc;
}

void inddoc_free(inddoc_t *doc)
{
	if (!doc)
		return;
	free(doc->name);
	doc->name = NULL;
}
