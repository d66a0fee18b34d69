/* site.h — renders every page of SPEC §7 (index, branches, village dossiers, acceptance
 * reports, quality, managers' pages) from the views into a directory; village and manager pages
 * in parallel threads. */
#ifndef CUNDANG_SITE_H
#define CUNDANG_SITE_H

#include "render/site/tmplset.h"
#include "render/site/view.h"

/* Writes the pages and the PNG charts under dir (whose folders outtree_make_dirs made), using up to
 * jobs threads; *pages and *charts get the numbers written (charts counts inline SVGs and PNGs).
 * progress: show a counter on standard error. chart_init() must have been called. Returns 0, or -1
 * with err (a template or chart that fails to render, a file that cannot be written). */
int site_render(const view_ctx_t *ctx, const tmplset_t *ts, const char *dir, int jobs, int progress,
                int *pages, int *charts, err_t *err);

/* A union's pages (cundang rollup, SPEC §8): index.html and the month's report, from
 * view_union_index and view_union_report, with their inline charts. Returns 0, or -1 with err. */
int site_render_union(const view_ctx_t *ctx, const tmplset_t *ts, const char *dir, int *pages,
                      int *charts, err_t *err);

#endif
