/* config.c — reads site.yaml into site_t through the bounded YAML layer of yamldoc.c;
 * every shape the spec does not allow is a fatal error naming the key and line. */
#include "read/config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "read/yamldoc.h"
#include "outtree.h"

/* ---- site.yaml ---- */

/* The indicator keys, in rate_t order. */
#define TARGET_MAX 10000000 /* target_granted counts households */

/* [A-Za-z0-9_-]{1,max}, or without '-' when dash is false. */
static bool is_code(const char *s, size_t max, bool dash)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (const char *p = s; *p; p++) {
		char c = *p;
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		          (c >= '0' && c <= '9') || c == '_' || (dash && c == '-');
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

/* An optional text: *out is a copy the site owns, or stays NULL when absent or empty. */
static int optional_text(ydoc_t *d, yaml_node_t *map, const char *key, const char *path, char **out,
                         err_t *err)
{
	const char *s;
	yaml_node_t *n = ydoc_get(d, map, key, NULL);
	if (ydoc_is_null(n))
		return 0;
	if (ydoc_text(d, n, path, &s, err))
		return -1;
	if (s[0])
		*out = xstrdup(s);
	return 0;
}

#define VALID_YEARS_MAX 30 /* a grant valid longer than this is a typing error */

/* letters: {valid_years, hotline} (SPEC §3, §8). */
static int read_letters(ydoc_t *d, yaml_node_t *root, site_t *site, err_t *err)
{
	static const char *const keys[] = {"valid_years", "hotline", NULL};
	site->letters_valid_years = 3;
	yaml_node_t *l = ydoc_get(d, root, "letters", NULL);
	if (ydoc_is_null(l))
		return 0;
	if (ydoc_check_map(d, l, "letters", keys, err))
		return -1;
	yaml_node_t *vy = ydoc_get(d, l, "valid_years", NULL);
	if (!ydoc_is_null(vy)) {
		int64_t y;
		if (ydoc_count(d, vy, "letters.valid_years", VALID_YEARS_MAX, &y, err))
			return -1;
		if (y < 1)
			return err_set(err, d->file, ydoc_line(d, vy),
			               "letters.valid_years: must be from 1 to %d, got %s",
			               VALID_YEARS_MAX, ydoc_scalar(vy));
		site->letters_valid_years = (int)y;
	}
	return optional_text(d, l, "hotline", "letters.hotline", &site->letters_hotline, err);
}

static int read_branches(ydoc_t *d, yaml_node_t *seq, site_t *site, err_t *err)
{
	static const char *const keys[] = {"code",  "name", "target_granted", "address", "phone",
	                                   "email", NULL};
	if (!seq)
		return err_set(err, d->file, 0,
		               "branches: missing (the list of branches, each "
		               "{code, name, target_granted})");
	if (seq->type != YAML_SEQUENCE_NODE ||
	    seq->data.sequence.items.top == seq->data.sequence.items.start)
		return err_set(
		    err, d->file, ydoc_line(d, seq),
		    "branches: expected a non-empty list of {code, name, target_granted}");
	size_t n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	if (n > YDOC_MAX_ITEMS)
		return err_set(err, d->file, ydoc_line(d, seq), "branches: more than %d",
		               YDOC_MAX_ITEMS);
	site->branches = xcalloc(n, sizeof *site->branches);
	/* Codes folded to lower case (they are ASCII), so that two differing only in case are
	 * refused: a FAT or exFAT USB stick would keep one of their files (SPEC §3). */
	strmap_t seen = {0};
	char **folded = xcalloc(n, sizeof *folded);
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
			rc = err_set(
			    err, d->file, ydoc_line(d, ydoc_get(d, m, "code", NULL)),
			    "%s: '%s' is not a branch code (1 to 64 letters, digits, _ or -)",
			    field, b->code);
			break;
		}
		char why[OUTTREE_PATH_MAX];
		if (outtree_code_reserved(true, b->code, why, sizeof why)) {
			rc = err_set(
			    err, d->file, line,
			    "%s: '%s' cannot be a branch code: its files would replace the "
			    "bank's %s (bank, index and summary name the bank's outputs, in "
			    "any case)",
			    field, b->code, why);
			break;
		}
		folded[i] = xstrdup(b->code);
		for (char *p = folded[i]; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		int first = strmap_put(&seen, folded[i], (int)i);
		if (first >= 0) {
			const branch_t *a = &site->branches[first];
			long at = ydoc_line(d, yaml_document_get_node(
			                           &d->doc, seq->data.sequence.items.start[first]));
			if (!strcmp(a->code, b->code))
				rc = err_set(
				    err, d->file, line,
				    "%s: branch code '%s' is listed twice (first at line %ld)",
				    field, b->code, at);
			else
				rc = err_set(
				    err, d->file, line,
				    "%s: branch codes '%s' (line %ld) and '%s' differ only in "
				    "case; a FAT or exFAT USB stick would keep one of their files",
				    field, a->code, at, b->code);
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
		snprintf(field, sizeof field, "%s.address", path);
		if ((rc = optional_text(d, m, "address", field, &b->address, err)))
			break;
		snprintf(field, sizeof field, "%s.phone", path);
		if ((rc = optional_text(d, m, "phone", field, &b->phone, err)))
			break;
	}
	strmap_free(&seen);
	for (size_t i = 0; i < n; i++)
		free(folded[i]);
	free(folded);
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
		if (strcmp(vocab_rate_key[i], key) == 0)
			rate = i;
	if (rate < 0)
		return err_set(
		    err, d->file, key_line,
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
		               "%s: must be a rate in (0, 1], e.g. 0.95 for 95%%; got %s", field,
		               ydoc_scalar(th));
	snprintf(field, sizeof field, "%s.weight", path);
	yaml_node_t *w = ydoc_get(d, m, "weight", NULL);
	if (ydoc_is_null(w))
		return err_set(err, d->file, key_line, "%s: missing", field);
	if (ydoc_number(d, w, field, &r->weight, err))
		return -1;
	if (!(r->weight > 0))
		return err_set(err, d->file, ydoc_line(d, w), "%s: must be greater than 0, got %s",
		               field, ydoc_scalar(w));
	return 0;
}

/* One check entry {label, weight, required}. */
static int read_check(ydoc_t *d, yaml_node_t *m, const char *key, long key_line, check_rule_t *c,
                      err_t *err)
{
	static const char *const keys[] = {"label", "weight", "required", NULL};
	char path[128], field[160];
	snprintf(path, sizeof path, "acceptance.checks.%s", key);
	if (!is_code(key, 64, false))
		return err_set(
		    err, d->file, key_line,
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
		return err_set(err, d->file, ydoc_line(d, w), "%s: must be 0 or more, got %s",
		               field, ydoc_scalar(w));
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

static int read_acceptance(ydoc_t *d, yaml_node_t *acc, long acc_line, site_t *site, err_t *err)
{
	static const char *const keys[] = {"pass_score", "indicators", "checks", NULL};
	if (!acc)
		return err_set(
		    err, d->file, 0,
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
		               "acceptance.pass_score: must be between 0 and 100, got %s",
		               ydoc_scalar(ps));

	long ind_line;
	yaml_node_t *ind = ydoc_get(d, acc, "indicators", &ind_line);
	if (!ind)
		return err_set(err, d->file, acc_line, "acceptance.indicators: missing");
	if (ydoc_check_map(d, ind, "acceptance.indicators", NULL, err))
		return -1;
	size_t n = map_size(ind);
	if (n == 0)
		return err_set(err, d->file, ind_line,
		               "acceptance.indicators: needs at least one indicator");
	site->indicators = xcalloc(n, sizeof *site->indicators);
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *pr = &ind->data.mapping.pairs.start[i];
		yaml_node_t *k = yaml_document_get_node(&d->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&d->doc, pr->value);
		site->nindicators = (int)i + 1;
		if (read_indicator(d, v, ydoc_scalar(k), ydoc_line(d, k), &site->indicators[i],
		                   err))
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
		if (read_check(d, v, ydoc_scalar(k), ydoc_line(d, k), &site->checks[i], err))
			return -1;
	}
	return 0;
}

static int read_site(ydoc_t *d, site_t *site, err_t *err)
{
	yaml_node_t *root = ydoc_root(d);
	if (!root)
		return err_set(err, d->file, 0,
		               "the file is empty; it needs bank, branches and acceptance");
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

	if (read_letters(d, root, site, err))
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

const indicator_rule_t *config_rule(const site_t *site, rate_t r)
{
	for (int i = 0; i < site->nindicators; i++)
		if (site->indicators[i].rate == r)
			return &site->indicators[i];
	return NULL;
}

void config_free(site_t *site)
{
	free(site->bank);
	for (int i = 0; i < site->nbranches; i++) {
		free(site->branches[i].code);
		free(site->branches[i].name);
		free(site->branches[i].address);
		free(site->branches[i].phone);
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
	free(site->letters_hotline);
	memset(site, 0, sizeof *site);
}
