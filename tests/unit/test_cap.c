/* test_cap.c — unit tests of the bounded lists (render/cap.h): inline caps and the last row a
 * 数据质量 sheet can hold before Excel's 1,048,576-row limit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "render/cap.h"

static void test_cap_list(void **state)
{
	(void)state;
	assert_int_equal(cap_shown(0, 200), 0);
	assert_int_equal(cap_more(0, 200), 0);
	assert_int_equal(cap_shown(199, 200), 199);
	assert_int_equal(cap_shown(200, 200), 200);
	assert_int_equal(cap_more(200, 200), 0);
	assert_int_equal(cap_shown(201, 200), 200);
	assert_int_equal(cap_more(201, 200), 1);
	assert_int_equal(cap_shown(500000, CAP_DOSSIER_HOUSEHOLDS), 2000);
	assert_int_equal(cap_more(500000, CAP_DOSSIER_HOUSEHOLDS), 498000);
	assert_int_equal(cap_shown(-1, 200), 0);
}

static void test_cap_sheet(void **state)
{
	(void)state;
	/* Header on row 0: data rows 1 … 1,048,575 (0-based) fit exactly. */
	assert_int_equal(cap_sheet_rows(1048575, 0), 1048575);
	/* One more and the last row is the note: 1,048,574 data rows, the note on row 1,048,575. */
	assert_int_equal(cap_sheet_rows(1048576, 0), 1048574);
	assert_int_equal(cap_sheet_rows(2000000, 0), 1048574);
	/* A heading two rows above the header (header on row 2). */
	assert_int_equal(cap_sheet_rows(1048573, 2), 1048573);
	assert_int_equal(cap_sheet_rows(1048574, 2), 1048572);
	assert_int_equal(cap_sheet_rows(0, 0), 0);
	assert_int_equal(cap_sheet_rows(9, 2), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cap_list),
	    cmocka_unit_test(test_cap_sheet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
