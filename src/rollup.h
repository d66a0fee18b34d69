/* rollup.h — `cundang rollup` (SPEC §2, §8): reads member banks' indicator documents and
 * publishes the union's site (overview, report, summary workbook, indicator document). */
#ifndef CUNDANG_ROLLUP_CMD_H
#define CUNDANG_ROLLUP_CMD_H

#include <stdint.h>

#include "util.h"

typedef struct {
	const char *output; /* -o, the union's output folder */
	const char *name;   /* --name, the union's name; NULL: VOCAB_UNION_NAME */
	int32_t month;      /* --month (yyyymm), 0: the sources' */
	char **sources;     /* SOURCE or CODE=SOURCE, as given */
	int nsources;
	int quiet;
	int jobs;       /* documents read at once (threads); below 1 counts as 1 */
	double started; /* build_now() at the start, for the summary line */
} rollup_options_t;

typedef enum {
	ROLLUP_OK = 0,
	ROLLUP_BAD_INPUT,    /* a source, its code or its document: err names it; nothing written */
	ROLLUP_WRITE_FAILED, /* the output could not be written: err says where; nothing changed */
} rollup_status_t;

/* Runs the rollup command with o. */
rollup_status_t rollup_run(const rollup_options_t *o, err_t *err);

#endif
