/* site.c — turns views into files: one page at a time into a reused buffer, written at once,
 * so memory stays bounded by the largest page; village dossiers are shared among threads. */
#include "render/site/site.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "outtree.h"
#include "render/site/sitecharts.h"

static int write_file(const char *dir, const char *rel, const buf_t *b, err_t *err)
{
	char *path = path_join(dir, rel);
	FILE *f = fopen(path, "w");
	int rc = 0;
	if (!f || fwrite(b->data, 1, b->len, f) != b->len)
		rc = err_set(err, path, 0, "cannot write: %s", strerror(errno));
	if (f && fclose(f) != 0 && rc == 0)
		rc = err_set(err, path, 0, "cannot write: %s", strerror(errno));
	free(path);
	return rc;
}

/* Renders template name with view (released here) into rel; charts is the number of charts
 * drawn into the view, or -1 when drawing failed (err is then set). */
static int render_page(const tmplset_t *ts, const char *name, json_object *view, int charts,
                       const char *dir, const char *rel, buf_t *b, err_t *err)
{
	buf_clear(b);
	if (charts < 0) {
		json_object_put(view);
		return -1;
	}
	view_add_flags(view);
	int rc = tmplset_render(ts, name, view, b, err);
	json_object_put(view);
	if (rc == 0)
		rc = write_file(dir, rel, b, err);
	return rc;
}

/* ---- every page and chart of a site, in parallel ---- */

static json_object *charts_of(json_object *view)
{
	return json_object_object_get(view, "charts");
}

/* A manager's page: branch position b, manager position k (tasks.h). */
typedef struct {
	int b, k;
} manager_job_t;

/* The pages of the bank that are one of a kind, after the PNGs and the branches' pages. */
enum { JOB_INDEX, JOB_QUALITY, JOB_VILLAGES, JOB_GUIDE, JOB_REPORT, JOB_SINGLES };

/* The jobs, numbered in this order (the largest kinds first, so that the threads end
 * together): the PNG charts; each branch's page and report; the bank's single pages; the
 * villages' dossiers; the managers' pages. */
typedef struct {
	const view_ctx_t *ctx;
	const tmplset_t *ts;
	const char *dir;
	const manager_job_t *managers;
	int npng, nbranch_jobs, nvillages; /* where each kind of job starts follows from these */
	int njobs;
	atomic_int next, done, charts;
	int failed_at; /* lowest failing job, for a deterministic message */
	err_t err;
	pthread_mutex_t lock;
	int progress;
} pool_t;

/* One of the bank's single pages. Returns the number of charts drawn, or -1. */
static int render_single(pool_t *p, int kind, buf_t *b, err_t *e)
{
	const view_ctx_t *ctx = p->ctx;
	const indicators_t *ind = ctx->ind;
	char rel[OUTTREE_PATH_MAX];
	json_object *v;
	int n;
	switch (kind) {
	case JOB_INDEX:
		v = view_index(ctx);
		n = sitecharts_bank(charts_of(v), ind, e);
		outtree_path(rel, sizeof rel, OUTTREE_INDEX, ind->month, NULL);
		return render_page(p->ts, "index", v, n, p->dir, rel, b, e) ? -1 : n;
	case JOB_QUALITY:
		outtree_path(rel, sizeof rel, OUTTREE_QUALITY, ind->month, NULL);
		return render_page(p->ts, "quality", view_quality(ctx), 0, p->dir, rel, b, e);
	case JOB_VILLAGES:
		outtree_path(rel, sizeof rel, OUTTREE_VILLAGE_LIST, ind->month, NULL);
		return render_page(p->ts, "villages", view_villages(ctx), 0, p->dir, rel, b, e);
	case JOB_GUIDE:
		outtree_path(rel, sizeof rel, OUTTREE_GUIDE, ind->month, NULL);
		return render_page(p->ts, "guide", view_guide(ctx), 0, p->dir, rel, b, e);
	default:
		v = view_report(ctx, -1);
		n = sitecharts_report(charts_of(v), ind, -1, e);
		outtree_path(rel, sizeof rel, OUTTREE_REPORT, ind->month, NULL);
		return render_page(p->ts, "report", v, n, p->dir, rel, b, e) ? -1 : n;
	}
}

/* Branch position i's page (report false) or its report. Returns the charts drawn, or -1. */
static int render_branch(pool_t *p, int i, bool report, buf_t *b, err_t *e)
{
	const view_ctx_t *ctx = p->ctx;
	const indicators_t *ind = ctx->ind;
	const char *code = ind->model->site.branches[ind->branches[i].branch].code;
	char rel[OUTTREE_PATH_MAX];
	json_object *v;
	int n;
	if (report) {
		v = view_report(ctx, i);
		n = sitecharts_report(charts_of(v), ind, i, e);
		outtree_path(rel, sizeof rel, OUTTREE_BRANCH_REPORT, ind->month, code);
		return render_page(p->ts, "report", v, n, p->dir, rel, b, e) ? -1 : n;
	}
	v = view_branch(ctx, i);
	n = sitecharts_branch(charts_of(v), ind, i, e);
	outtree_path(rel, sizeof rel, OUTTREE_BRANCH, ind->month, code);
	return render_page(p->ts, "branch", v, n, p->dir, rel, b, e) ? -1 : n;
}

/* Renders job i (pool_t says which is which). Returns the number of charts drawn, or -1. */
static int render_job(pool_t *p, int i, buf_t *b, err_t *e)
{
	const indicators_t *ind = p->ctx->ind;
	char rel[OUTTREE_PATH_MAX];
	if (i < p->npng)
		return sitecharts_png(ind, p->dir, i, e) ? -1 : 1;
	i -= p->npng;
	if (i < p->nbranch_jobs)
		return render_branch(p, i / 2, i % 2, b, e);
	i -= p->nbranch_jobs;
	if (i < JOB_SINGLES)
		return render_single(p, i, b, e);
	i -= JOB_SINGLES;
	if (i >= p->nvillages) {
		const manager_job_t *j = &p->managers[i - p->nvillages];
		const char *branch = ind->model->site.branches[ind->branches[j->b].branch].code;
		char code[OUTTREE_PATH_MAX];
		outtree_manager_code(code, sizeof code, branch,
		                     p->ctx->tasks->branches[j->b].managers[j->k].key);
		outtree_path(rel, sizeof rel, OUTTREE_MANAGER, ind->month, code);
		return render_page(p->ts, "manager", view_manager(p->ctx, j->b, j->k), 0, p->dir,
		                   rel, b, e);
	}
	const village_t *v = &ind->model->villages[ind->villages[i].village];
	outtree_path(rel, sizeof rel, OUTTREE_VILLAGE, ind->month, v->code);
	json_object *view = view_village(p->ctx, i);
	int nc = sitecharts_village(charts_of(view), ind, i, e);
	return render_page(p->ts, "village", view, nc, p->dir, rel, b, e) ? -1 : nc;
}

static void *page_worker(void *arg)
{
	pool_t *p = arg;
	buf_t b = {0};
	for (;;) {
		int i = atomic_fetch_add(&p->next, 1);
		if (i >= p->njobs)
			break;
		err_t e = {0};
		int nc = render_job(p, i, &b, &e);
		if (nc > 0)
			atomic_fetch_add(&p->charts, nc);
		if (nc < 0) {
			pthread_mutex_lock(&p->lock);
			if (p->failed_at < 0 || i < p->failed_at) {
				p->failed_at = i;
				p->err = e;
			}
			pthread_mutex_unlock(&p->lock);
		}
		int done = atomic_fetch_add(&p->done, 1) + 1;
		if (p->progress && (done % 50 == 0 || done == p->njobs))
			fprintf(stderr, "\rcundang: pages and charts %d/%d", done, p->njobs);
	}
	buf_free(&b);
	return NULL;
}

/* Makes managers/<branch>/ for every branch and lists the managers' pages as jobs. */
static int manager_jobs(const view_ctx_t *ctx, const char *dir, manager_job_t **jobs, int *n,
                        err_t *err)
{
	const indicators_t *ind = ctx->ind;
	int total = 0;
	for (int b = 0; b < ctx->tasks->nbranches; b++)
		total += ctx->tasks->branches[b].nmanagers;
	*jobs = xmalloc(((size_t)total + 1) * sizeof **jobs);
	*n = 0;
	for (int b = 0; b < ctx->tasks->nbranches; b++) {
		char rel[OUTTREE_PATH_MAX];
		outtree_manager_dir(rel, sizeof rel,
		                    ind->model->site.branches[ind->branches[b].branch].code);
		if (outtree_make_dir(dir, rel) != 0) {
			char *path = path_join(dir, rel);
			err_set(err, path, 0, "cannot create: %s", strerror(errno));
			free(path);
			return -1;
		}
		for (int k = 0; k < ctx->tasks->branches[b].nmanagers; k++)
			(*jobs)[(*n)++] = (manager_job_t){b, k};
	}
	return 0;
}

int site_render(const view_ctx_t *ctx, const tmplset_t *ts, const char *dir, int jobs, int progress,
                int *pages, int *charts, err_t *err)
{
	const indicators_t *ind = ctx->ind;
	pool_t p = {.ctx = ctx,
	            .ts = ts,
	            .dir = dir,
	            .npng = sitecharts_png_count(ind),
	            .nbranch_jobs = 2 * ind->nbranches,
	            .nvillages = ind->nvillages,
	            .failed_at = -1,
	            .progress = progress};
	manager_job_t *mj = NULL;
	int nm = 0;
	*pages = *charts = 0;
	if (manager_jobs(ctx, dir, &mj, &nm, err) != 0) {
		free(mj);
		return -1;
	}
	p.managers = mj;
	p.njobs = p.npng + p.nbranch_jobs + JOB_SINGLES + ind->nvillages + nm;
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	atomic_init(&p.charts, 0);
	pthread_mutex_init(&p.lock, NULL);
	int n = jobs > p.njobs ? p.njobs : jobs;
	pthread_t *th = xcalloc((size_t)(n > 1 ? n : 1), sizeof *th);
	int started = 0;
	for (int i = 1; i < n; i++)
		if (pthread_create(&th[started], NULL, page_worker, &p) == 0)
			started++;
	page_worker(&p);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	free(mj);
	pthread_mutex_destroy(&p.lock);
	if (progress && p.njobs)
		fputc('\n', stderr);
	if (p.failed_at >= 0) {
		*err = p.err;
		return -1;
	}
	*charts = atomic_load(&p.charts);
	*pages = JOB_SINGLES + p.nbranch_jobs + ind->nvillages + nm;
	return 0;
}

int site_render_union(const view_ctx_t *ctx, const tmplset_t *ts, const char *dir, int *pages,
                      int *charts, err_t *err)
{
	const int32_t month = ctx->ind->month;
	char rel[OUTTREE_PATH_MAX];
	buf_t b = {0};
	json_object *v = view_union_index(ctx);
	int n = sitecharts_union(charts_of(v), ctx->ind, err);
	int rc = render_page(ts, "union", v, n, dir,
	                     outtree_path(rel, sizeof rel, OUTTREE_INDEX, month, NULL), &b, err);
	*charts = n > 0 ? n : 0;
	if (rc == 0)
		rc = render_page(ts, "union_report", view_union_report(ctx), 0, dir,
		                 outtree_path(rel, sizeof rel, OUTTREE_REPORT, month, NULL), &b,
		                 err);
	buf_free(&b);
	*pages = rc == 0 ? 2 : 0;
	return rc;
}
