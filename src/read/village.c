/* village.c — reads village.md: the front matter between two `---` lines through the YAML
 * layer of config.h, and the Markdown narrative after it (CRLF turned into LF). */
#include "read/village.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "read/config.h"
#include "read/yamldoc.h"

/* households_total and population: more than this is no village but a typo or a test of
 * the reader, and would make every rate meaningless. */
#define VILLAGE_MAX_COUNT 10000000

/* Whether the line at p (ending at LF or end) reads "---"; a CR before the LF and trailing
 * blanks are tolerated. *next is the start of the following line. */
static bool is_fence(const char *p, const char *end, const char **next)
{
	const char *lf = memchr(p, '\n', (size_t)(end - p));
	const char *e = lf ? lf : end;
	*next = lf ? lf + 1 : end;
	if (e > p && e[-1] == '\r')
		e--;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return e - p == 3 && memcmp(p, "---", 3) == 0;
}

/* A copy of p[0..n) with every CRLF turned into LF. */
static char *lf_copy(const char *p, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	for (size_t i = 0; i < n; i++)
		if (!(p[i] == '\r' && i + 1 < n && p[i + 1] == '\n'))
			*o++ = p[i];
	*o = '\0';
	return out;
}

/* Sets the fields village_load fills to their "absent" values, without freeing. */
static void set_absent(village_t *v)
{
	v->name = v->township = v->narrative = NULL;
	v->industries = NULL;
	v->nindustries = 0;
	v->key_persons = NULL;
	v->nkey_persons = 0;
	v->checks = NULL;
	v->branch = -1;
	v->grade = 0;
	v->households_total = v->population = -1;
	v->households_total_line = 0;
	v->launched_on = 0;
}

/* Frees the fields village_load fills and sets them absent. */
static void clear_loaded(village_t *v)
{
	free(v->name);
	free(v->township);
	for (int i = 0; i < v->nindustries; i++)
		free(v->industries[i]);
	free(v->industries);
	for (int i = 0; i < v->nkey_persons; i++) {
		free(v->key_persons[i].name);
		free(v->key_persons[i].role);
		free(v->key_persons[i].phone);
	}
	free(v->key_persons);
	free(v->checks);
	free(v->narrative);
	set_absent(v);
}

/* An optional text field: a copy of its text, "" when absent or empty. */
static int optional_text(ydoc_t *d, yaml_node_t *n, const char *path, char **out, err_t *err)
{
	const char *s = "";
	if (n && ydoc_text(d, n, path, &s, err))
		return -1;
	*out = xstrdup(s);
	return 0;
}

/* A required, non-empty text field, borrowed from d. */
static int required_text(ydoc_t *d, yaml_node_t *root, const char *key, const char *what,
                         const char **out, err_t *err)
{
	yaml_node_t *n = ydoc_get(d, root, key, NULL);
	if (ydoc_is_null(n))
		return err_set(err, d->file, ydoc_line(d, n), "%s: missing (%s)", key, what);
	if (ydoc_text(d, n, key, out, err))
		return -1;
	if (!(*out)[0])
		return err_set(err, d->file, ydoc_line(d, n), "%s: is empty (%s)", key, what);
	return 0;
}

static int read_branch(ydoc_t *d, yaml_node_t *root, const site_t *site, village_t *v, err_t *err)
{
	const char *code;
	if (required_text(d, root, "branch", "a branch code from site.yaml", &code, err))
		return -1;
	for (int i = 0; i < site->nbranches; i++)
		if (strcmp(site->branches[i].code, code) == 0) {
			v->branch = i;
			return 0;
		}
	buf_t list = {0};
	for (int i = 0; i < site->nbranches; i++) {
		if (list.len > 200) {
			buf_adds(&list, ", ...");
			break;
		}
		buf_printf(&list, "%s%s", i ? ", " : "", site->branches[i].code);
	}
	int rc = err_set(err, d->file, ydoc_line(d, ydoc_get(d, root, "branch", NULL)),
	                 "branch: unknown branch code '%s' (site.yaml lists %s)", code,
	                 list.data ? list.data : "none");
	buf_free(&list);
	return rc;
}

static int read_grade(ydoc_t *d, yaml_node_t *root, village_t *v, err_t *err)
{
	const char *g;
	if (required_text(d, root, "grade", "A, B or C", &g, err))
		return -1;
	char c = g[0];
	if (c >= 'a' && c <= 'c')
		c = (char)(c - 'a' + 'A');
	if (g[1] != '\0' || c < 'A' || c > 'C')
		return err_set(err, d->file, ydoc_line(d, ydoc_get(d, root, "grade", NULL)),
		               "grade: expected A (示范村), B (重点村) or C (全体村), got '%s'", g);
	v->grade = c;
	return 0;
}

/* households_total or population: absent = -1, else 0..VILLAGE_MAX_COUNT. */
static int read_count(ydoc_t *d, yaml_node_t *root, const char *key, int64_t *out, long *line,
                      err_t *err)
{
	yaml_node_t *n = ydoc_get(d, root, key, line);
	*out = -1;
	if (ydoc_is_null(n))
		return 0;
	int64_t c;
	if (ydoc_count(d, n, key, INT64_MAX, &c, err))
		return -1;
	if (c > VILLAGE_MAX_COUNT)
		return err_set(
		    err, d->file, ydoc_line(d, n),
		    "%s: %lld is more than any village holds (at most %d); check the number", key,
		    (long long)c, VILLAGE_MAX_COUNT);
	*out = c;
	return 0;
}

static int read_industries(ydoc_t *d, yaml_node_t *root, village_t *v, err_t *err)
{
	yaml_node_t *n = ydoc_get(d, root, "industries", NULL);
	if (ydoc_is_null(n))
		return 0;
	if (n->type == YAML_SCALAR_NODE) { /* one industry written without brackets */
		const char *s;
		if (ydoc_text(d, n, "industries", &s, err))
			return -1;
		v->industries = xcalloc(1, sizeof *v->industries);
		if (s[0])
			v->industries[v->nindustries++] = xstrdup(s);
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return err_set(err, d->file, ydoc_line(d, n),
		               "industries: expected a list such as [葡萄, 草莓]");
	size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (count > YDOC_MAX_ITEMS)
		return err_set(err, d->file, ydoc_line(d, n), "industries: more than %d",
		               YDOC_MAX_ITEMS);
	v->industries = xcalloc(count, sizeof *v->industries);
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *it = yaml_document_get_node(&d->doc, n->data.sequence.items.start[i]);
		char path[64];
		const char *s;
		snprintf(path, sizeof path, "industries[%zu]", i + 1);
		if (ydoc_text(d, it, path, &s, err))
			return -1;
		if (s[0])
			v->industries[v->nindustries++] = xstrdup(s);
	}
	return 0;
}

static int read_launched(ydoc_t *d, yaml_node_t *root, village_t *v, err_t *err)
{
	yaml_node_t *n = ydoc_get(d, root, "launched_on", NULL);
	if (ydoc_is_null(n))
		return 0;
	const char *s;
	if (ydoc_text(d, n, "launched_on", &s, err))
		return -1;
	char *t = xstrdup(s);
	int32_t ymd;
	value_status_t st = value_parse_date(value_trim(t), &ymd);
	free(t);
	if (st == VALUE_EMPTY)
		return 0;
	if (st != VALUE_OK)
		return err_set(err, d->file, ydoc_line(d, n),
		               "launched_on: expected a date such as 2026-03-01, got '%s'", s);
	v->launched_on = ymd;
	return 0;
}

static int read_key_persons(ydoc_t *d, yaml_node_t *root, village_t *v, err_t *err)
{
	yaml_node_t *n = ydoc_get(d, root, "key_persons", NULL);
	if (ydoc_is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return err_set(err, d->file, ydoc_line(d, n),
		               "key_persons: expected a list of {name, role, phone}");
	size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (count > YDOC_MAX_ITEMS)
		return err_set(err, d->file, ydoc_line(d, n), "key_persons: more than %d",
		               YDOC_MAX_ITEMS);
	v->key_persons = xcalloc(count, sizeof *v->key_persons);
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *m = yaml_document_get_node(&d->doc, n->data.sequence.items.start[i]);
		key_person_t *k = &v->key_persons[i];
		char path[64], field[80];
		snprintf(path, sizeof path, "key_persons[%zu]", i + 1);
		v->nkey_persons = (int)i + 1;
		if (ydoc_check_map(d, m, path, NULL, err))
			return -1;
		snprintf(field, sizeof field, "%s.name", path);
		if (optional_text(d, ydoc_get(d, m, "name", NULL), field, &k->name, err))
			return -1;
		snprintf(field, sizeof field, "%s.role", path);
		if (optional_text(d, ydoc_get(d, m, "role", NULL), field, &k->role, err))
			return -1;
		snprintf(field, sizeof field, "%s.phone", path);
		if (optional_text(d, ydoc_get(d, m, "phone", NULL), field, &k->phone, err))
			return -1;
	}
	return 0;
}

/* The index of check key in site->checks, or -1 with an error naming it. */
static int check_index(ydoc_t *d, const site_t *site, const char *key, long line, err_t *err)
{
	for (int i = 0; i < site->nchecks; i++)
		if (strcmp(site->checks[i].key, key) == 0)
			return i;
	buf_t list = {0};
	for (int i = 0; i < site->nchecks; i++) {
		if (list.len > 200) {
			buf_adds(&list, ", ...");
			break;
		}
		buf_printf(&list, "%s%s", i ? ", " : "", site->checks[i].key);
	}
	err_set(err, d->file, line, "checks.%s: not a check of site.yaml (it lists %s)", key,
	        list.data ? list.data : "none");
	buf_free(&list);
	return -1;
}

/* checks: {key: bool, ...}; a list of keys [a, b] is read as all of them ticked. */
static int read_checks(ydoc_t *d, yaml_node_t *root, const site_t *site, village_t *v, err_t *err)
{
	v->checks = xcalloc((size_t)site->nchecks, sizeof *v->checks);
	yaml_node_t *n = ydoc_get(d, root, "checks", NULL);
	if (ydoc_is_null(n))
		return 0;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			yaml_node_t *k = yaml_document_get_node(&d->doc, *it);
			const char *key;
			if (ydoc_text(d, k, "checks", &key, err))
				return -1;
			int i = check_index(d, site, key, ydoc_line(d, k), err);
			if (i < 0)
				return -1;
			v->checks[i] = true;
		}
		return 0;
	}
	if (ydoc_check_map(d, n, "checks", NULL, err))
		return -1;
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = yaml_document_get_node(&d->doc, pr->key);
		yaml_node_t *val = yaml_document_get_node(&d->doc, pr->value);
		const char *key = (const char *)k->data.scalar.value;
		int i = check_index(d, site, key, ydoc_line(d, k), err);
		if (i < 0)
			return -1;
		char path[96];
		snprintf(path, sizeof path, "checks.%s", key);
		if (!ydoc_is_null(val) && ydoc_bool(d, val, path, &v->checks[i], err))
			return -1;
	}
	return 0;
}

/* The front matter's free text (name, township, industries, a key person's role) is shown on
 * pages, in workbooks and the indicator document: ID and mobile numbers in it are masked as
 * it is read (SPEC §7), like the narrative's when it is rendered. A key person's name and
 * phone have the masks of their own fields wherever they are shown. */
static void mask_free_text(village_t *v)
{
	if (v->name)
		format_mask_numbers(v->name);
	if (v->township)
		format_mask_numbers(v->township);
	for (int i = 0; i < v->nindustries; i++)
		format_mask_numbers(v->industries[i]);
	for (int i = 0; i < v->nkey_persons; i++)
		if (v->key_persons[i].role)
			format_mask_numbers(v->key_persons[i].role);
}

static int read_front_matter(ydoc_t *d, const site_t *site, village_t *v, err_t *err)
{
	yaml_node_t *root = ydoc_root(d);
	if (!root)
		return err_set(err, d->file, 2,
		               "the front matter is empty; it needs name, branch and grade");
	if (ydoc_check_map(d, root, NULL, NULL, err))
		return -1; /* unknown keys are the village's own notes and are ignored */

	const char *s;
	if (required_text(d, root, "name", "the village's name", &s, err))
		return -1;
	v->name = xstrdup(s);
	if (optional_text(d, ydoc_get(d, root, "township", NULL), "township", &v->township, err))
		return -1;
	if (read_branch(d, root, site, v, err) || read_grade(d, root, v, err))
		return -1;
	long line;
	if (read_count(d, root, "households_total", &v->households_total, &line, err))
		return -1;
	v->households_total_line = (int)line;
	if (read_count(d, root, "population", &v->population, NULL, err))
		return -1;
	if (read_industries(d, root, v, err) || read_launched(d, root, v, err) ||
	    read_key_persons(d, root, v, err) || read_checks(d, root, site, v, err))
		return -1;
	mask_free_text(v);
	return 0;
}

int village_load(const char *path, const site_t *site, village_t *v, err_t *err)
{
	set_absent(v);

	buf_t text = {0};
	if (ydoc_read_file(path, &text, err))
		return -1;
	const char *p = text.data, *end = text.data + text.len, *fm, *closing = NULL, *after = end;
	if (!is_fence(p, end, &fm)) {
		buf_free(&text);
		return err_set(
		    err, path, 1,
		    "no front matter: the file must start with a line '---', then name, branch "
		    "and grade, then another line '---'");
	}
	for (const char *q = fm; q < end;) {
		const char *next;
		if (is_fence(q, end, &next)) {
			closing = q;
			after = next;
			break;
		}
		q = next;
	}
	if (!closing) {
		buf_free(&text);
		return err_set(err, path, 1,
		               "the front matter opened here is never closed by a line '---'");
	}

	ydoc_t d;
	int rc = ydoc_parse(&d, path, fm, (size_t)(closing - fm), 2, err);
	if (rc == 0) {
		rc = read_front_matter(&d, site, v, err);
		ydoc_free(&d);
	}
	if (rc == 0)
		v->narrative = lf_copy(after, (size_t)(end - after));
	buf_free(&text);
	if (rc)
		clear_loaded(v);
	return rc;
}

void village_free(village_t *v)
{
	clear_loaded(v);
	free(v->code);
	memset(v, 0, sizeof *v);
}
