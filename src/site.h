/* site.h — renders every page of SPEC §7 (index, branches, village dossiers, acceptance
 * reports, quality) from the views into a directory; villages in parallel threads. */
#ifndef CUNDANG_SITE_H
#define CUNDANG_SITE_H

#include "tmplset.h"
#include "view.h"

/* Writes the pages under dir (which exists) using up to jobs threads; *pages gets the
 * number written. progress: show a counter on standard error. Returns 0, or -1 with err
 * (a template that fails to render, a file that cannot be written). */
int site_render(const view_ctx_t *ctx, const tmplset_t *ts, const char *dir, int jobs,
                int progress, int *pages, err_t *err);

#endif
