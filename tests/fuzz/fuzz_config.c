/* fuzz_config.c — libFuzzer target for the site.yaml reader (src/config.c over
 * src/yamldoc.c): the input is the file, written to a scratch file because config_load
 * takes a path. Checks the contract of config.h on success and on failure. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "read/config.h"
#include "fuzz_common.h"

static int is_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static void check_site(const site_t *s)
{
	FUZZ_CHECK(s->bank && s->bank[0]);
	FUZZ_CHECK(s->month == 0 || (s->month / 100 >= 1900 && s->month / 100 <= 2999 &&
	                             s->month % 100 >= 1 && s->month % 100 <= 12));
	FUZZ_CHECK(s->nbranches >= 1 && s->branches);
	for (int i = 0; i < s->nbranches; i++) {
		const branch_t *b = &s->branches[i];
		FUZZ_CHECK(b->code && b->code[0] && strlen(b->code) <= 64);
		FUZZ_CHECK(b->name && b->name[0]);
		FUZZ_CHECK(b->target_granted >= 0 && (b->has_target || b->target_granted == 0));
		for (int j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(s->branches[j].code, b->code) != 0);
	}
	FUZZ_CHECK(s->pass_score >= 0 && s->pass_score <= 100);
	FUZZ_CHECK(s->nindicators >= 1 && s->indicators);
	for (int i = 0; i < s->nindicators; i++) {
		const indicator_rule_t *r = &s->indicators[i];
		FUZZ_CHECK((unsigned)r->rate < RATE_COUNT);
		FUZZ_CHECK(r->key && strcmp(r->key, vocab_rate_key[r->rate]) == 0);
		FUZZ_CHECK(r->threshold > 0 && r->threshold <= 1);
		FUZZ_CHECK(r->weight > 0 && isfinite(r->weight));
	}
	FUZZ_CHECK(s->nchecks == 0 || s->checks);
	for (int i = 0; i < s->nchecks; i++) {
		const check_rule_t *c = &s->checks[i];
		FUZZ_CHECK(c->key && c->key[0] && c->label && c->label[0]);
		FUZZ_CHECK(c->weight >= 0 && isfinite(c->weight));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write_file("site.yaml", data, size);
	site_t site;
	err_t err = {0};
	memset(&site, 0xA5, sizeof site); /* config_load must overwrite whatever was there */
	int rc = config_load(path, &site, &err);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc == 0) {
		check_site(&site);
	} else {
		FUZZ_CHECK(err.msg[0] != '\0');
		FUZZ_CHECK(is_zero(&site, sizeof site)); /* "*site left zeroed" */
	}
	config_free(&site);
	FUZZ_CHECK(is_zero(&site, sizeof site));
	config_free(&site); /* safe on a zeroed site */
	return 0;
}
