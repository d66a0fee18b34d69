/* test_letters.c — unit tests of capnum.c (every amount issue 12 lists, each run of zeros, 角
 * and 分, the largest amount cundang can hold) and of the letters' valid-until date. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "render/letters/capnum.h"
#include "render/letters/letters.h"

static void expect(int64_t fen, const char *want)
{
	char out[CAPNUM_MAX];
	capnum_yuan(fen, out, sizeof out);
	if (strcmp(out, want) != 0)
		fail_msg("fen %lld: got '%s', want '%s'", (long long)fen, out, want);
}

/* The cases of issue 12, exactly. */
static void test_issue_cases(void **state)
{
	(void)state;
	expect(0, "零元整");
	expect(3000000, "叁万元整");     /* 3万 */
	expect(1000500, "壹万零伍元整"); /* 10,005 */
	expect(10000000, "壹拾万元整");  /* 100,000 */
	expect(1234567, "壹万贰仟叁佰肆拾伍元陆角柒分");
	expect(5, "伍分");
	expect(INT64_MAX,
	       "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分");
}

static void test_zeros(void **state)
{
	(void)state;
	expect(100, "壹元整");
	expect(1000, "壹拾元整");
	expect(100500, "壹仟零伍元整");
	expect(105000, "壹仟零伍拾元整");
	expect(5000000, "伍万元整");
	expect(5010000, "伍万零壹佰元整");
	expect(10010000, "壹拾万零壹佰元整");
	expect(500000000, "伍佰万元整");
	expect(10000000000LL, "壹亿元整");
	expect(10000000100LL, "壹亿零壹元整");
	expect(10050000000LL, "壹亿零伍拾万元整");
	expect(10500000000LL, "壹亿零伍佰万元整");
	expect(12000500000LL, "壹亿贰仟万伍仟元整");
	expect(100000000000000LL, "壹万亿元整");
	expect(100000000000500LL, "壹万亿零伍元整");
}

static void test_fractions(void **state)
{
	(void)state;
	expect(50, "伍角");
	expect(57, "伍角柒分");
	expect(105, "壹元零伍分");
	expect(150, "壹元伍角");
	expect(1050, "壹拾元伍角");
	expect(500001, "伍仟元零壹分");
	expect(-1, "");
}

/* A buffer shorter than the result still holds a whole, NUL-terminated prefix. */
static void test_short_buffer(void **state)
{
	(void)state;
	char out[8];
	capnum_yuan(1234567, out, sizeof out);
	assert_string_equal(out, "壹万");
}

static void test_valid_until(void **state)
{
	(void)state;
	assert_int_equal(letters_valid_until(20260410, 3), 20290410);
	assert_int_equal(letters_valid_until(20261231, 1), 20271231);
	assert_int_equal(letters_valid_until(20280229, 3), 20310228); /* no 29 February in 2031 */
	assert_int_equal(letters_valid_until(20280229, 4), 20320229);
	assert_int_equal(letters_valid_until(20960229, 4), 21000228); /* 2100 is not a leap year */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_issue_cases), cmocka_unit_test(test_zeros),
	    cmocka_unit_test(test_fractions),   cmocka_unit_test(test_short_buffer),
	    cmocka_unit_test(test_valid_until),
	};
	return cmocka_run_group_tests_name("letters", tests, NULL, NULL);
}
