/* test_village.c — unit tests of the village.md reader: the example of SPEC §3, LF and
 * CRLF, every fatal shape with its line in the file, and bounded YAML in front matter. */
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
#include "read/village.h"

static branch_t BRANCHES[] = {
    {.code = (char *)"HB", .name = (char *)"后白支行"},
    {.code = (char *)"XJ", .name = (char *)"下蜀支行"},
};
static check_rule_t CHECKS[] = {
    {.key = (char *)"town_meeting", .label = (char *)"镇级启动会", .weight = 2.5},
    {.key = (char *)"village_meeting",
     .label = (char *)"村级对接会",
     .weight = 2.5,
     .required = true},
    {.key = (char *)"night_school",
     .label = (char *)"金融夜校宣讲",
     .weight = 2.5,
     .required = true},
    {.key = (char *)"wechat_group", .label = (char *)"村民微信群", .weight = 2.5, .required = true},
};
static const site_t SITE = {
    .bank = (char *)"B",
    .branches = BRANCHES,
    .nbranches = 2,
    .checks = CHECKS,
    .nchecks = 4,
    .mask_workbooks = true,
};

static char *write_tmp(const char *text)
{
	char *path = xstrdup("/tmp/cundang-test-village-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	assert_non_null(f);
	size_t n = strlen(text);
	assert_int_equal(fwrite(text, 1, n, f), n);
	fclose(f);
	return path;
}

static int load_text(const char *text, village_t *v, err_t *err)
{
	char *path = write_tmp(text);
	memset(v, 0, sizeof *v);
	memset(err, 0, sizeof *err);
	int rc = village_load(path, &SITE, v, err);
	unlink(path);
	free(path);
	return rc;
}

static void expect_fail(const char *text, long line, const char *part)
{
	village_t v;
	err_t err;
	int rc = load_text(text, &v, &err);
	if (rc != -1 || (line >= 0 && err.line != line) || !strstr(err.msg, part))
		print_error("expected failure at line %ld containing '%s', got rc %d: %ld: %s\n",
		            line, part, rc, err.line, err.msg);
	assert_int_equal(rc, -1);
	if (line >= 0)
		assert_int_equal(err.line, line);
	assert_non_null(strstr(err.msg, part));
	assert_null(v.name);
	assert_null(v.narrative);
	village_free(&v);
}

static const char *EXAMPLE =
    "---\n"
    "name: 后白村\n"
    "township: 后白镇\n"
    "branch: HB                     # a code from site.yaml branches\n"
    "grade: A                       # A 示范村, B 重点村, C 全体村\n"
    "households_total: 412          # registered households (户籍户数), optional\n"
    "population: 1350               # optional\n"
    "industries: [葡萄, 草莓]        # 一村一品, optional\n"
    "launched_on: 2026-03-01        # campaign start, optional (absent: started)\n"
    "key_persons:                   # 关键人 / 联络员, optional\n"
    "  - {name: 王建国, role: 村支书, phone: \"13912345678\"}\n"
    "  - {name: 李四, phone: 13800000000}\n"
    "checks: {town_meeting: true, night_school: true}\n"
    "---\n"
    "# 村情报告\n"
    "\n"
    "后白村位于……\n";

/* Checks the values of EXAMPLE, whatever its line ends. */
static void check_example(const village_t *v)
{
	assert_string_equal(v->name, "后白村");
	assert_string_equal(v->township, "后白镇");
	assert_int_equal(v->branch, 0);
	assert_int_equal(v->grade, 'A');
	assert_int_equal(v->households_total, 412);
	assert_int_equal(v->households_total_line, 6);
	assert_int_equal(v->population, 1350);
	assert_int_equal(v->nindustries, 2);
	assert_string_equal(v->industries[0], "葡萄");
	assert_string_equal(v->industries[1], "草莓");
	assert_int_equal(v->launched_on, 20260301);
	assert_int_equal(v->nkey_persons, 2);
	assert_string_equal(v->key_persons[0].name, "王建国");
	assert_string_equal(v->key_persons[0].role, "村支书");
	assert_string_equal(v->key_persons[0].phone, "13912345678");
	assert_string_equal(v->key_persons[1].name, "李四");
	assert_string_equal(v->key_persons[1].role, "");
	assert_string_equal(v->key_persons[1].phone, "13800000000");
	assert_true(v->checks[0]);
	assert_false(v->checks[1]);
	assert_true(v->checks[2]);
	assert_false(v->checks[3]);
	assert_string_equal(v->narrative, "# 村情报告\n\n后白村位于……\n");
}

static void test_spec_example(void **state)
{
	(void)state;
	village_t v;
	err_t err;
	assert_int_equal(load_text(EXAMPLE, &v, &err), 0);
	check_example(&v);
	village_free(&v);
	assert_null(v.name);
	village_free(&v); /* twice is harmless */
}

/* EXAMPLE with every LF turned into CRLF, behind a UTF-8 BOM. */
static void test_crlf_and_bom(void **state)
{
	(void)state;
	buf_t b = {0};
	buf_adds(&b, "\xEF\xBB\xBF");
	for (const char *p = EXAMPLE; *p; p++) {
		if (*p == '\n')
			buf_addc(&b, '\r');
		buf_addc(&b, *p);
	}
	village_t v;
	err_t err;
	assert_int_equal(load_text(b.data, &v, &err), 0);
	check_example(&v);
	village_free(&v);
	buf_free(&b);
}

static void test_minimal_and_variants(void **state)
{
	(void)state;
	village_t v;
	err_t err;
	/* Only the required keys; the closing fence is the last line, without a line end. */
	assert_int_equal(
	    load_text("---\nname: 下蜀村\nbranch: XJ\ngrade: c\nextra: [kept, out]\n---", &v, &err),
	    0);
	assert_string_equal(v.name, "下蜀村");
	assert_string_equal(v.township, "");
	assert_int_equal(v.branch, 1);
	assert_int_equal(v.grade, 'C');
	assert_int_equal(v.households_total, -1);
	assert_int_equal(v.households_total_line, 0);
	assert_int_equal(v.population, -1);
	assert_int_equal(v.nindustries, 0);
	assert_null(v.industries);
	assert_int_equal(v.launched_on, 0);
	assert_int_equal(v.nkey_persons, 0);
	assert_non_null(v.checks);
	for (int i = 0; i < SITE.nchecks; i++)
		assert_false(v.checks[i]);
	assert_string_equal(v.narrative, "");
	village_free(&v);

	/* The caller's code survives a load and a failed load, and village_free frees it. */
	memset(&v, 0, sizeof v);
	v.code = xstrdup("HB01");
	char *path = write_tmp("---\nname: N\nbranch: HB\ngrade: B\nindustries: 茶叶\n"
	                       "checks: [wechat_group]\nlaunched_on: 2026/3/5\n"
	                       "households_total: 0\npopulation: ~\n---\ntext\r\n");
	assert_int_equal(village_load(path, &SITE, &v, &err), 0);
	assert_string_equal(v.code, "HB01");
	assert_int_equal(v.nindustries, 1);
	assert_string_equal(v.industries[0], "茶叶");
	assert_true(v.checks[3]);
	assert_int_equal(v.launched_on, 20260305);
	assert_int_equal(v.households_total, 0);
	assert_int_equal(v.households_total_line, 8);
	assert_int_equal(v.population, -1);
	assert_string_equal(v.narrative, "text\n");
	unlink(path);
	free(path);
	village_free(&v);
	assert_null(v.code);

	memset(&v, 0, sizeof v);
	v.code = xstrdup("HB01");
	path = write_tmp("---\nname: N\nbranch: QQ\ngrade: B\n---\n");
	assert_int_equal(village_load(path, &SITE, &v, &err), -1);
	assert_string_equal(v.code, "HB01");
	assert_null(v.name);
	unlink(path);
	free(path);
	village_free(&v);
	assert_null(v.code);
}

static void test_fatal_shapes(void **state)
{
	(void)state;
	expect_fail("---\nname: N\nbranch: ZZ\ngrade: A\n---\n", 3,
	            "branch: unknown branch code 'ZZ' (site.yaml lists HB, XJ)");
	expect_fail("---\nname: N\nbranch: HB\ngrade: D\n---\n", 4,
	            "grade: expected A (示范村), B (重点村) or C (全体村), got 'D'");
	expect_fail("---\nname: N\nbranch: HB\ngrade: AB\n---\n", 4, "grade: expected A");
	expect_fail(
	    "---\nname: N\nbranch: HB\ngrade: A\nhouseholds_total: 1000000000\n---\n", 5,
	    "households_total: 1000000000 is more than any village holds (at most 10000000)");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\nhouseholds_total: "
	            "99999999999999999999999\n---\n",
	            5, "households_total: 99999999999999999999999 is too large");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\nhouseholds_total: -3\n---\n", 5,
	            "households_total: expected a whole number >= 0, got '-3'");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\npopulation: 412.5\n---\n", 5,
	            "population: expected a whole number >= 0, got '412.5'");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\npopulation: 20000000\n---\n", 5,
	            "population: 20000000 is more than any village holds");
	expect_fail("---\nbranch: HB\ngrade: A\n---\n", 0, "name: missing");
	expect_fail("---\nname: N\ngrade: A\n---\n", 0, "branch: missing");
	expect_fail("---\nname: N\nbranch: HB\n---\n", 0, "grade: missing");
	expect_fail("---\nname: ''\nbranch: HB\ngrade: A\n---\n", 2, "name: is empty");
	expect_fail("---\nname: [N]\nbranch: HB\ngrade: A\n---\n", 2, "name: expected text");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\nlaunched_on: 2026-02-30\n---\n", 5,
	            "launched_on: expected a date such as 2026-03-01, got '2026-02-30'");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\nindustries: {a: 1}\n---\n", 5,
	            "industries: expected a list");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\nindustries: [a, [b]]\n---\n", 5,
	            "industries[2]: expected text, found a list");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\nkey_persons: [王建国]\n---\n", 5,
	            "key_persons[1]: expected a map");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\nkey_persons:\n  - {name: [a]}\n---\n", 6,
	            "key_persons[1].name: expected text, found a list");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\nchecks:\n  town_meeting: true\n"
	            "  tea_party: true\n---\n",
	            7,
	            "checks.tea_party: not a check of site.yaml (it lists town_meeting, "
	            "village_meeting, night_school, wechat_group)");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\nchecks: {town_meeting: maybe}\n---\n", 5,
	            "checks.town_meeting: expected true or false, got 'maybe'");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\nname: M\n---\n", 5,
	            "name: appears twice (first at line 2)");
}

static void test_front_matter_fences(void **state)
{
	(void)state;
	expect_fail("", 1, "no front matter");
	expect_fail("# 后白村\n", 1, "no front matter");
	expect_fail("\n---\nname: N\n---\n", 1, "no front matter");
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\n", 1,
	            "the front matter opened here is never closed by a line '---'");
	expect_fail("---", 1, "never closed");
	expect_fail("---\n---\n", 2, "the front matter is empty");
	expect_fail("---\n- a\n- b\n---\n", 2, "the top level: expected a map");
	/* libyaml's problem, at its line in the file (front matter starts at line 2). */
	expect_fail("---\nname: N\nbranch: HB\n  grade: A\n---\n", 4, "YAML syntax error");
	/* "--- " with trailing blanks still fences; "----" does not. */
	village_t v;
	err_t err;
	assert_int_equal(
	    load_text("--- \r\nname: N\nbranch: HB\ngrade: A\n---\t\n----\n", &v, &err), 0);
	assert_string_equal(v.narrative, "----\n");
	village_free(&v);
}

static void test_bounded_yaml(void **state)
{
	(void)state;
	/* Billion laughs under an ignored key: loads fast, nothing expanded. */
	buf_t b = {0};
	buf_adds(&b, "---\nname: N\nbranch: HB\ngrade: A\n");
	buf_adds(&b, "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (int i = 1; i < 10; i++) {
		buf_printf(&b, "l%d: &l%d [", i, i);
		for (int j = 0; j < 10; j++)
			buf_printf(&b, "%s*l%d", j ? ", " : "", i - 1);
		buf_adds(&b, "]\n");
	}
	buf_adds(&b, "industries: *l1\n---\n");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	village_t v;
	err_t err;
	/* industries = l1 is a list of lists: rejected as a shape, not expanded. */
	int rc = load_text(b.data, &v, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err.msg, "industries[1]: expected text, found a list"));
	assert_true((double)(t1.tv_sec - t0.tv_sec) < 5.0);
	village_free(&v);

	/* A self-referencing anchor and 100 levels of nesting are both rejected. */
	expect_fail("---\nname: N\nbranch: HB\ngrade: A\nx: &x [*x]\n---\n", -1,
	            "nested more than 64 deep");
	buf_clear(&b);
	buf_adds(&b, "---\nname: N\nbranch: HB\ngrade: A\nx: ");
	for (int i = 0; i < 100; i++)
		buf_addc(&b, '{');
	for (int i = 0; i < 100; i++)
		buf_addc(&b, '}');
	buf_adds(&b, "\n---\n");
	expect_fail(b.data, 5, "lists and maps are nested more than 64 deep");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spec_example),         cmocka_unit_test(test_crlf_and_bom),
	    cmocka_unit_test(test_minimal_and_variants), cmocka_unit_test(test_fatal_shapes),
	    cmocka_unit_test(test_front_matter_fences),  cmocka_unit_test(test_bounded_yaml),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
