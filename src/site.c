/* site.c — turns views into files: one page at a time into a reused buffer, written at once,
 * so memory stays bounded by the largest page; village dossiers are shared among threads. */
#include "site.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "format.h"

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

/* Renders template name with view (released here) into rel. */
static int render_page(const tmplset_t *ts, const char *name, json_object *view, const char *dir,
                       const char *rel, buf_t *b, err_t *err)
{
	buf_clear(b);
	view_add_flags(view);
	int rc = tmplset_render(ts, name, view, b, err);
	json_object_put(view);
	if (rc == 0)
		rc = write_file(dir, rel, b, err);
	return rc;
}

static int make_dir(const char *dir, const char *rel, err_t *err)
{
	char *path = path_join(dir, rel);
	int rc = 0;
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		rc = err_set(err, path, 0, "cannot create: %s", strerror(errno));
	free(path);
	return rc;
}

/* ---- village dossiers, in parallel ---- */

typedef struct {
	const view_ctx_t *ctx;
	const tmplset_t *ts;
	const char *dir;
	atomic_int next, done;
	int failed_at;          /* lowest failing village, for a deterministic message */
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
		char rel[128];
		snprintf(rel, sizeof rel, "villages/%s.html", v->code);
		err_t e = {0};
		if (render_page(p->ts, "village", view_village(p->ctx, i), p->dir, rel, &b, &e) != 0) {
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
                           int progress, err_t *err)
{
	pool_t p = {.ctx = ctx, .ts = ts, .dir = dir, .failed_at = -1, .progress = progress};
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
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
	if (p.failed_at >= 0) {
		*err = p.err;
		return -1;
	}
	return 0;
}

int site_render(const view_ctx_t *ctx, const tmplset_t *ts, const char *dir, int jobs,
                int progress, int *pages, err_t *err)
{
	const indicators_t *ind = ctx->ind;
	const site_t *site = &ind->model->site;
	char month[16], rel[256];
	format_month(month, sizeof month, ind->month);
	snprintf(rel, sizeof rel, "reports/%s", month);
	buf_t b = {0};
	int rc = make_dir(dir, "branches", err);
	if (rc == 0)
		rc = make_dir(dir, "villages", err);
	if (rc == 0)
		rc = make_dir(dir, "reports", err);
	if (rc == 0)
		rc = make_dir(dir, rel, err);
	if (rc == 0)
		rc = render_page(ts, "index", view_index(ctx), dir, "index.html", &b, err);
	if (rc == 0)
		rc = render_page(ts, "quality", view_quality(ctx), dir, "quality.html", &b, err);
	if (rc == 0) {
		snprintf(rel, sizeof rel, "reports/%s/index.html", month);
		rc = render_page(ts, "report", view_report(ctx, -1), dir, rel, &b, err);
	}
	for (int i = 0; rc == 0 && i < ind->nbranches; i++) {
		const char *code = site->branches[ind->branches[i].branch].code;
		snprintf(rel, sizeof rel, "branches/%s.html", code);
		rc = render_page(ts, "branch", view_branch(ctx, i), dir, rel, &b, err);
		if (rc == 0) {
			snprintf(rel, sizeof rel, "reports/%s/%s.html", month, code);
			rc = render_page(ts, "report", view_report(ctx, i), dir, rel, &b, err);
		}
	}
	buf_free(&b);
	if (rc == 0)
		rc = render_villages(ctx, ts, dir, jobs, progress, err);
	*pages = rc == 0 ? 3 + 2 * ind->nbranches + ind->nvillages : 0;
	return rc;
}
