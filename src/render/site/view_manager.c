/* view_manager.c — the data of an account manager's page (SPEC §8): the manager's figures beside
 * the branch's and the work lists at D, every household masked like the dossiers'. */
#include "render/site/view.h"

#include <stdio.h>
#include <string.h>

#include "format.h"
#include "render/cap.h"
#include "render/site/template.h"

#define F 64

static void add_count(json_object *o, const char *key, int64_t v)
{
	char s[F];
	view_add_str(o, key, format_count(s, sizeof s, v));
}

/* One row of the figures table: the manager's value and the branch's. */
static void figure_row(json_object *a, const char *label, const char *mine, const char *branch)
{
	json_object *o = json_object_new_object();
	view_add_str(o, "label", label);
	view_add_str(o, "mine", mine);
	view_add_str(o, "branch", branch);
	json_object_array_add(a, o);
}

static json_object *figures(const manager_ind_t *me, const manager_ind_t *all)
{
	json_object *a = json_object_new_array();
	char x[F], y[F];
	const struct {
		const char *label;
		int64_t a, b;
	} counts[] = {{"管户", me->listed, all->listed},
	              {"走访", me->visited, all->visited},
	              {"授信", me->granted, all->granted},
	              {"签约", me->signed_, all->signed_},
	              {"用信", me->used, all->used}};
	for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
		figure_row(a, counts[i].label, format_count(x, sizeof x, counts[i].a),
		           format_count(y, sizeof y, counts[i].b));
	figure_row(a, "贷款余额", format_wan(x, sizeof x, me->balance_total),
	           format_wan(y, sizeof y, all->balance_total));
	const struct {
		rate_t r;
		double a, b;
	} rates[] = {{RATE_VISIT, me->visit_rate, all->visit_rate},
	             {RATE_SIGNING, me->signing_rate, all->signing_rate},
	             {RATE_USAGE, me->usage_rate, all->usage_rate}};
	for (size_t i = 0; i < sizeof rates / sizeof *rates; i++)
		figure_row(a, vocab_rate_label[rates[i].r], format_pct(x, sizeof x, rates[i].a),
		           format_pct(y, sizeof y, rates[i].b));
	return a;
}

/* The date a list shows beside its households: the step each is waiting after (none for
 * 待走访, 逾期跟进 and 外出务工联系, which show other columns). */
static const char *const date_label[TASK_COUNT] = {[TASK_ARCHIVE] = "走访日期",
                                                   [TASK_GRANT] = "建档日期",
                                                   [TASK_SIGN] = "授信日期",
                                                   [TASK_USE] = "签约日期"};

static int32_t list_date(task_list_t l, const household_t *h)
{
	switch (l) {
	case TASK_ARCHIVE:
		return h->visited_on;
	case TASK_GRANT:
		return h->archived_on;
	case TASK_SIGN:
		return h->granted_on;
	case TASK_USE:
		return h->signed_on;
	default:
		return 0;
	}
}

/* The fields of a work list's row (templates/README.md); the lists are template lists
 * (template_list_new): a page of a manager with a thousand households is written row by row
 * from one reused buffer. Only what the list's table shows: every field counts. */
enum {
	MR_ID,
	MR_NAME,
	MR_PHONE,
	MR_GRID,
	MR_VILLAGE,
	MR_VILLAGE_HREF,
	MR_STATUS_LABEL,
	MR_STATUS_CLASS,
	MR_CREDIT_LINE,
	MR_DATE,
	MR_BALANCE,
	MR_OVERDUE_DAYS,
	MR_COUNT
};
static const char *const row_keys[MR_COUNT] = {
    [MR_ID] = "id",
    [MR_NAME] = "name",
    [MR_PHONE] = "phone",
    [MR_GRID] = "grid",
    [MR_VILLAGE] = "village",
    [MR_VILLAGE_HREF] = "village_href",
    [MR_STATUS_LABEL] = "status_label",
    [MR_STATUS_CLASS] = "status_class",
    [MR_CREDIT_LINE] = "credit_line",
    [MR_DATE] = "date",
    [MR_BALANCE] = "balance",
    [MR_OVERDUE_DAYS] = "overdue_days",
};

/* List l of a manager: the households are the work lists' own (tasks outlive the page). */
typedef struct {
	const view_ctx_t *c;
	task_list_t l;
	const int *hh;
} list_ctx_t;

static void row_fill(void *ctx, size_t k, template_row_t *row)
{
	const list_ctx_t *lc = ctx;
	const indicators_t *ind = lc->c->ind;
	const model_t *m = ind->model;
	int hi = lc->hh[k];
	const household_t *h = &m->households[hi];
	const village_t *v = &m->villages[h->village];
	uint8_t st = ind->hh_status[hi];
	char s[256], href[OUTTREE_PATH_MAX];
	template_row_set(row, MR_ID, h->id);
	template_row_set(row, MR_NAME, format_mask_name(s, sizeof s, h->name));
	template_row_set(row, MR_PHONE, format_mask_phone(s, sizeof s, h->phone));
	template_row_set(row, MR_GRID, h->grid);
	template_row_set(row, MR_VILLAGE, v->name);
	template_row_set(
	    row, MR_VILLAGE_HREF,
	    outtree_link(href, sizeof href, OUTTREE_MANAGER, OUTTREE_VILLAGE, ind->month, v->code));
	template_row_set(row, MR_STATUS_LABEL, view_status_label(st));
	template_row_set(row, MR_STATUS_CLASS, view_status_class(st));
	if (h->credit_line)
		template_row_set(row, MR_CREDIT_LINE, format_yuan(s, sizeof s, h->credit_line));
	/* Amounts sort by their text (the script reads ¥1,234.50 as a number): no data-sort. */
	if (date_label[lc->l])
		template_row_set(row, MR_DATE, format_date(s, sizeof s, list_date(lc->l, h)));
	if (lc->l == TASK_OVERDUE) {
		template_row_set(row, MR_BALANCE, format_yuan(s, sizeof s, ind->hh_balance[hi]));
		snprintf(s, sizeof s, "%d", (int)lc->c->tasks->overdue_days[hi]);
		template_row_set(row, MR_OVERDUE_DAYS, s);
	}
}

json_object *view_manager(const view_ctx_t *c, int bi, int k)
{
	const indicators_t *ind = c->ind;
	const model_t *m = ind->model;
	const branch_ind_t *br = &ind->branches[bi];
	const branch_t *b = &m->site.branches[br->branch];
	const task_manager_t *tm = &c->tasks->branches[bi].managers[k];
	const char *name = m->managers[tm->fig->manager];
	char title[512], buf[OUTTREE_PATH_MAX];
	snprintf(title, sizeof title, "%s %s %s", name, b->name, VOCAB_TASKS_TITLE);
	json_object *o = view_page(c, title, OUTTREE_MANAGER);
	json_object *mo = json_object_new_object();
	view_add_str(mo, "name", name);
	view_add_str(mo, "key", tm->key);
	view_add_str(mo, "branch_code", b->code);
	view_add_str(mo, "branch_name", b->name);
	view_add_str(
	    mo, "branch_href",
	    outtree_link(buf, sizeof buf, OUTTREE_MANAGER, OUTTREE_BRANCH, ind->month, b->code));
	view_add_str(mo, "tasks_href",
	             outtree_link(buf, sizeof buf, OUTTREE_MANAGER, OUTTREE_TASKS_WORKBOOK,
	                          ind->month, b->code));
	view_add_str(mo, "tasks_name",
	             outtree_path(buf, sizeof buf, OUTTREE_TASKS_WORKBOOK, ind->month, b->code));
	json_object_object_add(mo, "figures", figures(tm->fig, &br->managers_all));
	json_object *lists = json_object_new_array();
	for (int l = 0; l < TASK_COUNT; l++) {
		json_object *lo = json_object_new_object();
		int64_t n = tm->n[l], shown = cap_shown(n, CAP_MANAGER_LIST);
		view_add_str(lo, "key", vocab_task_key[l]);
		view_add_str(lo, "label", vocab_task_label[l]);
		add_count(lo, "total", n);
		add_count(lo, "shown", shown);
		add_count(lo, "more", n - shown);
		json_object_object_add(lo, "capped", json_object_new_boolean(n > shown));
		json_object_object_add(lo, "overdue", json_object_new_boolean(l == TASK_OVERDUE));
		if (date_label[l])
			view_add_str(lo, "date_label", date_label[l]);
		list_ctx_t *lc = xmalloc(sizeof *lc);
		*lc = (list_ctx_t){c, (task_list_t)l, tm->list[l]};
		json_object_object_add(
		    lo, "rows",
		    template_list_new((size_t)shown, row_keys, MR_COUNT, row_fill, lc, free));
		json_object_array_add(lists, lo);
	}
	json_object_object_add(mo, "lists", lists);
	json_object_object_add(o, "manager", mo);
	return o;
}
