/* village.h — the village.md reader (SPEC §3): YAML front matter between two `---` lines,
 * then the Markdown narrative. */
#ifndef CUNDANG_VILLAGE_H
#define CUNDANG_VILLAGE_H

#include "model.h"
#include "util.h"

/* Reads village.md at path (also the name used in messages) against the loaded site.
 * Fills every field of *v except code, first_household and nhouseholds, which are left as
 * they are (so *v must be zeroed or hold only what the caller set). Returns 0, or -1 with
 * err as "path:line: what is wrong" (lines of the file) and nothing of this call left
 * allocated. Caller frees with village_free(). */
int village_load(const char *path, const site_t *site, village_t *v, err_t *err);

/* Frees what village_load() allocated, and v->code, then zeroes *v. Safe on a zeroed v. */
void village_free(village_t *v);

#endif
