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

/* ---- village dossiers and managers' pages, in parallel ---- */

static json_object *charts_of(json_object *view)
{
	return json_object_object_get(view, "charts");
}

/* A manager's page: branch position b, manager position k (tasks.h). */
typedef struct {
	int b, k;
} manager_job_t;

typedef struct {
	const view_ctx_t *ctx;
	const tmplset_t *ts;
	const char *dir;
	const manager_job_t *managers; /* the jobs after the villages' */
	int njobs;                     /* villages, then managers */
	atomic_int next, done, charts;
	int failed_at; /* lowest failing job, for a deterministic message */
	err_t err;
	pthread_mutex_t lock;
	int progress;
} pool_t;

/* Renders job i: village position i, or manager job i - nvillages. */
static int render_job(pool_t *p, int i, buf_t *b, err_t *e)
{
	const indicators_t *ind = p->ctx->ind;
	char rel[OUTTREE_PATH_MAX];
	if (i >= ind->nvillages) {
		const manager_job_t *j = &p->managers[i - ind->nvillages];
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
	if (nc > 0)
		atomic_fetch_add(&p->charts, nc);
	return render_page(p->ts, "village", view, nc, p->dir, rel, b, e);
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
		if (render_job(p, i, &b, &e) != 0) {
			pthread_mutex_lock(&p->lock);
			if (p->failed_at < 0 || i < p->failed_at) {
				p->failed_at = i;
				p->err = e;
			}
			pthread_mutex_unlock(&p->lock);
		}
		int done = atomic_fetch_add(&p->done, 1) + 1;
		if (p->progress && (done % 50 == 0 || done == p->njobs))
			fprintf(stderr, "\rcundang: village and manager pages %d/%d", done,
			        p->njobs);
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

static int render_pool(const view_ctx_t *ctx, const tmplset_t *ts, const char *dir, int jobs,
                       int progress, int *charts, int *managers, err_t *err)
{
	pool_t p = {.ctx = ctx, .ts = ts, .dir = dir, .failed_at = -1, .progress = progress};
	manager_job_t *mj = NULL;
	int nm = 0;
	if (manager_jobs(ctx, dir, &mj, &nm, err) != 0) {
		free(mj);
		return -1;
	}
	p.managers = mj;
	p.njobs = ctx->ind->nvillages + nm;
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
	*charts += atomic_load(&p.charts);
	*managers = nm;
	if (p.failed_at >= 0) {
		*err = p.err;
		return -1;
	}
	return 0;
}

int site_render(const view_ctx_t *ctx, const tmplset_t *ts, const char *dir, int jobs, int progress,
                int *pages, int *charts, err_t *err)
{
	const indicators_t *ind = ctx->ind;
	const site_t *site = &ind->model->site;
	const int32_t month = ind->month;
	char rel[OUTTREE_PATH_MAX];
	buf_t b = {0};
	json_object *v = view_index(ctx);
	int n;
	*charts = 0;
	int rc = render_page(ts, "index", v, n = sitecharts_bank(charts_of(v), ind, err), dir,
	                     outtree_path(rel, sizeof rel, OUTTREE_INDEX, month, NULL), &b, err);
	*charts += n;
	if (rc == 0)
		rc = render_page(ts, "quality", view_quality(ctx), 0, dir,
		                 outtree_path(rel, sizeof rel, OUTTREE_QUALITY, month, NULL), &b,
		                 err);
	if (rc == 0)
		rc = render_page(ts, "villages", view_villages(ctx), 0, dir,
		                 outtree_path(rel, sizeof rel, OUTTREE_VILLAGE_LIST, month, NULL),
		                 &b, err);
	if (rc == 0)
		rc =
		    render_page(ts, "guide", view_guide(ctx), 0, dir,
		                outtree_path(rel, sizeof rel, OUTTREE_GUIDE, month, NULL), &b, err);
	if (rc == 0) {
		outtree_path(rel, sizeof rel, OUTTREE_REPORT, month, NULL);
		v = view_report(ctx, -1);
		rc = render_page(ts, "report", v, n = sitecharts_report(charts_of(v), ind, -1, err),
		                 dir, rel, &b, err);
		*charts += n;
	}
	for (int i = 0; rc == 0 && i < ind->nbranches; i++) {
		const char *code = site->branches[ind->branches[i].branch].code;
		outtree_path(rel, sizeof rel, OUTTREE_BRANCH, month, code);
		v = view_branch(ctx, i);
		rc = render_page(ts, "branch", v, n = sitecharts_branch(charts_of(v), ind, i, err),
		                 dir, rel, &b, err);
		*charts += n;
		if (rc == 0) {
			outtree_path(rel, sizeof rel, OUTTREE_BRANCH_REPORT, month, code);
			v = view_report(ctx, i);
			rc = render_page(ts, "report", v,
			                 n = sitecharts_report(charts_of(v), ind, i, err), dir, rel,
			                 &b, err);
			*charts += n;
		}
	}
	buf_free(&b);
	int nmanagers = 0;
	if (rc == 0)
		rc = render_pool(ctx, ts, dir, jobs, progress, charts, &nmanagers, err);
	if (rc == 0 && (n = sitecharts_png(ind, dir, err)) < 0)
		rc = -1;
	else if (rc == 0)
		*charts += n;
	*pages = rc == 0 ? 5 + 2 * ind->nbranches + ind->nvillages + nmanagers : 0;
	return rc;
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
