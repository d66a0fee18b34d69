/* sample.h — `cundang sample`: writes a complete, deterministic synthetic input archive
 * (SPEC §2, §3) with every CSV quirk of §4 and a fixed handful of §5 findings. */
#ifndef CUNDANG_SAMPLE_H
#define CUNDANG_SAMPLE_H

#include <stdint.h>

#include "util.h"

/* Writes site.yaml, villages/<code>/{village.md,households.csv} and the loan ledger
 * (loans/2025.csv, loans/2026H1.csv, loans/2026H2.csv) for
 * `households` (≥ 1) households into dir, which must not exist or be an empty directory
 * (missing parents are created). The same (households, seed) gives byte-identical files.
 * Returns 0, or -1 with err filled; after a failure dir may hold a partial archive. */
int sample_write(const char *dir, long households, uint64_t seed, err_t *err);

/* The number of branches and villages sample_write generates for `households`. */
int sample_branch_count(long households);
long sample_village_count(long households);

#endif
