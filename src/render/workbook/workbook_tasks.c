/* workbook_tasks.c — the branch's work lists workbook tasks/YYYY-MM/<branch>.xlsx (SPEC §8): a
 * first sheet of the managers and their counts, then one sheet per manager with every list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "render/cap.h"
#include "render/workbook/workbook_int.h"

/* Longest sheet name base, in characters: Excel allows 31, and a list past Excel's last row
 * continues on "<name> (2)". */
#define SHEET_CHARS 24

/* The sheet all managers past CAP_TASK_SHEETS share (one open file per sheet while writing). */
#define OTHERS_SHEET "其他客户经理"

/* The first chars characters of UTF-8 text s, as a byte count. */
static size_t utf8_prefix(const char *s, int chars)
{
	size_t o = 0;
	for (int c = 0; s[o] && c < chars; c++) {
		unsigned char b = (unsigned char)s[o];
		size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : 4;
		for (size_t i = 0; i < len && s[o]; i++)
			o++;
	}
	return o;
}

/* Makes an Excel sheet name of name into out: its first SHEET_CHARS characters (never cut
 * inside one), the characters Excel refuses ([]:*?/\ and controls) as "_", no apostrophe at
 * either end. ASCII bytes never occur inside a UTF-8 sequence, so they are replaced in place. */
static void sheet_base(char *out, size_t n, const char *name)
{
	size_t len = utf8_prefix(name, SHEET_CHARS);
	snprintf(out, n, "%.*s", (int)len, name);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || strchr("[]:*?/\\", *p))
			*p = '_';
	len = strlen(out);
	if (len && out[0] == '\'')
		out[0] = '_';
	if (len && out[len - 1] == '\'')
		out[len - 1] = '_';
	if (!len)
		snprintf(out, n, "_");
}

/* A small set of sheet names compared as Excel does (ASCII letters ignoring case). */
typedef struct {
	char **slot;
	size_t cap;
} nameset_t;

static uint64_t name_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		h ^= (c >= 'A' && c <= 'Z') ? c + 32 : c;
		h *= 1099511628211ULL;
	}
	return h;
}

/* Adds s unless present; returns false when it was. */
static bool nameset_add(nameset_t *set, const char *s)
{
	size_t i = name_hash(s) & (set->cap - 1);
	for (; set->slot[i]; i = (i + 1) & (set->cap - 1))
		if (!strcasecmp(set->slot[i], s))
			return false;
	set->slot[i] = xstrdup(s);
	return true;
}

/* The sheet names of tb's managers: their names made safe; a name Excel would take for one
 * already used (it ignores case) keeps its first characters and gets "~" and the manager's key,
 * which is unique in the branch. The managers past CAP_TASK_SHEETS share OTHERS_SHEET. The
 * caller frees each name and the array. */
static char **sheet_names(const model_t *m, const task_branch_t *tb)
{
	char **names = xcalloc((size_t)tb->nmanagers + 1, sizeof *names);
	nameset_t set = {.cap = 64};
	while (set.cap < 4 * (size_t)CAP_TASK_SHEETS)
		set.cap *= 2;
	set.slot = xcalloc(set.cap, sizeof *set.slot);
	nameset_add(&set, VOCAB_TASKS_MANAGERS_SHEET);
	nameset_add(&set, OTHERS_SHEET);
	nameset_add(&set, "History"); /* Excel reserves it */
	for (int i = 0; i < tb->nmanagers; i++) {
		const task_manager_t *tm = &tb->managers[i];
		char base[128], name[160];
		if (i >= CAP_TASK_SHEETS) {
			names[i] = xstrdup(OTHERS_SHEET);
			continue;
		}
		sheet_base(base, sizeof base, m->managers[tm->fig->manager]);
		snprintf(name, sizeof name, "%s", base);
		if (!nameset_add(&set, name)) {
			int keep = SHEET_CHARS - 1 - (int)strlen(tm->key);
			snprintf(name, sizeof name, "%.*s~%s", (int)utf8_prefix(base, keep), base,
			         tm->key);
			nameset_add(&set, name);
		}
		names[i] = xstrdup(name);
	}
	for (size_t i = 0; i < set.cap; i++)
		free(set.slot[i]);
	free(set.slot);
	return names;
}

/* The first sheet: every manager, the sheet with its lists, its figures and its counts. */
static void sheet_index(wb_book_t *w, const task_branch_t *tb, char **names)
{
	const indicators_t *ind = w->ind;
	const model_t *m = ind->model;
	const branch_ind_t *br = &ind->branches[w->b];
	const char *h[6 + TASK_COUNT] = {VOCAB_MANAGER,
	                                 "工作表",
	                                 vocab_count_label[1],
	                                 vocab_rate_label[RATE_VISIT],
	                                 vocab_rate_label[RATE_SIGNING],
	                                 vocab_rate_label[RATE_USAGE]};
	for (int l = 0; l < TASK_COUNT; l++)
		h[6 + l] = vocab_task_label[l];
	char heading[512], sub[512], asof[32];
	snprintf(heading, sizeof heading, "%s %s", m->site.branches[br->branch].name,
	         VOCAB_TASKS_TITLE);
	snprintf(sub, sizeof sub,
	         "数据截至 "
	         "%s；每位客户经理一张工作表：其管户中在任一清单上的农户每户一行，所在清单列打 ✓",
	         format_date(asof, sizeof asof, ind->as_of));
	wb_table_t t = {.name = VOCAB_TASKS_MANAGERS_SHEET,
	                .heading = heading,
	                .subheading = sub,
	                .headers = h,
	                .ncols = 6 + TASK_COUNT,
	                .freeze_cols = 1,
	                .rows = tb->nmanagers};
	wb_sheet_t s;
	wb_sheet_open(&w->w, &s, &t);
	lxw_row_t first = s.row;
	for (int i = 0; i < tb->nmanagers; i++) {
		const task_manager_t *tm = &tb->managers[i];
		wb_text(&s, 0, m->managers[tm->fig->manager]);
		wb_text(&s, 1, names[i]);
		wb_count(&s, 2, tm->fig->listed);
		wb_rate(&s, 3, tm->fig->visit_rate);
		wb_rate(&s, 4, tm->fig->signing_rate);
		wb_rate(&s, 5, tm->fig->usage_rate);
		for (int l = 0; l < TASK_COUNT; l++)
			wb_count(&s, 6 + l, tm->n[l]);
		wb_next_row(&s);
	}
	lxw_row_t last = s.row - 1;
	const manager_ind_t *all = &br->managers_all;
	wb_total_row(&s);
	wb_text(&s, 0, "合计");
	wb_blank(&s, 1);
	wb_sum(&s, 2, WK_COUNT, first, last, (double)all->listed);
	/* The branch's rates, from its sums, not a sum of rates. */
	wb_rate(&s, 3, all->visit_rate);
	wb_rate(&s, 4, all->signing_rate);
	wb_rate(&s, 5, all->usage_rate);
	for (int l = 0; l < TASK_COUNT; l++)
		wb_sum(&s, 6 + l, WK_COUNT, first, last, (double)tb->n[l]);
	wb_next_row(&s);
	wb_sheet_close(&s);
}

/* The columns of a manager's sheet: one row per household on any list, a ✓ under each list
 * it is on (so that each list is one filter away and nobody is called twice). OTHERS_SHEET puts
 * the manager's name in front. The village is named, not coded: the household id is the key,
 * and a cell less on most of a branch's households is a tenth of the sheet's cost. */
enum {
	L_VNAME,
	L_GRID,
	L_ID,
	L_NAME,
	L_PHONE,
	L_STATUS,
	L_LISTS,
	L_CREDIT = L_LISTS + TASK_COUNT,
	L_BALANCE,
	L_OVERDUE,
	L_VISITED,
	L_ARCHIVED,
	L_GRANTED,
	L_SIGNED,
	L_NCOLS
};

static void list_rows(wb_sheet_t *s, const wb_book_t *w, const task_manager_t *tm, int c0)
{
	const indicators_t *ind = w->ind;
	const model_t *m = ind->model;
	const bool mask = m->site.mask_workbooks;
	char t[256];
	for (int64_t i = 0; i < tm->nany; i++) {
		int hi = tm->any[i];
		const household_t *x = &m->households[hi];
		const village_t *v = &m->villages[x->village];
		uint8_t on = w->tasks->on[hi];
		wb_room(s);
		if (c0)
			wb_text(s, 0, m->managers[tm->fig->manager]);
		wb_text(s, c0 + L_VNAME, v->name);
		wb_text(s, c0 + L_GRID, x->grid);
		wb_text(s, c0 + L_ID, x->id);
		wb_text(s, c0 + L_NAME, mask ? format_mask_name(t, sizeof t, x->name) : x->name);
		wb_text(s, c0 + L_PHONE,
		        mask ? format_mask_phone(t, sizeof t, x->phone) : x->phone);
		wb_text(s, c0 + L_STATUS,
		        vocab_household_label[indicators_hh_state(ind->hh_status[hi])]);
		for (int l = 0; l < TASK_COUNT; l++)
			if (on & (1u << l))
				wb_flag(s, c0 + L_LISTS + l);
		if (x->credit_line)
			wb_fen(s, c0 + L_CREDIT, x->credit_line);
		if (ind->hh_balance[hi])
			wb_fen(s, c0 + L_BALANCE, ind->hh_balance[hi]);
		if (on & (1u << TASK_OVERDUE))
			wb_num(s, c0 + L_OVERDUE, WK_NUMBER, w->tasks->overdue_days[hi]);
		wb_date(s, c0 + L_VISITED, x->visited_on);
		wb_date(s, c0 + L_ARCHIVED, x->archived_on);
		wb_date(s, c0 + L_GRANTED, x->granted_on);
		wb_date(s, c0 + L_SIGNED, x->signed_on);
		wb_next_row(s);
	}
}

/* One manager's sheet: managers first..last-1 of tb (one, or those sharing OTHERS_SHEET). */
static void sheet_lists(wb_book_t *w, const task_branch_t *tb, int first, int last,
                        const char *name)
{
	const indicators_t *ind = w->ind;
	const model_t *m = ind->model;
	const branch_ind_t *br = &ind->branches[w->b];
	const manager_ind_t *all = &br->managers_all;
	const int c0 = last - first > 1; /* the manager's name in front */
	const char *h[1 + L_NCOLS] = {VOCAB_MANAGER};
	const char *cols[L_NCOLS] = {[L_VNAME] = "村名",
	                             [L_GRID] = vocab_hh_column[HC_GRID].cn[0],
	                             [L_ID] = vocab_hh_column[HC_ID].cn[0],
	                             [L_NAME] = vocab_hh_column[HC_NAME].cn[1],
	                             [L_PHONE] = vocab_hh_column[HC_PHONE].cn[0],
	                             [L_STATUS] = "状态",
	                             [L_CREDIT] = vocab_hh_column[HC_CREDIT].cn[0],
	                             [L_BALANCE] = vocab_amount_label[1],
	                             [L_OVERDUE] = "逾期天数",
	                             [L_VISITED] = vocab_hh_column[HC_VISITED].cn[0],
	                             [L_ARCHIVED] = vocab_hh_column[HC_ARCHIVED].cn[0],
	                             [L_GRANTED] = vocab_hh_column[HC_GRANTED].cn[0],
	                             [L_SIGNED] = vocab_hh_column[HC_SIGNED].cn[0]};
	for (int l = 0; l < TASK_COUNT; l++)
		cols[L_LISTS + l] = vocab_task_label[l];
	for (int c = 0; c < L_NCOLS; c++)
		h[c0 + c] = cols[c];
	int64_t rows = 0;
	for (int i = first; i < last; i++)
		rows += tb->managers[i].nany;
	char heading[512], sub[768], a[32], b[32], c[32], d[32], e[32], f[32], asof[32];
	const manager_ind_t *me = tb->managers[first].fig;
	format_date(asof, sizeof asof, ind->as_of);
	if (!c0) {
		snprintf(heading, sizeof heading, "%s · %s %s", m->managers[me->manager],
		         m->site.branches[br->branch].name, VOCAB_TASKS_TITLE);
		snprintf(
		    sub, sizeof sub,
		    "数据截至 %s。本人：管户 %lld，走访率 %s，签约率 %s，用信率 %s；本支行：管户 "
		    "%lld，走访率 %s，签约率 %s，用信率 %s。每户一行，在哪张清单上就在哪列打 ✓，"
		    "按列筛选即得该清单",
		    asof, (long long)me->listed, format_pct(a, sizeof a, me->visit_rate),
		    format_pct(b, sizeof b, me->signing_rate),
		    format_pct(c, sizeof c, me->usage_rate), (long long)all->listed,
		    format_pct(d, sizeof d, all->visit_rate),
		    format_pct(e, sizeof e, all->signing_rate),
		    format_pct(f, sizeof f, all->usage_rate));
	} else {
		snprintf(heading, sizeof heading, "%s %s：%s", m->site.branches[br->branch].name,
		         VOCAB_TASKS_TITLE, OTHERS_SHEET);
		snprintf(
		    sub, sizeof sub,
		    "数据截至 %s。客户经理逾 %d 人，第 %d 人起的清单合在本表，按「客户经理」列筛选",
		    asof, CAP_TASK_SHEETS, CAP_TASK_SHEETS + 1);
	}
	wb_table_t t = {.name = name,
	                .heading = heading,
	                .subheading = sub,
	                .headers = h,
	                .ncols = c0 + L_NCOLS,
	                .freeze_cols = c0 + L_ID + 1,
	                .rows = rows,
	                .id_cols = c0 ? "D:F" : "C:E"};
	wb_sheet_t s;
	wb_sheet_open(&w->w, &s, &t);
	for (int i = first; i < last; i++)
		list_rows(&s, w, &tb->managers[i], c0);
	wb_sheet_close(&s);
}

void wb_write_tasks(wb_book_t *w)
{
	const task_branch_t *tb = &w->tasks->branches[w->b];
	char **names = sheet_names(w->ind->model, tb);
	sheet_index(w, tb, names);
	int own = tb->nmanagers < CAP_TASK_SHEETS ? tb->nmanagers : CAP_TASK_SHEETS;
	for (int i = 0; i < own; i++)
		sheet_lists(w, tb, i, i + 1, names[i]);
	if (tb->nmanagers > own)
		sheet_lists(w, tb, own, tb->nmanagers, OTHERS_SHEET);
	for (int i = 0; i < tb->nmanagers; i++)
		free(names[i]);
	free(names);
}
