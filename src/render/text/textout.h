/* textout.h — what cundang prints for people on a terminal: the data-quality findings and
 * the summary table of `cundang stats`. */
#ifndef CUNDANG_TEXTOUT_H
#define CUNDANG_TEXTOUT_H

#include <stdio.h>

#include "compute/indicators.h"

/* Prints the selected findings, one per line, as "<input>/<file>:<line>: <severity>:
 * <message> (<code>)" so the path opens from where cundang was run. */
void textout_findings(FILE *fp, const char *input, const indicators_t *ind);

/* Prints the bank and branch figures as a small table. */
void textout_summary(FILE *fp, const indicators_t *ind);

#endif
