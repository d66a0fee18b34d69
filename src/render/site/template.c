/* template.c — a Mustache compiler (source → flat node list) and renderer over json-c data.
 * Templates are compiled once and rendered many times; partials compile lazily, once per render. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memrchr */
#endif
#include "render/site/template.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sections nested in one template, and partials nested in one render. Both bound the C stack:
 * the renderer recurses once per level, so the worst case is 64 × 64 frames. */
#define MAX_NESTING 64
#define MAX_PARTIALS 64
/* A render's budget. Mustache can describe exponential work (sections over lists nested 64
 * deep, partials recursing over nested data); these turn that into an error instead of a hang
 * or an exhausted memory. A step is a node or list item visited or a context frame searched;
 * a page needs a few steps per row it shows, far below the budget. */
#define MAX_STEPS 50000000u
#define MAX_OUTPUT ((size_t)256 << 20)
/* Longest delimiter accepted by {{=a b=}}, plus room for the '}' or '=' of a closing needle. */
#define DELIM_MAX 32

typedef enum {
	NODE_TEXT,     /* literal bytes of the source */
	NODE_VAR,      /* {{name}}, HTML-escaped */
	NODE_RAW,      /* {{{name}}} and {{&name}} */
	NODE_SECTION,  /* {{#name}} … {{/name}} */
	NODE_INVERTED, /* {{^name}} … {{/name}} */
	NODE_PARTIAL,  /* {{>name}} */
} node_kind_t;

/* A template is one array of nodes in source order. A section's body is the nodes after it up
 * to its `end`, so rendering a section is rendering a range: no tree to walk or free. */
typedef struct {
	node_kind_t kind;
	/* The first node of a source line. When the template is rendered as an indented partial
	 * the indentation is written before such a node; see render_range. */
	bool line_start;
	bool alone; /* PARTIAL: a standalone tag, whose indentation is the partial's */
	int nparts; /* names: how many dotted parts; 0 is the implicit iterator "." */
	size_t off; /* TEXT: offset in t->src; others: offset of the name in t->names */
	size_t len; /* TEXT: length; others: length of the name as written */
	size_t end; /* SECTION, INVERTED: index one past the body */
	size_t indent_off, indent_len; /* PARTIAL: whitespace before a standalone tag, in t->src */
	long line;
} node_t;

struct template
{
	char *name; /* for messages */
	char *src;  /* a private copy of the source: text nodes point into it */
	buf_t
	    names; /* every tag name, NUL-terminated, dotted names split into NUL-separated parts */
	node_t *nodes;
	size_t n, cap;
};

/* ---- compiling ---- */

typedef struct {
	size_t node;               /* index of the section node */
	size_t name_off, name_len; /* the name as written in the source, to match the closing tag */
	long line;
	char sigil;
} open_section_t;

typedef struct {
	template_t *t;
	const char *src;
	size_t len;
	err_t *err;
	char open[DELIM_MAX], close[DELIM_MAX];
	size_t olen, clen;
	size_t pos;         /* next byte to read */
	size_t line_begin;  /* where the current source line begins */
	bool line_blank;    /* the current line holds only spaces and tabs up to pos */
	bool at_line_start; /* the next node added starts a source line */
	long line;          /* line number at offset `counted` */
	size_t counted;
	open_section_t sections[MAX_NESTING];
	int depth;
} parser_t;

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The first occurrence of needle (nlen > 0 bytes) in h. Not memmem: the sanitizers check its
 * whole haystack on every call, which makes a parse quadratic under the test build. */
static const char *find(const char *h, size_t hlen, const char *needle, size_t nlen)
{
	while (hlen >= nlen) {
		const char *c = memchr(h, needle[0], hlen - nlen + 1);
		if (!c)
			return NULL;
		if (memcmp(c, needle, nlen) == 0)
			return c;
		hlen -= (size_t)(c - h) + 1;
		h = c + 1;
	}
	return NULL;
}

/* Line number of offset off. Offsets only grow during a parse, so the counting is linear. */
static long line_of(parser_t *p, size_t off)
{
	while (p->counted < off) {
		const char *nl = memchr(p->src + p->counted, '\n', off - p->counted);
		if (!nl) {
			p->counted = off;
			break;
		}
		p->line++;
		p->counted = (size_t)(nl - p->src) + 1;
	}
	return p->line;
}

/* Appends a node; it takes the pending line start, so every line's first node carries it. */
static node_t *add_node(parser_t *p, node_kind_t kind, long line)
{
	template_t *t = p->t;
	void *nodes = t->nodes;
	xgrow(&nodes, &t->cap, t->n + 1, sizeof *t->nodes);
	t->nodes = nodes;
	node_t *n = &t->nodes[t->n++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->line = line;
	n->line_start = p->at_line_start;
	p->at_line_start = false;
	return n;
}

/* Adds src[from, to) as text nodes, one per line, so that each line's start is a node. */
static void add_text(parser_t *p, size_t from, size_t to)
{
	while (from < to) {
		const char *nl = memchr(p->src + from, '\n', to - from);
		size_t end = nl ? (size_t)(nl - p->src) + 1 : to;
		node_t *n = add_node(p, NODE_TEXT, 0);
		n->off = from;
		n->len = end - from;
		p->at_line_start = nl != NULL;
		from = end;
	}
}

/* Records that the text src[from, to) was read: tracks the line start and its blankness,
 * which decide whether the next tag is standalone. Each byte is looked at once. */
static void scan_text(parser_t *p, size_t from, size_t to)
{
	const char *nl = from < to ? memrchr(p->src + from, '\n', to - from) : NULL;
	if (nl) {
		p->line_begin = (size_t)(nl - p->src) + 1;
		p->line_blank = true;
		from = p->line_begin;
	}
	for (size_t i = from; p->line_blank && i < to; i++)
		if (!is_blank(p->src[i]))
			p->line_blank = false;
}

/* A tag is standalone when its line holds nothing else but spaces and tabs. Then *next is set
 * past the line's end (after "\n" or "\r\n", or at the end of the source). */
static bool standalone(const parser_t *p, size_t after, size_t *next)
{
	if (!p->line_blank)
		return false;
	size_t i = after;
	while (i < p->len && is_blank(p->src[i]))
		i++;
	if (i == p->len || p->src[i] == '\n') {
		*next = i < p->len ? i + 1 : i;
		return true;
	}
	if (p->src[i] == '\r' && i + 1 < p->len && p->src[i + 1] == '\n') {
		*next = i + 2;
		return true;
	}
	return false;
}

/* Stores a name in t->names. Dotted names are split into NUL-separated parts now, so lookups
 * need no copying at render time. Returns the offset; *nparts gets the part count. */
static size_t add_name(parser_t *p, size_t off, size_t len, bool dotted, int *nparts)
{
	buf_t *b = &p->t->names;
	size_t at = b->len;
	*nparts = 1;
	if (dotted && len == 1 && p->src[off] == '.') {
		*nparts = 0;
	} else {
		buf_add(b, p->src + off, len);
		for (size_t i = at; dotted && i < b->len; i++) {
			if (b->data[i] == '.') {
				b->data[i] = '\0';
				(*nparts)++;
			}
		}
	}
	buf_addc(b, '\0');
	return at;
}

/* Handles the inside of {{=open close=}}. */
static int set_delimiters(parser_t *p, size_t from, size_t to, long line)
{
	const char *s = p->src;
	while (from < to && (unsigned char)s[from] <= ' ')
		from++;
	while (to > from && (unsigned char)s[to - 1] <= ' ')
		to--;
	size_t a = from;
	while (a < to && (unsigned char)s[a] > ' ')
		a++;
	size_t b = a;
	while (b < to && (unsigned char)s[b] <= ' ')
		b++;
	size_t olen = a - from, clen = to - b;
	bool ok = olen && clen && olen < DELIM_MAX && clen < DELIM_MAX &&
	          !memchr(s + from, '=', olen) && !memchr(s + b, '=', clen);
	for (size_t i = b; ok && i < to; i++)
		if ((unsigned char)s[i] <= ' ')
			ok = false;
	if (!ok)
		return err_set(p->err, p->t->name, line,
		               "bad delimiter tag: want two delimiters without spaces or '=', like "
		               "{{=<%% %%>=}}");
	memcpy(p->open, s + from, olen);
	memcpy(p->close, s + b, clen);
	p->olen = olen;
	p->clen = clen;
	return 0;
}

static int check_name(parser_t *p, size_t off, size_t len, long line)
{
	if (len == 0)
		return err_set(p->err, p->t->name, line, "empty tag name");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p->src[off + i] <= ' ')
			return err_set(p->err, p->t->name, line, "tag name '%.*s' contains a space",
			               (int)(len > 64 ? 64 : len), p->src + off);
	return 0;
}

/* Closes the innermost open section with the tag {{/name}}. */
static int close_section(parser_t *p, size_t off, size_t len, long line, bool alone)
{
	if (p->depth == 0)
		return err_set(p->err, p->t->name, line,
		               "closing tag {{/%.*s}} without an opening tag",
		               (int)(len > 64 ? 64 : len), p->src + off);
	open_section_t *o = &p->sections[p->depth - 1];
	if (o->name_len != len || memcmp(p->src + o->name_off, p->src + off, len) != 0)
		return err_set(p->err, p->t->name, line,
		               "closing tag {{/%.*s}} does not match {{%c%.*s}} opened on line %ld",
		               (int)(len > 64 ? 64 : len), p->src + off, o->sigil,
		               (int)(o->name_len > 64 ? 64 : o->name_len), p->src + o->name_off,
		               o->line);
	/* A closing tag that starts a line is inside the section: keep the line's indentation
	 * there (an empty text node) so that it repeats with the body, as the text would. */
	if (!alone && p->at_line_start)
		add_node(p, NODE_TEXT, line);
	p->t->nodes[o->node].end = p->t->n;
	p->depth--;
	return 0;
}

/* Reads the tag whose opening delimiter is at offset tag and adds its node. */
static int parse_tag(parser_t *p, size_t tag)
{
	const char *s = p->src;
	long line = line_of(p, tag);
	size_t q = tag + p->olen;
	char sigil = q < p->len ? s[q] : '\0';
	if (sigil == '\0' || !strchr("#^/>!={&", sigil))
		sigil = '\0'; /* a plain variable */

	/* {{{name}}} ends at "}" + close and {{=a b=}} at "=" + close; the search starts after
	 * the sigil so that "{{=}}" cannot end inside itself. */
	char needle[DELIM_MAX + 1];
	size_t nlen = 0, from = q;
	if (sigil == '{' || sigil == '=') {
		needle[nlen++] = sigil == '{' ? '}' : '=';
		from = q + 1 < p->len ? q + 1 : p->len;
	}
	memcpy(needle + nlen, p->close, p->clen);
	nlen += p->clen;
	const char *e = find(s + from, p->len - from, needle, nlen);
	if (!e)
		return err_set(p->err, p->t->name, line, "unclosed tag: no '%.*s' after '%.*s'",
		               (int)nlen, needle, (int)p->olen, p->open);
	size_t cend = (size_t)(e - s), after = cend + nlen;
	size_t cstart = sigil ? q + 1 : q;
	if (cstart > cend)
		cstart = cend;

	size_t next = after;
	bool alone = sigil && sigil != '{' && sigil != '&' && standalone(p, after, &next);
	add_text(p, p->pos, alone ? p->line_begin : tag);

	/* The name, trimmed; comments and delimiter tags have none. */
	size_t noff = cstart, nend = cend;
	while (noff < nend && (unsigned char)s[noff] <= ' ')
		noff++;
	while (nend > noff && (unsigned char)s[nend - 1] <= ' ')
		nend--;
	size_t nl = nend - noff;
	if (sigil != '!' && sigil != '=' && check_name(p, noff, nl, line) < 0)
		return -1;

	node_t *n;
	switch (sigil) {
	case '!':
		break;
	case '=':
		if (set_delimiters(p, cstart, cend, line) < 0)
			return -1;
		break;
	case '#':
	case '^':
		if (p->depth == MAX_NESTING)
			return err_set(p->err, p->t->name, line, "sections nested deeper than %d",
			               MAX_NESTING);
		n = add_node(p, sigil == '#' ? NODE_SECTION : NODE_INVERTED, line);
		n->off = add_name(p, noff, nl, true, &n->nparts);
		n->len = nl;
		if (alone)
			n->line_start = false;
		p->sections[p->depth++] = (open_section_t){p->t->n - 1, noff, nl, line, sigil};
		break;
	case '/':
		if (close_section(p, noff, nl, line, alone) < 0)
			return -1;
		break;
	case '>':
		n = add_node(p, NODE_PARTIAL, line);
		n->off = add_name(p, noff, nl, false, &n->nparts);
		n->len = nl;
		if (alone) {
			/* The indentation goes before each line of the partial instead. */
			n->line_start = false;
			n->alone = true;
			n->indent_off = p->line_begin;
			n->indent_len = tag - p->line_begin;
		}
		break;
	default:
		n = add_node(p, sigil ? NODE_RAW : NODE_VAR, line);
		n->off = add_name(p, noff, nl, true, &n->nparts);
		n->len = nl;
		break;
	}

	if (alone) {
		p->pos = p->line_begin = next;
		p->line_blank = true;
		p->at_line_start = true;
	} else {
		p->pos = after;
		p->line_blank = false;
	}
	return 0;
}

static int parse(parser_t *p)
{
	while (p->pos < p->len) {
		const char *o = find(p->src + p->pos, p->len - p->pos, p->open, p->olen);
		size_t tag = o ? (size_t)(o - p->src) : p->len;
		scan_text(p, p->pos, tag);
		if (!o) {
			add_text(p, p->pos, p->len);
			p->pos = p->len;
		} else if (parse_tag(p, tag) < 0) {
			return -1;
		}
	}
	if (p->depth > 0) {
		const open_section_t *o = &p->sections[p->depth - 1];
		return err_set(p->err, p->t->name, o->line, "unclosed section {{%c%.*s}}", o->sigil,
		               (int)(o->name_len > 64 ? 64 : o->name_len), p->src + o->name_off);
	}
	return 0;
}

template_t *template_compile(const char *src, size_t len, const char *name, err_t *err)
{
	template_t *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name ? name : "template");
	t->src = src ? xstrndup(src, len) : xstrdup("");
	parser_t p = {
	    .t = t,
	    .src = t->src,
	    .len = src ? len : 0,
	    .err = err,
	    .open = "{{",
	    .close = "}}",
	    .olen = 2,
	    .clen = 2,
	    .line_blank = true,
	    .at_line_start = true,
	    .line = 1,
	};
	if (parse(&p) < 0) {
		template_free(t);
		return NULL;
	}
	return t;
}

void template_free(template_t *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->src);
	buf_free(&t->names);
	free(t->nodes);
	free(t);
}

/* ---- writing values ---- */

void template_escape_html(buf_t *out, const char *s, size_t n)
{
	size_t run = 0;
	buf_reserve(out, n);
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		buf_add(out, s + run, i - run);
		buf_adds(out, rep);
		run = i + 1;
	}
	buf_add(out, s + run, n - run);
}

/* Formats d as JavaScript's Number#toString does (the shortest digits that read back as d;
 * positional from 1e-7 to 1e21, exponent form outside), so 1.21 is "1.21", 1.10 is "1.1",
 * 2.0 is "2". json-c's own printing would keep the digits as written in the input. */
static size_t format_double(char *out, size_t size, double d)
{
	if (isnan(d))
		return (size_t)snprintf(out, size, "NaN");
	if (isinf(d))
		return (size_t)snprintf(out, size, d < 0 ? "-Infinity" : "Infinity");
	if (d == 0)
		return (size_t)snprintf(out, size, "0");
	char e[40];
	/* Any decimal of at most 15 digits survives decimal → double → 15 digits (DBL_DIG), so
	 * when 15 digits read back as d, they are the shortest form padded with zeros; only the
	 * rest need 16 or 17. */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(e, sizeof e, "%.*e", prec - 1, d);
		if (prec == 17 || strtod(e, NULL) == d)
			break;
	}
	/* e is "-d.ddde+XX": gather the digits (whatever the locale's decimal point) and exponent.
	 */
	char digits[24];
	size_t nd = 0;
	const char *c = e;
	for (; *c && *c != 'e'; c++)
		if (*c >= '0' && *c <= '9' && nd < sizeof digits)
			digits[nd++] = *c;
	int exp = *c == 'e' ? atoi(c + 1) : 0;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;

	/* At most 26 bytes are written: sign, "0.", 5 zeros and 17 digits. */
	size_t k = 0;
	if (size < 32)
		return (size_t)snprintf(out, size, "%s", e);
	if (d < 0)
		out[k++] = '-';
	if (exp >= 21 || exp < -6) {
		out[k++] = digits[0];
		if (nd > 1)
			out[k++] = '.';
		for (size_t i = 1; i < nd; i++)
			out[k++] = digits[i];
		k += (size_t)snprintf(out + k, size - k, "e%c%d", exp < 0 ? '-' : '+',
		                      exp < 0 ? -exp : exp);
	} else if (exp < 0) {
		out[k++] = '0';
		out[k++] = '.';
		for (int i = -1; i > exp; i--)
			out[k++] = '0';
		for (size_t i = 0; i < nd; i++)
			out[k++] = digits[i];
	} else {
		for (int i = 0; i <= exp || (size_t)i < nd; i++) {
			if (i == exp + 1)
				out[k++] = '.';
			out[k++] = (size_t)i < nd ? digits[i] : '0';
		}
	}
	out[k] = '\0';
	return k;
}

/* Writes v as text: strings as they are, numbers as JSON, true/false, null as nothing,
 * lists and objects as compact JSON. */
static void interpolate_json(buf_t *out, json_object *v, bool escape)
{
	char num[64];
	const char *s;
	size_t n;
	switch (json_object_get_type(v)) {
	case json_type_null:
		return;
	case json_type_string:
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		break;
	case json_type_boolean:
		s = json_object_get_boolean(v) ? "true" : "false";
		n = strlen(s);
		break;
	case json_type_int: {
		int64_t i = json_object_get_int64(v);
		if (i == INT64_MAX) /* json-c clamps; the value may be a larger unsigned one */
			snprintf(num, sizeof num, "%" PRIu64, json_object_get_uint64(v));
		else
			snprintf(num, sizeof num, "%" PRId64, i);
		s = num;
		n = strlen(num);
		break;
	}
	case json_type_double:
		n = format_double(num, sizeof num, json_object_get_double(v));
		s = num;
		break;
	default: {
		/* json-c prints into a buffer inside the object it prints; a copy keeps the
		 * caller's data untouched, so renders on other threads may share it. */
		json_object *copy = NULL;
		json_object_deep_copy(v, &copy, NULL);
		s = json_object_to_json_string_ext(copy, JSON_C_TO_STRING_PLAIN);
		if (escape)
			template_escape_html(out, s, strlen(s));
		else
			buf_adds(out, s);
		json_object_put(copy);
		return;
	}
	}
	if (escape)
		template_escape_html(out, s, n);
	else
		buf_add(out, s, n);
}

/* ---- lists made while they are walked (template_list_new) ---- */

#define TLIST_MAGIC 0x746c6973u

struct template_row {
	const char *const *keys;
	int nkeys;
	size_t off[TEMPLATE_ROW_MAX], len[TEMPLATE_ROW_MAX];
	buf_t text; /* the fields' bytes, one after another */
};

typedef struct {
	unsigned magic;
	size_t n, cur; /* items; the one the row holds (n: none yet) */
	template_fill_fn fill;
	void *ctx;
	void (*free_ctx)(void *);
	template_row_t row;
} tlist_t;

static void tlist_delete(json_object *o, void *data)
{
	(void)o;
	tlist_t *l = data;
	if (l->free_ctx)
		l->free_ctx(l->ctx);
	buf_free(&l->row.text);
	free(l);
}

json_object *template_list_new(size_t n, const char *const *keys, int nkeys, template_fill_fn fill,
                               void *ctx, void (*free_ctx)(void *))
{
	tlist_t *l = xcalloc(1, sizeof *l);
	*l = (tlist_t){
	    .magic = TLIST_MAGIC,
	    .n = n,
	    .cur = n,
	    .fill = fill,
	    .ctx = ctx,
	    .free_ctx = free_ctx,
	    .row = {.keys = keys, .nkeys = nkeys < TEMPLATE_ROW_MAX ? nkeys : TEMPLATE_ROW_MAX}};
	json_object *a = json_object_new_array();
	json_object_set_userdata(a, l, tlist_delete);
	return a;
}

static tlist_t *tlist_of(json_object *v)
{
	if (!json_object_is_type(v, json_type_array))
		return NULL;
	tlist_t *l = json_object_get_userdata(v);
	return l && l->magic == TLIST_MAGIC ? l : NULL;
}

size_t template_list_length(json_object *v)
{
	tlist_t *l = tlist_of(v);
	if (l)
		return l->n;
	return json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
}

void template_row_set(template_row_t *row, int key, const char *text)
{
	if (key < 0 || key >= row->nkeys)
		return;
	size_t n = text ? strlen(text) : 0;
	row->off[key] = row->text.len;
	row->len[key] = n;
	buf_add(&row->text, text ? text : "", n);
}

/* Makes the row hold item k (again, after a walk of the same list inside it moved it). */
static const template_row_t *tlist_item(tlist_t *l, size_t k)
{
	if (l->cur != k) {
		buf_clear(&l->row.text);
		for (int i = 0; i < l->row.nkeys; i++)
			l->row.off[i] = l->row.len[i] = 0;
		l->fill(l->ctx, k, &l->row);
		l->cur = k;
	}
	return &l->row;
}

/* What a name resolves to: a json-c value, an item of a template list, or a text field of
 * one. A field is named, not pointed to: a walk of the same list inside it may refill the
 * row, so its bytes are fetched again at each use (field_text). */
typedef struct {
	enum { VAL_JSON, VAL_ITEM, VAL_TEXT } kind;
	json_object *j; /* VAL_JSON */
	tlist_t *list;  /* VAL_ITEM and VAL_TEXT: the list, the item, and the field */
	size_t item;
	int key;
} value_t;

/* The bytes of field v, valid until the list's row is filled again. */
static const char *field_text(const value_t *v, size_t *n)
{
	const template_row_t *row = tlist_item(v->list, v->item);
	*n = row->len[v->key];
	return row->text.data ? row->text.data + row->off[v->key] : "";
}

static void interpolate(buf_t *out, const value_t *v, bool escape)
{
	size_t n;
	if (v->kind == VAL_JSON) {
		interpolate_json(out, v->j, escape);
	} else if (v->kind == VAL_TEXT) {
		const char *s = field_text(v, &n);
		if (escape)
			template_escape_html(out, s, n);
		else
			buf_add(out, s, n);
	}
}

/* Falsey: null (and missing), false, the empty list and the empty string. */
static bool truthy_json(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return false;
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_string:
		return json_object_get_string_len(v) > 0;
	case json_type_array:
		return template_list_length(v) > 0;
	default:
		return true;
	}
}

static bool truthy(const value_t *v)
{
	size_t n = 0;
	if (v->kind == VAL_TEXT)
		field_text(v, &n);
	return v->kind == VAL_ITEM || (v->kind == VAL_TEXT ? n > 0 : truthy_json(v->j));
}

/* ---- rendering ---- */

typedef struct {
	template_partial_fn partials;
	void *ctx;
	buf_t *out;
	err_t *err;
	value_t *stack; /* the context stack; [0] is the root data */
	size_t depth, cap;
	/* Indentation of the partials being rendered, as a stack of bytes: a frame's indentation
	 * is a slice of it that always ends at its top while the frame renders. */
	buf_t indent;
	strmap_t cache_index; /* partial name → index in cache */
	template_t **cache;   /* compiled partials of this render; NULL for a missing one */
	size_t ncache, ccache;
	int partial_depth;
	size_t steps, start; /* nodes and list items visited; out->len when the render began */
	/* Which field of a template list's rows a tag names (row_key), per tag and key array. */
	struct {
		const node_t *node;
		const char *const *keys;
		int nkeys, idx;
	} names[64];
} render_t;

/* Counts one step of work and fails once the budget is spent. */
static int spend(render_t *r, const template_t *t, long line)
{
	if (++r->steps > MAX_STEPS)
		return err_set(
		    r->err, t->name, line,
		    "rendering needs more than %u steps: sections or partials repeat too much",
		    MAX_STEPS);
	if (r->out->len - r->start > MAX_OUTPUT)
		return err_set(r->err, t->name, line, "rendering makes more than %zu bytes",
		               MAX_OUTPUT);
	return 0;
}

static void push(render_t *r, value_t v)
{
	void *stack = r->stack;
	xgrow(&stack, &r->cap, r->depth + 1, sizeof *r->stack);
	r->stack = stack;
	r->stack[r->depth++] = v;
}

/* The index of key among a row's keys, or -1. Every row of a list has the same keys, so for
 * tag n (NULL: not kept) the answer is kept in r: a table asks the same names of thousands of
 * rows, and finding one was a string comparison per key before it. */
static int row_key(render_t *r, const node_t *n, const template_row_t *row, const char *key)
{
	size_t slot = ((uintptr_t)n / sizeof *n) % (sizeof r->names / sizeof r->names[0]);
	if (n && r->names[slot].node == n && r->names[slot].keys == row->keys &&
	    r->names[slot].nkeys == row->nkeys)
		return r->names[slot].idx;
	int idx = -1;
	for (int i = 0; i < row->nkeys && idx < 0; i++)
		if (row->keys[i][0] == key[0] && !strcmp(row->keys[i], key))
			idx = i;
	if (n) {
		r->names[slot].node = n;
		r->names[slot].keys = row->keys;
		r->names[slot].nkeys = row->nkeys;
		r->names[slot].idx = idx;
	}
	return idx;
}

/* Looks key (of tag n, or NULL) up in frame f: an object's member, or a list item's field (as
 * text). */
static bool frame_get(render_t *r, const node_t *n, const value_t *f, const char *key, value_t *v)
{
	if (f->kind == VAL_JSON) {
		v->kind = VAL_JSON;
		return json_object_is_type(f->j, json_type_object) &&
		       json_object_object_get_ex(f->j, key, &v->j);
	}
	if (f->kind != VAL_ITEM)
		return false;
	const template_row_t *row = tlist_item(f->list, f->item);
	int i = row_key(r, n, row, key);
	if (i < 0)
		return false;
	*v = (value_t){.kind = VAL_TEXT, .list = f->list, .item = f->item, .key = i};
	return true;
}

/* Resolves a node's name as the spec says: the first part up the context stack (the first
 * object holding the key wins, even if its value is null), the other parts only inside the
 * value found. Returns false when the name does not resolve. Every frame looked at is a step
 * of the budget: deep stacks (partials recursing in sections) would else make each lookup
 * long while costing one step. */
static bool lookup(render_t *r, const template_t *t, const node_t *n, value_t *v)
{
	if (n->nparts == 0) {
		*v = r->stack[r->depth - 1];
		return true;
	}
	const char *part = t->names.data + n->off;
	size_t i = r->depth;
	for (;;) {
		if (i == 0) {
			r->steps += r->depth;
			return false;
		}
		i--;
		if (frame_get(r, n, &r->stack[i], part, v))
			break;
	}
	r->steps += r->depth - i;
	for (int k = 1; k < n->nparts; k++) {
		part += strlen(part) + 1;
		if (v->kind == VAL_TEXT || !frame_get(r, NULL, v, part, v))
			return false;
	}
	return true;
}

/* The compiled partial called name, compiled on first use in this render. Sets *p to NULL for
 * a partial that does not exist. Returns -1 if it does not compile. */
static int partial_get(render_t *r, const char *name, template_t **p)
{
	int idx = strmap_get(&r->cache_index, name);
	if (idx >= 0) {
		*p = r->cache[idx];
		return 0;
	}
	const char *src = r->partials ? r->partials(name, r->ctx) : NULL;
	*p = NULL;
	if (src && !(*p = template_compile(src, strlen(src), name, r->err)))
		return -1;
	void *cache = r->cache;
	xgrow(&cache, &r->ccache, r->ncache + 1, sizeof *r->cache);
	r->cache = cache;
	r->cache[r->ncache] = *p;
	/* The key is borrowed from the template holding the tag, which outlives the cache. */
	strmap_put(&r->cache_index, name, (int)r->ncache++);
	return 0;
}

static int render_range(render_t *r, const template_t *t, size_t from, size_t to, size_t ind_off,
                        size_t ind_len);

/* Renders the body of a section node at index i over value v. */
static int render_section(render_t *r, const template_t *t, size_t i, value_t v, size_t ind_off,
                          size_t ind_len)
{
	const node_t *n = &t->nodes[i];
	int rc = 0;
	tlist_t *l = v.kind == VAL_JSON ? tlist_of(v.j) : NULL;
	if (l) {
		for (size_t k = 0; k < l->n && rc == 0; k++) {
			if (spend(r, t, n->line) < 0)
				return -1;
			push(r, (value_t){.kind = VAL_ITEM, .list = l, .item = k});
			rc = render_range(r, t, i + 1, n->end, ind_off, ind_len);
			r->depth--;
		}
	} else if (v.kind == VAL_JSON && json_object_is_type(v.j, json_type_array)) {
		size_t count = json_object_array_length(v.j);
		for (size_t k = 0; k < count && rc == 0; k++) {
			if (spend(r, t, n->line) < 0)
				return -1;
			push(r,
			     (value_t){.kind = VAL_JSON, .j = json_object_array_get_idx(v.j, k)});
			rc = render_range(r, t, i + 1, n->end, ind_off, ind_len);
			r->depth--;
		}
	} else if (truthy(&v)) {
		push(r, v);
		rc = render_range(r, t, i + 1, n->end, ind_off, ind_len);
		r->depth--;
	}
	return rc;
}

/* Renders the partial of node n with the context stack as it is. The indentation of a
 * standalone tag is applied at render time, so a partial compiles once whatever the
 * indentation of its tags: its lines' first nodes get the enclosing indentation plus the
 * tag's own. An inline partial's lines get none, as if its text were pasted in place. */
static int render_partial(render_t *r, const template_t *t, const node_t *n, size_t ind_off,
                          size_t ind_len)
{
	const char *name = t->names.data + n->off;
	if (r->partial_depth >= MAX_PARTIALS)
		return err_set(r->err, t->name, n->line,
		               "partials nested deeper than %d: does partial '%s' include itself?",
		               MAX_PARTIALS, name);
	template_t *p;
	if (partial_get(r, name, &p) < 0)
		return -1;
	if (!p)
		return 0;
	size_t top = r->indent.len; /* == ind_off + ind_len */
	if (n->alone) {
		buf_add(&r->indent, t->src + n->indent_off, n->indent_len);
		ind_len += n->indent_len;
	} else {
		ind_off = top;
		ind_len = 0;
	}
	r->partial_depth++;
	int rc = render_range(r, p, 0, p->n, ind_off, ind_len);
	r->partial_depth--;
	r->indent.len = top;
	if (r->indent.data)
		r->indent.data[top] = '\0';
	return rc;
}

/* Renders nodes [from, to) of t. [ind_off, ind_off + ind_len) of r->indent is the indentation
 * written before each node that starts a source line. */
static int render_range(render_t *r, const template_t *t, size_t from, size_t to, size_t ind_off,
                        size_t ind_len)
{
	size_t i = from;
	while (i < to) {
		const node_t *n = &t->nodes[i];
		value_t v = {.kind = VAL_JSON};
		if (spend(r, t, n->line) < 0)
			return -1;
		if (n->line_start && ind_len)
			buf_add(r->out, r->indent.data + ind_off, ind_len);
		switch (n->kind) {
		case NODE_TEXT:
			buf_add(r->out, t->src + n->off, n->len);
			i++;
			break;
		case NODE_VAR:
		case NODE_RAW:
			if (lookup(r, t, n, &v))
				interpolate(r->out, &v, n->kind == NODE_VAR);
			i++;
			break;
		case NODE_SECTION:
			if (lookup(r, t, n, &v) && render_section(r, t, i, v, ind_off, ind_len) < 0)
				return -1;
			i = n->end;
			break;
		case NODE_INVERTED:
			if ((!lookup(r, t, n, &v) || !truthy(&v)) &&
			    render_range(r, t, i + 1, n->end, ind_off, ind_len) < 0)
				return -1;
			i = n->end;
			break;
		case NODE_PARTIAL:
			if (render_partial(r, t, n, ind_off, ind_len) < 0)
				return -1;
			i++;
			break;
		}
	}
	return 0;
}

const char *template_next_partial(const template_t *t, size_t *pos, long *line)
{
	for (size_t i = *pos; i < t->n; i++) {
		if (t->nodes[i].kind == NODE_PARTIAL) {
			*pos = i + 1;
			*line = t->nodes[i].line;
			return t->names.data + t->nodes[i].off;
		}
	}
	*pos = t->n;
	return NULL;
}

int template_render(const template_t *t, json_object *data, template_partial_fn partials, void *ctx,
                    buf_t *out, err_t *err)
{
	render_t r = {.partials = partials, .ctx = ctx, .out = out, .err = err, .start = out->len};
	push(&r, (value_t){.kind = VAL_JSON, .j = data});
	buf_add(out, "", 0); /* out->data is a string even when nothing is rendered */
	int rc = render_range(&r, t, 0, t->n, 0, 0);
	for (size_t i = 0; i < r.ncache; i++)
		template_free(r.cache[i]);
	free(r.cache);
	strmap_free(&r.cache_index);
	buf_free(&r.indent);
	free(r.stack);
	return rc;
}
