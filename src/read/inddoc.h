/* inddoc.h — reads one indicator document of SPEC §6 (data/indicators-YYYY-MM.json) back with
 * json-c for cundang rollup: its shape checked key by key, its bank figures and trend kept. */
#ifndef CUNDANG_INDDOC_H
#define CUNDANG_INDDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compute/indicators.h"

/* What rollup takes of a bank's document: the bank entry and its trend. Rates are not kept:
 * the union recomputes every rate from sums (SPEC §8). */
typedef struct {
	int32_t month; /* yyyymm of "month" */
	int32_t as_of; /* yyyymmdd of "as_of", a day of month */
	char *name;    /* bank.name */
	counts_t c;    /* bank counts and amounts (amounts in fen) */
	int64_t villages_total, villages_passed;
	trend_point_t trend[TREND_MONTHS]; /* counts and months; rates left 0 */
	int64_t errors, warnings;          /* quality */
	bool has_target;        /* every branch has a target_granted (and there is one branch) */
	int64_t target_granted; /* their sum, when has_target */
} inddoc_t;

/* Reads the document at path into *doc (overwritten). One document is held at a time: its
 * text is checked as strict JSON, its villages and managers arrays (nearly all of it, and
 * unused) checked but not built, the rest parsed by json-c, and the tree let go before
 * returning. Every key rollup uses is checked: type, range,
 * the 12 trend months ending with the report month; branches, villages and managers must be
 * arrays, quality an object. Returns 0, or -1 with err ("path: where: what"). Caller frees
 * doc->name with inddoc_free(). */
int inddoc_read(const char *path, inddoc_t *doc, err_t *err);
/* The same for a document already in memory: text (n bytes, NUL-terminated at text[n]),
 * label naming it in messages. scan false parses the whole text with json-c, without the
 * syntax scan that spares building the villages and managers arrays: the reference the fuzz
 * target compares the scan with (both must give the same result on every input). */
int inddoc_parse(const char *label, const char *text, size_t n, bool scan, inddoc_t *doc,
                 err_t *err);
void inddoc_free(inddoc_t *doc);

#endif
