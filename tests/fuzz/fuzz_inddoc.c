/* fuzz_inddoc.c — libFuzzer target for the indicator document reader of cundang rollup
 * (src/read/inddoc.c). Read with the syntax scan and read by json-c alone must agree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "read/inddoc.h"

static void check_doc(const inddoc_t *d)
{
	FUZZ_CHECK(d->name != NULL);
	FUZZ_CHECK(d->month / 100 >= 1900 && d->month / 100 <= 2999 && d->month % 100 >= 1 &&
	           d->month % 100 <= 12);
	FUZZ_CHECK(d->as_of / 100 == d->month);
	const counts_t *c = &d->c;
	const int64_t v[] = {c->households_total,
	                     c->listed,
	                     c->negative,
	                     c->eligible,
	                     c->visited,
	                     c->archived,
	                     c->granted,
	                     c->signed_,
	                     c->used,
	                     c->overdue,
	                     c->loans_outstanding,
	                     c->loans_online,
	                     c->credit_total,
	                     c->balance_total,
	                     c->npl_balance,
	                     d->villages_total,
	                     d->villages_passed,
	                     d->errors,
	                     d->warnings,
	                     d->target_granted};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		FUZZ_CHECK(v[i] >= 0);
	FUZZ_CHECK(c->eligible == c->households_total - c->negative);
	FUZZ_CHECK(d->villages_passed <= d->villages_total);
	FUZZ_CHECK(d->has_target || d->target_granted == 0);
	for (int s = 0; s < TREND_MONTHS; s++)
		FUZZ_CHECK(d->trend[s].month == value_month_add(d->month, s - (TREND_MONTHS - 1)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	inddoc_t a, b;
	err_t ea = {0}, eb = {0};
	int ra = inddoc_parse("doc.json", text, size, true, &a, &ea);
	int rb = inddoc_parse("doc.json", text, size, false, &b, &eb);
	FUZZ_CHECK(ra == 0 || ra == -1);
	/* The scan only spares work: the same verdict, the same figures, the same words. */
	FUZZ_CHECK(ra == rb);
	if (ra == 0) {
		check_doc(&a);
		FUZZ_CHECK(strcmp(a.name, b.name) == 0);
		char *na = a.name, *nb = b.name;
		a.name = b.name = NULL;
		FUZZ_CHECK(memcmp(&a, &b, sizeof a) == 0);
		a.name = na;
		b.name = nb;
	} else {
		FUZZ_CHECK(ea.msg[0] != '\0' && a.name == NULL);
		FUZZ_CHECK(strcmp(ea.msg, eb.msg) == 0);
	}
	inddoc_free(&a);
	inddoc_free(&b);
	free(text);
	return 0;
}
