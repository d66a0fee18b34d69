/* build.h — `cundang build`: writes the output tree into a fresh directory beside -o and
 * swaps it in at the end, so a failed run leaves the previous output exactly as it was. */
#ifndef CUNDANG_BUILD_H
#define CUNDANG_BUILD_H

#include <stdio.h>

#include "compute/indicators.h"

typedef struct tmplset tmplset_t;

/* What a build's render step has to work with, and what it counts (for the summary line). */
typedef struct {
	const char *stage;     /* the staging folder, with the month's folders made */
	const tmplset_t *ts;   /* the templates, compiled */
	const int32_t *months; /* months whose bank report the new output holds, newest first */
	int nmonths;
	int pages, charts, workbooks;
} build_stage_t;

/* A render step instead of the bank site's (cundang rollup's union pages and workbook):
 * returns 0, or -1 with err. */
typedef int (*build_render_fn)(const indicators_t *ind, build_stage_t *st, void *ctx, err_t *err);

typedef struct {
	const char *input, *output, *templates;
	char **branches; /* --branch codes; none for a build of all branches */
	int nbranches;
	int jobs, quiet, verbose;
	double started; /* build_now() when the command started, for the summary line */
	/* cundang rollup: no input archive (input NULL), no month before to compare with and no
	 * findings CSV; render writes the pages and workbooks. NULL for a bank's build. */
	build_render_fn render;
	void *render_ctx;
} build_options_t;

typedef enum {
	BUILD_OK = 0,
	BUILD_BAD_INPUT, /* -o is unusable (the input, one of its parents, /) or a template is bad
	                  */
	BUILD_WRITE_FAILED,
} build_status_t;

/* Absolute, symlink-free form of path, which may not exist yet, nor its parents (their
 * names are then taken as written, so "." and ".." among them are refused): the output
 * folder as a build will write it. Caller frees. Returns NULL with errno set. */
char *build_resolve(const char *path);

/* Monotonic seconds, for timing a run. */
double build_now(void);

/* Builds the output for ind. On failure err says what and where; nothing changed. */
build_status_t build_site(const indicators_t *ind, const build_options_t *o, err_t *err);

#endif
