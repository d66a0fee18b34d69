/* letters.h — `cundang letters`: the credit notification letters (授信告知函, SPEC §8), one
 * A4 page per household granted by D, one PDF per village, drawn with Cairo and Pango. */
#ifndef CUNDANG_LETTERS_H
#define CUNDANG_LETTERS_H

#include "compute/indicators.h"

typedef struct {
	const char *output; /* DIR: DIR/<village>.pdf */
	char **villages;    /* --village codes (borrowed); every selected village when 0 */
	int nvillages;
} letters_options_t;

typedef struct {
	int pdfs, pages;
	int empty; /* selected villages with no household granted by D (no PDF) */
} letters_result_t;

typedef enum {
	LETTERS_OK = 0,
	LETTERS_BAD_INPUT, /* an unknown or unselected --village, or DIR lies in a site output */
	LETTERS_WRITE_FAILED,
} letters_status_t;

/* Writes the letters of the selection of ind at its as-of day into o->output (created with
 * its parents), each PDF through a temporary file renamed into place. The bytes depend only
 * on the archive and D (the PDF's dates are D). On failure err names the path or code. */
letters_status_t letters_write(const indicators_t *ind, const letters_options_t *o,
                               letters_result_t *res, err_t *err);

/* granted_on plus years, 29 February becoming 28 February in a year that has none. */
int32_t letters_valid_until(int32_t granted_on, int years);

#endif
