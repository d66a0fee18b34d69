/* findsum.h — the counts of the selection's findings (SPEC §5, §7): by code, by file, by
 * village and by village and code, which quality.html, the dossiers and the 数据质量 sheets show.
 */
#ifndef CUNDANG_FINDSUM_H
#define CUNDANG_FINDSUM_H

#include <stdint.h>

#include "compute/indicators.h"

typedef struct {
	const char *key; /* a code or an archive-relative file; borrowed from the model */
	int64_t count, errors, warnings;
} findsum_entry_t;

/* The findings of one village and one code: what quality.html lists under a village. */
typedef struct {
	int village; /* index into model.villages, or -1 for findings of no village */
	int code;    /* index into findsum_t.codes */
	int64_t count, errors, warnings;
} findsum_group_t;

struct findsum {
	int64_t total;
	findsum_entry_t *codes; /* bytewise order of code */
	int ncodes;
	findsum_entry_t *files; /* in the order the findings come (files as read) */
	int nfiles;
	int *code_of; /* per model finding: index into codes, -1 when not selected */
	/* By village (in model order, which is code order; those of no village last), then by
	 * code: the groups that have findings. */
	findsum_group_t *groups;
	int ngroups;
	int *group_of;          /* per model finding: index into groups, -1 when not selected */
	int64_t *village_count; /* per model village: its selected findings */
};

/* Counts the findings ind selects (indicators_compute calls it for ind->fsum). s owns its
 * arrays; release them with findsum_free. */
void findsum_compute(const indicators_t *ind, findsum_t *s);
void findsum_free(findsum_t *s);

#endif
