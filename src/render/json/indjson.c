/* indjson.c — builds the indicator document (keys, order and null rules of SPEC §6) from
 * the computed indicators; it formats numbers and never re-derives a figure. */
#include "render/json/indjson.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "read/config.h"

json_object *indjson_rate(double r)
{
	if (isnan(r))
		return NULL;
	char s[40];
	return json_object_new_double_s(r, format_json_double(s, sizeof s, r));
}

json_object *indjson_yuan(int64_t fen)
{
	char s[40];
	int64_t a = fen < 0 ? -fen : fen;
	int64_t y = a / 100, f = a % 100;
	const char *sign = fen < 0 ? "-" : "";
	if (f == 0)
		snprintf(s, sizeof s, "%s%lld", sign, (long long)y);
	else if (f % 10 == 0)
		snprintf(s, sizeof s, "%s%lld.%lld", sign, (long long)y, (long long)(f / 10));
	else
		snprintf(s, sizeof s, "%s%lld.%02lld", sign, (long long)y, (long long)f);
	return json_object_new_double_s((double)fen / 100.0, s);
}

static void add_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_figures(json_object *o, const figures_t *f)
{
	const counts_t *c = &f->c;
	add_int(o, "households_total", c->households_total);
	add_int(o, "listed", c->listed);
	add_int(o, "negative", c->negative);
	add_int(o, "eligible", c->eligible);
	add_int(o, "visited", c->visited);
	add_int(o, "archived", c->archived);
	add_int(o, "granted", c->granted);
	add_int(o, "signed", c->signed_);
	add_int(o, "used", c->used);
	add_int(o, "overdue", c->overdue);
	add_int(o, "loans_outstanding", c->loans_outstanding);
	add_int(o, "loans_online", c->loans_online);
	json_object_object_add(o, "credit_total", indjson_yuan(c->credit_total));
	json_object_object_add(o, "balance_total", indjson_yuan(c->balance_total));
	json_object_object_add(o, "npl_balance", indjson_yuan(c->npl_balance));
	for (int r = 0; r < RATE_COUNT; r++)
		json_object_object_add(o, vocab_rate_key[r], indjson_rate(f->rate[r]));
}

static json_object *month_text(int32_t ym)
{
	char s[16];
	snprintf(s, sizeof s, "%04d-%02d", ym / 100 % 10000, ym % 100);
	return json_object_new_string(s);
}

static json_object *trend_array(const trend_point_t *t)
{
	json_object *a = json_object_new_array_ext(TREND_MONTHS);
	for (int s = 0; s < TREND_MONTHS; s++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "month", month_text(t[s].month));
		add_int(o, "visited", t[s].visited);
		add_int(o, "archived", t[s].archived);
		add_int(o, "granted", t[s].granted);
		add_int(o, "signed", t[s].signed_);
		add_int(o, "used", t[s].used);
		json_object_object_add(o, "visit_rate", indjson_rate(t[s].visit_rate));
		json_object_object_add(o, "archive_rate", indjson_rate(t[s].archive_rate));
		json_object_object_add(o, "credit_coverage", indjson_rate(t[s].credit_coverage));
		json_object_object_add(o, "signing_rate", indjson_rate(t[s].signing_rate));
		json_object_object_add(o, "usage_rate", indjson_rate(t[s].usage_rate));
		json_object_array_add(a, o);
	}
	return a;
}

static void add_acceptance(json_object *o, int total, int passed, double rate)
{
	add_int(o, "villages_total", total);
	add_int(o, "villages_passed", passed);
	json_object_object_add(o, "acceptance_rate", indjson_rate(rate));
}

static json_object *village_object(const indicators_t *ind, const village_ind_t *vi)
{
	const model_t *m = ind->model;
	const site_t *site = &m->site;
	const village_t *v = &m->villages[vi->village];
	json_object *o = json_object_new_object();
	char grade[2] = {v->grade, 0};
	json_object_object_add(o, "code", json_object_new_string(v->code));
	json_object_object_add(o, "name", json_object_new_string(v->name));
	json_object_object_add(o, "township", json_object_new_string(v->township));
	json_object_object_add(o, "branch", json_object_new_string(site->branches[v->branch].code));
	json_object_object_add(o, "grade", json_object_new_string(grade));
	add_figures(o, &vi->f);
	json_object *score = NULL;
	if (!isnan(vi->score_rounded)) {
		char s[32];
		snprintf(s, sizeof s, "%.2f", vi->score_rounded);
		score = json_object_new_double_s(vi->score_rounded, s);
	}
	json_object_object_add(o, "score", score);
	json_object_object_add(o, "verdict",
	                       json_object_new_string(vocab_verdict_key(vi->verdict)));
	json_object *failed = json_object_new_array();
	for (int i = 0; i < vi->nfailed; i++) {
		int k = vi->failed[i];
		const char *key = k >= 0 ? site->indicators[k].key : site->checks[-1 - k].key;
		json_object_array_add(failed, json_object_new_string(key));
	}
	json_object_object_add(o, "failed", failed);
	json_object_object_add(o, "trend", trend_array(vi->trend));
	return o;
}

json_object *indjson_build(const indicators_t *ind)
{
	const model_t *m = ind->model;
	const site_t *site = &m->site;
	json_object *doc = json_object_new_object();
	char asof[16];
	snprintf(asof, sizeof asof, "%04d-%02d-%02d", ind->as_of / 10000, ind->as_of / 100 % 100,
	         ind->as_of % 100);
	json_object_object_add(doc, "month", month_text(ind->month));
	json_object_object_add(doc, "as_of", json_object_new_string(asof));

	json_object *bank = json_object_new_object();
	json_object_object_add(bank, "name", json_object_new_string(site->bank));
	add_figures(bank, &ind->bank);
	add_acceptance(bank, ind->villages_total, ind->villages_passed, ind->acceptance_rate);
	json_object_object_add(doc, "bank", bank);

	json_object *branches = json_object_new_array_ext(ind->nbranches);
	for (int i = 0; i < ind->nbranches; i++) {
		const branch_ind_t *br = &ind->branches[i];
		const branch_t *b = &site->branches[br->branch];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "code", json_object_new_string(b->code));
		json_object_object_add(o, "name", json_object_new_string(b->name));
		add_figures(o, &br->f);
		add_acceptance(o, br->villages_total, br->villages_passed, br->acceptance_rate);
		json_object_object_add(o, "target_granted",
		                       b->has_target ? json_object_new_int64(b->target_granted)
		                                     : NULL);
		json_object_object_add(o, "target_rate", indjson_rate(br->target_rate));
		json_object_array_add(branches, o);
	}
	json_object_object_add(doc, "branches", branches);

	json_object *villages = json_object_new_array_ext(ind->nvillages);
	for (int i = 0; i < ind->nvillages; i++)
		json_object_array_add(villages, village_object(ind, &ind->villages[i]));
	json_object_object_add(doc, "villages", villages);

	json_object *managers = json_object_new_array_ext(ind->nmanagers);
	for (int i = 0; i < ind->nmanagers; i++) {
		const manager_ind_t *mg = &ind->managers[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(m->managers[mg->manager]));
		add_int(o, "listed", mg->listed);
		add_int(o, "visited", mg->visited);
		add_int(o, "granted", mg->granted);
		add_int(o, "signed", mg->signed_);
		add_int(o, "used", mg->used);
		json_object_object_add(o, "balance_total", indjson_yuan(mg->balance_total));
		json_object_object_add(o, "visit_rate", indjson_rate(mg->visit_rate));
		json_object_object_add(o, "signing_rate", indjson_rate(mg->signing_rate));
		json_object_object_add(o, "usage_rate", indjson_rate(mg->usage_rate));
		json_object_array_add(managers, o);
	}
	json_object_object_add(doc, "managers", managers);
	json_object_object_add(doc, "trend", trend_array(ind->trend));

	json_object *q = json_object_new_object();
	add_int(q, "errors", ind->errors);
	add_int(q, "warnings", ind->warnings);
	json_object_object_add(doc, "quality", q);
	return doc;
}

json_object *indjson_findings(const indicators_t *ind)
{
	const model_t *m = ind->model;
	json_object *a = json_object_new_array();
	for (int i = 0; i < m->nfindings; i++) {
		const finding_t *f = &m->findings[i];
		if (!indicators_finding_selected(ind, f))
			continue;
		json_object *o = json_object_new_object();
		json_object_object_add(o, "file", json_object_new_string(f->file));
		json_object_object_add(o, "line", json_object_new_int(f->line));
		json_object_object_add(o, "column",
		                       f->column ? json_object_new_string(f->column) : NULL);
		json_object_object_add(o, "severity",
		                       json_object_new_string(vocab_severity_key(f->severity)));
		json_object_object_add(o, "code", json_object_new_string(f->code));
		json_object_object_add(o, "message", json_object_new_string(f->message));
		json_object_array_add(a, o);
	}
	return a;
}

int indjson_write(FILE *fp, json_object *obj)
{
	size_t len;
	const char *s = json_object_to_json_string_length(
	    obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE,
	    &len);
	if (fwrite(s, 1, len, fp) != len || fputc('\n', fp) == EOF)
		return -1;
	return 0;
}
