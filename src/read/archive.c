/* archive.c — walks the input archive, parses every village and loan file (in parallel),
 * then merges them in read order: duplicates, loan→household links, findings, managers. */
#include "read/archive.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "read/config.h"
#include "read/csvfile.h"
#include "read/rows.h"
#include "read/village.h"

/* One unit of parallel work: a village (village.md + households.csv) or a loan file. */
typedef struct {
	int is_loans;
	char *rel;         /* archive-relative path of the CSV (or of village.md) */
	char *path;        /* path as opened */
	village_t village; /* villages only */
	rows_t rows;
	int failed;
	err_t err;
} task_t;

typedef struct {
	const char *dir;
	const site_t *site;
	task_t *tasks;
	int ntasks, nvillages; /* the villages' tasks, then the loan files' */
	atomic_int next;
} pool_t;

int archive_valid_code(const char *name)
{
	size_t n = 0;
	for (const char *p = name; *p; p++, n++) {
		char c = *p;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return 0;
	}
	return n >= 1 && n <= 64;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the entries of dir (without . and ..) in bytewise order. Returns the count, or -1
 * when dir does not exist (errno ENOENT) or cannot be read. Caller frees each name and
 * the array. */
static int list_dir(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		xgrow((void **)&names, &cap, n + 1, sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	*out = names;
	return (int)n;
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void run_task(pool_t *pool, task_t *t)
{
	if (t->is_loans) {
		t->failed = rows_read_loans(t->path, t->rel, &t->rows, &t->err);
		return;
	}
	char *md = path_join(t->path, "village.md");
	char *csv = path_join(t->path, "households.csv");
	char *csv_rel = path_join(t->rel, "households.csv");
	struct stat st;
	if (lstat(md, &st) != 0) {
		t->failed = err_set(&t->err, md, 0, "missing (every village folder needs one)");
	} else if (!S_ISREG(st.st_mode)) {
		t->failed = err_set(&t->err, md, 0, "not a regular file");
	} else if (village_load(md, pool->site, &t->village, &t->err) != 0) {
		t->failed = -1;
	} else if (lstat(csv, &st) != 0) {
		if (errno != ENOENT)
			t->failed = err_set(&t->err, csv, 0, "cannot read: %s", strerror(errno));
		/* No households.csv: the village has no rows. */
	} else if (!S_ISREG(st.st_mode)) {
		t->failed = err_set(&t->err, csv, 0, "not a regular file");
	} else {
		t->failed = rows_read_households(csv, csv_rel, &t->rows, &t->err);
	}
	free(md);
	free(csv);
	free(csv_rel);
}

/* The loan files come last in tasks (the merge's order) but are read first: each is as large
 * as a few hundred villages, and one taken last would leave the other cores idle while a
 * single thread parses it. nvillages is where they start. */
static void *worker(void *arg)
{
	pool_t *pool = arg;
	int nloans = pool->ntasks - pool->nvillages;
	for (;;) {
		int i = atomic_fetch_add(&pool->next, 1);
		if (i >= pool->ntasks)
			break;
		run_task(pool, &pool->tasks[i < nloans ? pool->nvillages + i : i - nloans]);
	}
	return NULL;
}

static void run_pool(pool_t *pool, int jobs)
{
	if (jobs > pool->ntasks)
		jobs = pool->ntasks;
	if (jobs <= 1) {
		worker(pool);
		return;
	}
	pthread_t *th = xmalloc((size_t)jobs * sizeof *th);
	int started = 0;
	for (int i = 0; i < jobs; i++) {
		if (pthread_create(&th[i], NULL, worker, pool) != 0)
			break;
		started++;
	}
	worker(pool); /* the calling thread works too, and finishes the rest if no thread started */
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
}

/* Whether name holds a control character (below U+0020, or DEL). */
static int has_control(const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return 1;
	return 0;
}

/* A loan file's name is quoted in every file:line: message, on quality.html and in the
 * findings CSV; a newline in it would split those lines and forge others. Such a file is
 * refused, its name shown with the control characters escaped (\n, \t, \r, \xHH). */
static int refuse_control_name(err_t *err, const char *ldir, const char *name)
{
	buf_t b = {0};
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p == '\n')
			buf_adds(&b, "\\n");
		else if (*p == '\t')
			buf_adds(&b, "\\t");
		else if (*p == '\r')
			buf_adds(&b, "\\r");
		else if (*p < 0x20 || *p == 0x7F)
			buf_printf(&b, "\\x%02X", *p);
		else
			buf_add(&b, (const char *)p, 1);
	}
	char *path = path_join(ldir, b.data);
	err_set(err, path, 0,
	        "a control character (shown escaped) in a loan file's name would split the "
	        "file:line: messages; rename the file");
	free(path);
	buf_free(&b);
	return -1;
}

/* Builds the task list: villages/<code>/ in bytewise order, then the loan files (loans/NAME.csv).
 */
static int plan_tasks(const char *dir, task_t **out, int *nout, int *nvillages, err_t *err)
{
	task_t *tasks = NULL;
	size_t n = 0, cap = 0;
	char *vdir = path_join(dir, "villages");
	char **names = NULL;
	int rc = 0, count = 0;
	struct stat dst;
	if (lstat(vdir, &dst) == 0 && S_ISLNK(dst.st_mode))
		rc = err_set(err, vdir, 0, "symbolic links are not allowed in the archive");
	else
		count = list_dir(vdir, &names);
	if (count < 0 && errno != ENOENT) {
		rc = err_set(err, vdir, 0, "cannot read: %s", strerror(errno));
		count = 0;
	}
	for (int i = 0; i < count && rc == 0; i++) {
		char *path = path_join(vdir, names[i]);
		struct stat st;
		if (lstat(path, &st) != 0)
			rc = err_set(err, path, 0, "cannot read: %s", strerror(errno));
		else if (S_ISLNK(st.st_mode))
			rc = err_set(err, path, 0, "symbolic links are not allowed in the archive");
		else if (!S_ISDIR(st.st_mode))
			rc = err_set(err, path, 0,
			             "not a village folder (only folders named by a village code "
			             "belong under villages/)");
		else if (!archive_valid_code(names[i]))
			rc = err_set(
			    err, path, 0,
			    "bad village code (folder names must match [A-Za-z0-9_-]{1,64})");
		if (rc == 0) {
			xgrow((void **)&tasks, &cap, n + 1, sizeof *tasks);
			task_t *t = &tasks[n++];
			memset(t, 0, sizeof *t);
			t->path = path;
			t->rel = path_join("villages", names[i]);
			t->village.code = xstrdup(names[i]);
		} else {
			free(path);
		}
	}
	/* Village codes equal ignoring case would share a dossier on a FAT or exFAT USB stick
	 * (SPEC §3); codes are ASCII, so folding is tolower. */
	strmap_t seen = {0};
	char **folded = xcalloc(n + 1, sizeof *folded);
	for (size_t i = 0; i < n && rc == 0; i++) {
		folded[i] = xstrdup(tasks[i].village.code);
		for (char *p = folded[i]; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		int first = strmap_put(&seen, folded[i], (int)i);
		if (first >= 0)
			rc = err_set(
			    err, tasks[i].path, 0,
			    "village folders %s and %s have codes that differ only in case; a "
			    "FAT or exFAT USB stick would keep one of their dossiers",
			    tasks[first].rel, tasks[i].rel);
	}
	strmap_free(&seen);
	for (size_t i = 0; i < n; i++)
		free(folded[i]);
	free(folded);
	free_names(names, count > 0 ? count : 0);
	free(vdir);
	*nvillages = (int)n;

	char *ldir = path_join(dir, "loans");
	names = NULL;
	if (rc == 0 && lstat(ldir, &dst) == 0 && S_ISLNK(dst.st_mode))
		rc = err_set(err, ldir, 0, "symbolic links are not allowed in the archive");
	count = rc == 0 ? list_dir(ldir, &names) : 0;
	if (count < 0 && errno != ENOENT && rc == 0)
		rc = err_set(err, ldir, 0, "cannot read: %s", strerror(errno));
	for (int i = 0; i < count && rc == 0; i++) {
		size_t len = strlen(names[i]);
		if (len < 5 ||
		    (strcmp(names[i] + len - 4, ".csv") && strcmp(names[i] + len - 4, ".CSV")))
			continue; /* only *.csv files are ledger exports */
		if (has_control(names[i])) {
			rc = refuse_control_name(err, ldir, names[i]);
			break;
		}
		char *path = path_join(ldir, names[i]);
		struct stat st;
		if (lstat(path, &st) != 0)
			rc = err_set(err, path, 0, "cannot read: %s", strerror(errno));
		else if (S_ISLNK(st.st_mode))
			rc = err_set(err, path, 0, "symbolic links are not allowed in the archive");
		else if (!S_ISREG(st.st_mode))
			rc = err_set(err, path, 0, "not a regular file");
		if (rc == 0) {
			xgrow((void **)&tasks, &cap, n + 1, sizeof *tasks);
			task_t *t = &tasks[n++];
			memset(t, 0, sizeof *t);
			t->is_loans = 1;
			t->path = path;
			t->rel = path_join("loans", names[i]);
		} else {
			free(path);
		}
	}
	free_names(names, count > 0 ? count : 0);
	free(ldir);
	*out = tasks;
	*nout = (int)n;
	return rc;
}

static void free_tasks(task_t *tasks, int n)
{
	for (int i = 0; i < n; i++) {
		free(tasks[i].rel);
		free(tasks[i].path);
		village_free(&tasks[i].village);
		rows_free(&tasks[i].rows);
	}
	free(tasks);
}

/* ---- merging ---- */

typedef struct {
	model_t *m;
	size_t capf;
	strmap_t hh_ids;
	strmap_t loan_ids;
	strmap_t managers;
	size_t caph, capl;
	/* Totals of the kept rows' amount columns (SUM_*). Every money figure of the model is
	 * a sum of one column over some of the kept rows, each counted once, and amounts are
	 * never negative; so when these three fit in int64_t fen, no later sum can overflow. */
	int64_t sum[3];
	int overflow; /* a total would not fit: err says where, and the load fails */
	err_t err;
} merge_t;

enum { SUM_CREDIT_LINE, SUM_AMOUNT, SUM_BALANCE };

/* Adds fen to total k, or records the first row at which the total stops fitting. */
static void add_amount(merge_t *g, int k, int64_t fen, const char *file, int line,
                       const char *column)
{
	if (g->overflow)
		return;
	if (__builtin_add_overflow(g->sum[k], fen, &g->sum[k])) {
		g->overflow = 1;
		err_set(&g->err, file, line,
		        "the archive's total of %s passes 92233720368547758.07 yuan here and does "
		        "not fit a signed 64-bit count of fen; no total is ever wrapped or rounded",
		        column);
	}
}

/* Findings of a file sort by line then column; those about village.md come last. */
static int cmp_pending(const void *a, const void *b)
{
	const pending_t *x = a, *y = b;
	if (x->in_md != y->in_md)
		return x->in_md ? 1 : -1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The keys of finding f (household_id, loan_id) from its pending p: read from the row when
 * it was parsed (row_village set: a loan file), else kept by rows.c. A row's findings come
 * together after sorting, so they share one masked copy of its keys (*last, *keys). */
static void finding_keys(finding_t *f, rows_t *r, const pending_t *p, bool loans, int *last,
                         const char *keys[2])
{
	if (p->in_md)
		return;
	if (p->row < 0) {
		if (loans) {
			f->loan_id = p->record_id;
			f->household_id = rows_key(&r->arena, p->household_id);
		} else {
			f->household_id = p->record_id;
		}
		return;
	}
	if (p->row != *last) {
		*last = p->row;
		keys[0] = rows_key(&r->arena, loans ? r->loan_household_ids[p->row]
		                                    : r->households[p->row].id);
		keys[1] = loans ? rows_key(&r->arena, r->loans[p->row].id) : NULL;
	}
	f->household_id = keys[0];
	f->loan_id = keys[1];
}

/* Sorts a file's pending findings into (line, column) order and appends those whose row
 * was kept (or that are the reason it was dropped) to the model. A finding's village: that
 * of its row (row_village, loans), else that of the household its dropped loan row names
 * when that household is kept, else village_of_file (-1 for a loan file). */
static void flush_findings(merge_t *g, rows_t *r, const char *file, const char *md_file,
                           const unsigned char *dropped, int village_of_file,
                           const int *row_village)
{
	for (int i = 0; i < r->npending; i++)
		r->pending[i].seq = i;
	if (r->npending)
		qsort(r->pending, (size_t)r->npending, sizeof *r->pending, cmp_pending);
	model_t *m = g->m;
	int last = -1;
	const char *keys[2] = {NULL, NULL};
	for (int i = 0; i < r->npending; i++) {
		pending_t *p = &r->pending[i];
		if (p->row >= 0 && dropped[p->row] && !p->keeps)
			continue;
		xgrow((void **)&m->findings, &g->capf, (size_t)m->nfindings + 1,
		      sizeof *m->findings);
		finding_t *f = &m->findings[m->nfindings++];
		f->file = p->in_md ? md_file : file;
		f->line = p->line;
		f->column = p->column;
		f->column_label = p->column_label;
		f->severity = p->severity;
		f->code = p->code;
		f->message = p->message;
		f->village = village_of_file;
		if (row_village && p->row >= 0) {
			f->village = row_village[p->row];
		} else if (p->household_id) {
			int hi = strmap_get(&g->hh_ids, p->household_id);
			if (hi >= 0)
				f->village = m->households[hi].village;
		}
		f->household_id = f->loan_id = NULL;
		finding_keys(f, r, p, row_village != NULL, &last, keys);
	}
}

/* How many rows ahead the merges hash ids and prefetch: enough to cover a memory access. */
#define AHEAD 8

static void merge_village(merge_t *g, task_t *t, int vi)
{
	model_t *m = g->m;
	rows_t *r = &t->rows;
	village_t *v = &m->villages[vi];
	*v = t->village;
	memset(&t->village, 0, sizeof t->village);
	v->first_household = m->nhouseholds;
	unsigned char *dropped = xcalloc((size_t)r->nhouseholds + 1, 1);
	char *csv_file = path_join(t->rel, "households.csv");
	char *md_file_tmp = path_join(t->rel, "village.md");
	const char *csvf = arena_strdup(&m->arena, csv_file);
	const char *mdf = arena_strdup(&m->arena, md_file_tmp);
	free(csv_file);
	free(md_file_tmp);

	xgrow((void **)&m->households, &g->caph, (size_t)m->nhouseholds + (size_t)r->nhouseholds,
	      sizeof *m->households);
	/* The ids are hashed AHEAD rows early and their slots prefetched (strmap_prefetch). */
	uint32_t ahead[AHEAD];
	for (int i = 0; i < r->nhouseholds && i < AHEAD; i++) {
		ahead[i] = strmap_hash(r->households[i].id);
		strmap_prefetch(&g->hh_ids, ahead[i]);
	}
	for (int i = 0; i < r->nhouseholds; i++) {
		household_t *h = &r->households[i];
		uint32_t hash = ahead[i % AHEAD];
		if (i + AHEAD < r->nhouseholds) {
			ahead[i % AHEAD] = strmap_hash(r->households[i + AHEAD].id);
			strmap_prefetch(&g->hh_ids, ahead[i % AHEAD]);
		}
		int first = strmap_put_h(&g->hh_ids, h->id, hash, m->nhouseholds);
		if (first >= 0) {
			dropped[i] = 1;
			rows_pending_add(r, i, h->line, -1, SEV_ERROR, "duplicate_household", NULL,
			                 "户号 %s 重复（档案中已有同一户号），该行已剔除", h->id)
			    ->keeps = 1;
			continue;
		}
		h->village = vi;
		const char *mgr = h->manager && h->manager[0] ? h->manager : MODEL_UNASSIGNED;
		int mi = strmap_get(&g->managers, mgr);
		if (mi < 0) {
			mi = m->nmanagers++;
			m->managers =
			    xrealloc(m->managers, (size_t)m->nmanagers * sizeof *m->managers);
			m->managers[mi] = arena_strdup(&m->arena, mgr);
			strmap_put(&g->managers, m->managers[mi], mi);
		}
		h->manager_idx = mi;
		add_amount(g, SUM_CREDIT_LINE, h->credit_line, csvf, h->line,
		           "credit_line (授信额度)");
		m->households[m->nhouseholds++] = *h;
	}
	v->nhouseholds = m->nhouseholds - v->first_household;
	if (v->households_total >= 0 && v->households_total < v->nhouseholds) {
		pending_t *p = rows_pending_add(
		    r, -1, v->households_total_line, 0, SEV_WARNING, "households_total_too_small",
		    "households_total",
		    "户籍户数 households_total %lld 少于户表所列 %d 户，按 %d 户计算",
		    (long long)v->households_total, v->nhouseholds, v->nhouseholds);
		p->in_md = 1;
		p->column_label = VOCAB_HOUSEHOLDS_TOTAL;
	}
	flush_findings(g, r, csvf, mdf, dropped, vi, NULL);
	arena_merge(&m->arena, &r->arena);
	free(dropped);
}

static int household_granted_as_written(const household_t *h)
{
	return !(h->negative_reason && h->negative_reason[0]) && h->credit_line > 0 &&
	       h->granted_on != 0;
}

static void merge_loans(merge_t *g, task_t *t, int fi)
{
	model_t *m = g->m;
	rows_t *r = &t->rows;
	const char *file = arena_strdup(&m->arena, t->rel);
	m->loan_files[fi] = (char *)file;
	unsigned char *dropped = xcalloc((size_t)r->nloans + 1, 1);
	int *row_village = xmalloc(((size_t)r->nloans + 1) * sizeof *row_village);
	xgrow((void **)&m->loans, &g->capl, (size_t)m->nloans + (size_t)r->nloans,
	      sizeof *m->loans);
	/* Two stages ahead of row i: at i + 2·AHEAD both ids are hashed and their slots
	 * prefetched; at i + AHEAD the household (hh_ids is complete and no longer changes) is
	 * looked up and its record prefetched. */
	struct {
		uint32_t hh, loan;
		int hi;
	} ring[4 * AHEAD]; /* the three stages use three different slots */
	const int n = r->nloans;
	for (int k = 0; k < n + 2 * AHEAD; k++) {
		int a = k, b = k - AHEAD, i = k - 2 * AHEAD;
		if (a < n) {
			ring[a % (4 * AHEAD)].hh = strmap_hash(r->loan_household_ids[a]);
			ring[a % (4 * AHEAD)].loan = strmap_hash(r->loans[a].id);
			strmap_prefetch(&g->hh_ids, ring[a % (4 * AHEAD)].hh);
			strmap_prefetch(&g->loan_ids, ring[a % (4 * AHEAD)].loan);
		}
		if (b >= 0 && b < n) {
			int hb = strmap_get_h(&g->hh_ids, r->loan_household_ids[b],
			                      ring[b % (4 * AHEAD)].hh);
			ring[b % (4 * AHEAD)].hi = hb;
			if (hb >= 0)
				__builtin_prefetch(&m->households[hb]);
		}
		if (i < 0)
			continue;
		loan_t *l = &r->loans[i];
		const char *hid = r->loan_household_ids[i];
		int hi = ring[i % (4 * AHEAD)].hi;
		row_village[i] = hi >= 0 ? m->households[hi].village : -1;
		int first =
		    strmap_put_h(&g->loan_ids, l->id, ring[i % (4 * AHEAD)].loan, m->nloans);
		if (first >= 0) {
			dropped[i] = 1;
			rows_pending_add(r, i, l->line, -1, SEV_ERROR, "duplicate_loan", NULL,
			                 "借据号 %s 重复（首次出现在 %s 第 %d 行），该行已剔除",
			                 l->id, m->loan_files[m->loans[first].file],
			                 m->loans[first].line)
			    ->keeps = 1;
			continue;
		}
		if (hi < 0) {
			dropped[i] = 1;
			pending_t *p = rows_pending_add(
			    r, i, l->line, r->col_household, SEV_ERROR, "unknown_household",
			    r->household_header, "借据 %s 的户号 %s 不在任何村的户表中，该行已剔除",
			    l->id, hid);
			p->keeps = 1;
			p->column_label = vocab_loan_column[LC_HOUSEHOLD].cn[0];
			continue;
		}
		l->household = hi;
		l->file = fi;
		if (l->settled_on == 0 && !household_granted_as_written(&m->households[hi]))
			rows_pending_add(r, i, l->line, INT32_MAX, SEV_WARNING,
			                 "outstanding_not_granted", NULL,
			                 "借据 %s 未结清，但户 %s 未获授信", l->id, hid);
		add_amount(g, SUM_AMOUNT, l->amount, file, l->line, "amount (发放金额)");
		add_amount(g, SUM_BALANCE, l->balance, file, l->line, "balance (贷款余额)");
		m->loans[m->nloans++] = *l;
	}
	flush_findings(g, r, file, file, dropped, -1, row_village);
	arena_merge(&m->arena, &r->arena);
	free(dropped);
	free(row_village);
}

static int cmp_manager(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts managers bytewise and renumbers households; groups loans by household. */
static void finish_model(model_t *m)
{
	int n = m->nmanagers;
	char **sorted = xmalloc(((size_t)n + 1) * sizeof *sorted);
	if (n) {
		memcpy(sorted, m->managers, (size_t)n * sizeof *sorted);
		qsort(sorted, (size_t)n, sizeof *sorted, cmp_manager);
	}
	strmap_t pos = {0};
	strmap_init(&pos, (size_t)n);
	for (int i = 0; i < n; i++)
		strmap_put(&pos, sorted[i], i);
	int *remap = xmalloc(((size_t)n + 1) * sizeof *remap);
	for (int i = 0; i < n; i++)
		remap[i] = strmap_get(&pos, m->managers[i]);
	for (int i = 0; i < m->nhouseholds; i++)
		m->households[i].manager_idx = remap[m->households[i].manager_idx];
	free(m->managers);
	m->managers = sorted;
	free(remap);
	strmap_free(&pos);

	/* Counting sort of loans by household, stable in read order. */
	for (int i = 0; i < m->nhouseholds; i++)
		m->households[i].nloans = 0;
	for (int i = 0; i < m->nloans; i++)
		m->households[m->loans[i].household].nloans++;
	int acc = 0;
	for (int i = 0; i < m->nhouseholds; i++) {
		m->households[i].first_loan = acc;
		acc += m->households[i].nloans;
		m->households[i].nloans = 0;
	}
	m->loan_order = xmalloc(((size_t)m->nloans + 1) * sizeof *m->loan_order);
	for (int i = 0; i < m->nloans; i++) {
		household_t *h = &m->households[m->loans[i].household];
		m->loan_order[h->first_loan + h->nloans++] = i;
	}
}

int archive_load(const char *dir, int jobs, model_t *m, err_t *err)
{
	memset(m, 0, sizeof *m);
	struct stat st;
	if (stat(dir, &st) != 0)
		return err_set(err, dir, 0, "cannot open the input archive: %s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(err, dir, 0, "the input archive must be a directory");
	char *site_path = path_join(dir, "site.yaml");
	int rc = config_load(site_path, &m->site, err);
	free(site_path);
	if (rc != 0) {
		model_free(m);
		return -1;
	}

	task_t *tasks = NULL;
	int ntasks = 0, nvillages = 0;
	if (plan_tasks(dir, &tasks, &ntasks, &nvillages, err) != 0) {
		free_tasks(tasks, ntasks);
		model_free(m);
		return -1;
	}
	pool_t pool = {
	    .dir = dir, .site = &m->site, .tasks = tasks, .ntasks = ntasks, .nvillages = nvillages};
	atomic_init(&pool.next, 0);
	run_pool(&pool, jobs < 1 ? 1 : jobs);
	for (int i = 0; i < ntasks; i++) {
		if (tasks[i].failed) {
			*err = tasks[i].err;
			free_tasks(tasks, ntasks);
			model_free(m);
			return -1;
		}
	}

	merge_t g = {.m = m};
	size_t total_h = 0, total_l = 0;
	for (int i = 0; i < ntasks; i++) {
		total_h += (size_t)tasks[i].rows.nhouseholds;
		total_l += (size_t)tasks[i].rows.nloans;
	}
	strmap_init(&g.hh_ids, total_h);
	strmap_init(&g.loan_ids, total_l);
	strmap_init(&g.managers, 64);
	m->nvillages = nvillages;
	m->villages = xcalloc((size_t)nvillages + 1, sizeof *m->villages);
	m->nloan_files = ntasks - nvillages;
	m->loan_files = xcalloc((size_t)m->nloan_files + 1, sizeof *m->loan_files);
	for (int i = 0; i < nvillages; i++)
		merge_village(&g, &tasks[i], i);
	for (int i = nvillages; i < ntasks; i++)
		merge_loans(&g, &tasks[i], i - nvillages);
	finish_model(m);
	strmap_free(&g.hh_ids);
	strmap_free(&g.loan_ids);
	strmap_free(&g.managers);
	free_tasks(tasks, ntasks);
	if (g.overflow) {
		/* Named as the other fatal problems of a file are: by the path it was read at. */
		char *path = path_join(dir, g.err.file);
		err_set(err, path, g.err.line, "%s", g.err.msg);
		free(path);
		model_free(m);
		return -1;
	}
	return 0;
}

void model_free(model_t *m)
{
	if (!m)
		return;
	config_free(&m->site);
	for (int i = 0; i < m->nvillages; i++)
		village_free(&m->villages[i]);
	free(m->villages);
	free(m->households);
	free(m->loans);
	free(m->loan_order);
	free(m->loan_files);
	free(m->managers);
	free(m->findings);
	arena_free(&m->arena);
	memset(m, 0, sizeof *m);
}
