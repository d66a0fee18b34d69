/* test_config.c — unit tests of the site.yaml reader (config_load) and of the bounds of
 * its YAML layer: the example of SPEC §3, every fatal shape, alias bombs and deep nesting. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "read/config.h"
#include "read/yamldoc.h"

/* Writes n bytes to a new file under /tmp; returns its path (caller frees and unlinks). */
static char *write_tmp_n(const char *text, size_t n)
{
	char *path = xstrdup("/tmp/cundang-test-config-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	fclose(f);
	return path;
}

static char *write_tmp(const char *text)
{
	return write_tmp_n(text, strlen(text));
}

/* Loads text as a site.yaml; returns config_load's result with *site and *err filled. */
static int load_text(const char *text, site_t *site, err_t *err)
{
	char *path = write_tmp(text);
	memset(err, 0, sizeof *err);
	int rc = config_load(path, site, err);
	unlink(path);
	free(path);
	return rc;
}

/* Asserts that text fails to load at line with a message containing part. */
static void expect_fail(const char *text, long line, const char *part)
{
	site_t site;
	err_t err;
	int rc = load_text(text, &site, &err);
	if (rc != -1 || (line >= 0 && err.line != line) || !strstr(err.msg, part))
		print_error("expected failure at line %ld containing '%s', got rc %d: %ld: %s\n",
		            line, part, rc, err.line, err.msg);
	assert_int_equal(rc, -1);
	if (line >= 0)
		assert_int_equal(err.line, line);
	assert_non_null(strstr(err.msg, part));
	/* A failed load leaves the site zeroed; config_free is still safe. */
	assert_null(site.bank);
	assert_null(site.branches);
	config_free(&site);
}

static const char *EXAMPLE =
    "bank: 句容农村商业银行\n"
    "month: 2026-10\n"
    "branches:                      # master data; a village names its branch by code\n"
    "  - {code: HB, name: 后白支行, target_granted: 3000}   # target optional (预授信任务)\n"
    "  - {code: XJ, name: 下蜀支行}\n"
    "acceptance:\n"
    "  pass_score: 80\n"
    "  indicators:                  # quantitative (定量); key: one of the rates of section 6\n"
    "    visit_rate:      {min: 0.95, weight: 15}\n"
    "    archive_rate:    {min: 0.90, weight: 15}\n"
    "    credit_coverage: {min: 0.80, weight: 25}\n"
    "    signing_rate:    {min: 0.60, weight: 20}\n"
    "    usage_rate:      {min: 0.30, weight: 15}\n"
    "    npl_rate:        {max: 0.02, weight: 10}\n"
    "  checks:                      # qualitative (定性); villages tick them in front matter\n"
    "    town_meeting:    {label: 镇级启动会, weight: 2.5, required: false}\n"
    "    village_meeting: {label: 村级对接会, weight: 2.5}\n"
    "    night_school:    {label: 金融夜校宣讲, weight: 2.5}\n"
    "    wechat_group:    {label: 村民微信群, weight: 2.5}\n"
    "privacy:\n"
    "  mask_workbooks: true         # false puts full names, ID and phone numbers in workbooks "
    "only\n";

/* The minimal valid head; tests append an acceptance block to it. */
#define HEAD "bank: B\nbranches:\n  - {code: HB, name: 后白支行}\n"

static void test_spec_example(void **state)
{
	(void)state;
	site_t site;
	err_t err;
	assert_int_equal(load_text(EXAMPLE, &site, &err), 0);
	assert_string_equal(site.bank, "句容农村商业银行");
	assert_int_equal(site.month, 202610);

	assert_int_equal(site.nbranches, 2);
	assert_string_equal(site.branches[0].code, "HB");
	assert_string_equal(site.branches[0].name, "后白支行");
	assert_true(site.branches[0].has_target);
	assert_int_equal(site.branches[0].target_granted, 3000);
	assert_string_equal(site.branches[1].code, "XJ");
	assert_string_equal(site.branches[1].name, "下蜀支行");
	assert_false(site.branches[1].has_target);
	assert_int_equal(site.branches[1].target_granted, 0);

	assert_true(site.pass_score == 80.0);
	static const struct {
		const char *key;
		rate_t rate;
		bool is_max;
		double threshold, weight;
	} want[] = {
	    {"visit_rate", RATE_VISIT, false, 0.95, 15},
	    {"archive_rate", RATE_ARCHIVE, false, 0.90, 15},
	    {"credit_coverage", RATE_COVERAGE, false, 0.80, 25},
	    {"signing_rate", RATE_SIGNING, false, 0.60, 20},
	    {"usage_rate", RATE_USAGE, false, 0.30, 15},
	    {"npl_rate", RATE_NPL, true, 0.02, 10},
	};
	assert_int_equal(site.nindicators, 6);
	for (int i = 0; i < 6; i++) {
		assert_string_equal(site.indicators[i].key, want[i].key);
		assert_int_equal(site.indicators[i].rate, want[i].rate);
		assert_int_equal(site.indicators[i].is_max, want[i].is_max);
		assert_true(site.indicators[i].threshold == want[i].threshold);
		assert_true(site.indicators[i].weight == want[i].weight);
	}

	assert_int_equal(site.nchecks, 4);
	static const char *keys[] = {"town_meeting", "village_meeting", "night_school",
	                             "wechat_group"};
	static const char *labels[] = {"镇级启动会", "村级对接会", "金融夜校宣讲", "村民微信群"};
	for (int i = 0; i < 4; i++) {
		assert_string_equal(site.checks[i].key, keys[i]);
		assert_string_equal(site.checks[i].label, labels[i]);
		assert_true(site.checks[i].weight == 2.5);
		assert_int_equal(site.checks[i].required, i != 0);
	}
	assert_true(site.mask_workbooks);
	config_free(&site);
	assert_null(site.bank);
	config_free(&site); /* twice is harmless */
}

static void test_defaults_and_variants(void **state)
{
	(void)state;
	site_t site;
	err_t err;
	/* No month, no checks, no privacy; max 1 is allowed; unknown top-level keys ignored;
	 * quoted numbers and YES/No booleans. */
	const char *text = HEAD "owner: {anything: [1, 2, {deep: true}]}\n"
	                        "acceptance:\n"
	                        "  pass_score: \"0\"\n"
	                        "  indicators:\n"
	                        "    online_share: {max: 1, weight: 1e1}\n"
	                        "    amount_usage_rate: {min: '0.5', weight: 3, max: ~}\n";
	assert_int_equal(load_text(text, &site, &err), 0);
	assert_int_equal(site.month, 0);
	assert_int_equal(site.nchecks, 0);
	assert_true(site.mask_workbooks);
	assert_true(site.pass_score == 0);
	assert_int_equal(site.nindicators, 2);
	assert_int_equal(site.indicators[0].rate, RATE_ONLINE);
	assert_true(site.indicators[0].is_max);
	assert_true(site.indicators[0].threshold == 1.0);
	assert_true(site.indicators[0].weight == 10.0);
	assert_int_equal(site.indicators[1].rate, RATE_AMOUNT_USAGE);
	assert_false(site.indicators[1].is_max);
	config_free(&site);

	text = HEAD "acceptance:\n"
	            "  pass_score: 60.5\n"
	            "  indicators: {visit_rate: {min: 0.5, weight: 1}}\n"
	            "  checks:\n"
	            "    a_1: {weight: 0, required: No}\n"
	            "    b: {weight: 1, required: YES, label: \"\"}\n"
	            "privacy: {mask_workbooks: no}\n";
	assert_int_equal(load_text(text, &site, &err), 0);
	assert_true(site.pass_score == 60.5);
	assert_int_equal(site.nchecks, 2);
	assert_string_equal(site.checks[0].label, "a_1"); /* label defaults to the key */
	assert_true(site.checks[0].weight == 0);
	assert_false(site.checks[0].required);
	assert_string_equal(site.checks[1].label, "b");
	assert_true(site.checks[1].required);
	assert_false(site.mask_workbooks);
	config_free(&site);
}

/* An acceptance block with one indicator line, at line 6 of the file. */
#define ONE_INDICATOR(entry) HEAD "acceptance:\n  pass_score: 80\n  indicators:\n    " entry "\n"

static void test_indicator_shapes(void **state)
{
	(void)state;
	expect_fail(ONE_INDICATOR("visit_rate: {min: 0.9, max: 0.5, weight: 1}"), 7,
	            "acceptance.indicators.visit_rate: needs exactly one of min or max");
	expect_fail(ONE_INDICATOR("visit_rate: {weight: 1}"), 7,
	            "acceptance.indicators.visit_rate: needs exactly one of min or max");
	expect_fail(ONE_INDICATOR("visit_rate: {min: 1.5, weight: 1}"), 7,
	            "acceptance.indicators.visit_rate.min: must be a rate in (0, 1]");
	expect_fail(ONE_INDICATOR("npl_rate: {max: 0, weight: 1}"), 7,
	            "acceptance.indicators.npl_rate.max: must be a rate in (0, 1]");
	expect_fail(ONE_INDICATOR("visit_rate: {min: 0.9, weight: 0}"), 7,
	            "acceptance.indicators.visit_rate.weight: must be greater than 0");
	expect_fail(ONE_INDICATOR("visit_rate: {min: 0.9, weight: -2}"), 7, "greater than 0");
	expect_fail(ONE_INDICATOR("visit_rate: {min: 0.9}"), 7,
	            "acceptance.indicators.visit_rate.weight: missing");
	expect_fail(
	    ONE_INDICATOR("visit_rate: {min: 0.9, weight: 1, wieght: 2}"), 7,
	    "acceptance.indicators.visit_rate.wieght: unknown key (expected min, max, weight)");
	expect_fail(ONE_INDICATOR("visits_rate: {min: 0.9, weight: 1}"), 7,
	            "acceptance.indicators.visits_rate: unknown indicator");
	expect_fail(ONE_INDICATOR("visit_rate: 0.9"), 7,
	            "acceptance.indicators.visit_rate: expected a map");
	expect_fail(ONE_INDICATOR("visit_rate: {min: high, weight: 1}"), 7,
	            "visit_rate.min: expected a number, got 'high'");
	expect_fail(ONE_INDICATOR("visit_rate: {min: 0.9, weight: [1]}"), 7,
	            "visit_rate.weight: expected a number, found a list");
	/* strtod would take these; a weight must be a finite decimal. */
	expect_fail(ONE_INDICATOR("visit_rate: {min: 0.9, weight: 1e999}"), 7, "expected a number");
	expect_fail(ONE_INDICATOR("visit_rate: {min: 0.9, weight: nan}"), 7, "expected a number");
	expect_fail(ONE_INDICATOR("visit_rate: {min: 0.9, weight: inf}"), 7, "expected a number");
	expect_fail(ONE_INDICATOR("visit_rate: {min: 0x1p-1, weight: 1}"), 7, "expected a number");
	expect_fail(ONE_INDICATOR("visit_rate: {min: '0.9 ', weight: 1}"), 7, "expected a number");
	expect_fail(HEAD "acceptance:\n  pass_score: 80\n  indicators:\n"
	                 "    visit_rate: {min: 0.9, weight: 1}\n"
	                 "    visit_rate: {min: 0.8, weight: 1}\n",
	            8, "acceptance.indicators.visit_rate: appears twice (first at line 7)");
	expect_fail(HEAD "acceptance:\n  pass_score: 80\n  indicators: {}\n", 6,
	            "needs at least one indicator");
	expect_fail(HEAD "acceptance:\n  pass_score: 80\n", 4, "acceptance.indicators: missing");
}

static void test_acceptance_shapes(void **state)
{
	(void)state;
	expect_fail(HEAD, 0, "acceptance: missing");
	expect_fail(HEAD "acceptance: yes\n", 4, "acceptance: expected a map");
	expect_fail(HEAD "acceptance:\n  indicators: {visit_rate: {min: 0.9, weight: 1}}\n", 4,
	            "acceptance.pass_score: missing");
	expect_fail(HEAD "acceptance:\n  pass_score: 101\n", 5,
	            "acceptance.pass_score: must be between 0 and 100");
	expect_fail(HEAD "acceptance:\n  pass_scor: 80\n", 5,
	            "acceptance.pass_scor: unknown key (expected pass_score, indicators, checks)");
	const char *ok_ind =
	    "  pass_score: 80\n  indicators: {visit_rate: {min: 0.9, weight: 1}}\n";
	char text[1024];
	snprintf(text, sizeof text, HEAD "acceptance:\n%s  checks:\n    a: {label: A}\n", ok_ind);
	expect_fail(text, 8, "acceptance.checks.a.weight: missing");
	snprintf(text, sizeof text, HEAD "acceptance:\n%s  checks:\n    a: {weight: -1}\n", ok_ind);
	expect_fail(text, 8, "acceptance.checks.a.weight: must be 0 or more");
	snprintf(text, sizeof text, HEAD "acceptance:\n%s  checks:\n    a: {weight: 1, need: 1}\n",
	         ok_ind);
	expect_fail(text, 8, "acceptance.checks.a.need: unknown key");
	snprintf(text, sizeof text, HEAD "acceptance:\n%s  checks:\n    a-b: {weight: 1}\n",
	         ok_ind);
	expect_fail(text, 8, "acceptance.checks.a-b: a check key is");
	snprintf(text, sizeof text,
	         HEAD "acceptance:\n%s  checks:\n    a: {weight: 1, required: maybe}\n", ok_ind);
	expect_fail(text, 8, "acceptance.checks.a.required: expected true or false, got 'maybe'");
	snprintf(text, sizeof text, HEAD "acceptance:\n%s  checks: [a, b]\n", ok_ind);
	expect_fail(text, 7, "acceptance.checks: expected a map");
	snprintf(text, sizeof text, HEAD "acceptance:\n%sprivacy: {mask_workbooks: 2}\n", ok_ind);
	expect_fail(text, 7, "privacy.mask_workbooks: expected true or false");
}

#define ACC "acceptance:\n  pass_score: 80\n  indicators: {visit_rate: {min: 0.9, weight: 1}}\n"

static void test_top_level_shapes(void **state)
{
	(void)state;
	expect_fail("", 0, "the file is empty");
	expect_fail("# only a comment\n", 0, "the file is empty");
	expect_fail("- bank: B\n", 1, "the top level: expected a map");
	expect_fail("bank: B\nbank: C\n", 2, "bank: appears twice (first at line 1)");
	expect_fail("branches: [{code: HB, name: N}]\n" ACC, 0, "bank: missing");
	expect_fail("bank: ''\nbranches: [{code: HB, name: N}]\n" ACC, 1, "bank: is empty");
	expect_fail("bank: [B]\nbranches: [{code: HB, name: N}]\n" ACC, 1,
	            "bank: expected text, found a list");
	expect_fail("bank: B\nmonth: 2026-13\n" ACC, 2, "month: expected YYYY-MM");
	expect_fail("bank: B\nmonth: 202610\n" ACC, 2, "month: expected YYYY-MM");
	expect_fail("bank: B\n" ACC, 0, "branches: missing");
	expect_fail("bank: B\nbranches: []\n" ACC, 2, "branches: expected a non-empty list");
	expect_fail("bank: B\nbranches: {code: HB}\n" ACC, 2,
	            "branches: expected a non-empty list");
	expect_fail("bank: B\nbranches:\n  - {code: HB, name: A}\n  - {code: HB, name: B}\n" ACC, 4,
	            "branches[2].code: branch code 'HB' is listed twice (first at line 3)");
	expect_fail("bank: B\nbranches:\n  - {code: H B, name: A}\n" ACC, 3,
	            "branches[1].code: 'H B' is not a branch code");
	expect_fail("bank: B\nbranches:\n  - {code: HB}\n" ACC, 3, "branches[1].name: missing");
	expect_fail("bank: B\nbranches:\n  - {code: HB, name: A, target_granted: -5}\n" ACC, 3,
	            "branches[1].target_granted: expected a whole number >= 0, got '-5'");
	expect_fail("bank: B\nbranches:\n  - {code: HB, name: A, target_granted: 12.5}\n" ACC, 3,
	            "expected a whole number");
	expect_fail("bank: B\nbranches:\n  - {code: HB, name: A, target: 5}\n" ACC, 3,
	            "branches[1].target: unknown key");
	expect_fail("bank: B\nbranches:\n  - HB\n" ACC, 3, "branches[1]: expected a map");
	/* libyaml's own problem text and line. */
	expect_fail("bank: B\nbranches: [\n  {code: HB, name: A}\nacceptance: x\n", -1,
	            "YAML syntax error");
	expect_fail("bank: B\n  bad: indentation\n", 2,
	            "YAML syntax error: mapping values are not");
	expect_fail("bank: B\n---\nbank: C\n", 2, "a second YAML document starts here");
	expect_fail("bank: *nowhere\n", 1, "YAML syntax error: found undefined alias");
}

/* letters: and the branch fields printed on letters (SPEC §3, §8). */
static void test_letters_keys(void **state)
{
	(void)state;
	site_t site;
	err_t err;
	assert_int_equal(
	    load_text("bank: B\nbranches:\n  - {code: HB, name: A}\n" ACC, &site, &err), 0);
	assert_int_equal(site.letters_valid_years, 3);
	assert_null(site.letters_hotline);
	assert_null(site.branches[0].address);
	assert_null(site.branches[0].phone);
	config_free(&site);
	assert_int_equal(
	    load_text("bank: B\nbranches:\n  - {code: HB, name: A, address: 后白镇8号, "
	              "phone: 0511-87650001}\n" ACC "letters: {valid_years: 5, hotline: 96008}\n",
	              &site, &err),
	    0);
	assert_int_equal(site.letters_valid_years, 5);
	assert_string_equal(site.letters_hotline, "96008");
	assert_string_equal(site.branches[0].address, "后白镇8号");
	assert_string_equal(site.branches[0].phone, "0511-87650001");
	config_free(&site);
	expect_fail("bank: B\nbranches: [{code: HB, name: A}]\n" ACC "letters: {valid_years: 0}\n",
	            6, "letters.valid_years: must be from 1 to 30, got 0");
	expect_fail("bank: B\nbranches: [{code: HB, name: A}]\n" ACC "letters: {valid_years: 31}\n",
	            6, "letters.valid_years: 31 is too large (at most 30)");
	expect_fail("bank: B\nbranches: [{code: HB, name: A}]\n" ACC "letters: {seal: x}\n", 6,
	            "letters.seal: unknown key");
	expect_fail("bank: B\nbranches: [{code: HB, name: A}]\n" ACC "letters: [1]\n", 6,
	            "letters: expected a map");
	expect_fail("bank: B\nbranches: [{code: HB, name: A, phone: [1]}]\n" ACC, 2,
	            "branches[1].phone: expected text, found a list");
}

static void test_missing_file(void **state)
{
	(void)state;
	site_t site;
	err_t err = {0};
	assert_int_equal(config_load("/nonexistent/site.yaml", &site, &err), -1);
	assert_string_equal(err.file, "/nonexistent/site.yaml");
	assert_non_null(strstr(err.msg, "cannot open"));
	config_free(&site);
}

static void test_gb18030_and_bom(void **state)
{
	(void)state;
	/* "句容农村商业银行" saved by a Chinese Windows editor (GB18030). */
	const char gb[] = "bank: \xbe\xe4\xc8\xdd\xc5\xa9\xb4\xe5\xc9\xcc\xd2\xb5\xd2\xf8\xd0\xd0\n"
	                  "branches: [{code: HB, name: N}]\n" ACC;
	char *path = write_tmp_n(gb, sizeof gb - 1);
	site_t site;
	err_t err;
	assert_int_equal(config_load(path, &site, &err), 0);
	assert_string_equal(site.bank, "句容农村商业银行");
	config_free(&site);
	unlink(path);
	free(path);

	assert_int_equal(load_text("\xEF\xBB\xBF"
	                           "bank: B\r\nbranches: [{code: HB, name: N}]\r\n" ACC,
	                           &site, &err),
	                 0);
	assert_string_equal(site.bank, "B");
	config_free(&site);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_billion_laughs(void **state)
{
	(void)state;
	/* Ten levels of ten aliases: 10^10 strings if expanded. Under an ignored key it must
	 * load, fast, without expanding anything. */
	buf_t b = {0};
	buf_adds(&b, "bank: B\nbranches: [{code: HB, name: N}]\n" ACC "lol:\n");
	buf_adds(&b, "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (int i = 1; i < 10; i++) {
		buf_printf(&b, "  l%d: &l%d [", i, i);
		for (int j = 0; j < 10; j++)
			buf_printf(&b, "%s*l%d", j ? ", " : "", i - 1);
		buf_adds(&b, "]\n");
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	site_t site;
	err_t err;
	assert_int_equal(load_text(b.data, &site, &err), 0);
	assert_true(seconds_since(&t0) < 5.0);
	config_free(&site);

	/* The same bomb where a value is read: rejected as the wrong shape, again quickly. The
	 * line is where the aliased list is written (line 10), not where bank names it. */
	buf_clear(&b);
	buf_adds(&b, "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (int i = 1; i < 10; i++) {
		buf_printf(&b, "l%d: &l%d [", i, i);
		for (int j = 0; j < 10; j++)
			buf_printf(&b, "%s*l%d", j ? ", " : "", i - 1);
		buf_adds(&b, "]\n");
	}
	buf_adds(&b, "bank: *l9\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	expect_fail(b.data, 10, "bank: expected text, found a list");
	assert_true(seconds_since(&t0) < 5.0);
	buf_free(&b);
}

static void test_alias_cycle_and_depth(void **state)
{
	(void)state;
	/* An anchor used inside itself: a cycle, which is infinite depth. */
	expect_fail("a: &a [*a, *a]\nbank: B\n", -1, "nested more than 64 deep");
	expect_fail("a: &a {k: *a}\n", -1, "nested more than 64 deep");

	/* 100 levels written out are rejected by the first pass, at the 65th level's line. */
	buf_t b = {0};
	buf_adds(&b, "deep: ");
	for (int i = 0; i < 100; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 100; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '\n');
	expect_fail(b.data, 1, "lists and maps are nested more than 64 deep");

	/* 100 levels in block style, one per line: the map of level n starts on line n. */
	buf_clear(&b);
	for (int i = 0; i < 100; i++) {
		for (int j = 0; j < i; j++)
			buf_adds(&b, " ");
		buf_adds(&b, "k:\n");
	}
	expect_fail(b.data, 65, "nested more than 64 deep");

	/* Two 40-deep halves joined by an alias: each is fine as written, 80 through it. */
	buf_clear(&b);
	buf_adds(&b, "a: &a ");
	for (int i = 0; i < 40; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 40; i++)
		buf_addc(&b, ']');
	buf_adds(&b, "\nb: ");
	for (int i = 0; i < 40; i++)
		buf_addc(&b, '[');
	buf_adds(&b, "*a");
	for (int i = 0; i < 40; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '\n');
	expect_fail(b.data, -1, "nested more than 64 deep (through aliases)");

	/* 64 levels are allowed (the document then fails for its content only). */
	buf_clear(&b);
	for (int i = 0; i < 63; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 63; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '\n');
	char *with_root = xmalloc(b.len + 16);
	snprintf(with_root, b.len + 16, "x: %s", b.data);
	expect_fail(with_root, 0, "bank: missing");
	free(with_root);
	buf_free(&b);
}

static void test_node_limit(void **state)
{
	(void)state;
	buf_t b = {0};
	buf_adds(&b, "big:\n");
	for (int i = 0; i < YDOC_MAX_NODES; i++)
		buf_adds(&b, "- 1\n");
	expect_fail(b.data, -1, "more than 100000 YAML values");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spec_example),     cmocka_unit_test(test_defaults_and_variants),
	    cmocka_unit_test(test_indicator_shapes), cmocka_unit_test(test_acceptance_shapes),
	    cmocka_unit_test(test_top_level_shapes), cmocka_unit_test(test_letters_keys),
	    cmocka_unit_test(test_missing_file),     cmocka_unit_test(test_gb18030_and_bom),
	    cmocka_unit_test(test_billion_laughs),   cmocka_unit_test(test_alias_cycle_and_depth),
	    cmocka_unit_test(test_node_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
