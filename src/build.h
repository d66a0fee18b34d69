/* build.h — `cundang build`: writes the output tree into a fresh directory beside -o and
 * swaps it in at the end, so a failed run leaves the previous output exactly as it was. */
#ifndef CUNDANG_BUILD_H
#define CUNDANG_BUILD_H

#include <stdio.h>

#include "compute/indicators.h"

typedef struct {
	const char *input, *output, *templates;
	char **branches; /* --branch codes; none for a build of all branches */
	int nbranches;
	int jobs, quiet, verbose;
	double started; /* build_now() when the command started, for the summary line */
} build_options_t;

typedef enum {
	BUILD_OK = 0,
	BUILD_BAD_INPUT, /* -o is unusable (the input, one of its parents, /) or a template is bad
	                  */
	BUILD_WRITE_FAILED,
} build_status_t;

/* Monotonic seconds, for timing a run. */
double build_now(void);

/* Builds the output for ind. On failure err says what and where; nothing changed. */
build_status_t build_site(const indicators_t *ind, const build_options_t *o, err_t *err);

#endif
