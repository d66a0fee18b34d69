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

/* ---- village dossiers, in parallel ---- */

static json_object *charts_of(json_object *view)
{
	return json_object_object_get(view, "charts");
}

typedef struct {
	const view_ctx_t *ctx;
	const tmplset_t *ts;
	const char *dir;
	atomic_int next, done, charts;
	int failed_at; /* lowest failing village, for a deterministic message */
	err_t err;
	pthread_mutex_t lock;
	int progress;
} pool_t;

static void *village_worker(void *arg)
{
	pool_t *p = arg;
	const indicators_t *ind = p->ctx->ind;
	buf_t b = {0};
	for (;;) {
		int i = atomic_fetch_add(&p->next, 1);
		if (i >= ind->nvillages)
			break;
		const village_t *v = &ind->model->villages[ind->villages[i].village];
		char rel[OUTTREE_PATH_MAX];
		outtree_path(rel, sizeof rel, OUTTREE_VILLAGE, ind->month, v->code);
		err_t e = {0};
		json_object *view = view_village(p->ctx, i);
		int nc = sitecharts_village(charts_of(view), ind, i, &e);
		if (nc > 0)
			atomic_fetch_add(&p->charts, nc);
		if (render_page(p->ts, "village", view, nc, p->dir, rel, &b, &e) != 0) {
			pthread_mutex_lock(&p->lock);
			if (p->failed_at < 0 || i < p->failed_at) {
				p->failed_at = i;
				p->err = e;
			}
			pthread_mutex_unlock(&p->lock);
		}
		int done = atomic_fetch_add(&p->done, 1) + 1;
		if (p->progress && (done % 50 == 0 || done == ind->nvillages))
			fprintf(stderr, "\rcundang: village dossiers %d/%d", done, ind->nvillages);
	}
	buf_free(&b);
	return NULL;
}

static int render_villages(const view_ctx_t *ctx, const tmplset_t *ts, const char *dir, int jobs,
                           int progress, int *charts, err_t *err)
{
	pool_t p = {.ctx = ctx, .ts = ts, .dir = dir, .failed_at = -1, .progress = progress};
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	atomic_init(&p.charts, 0);
	pthread_mutex_init(&p.lock, NULL);
	int n = jobs > ctx->ind->nvillages ? ctx->ind->nvillages : jobs;
	pthread_t *th = xcalloc((size_t)(n > 1 ? n : 1), sizeof *th);
	int started = 0;
	for (int i = 1; i < n; i++)
		if (pthread_create(&th[started], NULL, village_worker, &p) == 0)
			started++;
	village_worker(&p);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&p.lock);
	if (progress && ctx->ind->nvillages)
		fputc('\n', stderr);
	*charts += atomic_load(&p.charts);
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
	if (rc == 0)
		rc = render_villages(ctx, ts, dir, jobs, progress, charts, err);
	if (rc == 0 && (n = sitecharts_png(ind, dir, err)) < 0)
		rc = -1;
	else if (rc == 0)
		*charts += n;
	*pages = rc == 0 ? 3 + 2 * ind->nbranches + ind->nvillages : 0;
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
