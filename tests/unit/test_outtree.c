/* test_outtree.c — unit tests of the output tree's names: every SPEC §7 path a build writes,
 * the relative links between pages, the folders made, and the names recognised on carry-over. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outtree.h"

static void test_paths(void **state)
{
	(void)state;
	char b[OUTTREE_PATH_MAX];
	const int32_t m = 202609;
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_INDEX, m, NULL), "index.html");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_QUALITY, m, NULL), "quality.html");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_BRANCH, m, "HB"), "branches/HB.html");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_VILLAGE, m, "A1"),
	                    "villages/A1.html");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_REPORT, m, NULL),
	                    "reports/2026-09/index.html");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_BRANCH_REPORT, m, "HB"),
	                    "reports/2026-09/HB.html");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_SUMMARY_WORKBOOK, m, NULL),
	                    "workbooks/2026-09/summary.xlsx");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_BRANCH_WORKBOOK, m, "HB"),
	                    "workbooks/2026-09/HB.xlsx");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_FUNNEL_PNG, m, NULL),
	                    "charts/bank-funnel.png");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_FUNNEL_PNG, m, "HB"),
	                    "charts/HB-funnel.png");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_TREND_PNG, m, NULL),
	                    "charts/bank-trend.png");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_BARS_PNG, m, "HB"),
	                    "charts/HB-bars.png");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_DATA, m, NULL),
	                    "data/indicators-2026-09.json");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_FINDINGS, m, NULL),
	                    "data/findings-2026-09.csv");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_MARKER, m, NULL), ".cundang");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_LETTER, m, "V01"), "V01.pdf");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_MAIL, m, "HB"), "2026-09/HB.eml");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_MAIL_BANK, m, NULL),
	                    "2026-09/summary.eml");
	assert_string_equal(outtree_path(b, sizeof b, OUTTREE_SENT_LOG, m, NULL),
	                    "2026-09/sent.log");
	assert_string_equal(outtree_link(b, sizeof b, OUTTREE_VILLAGE, OUTTREE_FINDINGS, m, NULL),
	                    "../data/findings-2026-09.csv");
	assert_string_equal(outtree_staging(b, sizeof b, "/srv", "site", false),
	                    "/srv/.site.new-XXXXXX");
	assert_string_equal(outtree_staging(b, sizeof b, "/srv", "site", true),
	                    "/srv/.site.old-XXXXXX");
}

static void test_links(void **state)
{
	(void)state;
	char b[OUTTREE_PATH_MAX];
	assert_string_equal(outtree_root(OUTTREE_INDEX), "");
	assert_string_equal(outtree_root(OUTTREE_VILLAGE), "../");
	assert_string_equal(outtree_root(OUTTREE_BRANCH_REPORT), "../../");
	assert_string_equal(outtree_link(b, sizeof b, OUTTREE_VILLAGE, OUTTREE_BRANCH, 0, "HB"),
	                    "../branches/HB.html");
	assert_string_equal(
	    outtree_link(b, sizeof b, OUTTREE_REPORT, OUTTREE_VILLAGE, 202610, "A1"),
	    "../../villages/A1.html");
	assert_string_equal(
	    outtree_link(b, sizeof b, OUTTREE_INDEX, OUTTREE_SUMMARY_WORKBOOK, 202610, NULL),
	    "workbooks/2026-10/summary.xlsx");
	assert_string_equal(
	    outtree_link(b, sizeof b, OUTTREE_BRANCH, OUTTREE_BRANCH_REPORT, 202610, "HB"),
	    "../reports/2026-10/HB.html");
}

static void test_match(void **state)
{
	(void)state;
	char code[64], buf[OUTTREE_PATH_MAX];
	int32_t ym = 0;
	assert_true(outtree_match(OUTTREE_REPORT, "index.html", code, sizeof code));
	assert_false(outtree_match(OUTTREE_REPORT, "HB.html", code, sizeof code));
	assert_true(outtree_match(OUTTREE_BRANCH_REPORT, "HB.html", code, sizeof code));
	assert_string_equal(code, "HB");
	assert_false(outtree_match(OUTTREE_BRANCH_REPORT, ".html", code, sizeof code));
	assert_false(outtree_match(OUTTREE_BRANCH_REPORT, ".x.html", code, sizeof code));
	assert_false(outtree_match(OUTTREE_BRANCH_WORKBOOK, "HB.html", code, sizeof code));
	assert_true(outtree_match(OUTTREE_SUMMARY_WORKBOOK, "summary.xlsx", code, sizeof code));
	assert_true(outtree_match(OUTTREE_DATA, "indicators-2026-09.json", code, sizeof code));
	assert_false(outtree_match(OUTTREE_DATA, "indicators-2026-9.json", code, sizeof code));
	assert_true(outtree_month_entry("2026-09", &ym));
	assert_int_equal(ym, 202609);
	assert_true(outtree_month_entry("indicators-2025-12.json", &ym));
	assert_int_equal(ym, 202512);
	assert_true(outtree_month_entry("findings-2026-08.csv", &ym));
	assert_int_equal(ym, 202608);
	assert_true(outtree_match(OUTTREE_FINDINGS, "findings-2026-08.csv", code, sizeof code));
	assert_false(outtree_match(OUTTREE_FINDINGS, "findings-2026-08.json", code, sizeof code));
	assert_false(outtree_month_entry("summary.xlsx", &ym));
	assert_false(outtree_month_entry("2026-13", &ym));
	assert_string_equal(outtree_month_tops[0], "reports");
	assert_string_equal(outtree_month_tops[1], "workbooks");
	assert_string_equal(outtree_month_tops[2], "tasks");
	assert_string_equal(outtree_month_tops[3], "data");
	assert_null(outtree_month_tops[4]);
	/* A manager's page: managers/<branch>/<key>.html, two folders below the root. */
	char mc[64];
	outtree_manager_code(mc, sizeof mc, "HB", "m0123456789abcdef");
	assert_string_equal(outtree_path(buf, sizeof buf, OUTTREE_MANAGER, 202610, mc),
	                    "managers/HB/m0123456789abcdef.html");
	assert_string_equal(outtree_root(OUTTREE_MANAGER), "../../");
	assert_string_equal(outtree_manager_dir(mc, sizeof mc, "HB"), "managers/HB");
	assert_string_equal(outtree_path(buf, sizeof buf, OUTTREE_TASKS_WORKBOOK, 202610, "HB"),
	                    "tasks/2026-10/HB.xlsx");
	assert_true(outtree_match(OUTTREE_TASKS_WORKBOOK, "HB.xlsx", code, sizeof code));
	assert_string_equal(code, "HB");
}

static void test_make_dirs(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_outtree-XXXXXX";
	assert_non_null(mkdtemp(dir));
	err_t err = {0};
	assert_int_equal(outtree_make_dirs(dir, 202609, &err), 0);
	static const char *const want[] = {"branches",          "villages", "reports/2026-09",
	                                   "workbooks/2026-09", "charts",   "data"};
	char path[512];
	struct stat st;
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, want[i]);
		assert_int_equal(stat(path, &st), 0);
		assert_true(S_ISDIR(st.st_mode));
	}
	/* Again over what exists: fine. A file where a folder goes: named in the error. */
	assert_int_equal(outtree_make_dirs(dir, 202609, &err), 0);
	snprintf(path, sizeof path, "%s/charts", dir);
	assert_int_equal(rmdir(path), 0);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(outtree_make_dirs(dir, 202609, &err), -1);
	assert_string_equal(err.file, path);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(outtree_make_dir(dir, "reports/2025-01"), 0);
	snprintf(path, sizeof path, "%s/reports/2025-01", dir);
	assert_int_equal(stat(path, &st), 0);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* A union (cundang rollup): its three month folders and nothing else; links into a member's
 * own output from the union's pages. */
static void test_union(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_outtree-XXXXXX";
	assert_non_null(mkdtemp(dir));
	err_t err = {0};
	assert_int_equal(outtree_make_union_dirs(dir, 202609, &err), 0);
	char path[512];
	struct stat st;
	static const char *const want[] = {"reports/2026-09", "workbooks/2026-09", "data"};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, want[i]);
		assert_int_equal(stat(path, &st), 0);
	}
	static const char *const not [] = {"branches", "villages", "charts"};
	for (size_t i = 0; i < sizeof not / sizeof *not ; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, not [i]);
		assert_int_not_equal(stat(path, &st), 0);
	}
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	char buf[OUTTREE_PATH_MAX];
	assert_string_equal(
	    outtree_link_other(buf, sizeof buf, OUTTREE_INDEX, "../sites/hb/", OUTTREE_INDEX, 0),
	    "../sites/hb/index.html");
	assert_string_equal(outtree_link_other(buf, sizeof buf, OUTTREE_REPORT, "../sites/hb/",
	                                       OUTTREE_REPORT, 202609),
	                    "../../../sites/hb/reports/2026-09/index.html");
}

static void test_reserved(void **state)
{
	(void)state;
	char why[OUTTREE_PATH_MAX];
	assert_true(outtree_code_reserved(true, "summary", why, sizeof why));
	assert_string_equal(why, "workbooks/YYYY-MM/summary.xlsx");
	assert_true(outtree_code_reserved(true, "INDEX", why, sizeof why));
	assert_string_equal(why, "reports/YYYY-MM/index.html");
	assert_true(outtree_code_reserved(true, "Bank", why, sizeof why));
	assert_string_equal(why, "charts/bank-funnel.png");
	assert_false(outtree_code_reserved(true, "quality", why, sizeof why));
	assert_false(outtree_code_reserved(true, "summary2", why, sizeof why));
	assert_false(outtree_code_reserved(true, "bank-x", why, sizeof why));
	/* A village's dossier shares its folder with no bank file. */
	assert_false(outtree_code_reserved(false, "index", why, sizeof why));
	assert_false(outtree_code_reserved(false, "bank", why, sizeof why));
	assert_string_equal(outtree_lock(why, sizeof why, "/srv", "site"), "/srv/.site.lock");
	assert_int_equal(outtree_leftover("site", ".site.new-Ab12Cd"), 1);
	assert_int_equal(outtree_leftover("site", ".site.new-Ab12Cd-dead"), 1);
	assert_int_equal(outtree_leftover("site", ".site.old-Ab12Cd"), 2);
	assert_int_equal(outtree_leftover("site", ".site.lock"), 0);
	assert_int_equal(outtree_leftover("site", ".site2.new-Ab12Cd"), 0);
	assert_int_equal(outtree_leftover("site", "site"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paths),    cmocka_unit_test(test_links),
	    cmocka_unit_test(test_match),    cmocka_unit_test(test_make_dirs),
	    cmocka_unit_test(test_reserved), cmocka_unit_test(test_union),
	};
	return cmocka_run_group_tests_name("outtree", tests, NULL, NULL);
}
