/* findcsv.h — data/findings-YYYY-MM.csv (SPEC §7): every finding of the selection, in UTF-8
 * with a BOM so that Excel opens it, however many there are (pages and sheets show a part). */
#ifndef CUNDANG_FINDCSV_H
#define CUNDANG_FINDCSV_H

#include <stddef.h>
#include <stdio.h>

#include "compute/indicators.h"

/* Writes the CSV (its path is outtree's OUTTREE_FINDINGS) to fp, one finding per line in read
 * order, streaming (memory does not grow with the number of findings). Returns 0, or -1 when a
 * write failed (errno set). */
int findcsv_write(FILE *fp, const indicators_t *ind);

#endif
