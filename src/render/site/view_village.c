/* view_village.c — the data of one village dossier (一村一档): identity, figures, narrative
 * through cmark, acceptance checklist, the masked household table and the follow-up lists. */
#include "render/site/view.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/config.h"
#include "compute/findsum.h"
#include "format.h"
#include "render/cap.h"
#include "render/site/markdown.h"
#include "render/site/template.h"

#define F 64

static void add_count(json_object *o, const char *key, int64_t v)
{
	char s[F];
	view_add_str(o, key, format_count(s, sizeof s, v));
}

const char *view_status_label(uint8_t st)
{
	return vocab_household_label[indicators_hh_state(st)];
}

const char *view_status_class(uint8_t st)
{
	static const char *const cls[VOCAB_HH_COUNT] = {
	    [VOCAB_HH_NEGATIVE] = "st-negative", [VOCAB_HH_USED] = "st-used",
	    [VOCAB_HH_SIGNED] = "st-signed",     [VOCAB_HH_GRANTED] = "st-granted",
	    [VOCAB_HH_ARCHIVED] = "st-visited",  [VOCAB_HH_VISITED] = "st-visited",
	    [VOCAB_HH_NONE] = "st-none"};
	return cls[indicators_hh_state(st)];
}

/* The fields of a household row (templates/README.md), masked (SPEC §7). A dossier's tables
 * are template lists (template_list_new): a row is made as the page is written, in one buffer
 * reused for every row, rather than as a json-c object of 18 strings. */
enum {
	HR_ID,
	HR_NAME,
	HR_ID_NUMBER,
	HR_PHONE,
	HR_SEGMENT,
	HR_GRID,
	HR_MANAGER,
	HR_MEMBERS,
	HR_VISITED_ON,
	HR_ARCHIVED_ON,
	HR_CREDIT_LINE,
	HR_GRANTED_ON,
	HR_SIGNED_ON,
	HR_BALANCE,
	HR_STATUS_LABEL,
	HR_STATUS_CLASS,
	HR_NEGATIVE_REASON,
	HR_COUNT
};
static const char *const household_keys[HR_COUNT] = {
    [HR_ID] = "id",
    [HR_NAME] = "name",
    [HR_ID_NUMBER] = "id_number",
    [HR_PHONE] = "phone",
    [HR_SEGMENT] = "segment",
    [HR_GRID] = "grid",
    [HR_MANAGER] = "manager",
    [HR_MEMBERS] = "members",
    [HR_VISITED_ON] = "visited_on",
    [HR_ARCHIVED_ON] = "archived_on",
    [HR_CREDIT_LINE] = "credit_line",
    [HR_GRANTED_ON] = "granted_on",
    [HR_SIGNED_ON] = "signed_on",
    [HR_BALANCE] = "balance",
    [HR_STATUS_LABEL] = "status_label",
    [HR_STATUS_CLASS] = "status_class",
    [HR_NEGATIVE_REASON] = "negative_reason",
};

/* A list's households: positions in the model's households. */
typedef struct {
	const indicators_t *ind;
	int *hh;
	size_t n;
} hh_list_t;

static void household_fill(void *ctx, size_t k, template_row_t *row)
{
	const hh_list_t *l = ctx;
	const indicators_t *ind = l->ind;
	int hi = l->hh[k];
	const household_t *h = &ind->model->households[hi];
	uint8_t st = ind->hh_status[hi];
	char s[256];
	template_row_set(row, HR_ID, h->id);
	template_row_set(row, HR_NAME, format_mask_name(s, sizeof s, h->name));
	template_row_set(row, HR_ID_NUMBER, format_mask_id(s, sizeof s, h->id_number));
	template_row_set(row, HR_PHONE, format_mask_phone(s, sizeof s, h->phone));
	template_row_set(row, HR_SEGMENT, vocab_segment_label(h->segment));
	template_row_set(row, HR_GRID, h->grid);
	template_row_set(row, HR_MANAGER, h->manager[0] ? h->manager : MODEL_UNASSIGNED);
	if (h->members >= 0) {
		snprintf(s, sizeof s, "%d", h->members);
		template_row_set(row, HR_MEMBERS, s);
	}
	template_row_set(row, HR_VISITED_ON, format_date(s, sizeof s, h->visited_on));
	template_row_set(row, HR_ARCHIVED_ON, format_date(s, sizeof s, h->archived_on));
	if (h->credit_line)
		template_row_set(row, HR_CREDIT_LINE, format_yuan(s, sizeof s, h->credit_line));
	template_row_set(row, HR_GRANTED_ON, format_date(s, sizeof s, h->granted_on));
	template_row_set(row, HR_SIGNED_ON, format_date(s, sizeof s, h->signed_on));
	if (ind->hh_balance[hi])
		template_row_set(row, HR_BALANCE, format_yuan(s, sizeof s, ind->hh_balance[hi]));
	template_row_set(row, HR_STATUS_LABEL, view_status_label(st));
	template_row_set(row, HR_STATUS_CLASS, view_status_class(st));
	template_row_set(row, HR_NEGATIVE_REASON, h->negative_reason);
}

static void hh_list_free(void *ctx)
{
	hh_list_t *l = ctx;
	free(l->hh);
	free(l);
}

static hh_list_t *hh_list_new(const indicators_t *ind, size_t cap)
{
	hh_list_t *l = xcalloc(1, sizeof *l);
	l->ind = ind;
	l->hh = xmalloc((cap ? cap : 1) * sizeof *l->hh);
	return l;
}

/* Hands l over to a template list (which frees it). */
static json_object *hh_list_view(hh_list_t *l)
{
	return template_list_new(l->n, household_keys, HR_COUNT, household_fill, l, hh_list_free);
}

static json_object *acceptance(const indicators_t *ind, const village_ind_t *vi)
{
	const model_t *m = ind->model;
	const site_t *site = &m->site;
	const village_t *v = &m->villages[vi->village];
	int started = vi->verdict != VERDICT_NOT_STARTED;
	json_object *o = json_object_new_object();
	char s[1024];
	view_add_str(o, "score", format_score(s, sizeof s, vi->score_rounded));
	view_add_str(o, "score_data", isnan(vi->score_rounded) ? "" : s);
	view_add_str(o, "verdict", vocab_verdict_key(vi->verdict));
	view_add_str(o, "verdict_label", vocab_verdict_label(vi->verdict));
	view_add_str(o, "verdict_class", vocab_verdict_class(vi->verdict));
	snprintf(s, sizeof s, "%g", site->pass_score);
	view_add_str(o, "pass_score", s);
	view_failed_labels(ind, vi, s, sizeof s);
	view_add_str(o, "failed_labels", s);
	json_object *items = json_object_new_array();
	for (int i = 0; i < site->nindicators; i++) {
		const indicator_rule_t *r = &site->indicators[i];
		json_object *it = json_object_new_object();
		char th[F], val[F];
		format_threshold(th, sizeof th, r);
		view_add_str(it, "key", r->key);
		view_add_str(it, "label", vocab_rate_label[r->rate]);
		view_add_str(it, "kind", "定量");
		view_add_str(it, "threshold", th);
		/* A village not started is not assessed: its rates are shown without a mark. */
		bool met = started ? vi->met[i] : true;
		view_add_str(it, "value",
		             format_pct_vs(val, sizeof val, vi->f.rate[r->rate], r, met));
		view_add_str(it, "met_class", !started ? "na" : met ? "met" : "unmet");
		view_add_str(it, "met_label",
		             !started ? vocab_verdict_label(VERDICT_NOT_STARTED)
		             : met    ? VOCAB_MET
		                      : VOCAB_UNMET);
		snprintf(val, sizeof val, "%g", r->weight);
		view_add_str(it, "weight", val);
		json_object_array_add(items, it);
	}
	for (int j = 0; j < site->nchecks; j++) {
		const check_rule_t *k = &site->checks[j];
		json_object *it = json_object_new_object();
		char w[F];
		view_add_str(it, "key", k->key);
		view_add_str(it, "label", k->label);
		view_add_str(it, "kind", "定性");
		view_add_str(it, "threshold", k->required ? "必须完成" : "加分项");
		view_add_str(it, "value", v->checks[j] ? VOCAB_DONE : VOCAB_NOT_DONE);
		view_add_str(it, "met_class",
		             v->checks[j]             ? "met"
		             : k->required && started ? "unmet"
		                                      : "na");
		view_add_str(it, "met_label",
		             v->checks[j]  ? VOCAB_MET
		             : !started    ? vocab_verdict_label(VERDICT_NOT_STARTED)
		             : k->required ? VOCAB_UNMET
		                           : "—");
		snprintf(w, sizeof w, "%g", k->weight);
		view_add_str(it, "weight", w);
		json_object_array_add(items, it);
	}
	json_object_object_add(o, "items", items);
	return o;
}

/* The first CAP_DOSSIER_FINDINGS findings of village v; its count comes from ind->fsum. */
static json_object *findings(const indicators_t *ind, int v)
{
	const model_t *m = ind->model;
	int64_t cap = cap_shown(ind->fsum->village_count[v], CAP_DOSSIER_FINDINGS), n = 0;
	json_object *a = json_object_new_array();
	for (int i = 0; i < m->nfindings && n < cap; i++) {
		if (m->findings[i].village != v || ind->fsum->code_of[i] < 0)
			continue;
		json_object_array_add(a, view_finding_row(&m->findings[i]));
		n++;
	}
	return a;
}

/* What a dossier says of a list it shows only the start of: how many there are, how many are
 * shown, how many more; <key>_capped picks the note. */
static void add_cap(json_object *o, const char *key, int64_t total, int64_t shown)
{
	char k[64];
	snprintf(k, sizeof k, "%s_total", key);
	add_count(o, k, total);
	snprintf(k, sizeof k, "%s_shown", key);
	add_count(o, k, shown);
	snprintf(k, sizeof k, "%s_more", key);
	add_count(o, k, total - shown);
	snprintf(k, sizeof k, "%s_capped", key);
	json_object_object_add(o, k, json_object_new_boolean(total > shown));
}

json_object *view_village(const view_ctx_t *c, int pos)
{
	const indicators_t *ind = c->ind;
	const model_t *m = ind->model;
	const village_ind_t *vi = &ind->villages[pos];
	const village_t *v = &m->villages[vi->village];
	const branch_t *b = &m->site.branches[v->branch];
	char title[300], s[1024];
	snprintf(title, sizeof title, "%s · 一村一档", v->name);
	json_object *o = view_page(c, title, OUTTREE_VILLAGE);
	json_object *vo = json_object_new_object();
	char grade[2] = {v->grade, 0};
	view_add_str(vo, "code", v->code);
	view_add_str(vo, "name", v->name);
	view_add_str(vo, "township", v->township);
	view_add_str(vo, "branch_code", b->code);
	view_add_str(vo, "branch_name", b->name);
	view_add_str(vo, "branch_href",
	             outtree_link(s, sizeof s, OUTTREE_VILLAGE, OUTTREE_BRANCH, 0, b->code));
	view_add_str(vo, "grade", grade);
	view_add_str(vo, "grade_label", vocab_grade_label(v->grade));
	if (v->population >= 0)
		add_count(vo, "population", v->population);
	else
		view_add_str(vo, "population", "");
	buf_t ind_text = {0};
	for (int i = 0; i < v->nindustries; i++) {
		if (i)
			buf_adds(&ind_text, "、");
		buf_adds(&ind_text, v->industries[i]);
	}
	view_add_str(vo, "industries", ind_text.data ? ind_text.data : "");
	buf_free(&ind_text);
	view_add_str(vo, "launched_on", format_date(s, sizeof s, v->launched_on));
	json_object_object_add(vo, "started",
	                       json_object_new_boolean(vi->verdict != VERDICT_NOT_STARTED));
	view_add_figures(vo, ind, &vi->f,
	                 vi->verdict == VERDICT_NOT_STARTED ? VIEW_NOT_STARTED : VIEW_VILLAGE,
	                 c->cmp ? c->cmp->village_change[pos] : NULL);
	json_object_object_add(vo, "trend", view_trend(vi->trend));
	char *html = markdown_html(v->narrative ? v->narrative : "");
	view_add_str(vo, "narrative_html", html);
	free(html);

	json_object *kp = json_object_new_array();
	for (int i = 0; i < v->nkey_persons; i++) {
		json_object *p = json_object_new_object();
		view_add_str(p, "name", format_mask_name(s, sizeof s, v->key_persons[i].name));
		view_add_str(p, "role", v->key_persons[i].role);
		view_add_str(p, "phone", format_mask_phone(s, sizeof s, v->key_persons[i].phone));
		json_object_array_add(kp, p);
	}
	json_object_object_add(vo, "key_persons", kp);
	json_object_object_add(vo, "acceptance", acceptance(ind, vi));

	/* However large the village, the page shows the first rows of each table; the branch
	 * workbook's 户表 holds every household with its status. */
	int64_t nh = v->nhouseholds, ns = 0, nu = 0, nv = 0;
	size_t shown = (size_t)cap_shown(nh, CAP_DOSSIER_HOUSEHOLDS),
	       fcap = (size_t)cap_shown(nh, CAP_DOSSIER_FOLLOWUPS);
	hh_list_t *rows = hh_list_new(ind, shown), *not_signed = hh_list_new(ind, fcap),
	          *not_used = hh_list_new(ind, fcap), *not_visited = hh_list_new(ind, fcap);
	for (int hi = v->first_household; hi < v->first_household + v->nhouseholds; hi++) {
		uint8_t st = ind->hh_status[hi];
		if ((size_t)(hi - v->first_household) < shown)
			rows->hh[rows->n++] = hi;
		if ((st & HH_GRANTED) && !(st & HH_SIGNED) && ns++ < CAP_DOSSIER_FOLLOWUPS)
			not_signed->hh[not_signed->n++] = hi;
		if ((st & HH_SIGNED) && !(st & HH_USED) && nu++ < CAP_DOSSIER_FOLLOWUPS)
			not_used->hh[not_used->n++] = hi;
		if (!(st & HH_VISITED) && nv++ < CAP_DOSSIER_FOLLOWUPS)
			not_visited->hh[not_visited->n++] = hi;
	}
	json_object_object_add(vo, "households", hh_list_view(rows));
	add_cap(vo, "households", nh, cap_shown(nh, CAP_DOSSIER_HOUSEHOLDS));
	char wb[OUTTREE_PATH_MAX], csv[OUTTREE_PATH_MAX];
	view_add_str(vo, "workbook_name",
	             outtree_path(wb, sizeof wb, OUTTREE_BRANCH_WORKBOOK, ind->month, b->code));
	view_add_str(vo, "workbook_href",
	             outtree_link(s, sizeof s, OUTTREE_VILLAGE, OUTTREE_BRANCH_WORKBOOK, ind->month,
	                          b->code));
	view_add_str(vo, "findings_csv_name",
	             outtree_path(csv, sizeof csv, OUTTREE_FINDINGS, ind->month, NULL));
	view_add_str(
	    vo, "findings_csv_href",
	    outtree_link(s, sizeof s, OUTTREE_VILLAGE, OUTTREE_FINDINGS, ind->month, NULL));
	/* The household table's 状态 pick list, in the order of the steps. */
	json_object *states = json_object_new_array();
	for (int k = 0; k < VOCAB_HH_COUNT; k++)
		json_object_array_add(states, json_object_new_string(vocab_household_label[k]));
	json_object_object_add(vo, "status_options", states);
	json_object *fu = json_object_new_object();
	add_cap(fu, "not_signed", ns, cap_shown(ns, CAP_DOSSIER_FOLLOWUPS));
	add_cap(fu, "not_used", nu, cap_shown(nu, CAP_DOSSIER_FOLLOWUPS));
	add_cap(fu, "not_visited", nv, cap_shown(nv, CAP_DOSSIER_FOLLOWUPS));
	json_object_object_add(fu, "not_signed", hh_list_view(not_signed));
	json_object_object_add(fu, "not_used", hh_list_view(not_used));
	json_object_object_add(fu, "not_visited", hh_list_view(not_visited));
	/* What an empty list means depends on whether anybody could be on it. */
	json_object_object_add(fu, "any_granted", json_object_new_boolean(vi->f.c.granted > 0));
	json_object_object_add(fu, "any_signed", json_object_new_boolean(vi->f.c.signed_ > 0));
	json_object_object_add(fu, "any_listed", json_object_new_boolean(vi->f.c.listed > 0));
	json_object_object_add(vo, "followups", fu);
	json_object_object_add(vo, "findings", findings(ind, vi->village));
	int64_t nf = ind->fsum->village_count[vi->village];
	add_cap(vo, "findings", nf, cap_shown(nf, CAP_DOSSIER_FINDINGS));
	json_object_object_add(o, "village", vo);
	return o;
}
