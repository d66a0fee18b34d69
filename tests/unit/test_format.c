/* test_format.c — unit tests of format.c: exact strings for every figure and mask, the
 * rounding and overflow edges, and truncation that keeps the output whole UTF-8. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

/* True when s is well-formed UTF-8 (no overlong forms, surrogates or > U+10FFFF). */
static int utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char b = *p;
		size_t k;
		unsigned char lo = 0x80, hi = 0xbf;
		if (b < 0x80) {
			p++;
			continue;
		} else if (b >= 0xc2 && b <= 0xdf) {
			k = 2;
		} else if (b >= 0xe0 && b <= 0xef) {
			k = 3;
			lo = b == 0xe0 ? 0xa0 : 0x80;
			hi = b == 0xed ? 0x9f : 0xbf;
		} else if (b >= 0xf0 && b <= 0xf4) {
			k = 4;
			lo = b == 0xf0 ? 0x90 : 0x80;
			hi = b == 0xf4 ? 0x8f : 0xbf;
		} else {
			return 0;
		}
		if (p[1] < lo || p[1] > hi)
			return 0;
		for (size_t i = 2; i < k; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += k;
	}
	return 1;
}

typedef char *(*fmt_d)(char *, size_t, double);
typedef char *(*fmt_i64)(char *, size_t, int64_t);
typedef char *(*fmt_i32)(char *, size_t, int32_t);
typedef char *(*fmt_s)(char *, size_t, const char *);

/* Each formats into a 64-byte buffer, checks the function returns it, and compares. */
static void check_d(fmt_d f, double v, const char *want)
{
	char out[64];
	memset(out, 'x', sizeof out);
	assert_ptr_equal(f(out, sizeof out, v), out);
	assert_string_equal(out, want);
}

static void check_i64(fmt_i64 f, int64_t v, const char *want)
{
	char out[64];
	memset(out, 'x', sizeof out);
	assert_ptr_equal(f(out, sizeof out, v), out);
	assert_string_equal(out, want);
}

static void check_i32(fmt_i32 f, int32_t v, const char *want)
{
	char out[64];
	memset(out, 'x', sizeof out);
	assert_ptr_equal(f(out, sizeof out, v), out);
	assert_string_equal(out, want);
}

static void check_s(fmt_s f, const char *v, const char *want)
{
	char out[256];
	memset(out, 'x', sizeof out);
	assert_ptr_equal(f(out, sizeof out, v), out);
	assert_string_equal(out, want);
}

static void test_pct(void **state)
{
	(void)state;
	check_d(format_pct, 0.9531, "95.3%");
	check_d(format_pct, 0.9535, "95.4%");
	check_d(format_pct, 0.9545, "95.5%");
	check_d(format_pct, 0.95349, "95.3%");
	check_d(format_pct, 0.0005, "0.1%");
	check_d(format_pct, 0.0004999, "0.0%");
	check_d(format_pct, 0.00049999999999999, "0.1%"); /* binary noise below the half */
	check_d(format_pct, 0.0, "0.0%");
	check_d(format_pct, 1.0, "100.0%");
	check_d(format_pct, 1.234, "123.4%");
	check_d(format_pct, 0.5, "50.0%");
	check_d(format_pct, 0.07, "7.0%");
	check_d(format_pct, 0.123449, "12.3%");
	check_d(format_pct, 0.999, "99.9%");
	check_d(format_pct, 0.9995, "100.0%");
	check_d(format_pct, 12.3456, "1234.6%");
	check_d(format_pct, -0.0535, "-5.4%"); /* half away from zero on the negative side */
	check_d(format_pct, -0.0001, "0.0%");  /* no "-0.0%" */
	check_d(format_pct, -0.0, "0.0%");
	check_d(format_pct, NAN, "—");
	check_d(format_pct, INFINITY, "—");
	check_d(format_pct, -INFINITY, "—");
	check_d(format_pct, 1e307, "—"); /* rate * 100 overflows */
	char out[64];
	format_pct(out, sizeof out, 1e20);
	assert_string_equal(out + strlen(out) - 3, ".0%");
	format_pct(out, sizeof out, -1e15);
	assert_string_equal(out, "-100000000000000000.0%");
}

/* Every exact tenth from 0.0% to 100.0%, and every half-tenth, reached from a rate built the
 * way the indicators build them (count / total), rounds as its decimal text says. */
static void test_pct_sweep(void **state)
{
	(void)state;
	char out[64], want[64];
	for (int t = 0; t <= 1000; t++) {
		format_pct(out, sizeof out, (double)t / 1000.0);
		snprintf(want, sizeof want, "%d.%d%%", t / 10, t % 10);
		assert_string_equal(out, want);
	}
	for (int h = 0; h < 1000; h++) { /* (h + 0.5) tenths of a percent → h + 1 tenths */
		format_pct(out, sizeof out, (2.0 * h + 1.0) / 2000.0);
		snprintf(want, sizeof want, "%d.%d%%", (h + 1) / 10, (h + 1) % 10);
		assert_string_equal(out, want);
	}
}

/* format_pct_vs with a rule and the met flag the indicators give for that rate. */
static void check_vs(double rate, const indicator_rule_t *rule, bool met, const char *want)
{
	char out[64];
	memset(out, 'x', sizeof out);
	assert_ptr_equal(format_pct_vs(out, sizeof out, rate, rule, met), out);
	assert_string_equal(out, want);
}

static void check_pp(double change, bool words, const char *want)
{
	char out[64];
	memset(out, 'x', sizeof out);
	assert_ptr_equal(format_pp_change(out, sizeof out, change, words), out);
	assert_string_equal(out, want);
}

static void test_pp_change(void **state)
{
	(void)state;
	check_pp(0.023, true, "▲ 2.3 个百分点");
	check_pp(-0.004, true, "▼ 0.4 个百分点");
	check_pp(0.23, false, "▲23.0");
	check_pp(-1.0, false, "▼100.0");
	check_pp(0.00049, true, "持平");   /* rounds to 0.0 points */
	check_pp(-0.00049, false, "持平"); /* never "▼0.0" */
	check_pp(0.0005, false, "▲0.1");   /* half away from zero, as format_pct */
	check_pp(NAN, true, "—");
}

static void test_pct_vs(void **state)
{
	(void)state;
	const indicator_rule_t visit = {.key = "visit_rate", .rate = RATE_VISIT, .threshold = 0.95};
	const indicator_rule_t usage = {.key = "usage_rate", .rate = RATE_USAGE, .threshold = 0.3};
	const indicator_rule_t npl = {
	    .key = "npl_rate", .rate = RATE_NPL, .is_max = true, .threshold = 0.02};
	/* min, unmet, one decimal would read 95.0% ≥ 95.0%: two decimals rounded down. */
	check_vs(0.9495, &visit, false, "94.95%");
	check_vs(1899.0 / 2000.0, &visit, false, "94.95%"); /* as the indicators compute it */
	check_vs(0.94999, &visit, false, "94.99%");
	check_vs(0.9499999, &visit, false, "94.99%");
	check_vs(0.94951, &visit, false, "94.95%"); /* down, not half-up to 94.96 */
	check_vs(0.2995, &usage, false, "29.95%");
	check_vs(0.9499999999999999, &visit, false, "94.99%"); /* never "95.00%" */
	/* min, met: unchanged. */
	check_vs(0.95, &visit, true, "95.0%");
	check_vs(0.3, &usage, true, "30.0%");
	check_vs(0.95049, &visit, true, "95.0%");
	check_vs(1.0, &visit, true, "100.0%");
	/* min, unmet, one decimal already reads below: unchanged. */
	check_vs(0.29, &usage, false, "29.0%");
	check_vs(0.9494, &visit, false, "94.9%");
	check_vs(0.2994, &usage, false, "29.9%");
	check_vs(0.0, &usage, false, "0.0%");
	/* max, unmet, one decimal would read 2.0% ≤ 2.0%: two decimals rounded up. */
	check_vs(0.02004, &npl, false, "2.01%");
	check_vs(0.020001, &npl, false, "2.01%");
	check_vs(0.0204, &npl, false, "2.04%");
	check_vs(0.0205, &npl, false, "2.1%"); /* already reads above */
	check_vs(0.03, &npl, false, "3.0%");
	check_vs(0.020000000000000004, &npl, false, "2.01%"); /* never "2.00%" */
	/* max, met: unchanged. */
	check_vs(0.02, &npl, true, "2.0%");
	check_vs(0.0, &npl, true, "0.0%");
	check_vs(0.01999, &npl, true, "2.0%");
	/* Null: the same dash as format_pct, met or not. */
	check_vs(NAN, &visit, false, "—");
	check_vs(NAN, &npl, true, "—");
	/* No rule: plain format_pct, whatever the flag. */
	check_vs(0.9495, NULL, false, "95.0%");
	check_vs(0.9495, NULL, true, "95.0%");
	/* Truncation keeps the sink's rules. */
	char out[4];
	format_pct_vs(out, sizeof out, 0.9495, &visit, false);
	assert_string_equal(out, "94.");
}

static void test_yuan(void **state)
{
	(void)state;
	check_i64(format_yuan, 123456, "¥1,234.56");
	check_i64(format_yuan, 0, "¥0.00");
	check_i64(format_yuan, 1, "¥0.01");
	check_i64(format_yuan, 99, "¥0.99");
	check_i64(format_yuan, 100, "¥1.00");
	check_i64(format_yuan, 99999, "¥999.99");
	check_i64(format_yuan, 100000, "¥1,000.00");
	check_i64(format_yuan, 800000, "¥8,000.00");
	check_i64(format_yuan, 1234567890, "¥12,345,678.90");
	check_i64(format_yuan, -500, "-¥5.00");
	check_i64(format_yuan, -123456, "-¥1,234.56");
	check_i64(format_yuan, -1, "-¥0.01");
	check_i64(format_yuan, INT64_MAX, "¥92,233,720,368,547,758.07");
	check_i64(format_yuan, INT64_MIN, "-¥92,233,720,368,547,758.08");
}

static void test_wan(void **state)
{
	(void)state;
	check_i64(format_wan, 123456789, "123.5万");
	check_i64(format_wan, 1000000, "1.0万");
	check_i64(format_wan, 999999, "¥9,999.99");
	check_i64(format_wan, 800000, "¥8,000.00");
	check_i64(format_wan, 0, "¥0.00");
	check_i64(format_wan, 1000000000000LL, "1,000,000.0万");
	check_i64(format_wan, 1049999, "1.0万");
	check_i64(format_wan, 1050000, "1.1万"); /* half away from zero */
	check_i64(format_wan, 9995000, "10.0万");
	check_i64(format_wan, 99999999, "100.0万");
	check_i64(format_wan, 12345000000LL, "12,345.0万");
	check_i64(format_wan, -123456789, "-123.5万");
	check_i64(format_wan, -500, "-¥5.00");
	check_i64(format_wan, INT64_MAX, "9,223,372,036,854.8万");
	check_i64(format_wan, INT64_MIN, "-9,223,372,036,854.8万");
}

static void test_count(void **state)
{
	(void)state;
	check_i64(format_count, 1234567, "1,234,567");
	check_i64(format_count, 0, "0");
	check_i64(format_count, 7, "7");
	check_i64(format_count, 999, "999");
	check_i64(format_count, 1000, "1,000");
	check_i64(format_count, 100000, "100,000");
	check_i64(format_count, -1234, "-1,234");
	check_i64(format_count, -12, "-12");
	check_i64(format_count, INT64_MAX, "9,223,372,036,854,775,807");
	check_i64(format_count, INT64_MIN, "-9,223,372,036,854,775,808");
}

static void test_dates(void **state)
{
	(void)state;
	check_i32(format_date, 20260305, "2026-03-05");
	check_i32(format_date, 20261231, "2026-12-31");
	check_i32(format_date, 0, "");
	check_i32(format_date, -20260305, "");
	check_i32(format_date, INT32_MAX, "214748-36-47"); /* malformed stays visible, no UB */
	check_i32(format_month, 202610, "2026-10");
	check_i32(format_month, 202603, "2026-03");
	check_i32(format_month, 0, "");
	check_i32(format_month, INT32_MIN, "");
	check_i32(format_month_cn, 202610, "2026年10月");
	check_i32(format_month_cn, 202603, "2026年3月");
	check_i32(format_month_cn, 202601, "2026年1月");
	check_i32(format_month_cn, 0, "");
	check_i32(format_month_cn, INT32_MAX, "21474836年47月");
}

static void test_score(void **state)
{
	(void)state;
	check_d(format_score, 97.73, "97.73");
	check_d(format_score, 100, "100.00");
	check_d(format_score, 0, "0.00");
	check_d(format_score, 59.5, "59.50");
	check_d(format_score, 85.06, "85.06");
	check_d(format_score, -0.001, "0.00");
	check_d(format_score, -0.0, "0.00");
	check_d(format_score, -5.25, "-5.25");
	check_d(format_score, NAN, "—");
	check_d(format_score, INFINITY, "—");
	char out[64];
	format_score(out, sizeof out, 1e300); /* ~300 digits: truncated to fit, still a string */
	assert_int_equal(strlen(out), 63);
	assert_memory_equal(out, "1000000000", 10);
}

static void test_mask_name(void **state)
{
	(void)state;
	check_s(format_mask_name, "王建国", "王**");
	check_s(format_mask_name, "欧阳娜娜", "欧***");
	check_s(format_mask_name, "王五", "王*");
	check_s(format_mask_name, "王", "*");
	check_s(format_mask_name, "", "");
	check_s(format_mask_name, NULL, "");
	check_s(format_mask_name, "John Smith", "J*********");
	check_s(format_mask_name, "A", "*");
	check_s(format_mask_name, "阿卜杜·热合曼", "阿******");
	check_s(format_mask_name, "😀ab", "😀**"); /* four-byte character kept whole */
	check_s(format_mask_name, "é李", "é*");
	/* Invalid bytes count as one character each; a kept one becomes U+FFFD. */
	check_s(format_mask_name, "\xff\xfe王", "\xef\xbf\xbd**");
	check_s(format_mask_name, "王\xe5\xbb", "王**");        /* truncated 3-byte sequence */
	check_s(format_mask_name, "\xc0\xaf", "\xef\xbf\xbd*"); /* overlong "/" */
	check_s(format_mask_name, "\xed\xa0\x80x", "\xef\xbf\xbd***");    /* surrogate */
	check_s(format_mask_name, "\xf4\x90\x80\x80", "\xef\xbf\xbd***"); /* > U+10FFFF */
	check_s(format_mask_name, "\xe7\x8e", "\xef\xbf\xbd*");
}

static void test_mask_id(void **state)
{
	(void)state;
	check_s(format_mask_id, "11010519491231002X", "110105********002X");
	check_s(format_mask_id, "110105194912310", "110105*****2310"); /* 15-digit old ID */
	check_s(format_mask_id, "12345678901", "123456*8901");
	check_s(format_mask_id, "1234567890", "**********");
	check_s(format_mask_id, "123", "***");
	check_s(format_mask_id, "", "");
	check_s(format_mask_id, NULL, "");
	check_s(format_mask_id, "护照号码ＡＢ１２３４５６７", "护照号码ＡＢ***４５６７");
	check_s(format_mask_id,
	        "\xff"
	        "2345678901",
	        "\xef\xbf\xbd"
	        "23456*8901");
}

static void test_mask_phone(void **state)
{
	(void)state;
	check_s(format_mask_phone, "13912345678", "139****5678");
	check_s(format_mask_phone, "12345678", "123*5678");
	check_s(format_mask_phone, "1234567", "*******");
	check_s(format_mask_phone, "110", "***");
	check_s(format_mask_phone, "", "");
	check_s(format_mask_phone, NULL, "");
	check_s(format_mask_phone, "0571-87654321", "057******4321");
	check_s(format_mask_phone, "+86 139 1234 5678", "+86**********5678");
}

/* format_mask_numbers in place on a copy of in; checks the text and the changed flag. */
static void check_numbers(const char *in, const char *want)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", in);
	int changed = format_mask_numbers(buf);
	if (strcmp(buf, want) != 0)
		print_error("mask_numbers \"%s\": got \"%s\"\n", in, buf);
	assert_string_equal(buf, want);
	assert_int_equal(changed, strcmp(in, want) != 0);
}

/* Text longer than the stack buffers of format_mask_numbers (256 bytes) is masked alike. */
static void test_mask_numbers_long(void **state)
{
	(void)state;
	char in[1200], want[1200];
	memset(in, 'a', 1000);
	memcpy(in + 1000, "13912345678 11010519491231002X", 31);
	memcpy(want, in, 1000);
	memcpy(want + 1000, "139****5678 110105********002X", 31);
	int changed = format_mask_numbers(in);
	assert_string_equal(in, want);
	assert_int_equal(changed, 1);
	/* No digit at all: unchanged, including a lone 0xEF lead byte. */
	char plain[] = "第一网格 \xEF\xBC\x8D x";
	assert_int_equal(format_mask_numbers(plain), 0);
	assert_string_equal(plain, "第一网格 \xEF\xBC\x8D x");
}

static void test_mask_numbers(void **state)
{
	(void)state;
	/* Standing alone, as before. */
	check_numbers("13912345678", "139****5678");
	check_numbers("11010519491231002X", "110105********002X");
	check_numbers("11010519491231002x", "110105********002x");
	/* Written with separators: the separators stay, the digits between are starred. */
	check_numbers("139-1234-0002", "139-****-0002");
	check_numbers("139 1234 0003", "139 **** 0003");
	check_numbers("139  1234  0003", "139  ****  0003");
	check_numbers("139\xe3\x80\x80"
	              "1234\xef\xbc\x8d"
	              "0003",
	              "139\xe3\x80\x80"
	              "****\xef\xbc\x8d"
	              "0003"); /* U+3000, U+FF0D */
	check_numbers("321181 19700101 123X", "321181 ******** 123X");
	/* After a country prefix. */
	check_numbers("+8613912340004", "+86139****0004");
	check_numbers("+86 139 1234 0004", "+86 139 **** 0004");
	check_numbers("008613912340004", "0086139****0004");
	/* Full-width digits and X: a starred digit becomes one '*'. */
	check_numbers("１３９１２３４０００５", "１３９****０００５");
	check_numbers("３２１１８１１９７００１０１１２３Ｘ", "３２１１８１********１２３Ｘ");
	/* Two run together, a number after other digits or letters. */
	check_numbers("1391234000613912340007", "139****0006139****0007");
	check_numbers("32118119900303345913912340004", "321181********3459139****0004");
	check_numbers("abcdef321181199003033459", "abcdef321181********3459");
	check_numbers("3 13912340004", "3 139****0004");
	check_numbers("2026-03-05 13912340004", "2026-03-05 139****0004");
	check_numbers("j312012309900101123X", "j312012********1123X");
	/* What a mask leaves visible is looked at again. */
	check_numbers("2132012319900101123Xok", "2132****199****1123Xok");
	/* A group of 18 beside others is an ID whatever its date (the fuzzer's find). */
	check_numbers("000000001384544068 32012319900101123X",
	              "000000********4068 320123********123X");
	/* Neither: years listed with spaces, an account number, dates, figures, landlines. */
	check_numbers("2019 2020 2021 2022", "2019 2020 2021 2022");
	check_numbers("6222021234567890123", "6222021234567890123");
	check_numbers("12912345678 0571-88888888", "12912345678 0571-88888888");
	check_numbers("2026-03-05", "2026-03-05");
	check_numbers("12,345,678.90元", "12,345,678.90元");
	check_numbers("1391234567", "1391234567");
	check_numbers("139-", "139-");
	check_numbers("", "");
}

static void test_truncation(void **state)
{
	(void)state;
	char out[8];
	/* 王 + 10 stars fits 7 bytes as 王 and four stars. */
	assert_ptr_equal(format_mask_name(out, sizeof out, "王建国王建国王建国王建"), out);
	assert_string_equal(out, "王****");
	/* U+FFFD and one star fit in 5 bytes; nothing partial follows. */
	format_mask_name(out, 5,
	                 "\xff"
	                 "abc");
	assert_string_equal(out, "\xef\xbf\xbd*");
	/* 4 bytes: the 3-byte 王 fits, then a star; 3 bytes: only 王 with no room for more. */
	format_mask_name(out, 4, "王建国");
	assert_string_equal(out, "王");
	format_mask_name(out, 3, "王建国");
	assert_string_equal(out, "");
	format_mask_id(out, sizeof out, "11010519491231002X");
	assert_string_equal(out, "110105*");
	format_mask_phone(out, sizeof out, "13912345678");
	assert_string_equal(out, "139****");
	format_yuan(out, sizeof out, 123456); /* "¥1,234.56" is 10 bytes */
	assert_string_equal(out, "¥1,234");
	format_wan(out, sizeof out, 123456789); /* "123.5万": 万 does not fit */
	assert_string_equal(out, "123.5");
	format_month_cn(out, sizeof out, 202610);
	assert_string_equal(out, "2026年");
	format_count(out, sizeof out, 1234567);
	assert_string_equal(out, "1,234,5");
	format_pct(out, 3, NAN); /* the dash needs 4 bytes */
	assert_string_equal(out, "");
	format_score(out, 1, 97.73);
	assert_string_equal(out, "");
	/* n = 0: nothing is written, not even a NUL. */
	out[0] = 'q';
	format_mask_name(out, 0, "王建国");
	format_yuan(out, 0, 1);
	format_pct(out, 0, 0.5);
	assert_int_equal(out[0], 'q');
}

/* For every size, a truncated result is valid UTF-8, fits, and is a prefix of the full one. */
static void test_truncation_sweep(void **state)
{
	(void)state;
	static const char *const inputs[] = {
	    "欧阳娜娜王建国😀John Smith\xff\xe5\xbb",
	    "11010519491231002X",
	    "😀😀😀😀😀😀😀😀😀😀😀😀",
	    "13912345678",
	    "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8",
	};
	fmt_s masks[] = {format_mask_name, format_mask_id, format_mask_phone};
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
		for (size_t m = 0; m < sizeof masks / sizeof *masks; m++) {
			char full[256], part[256];
			masks[m](full, sizeof full, inputs[i]);
			assert_true(utf8_valid(full));
			for (size_t n = 1; n <= strlen(full) + 1; n++) {
				memset(part, 'x', sizeof part);
				masks[m](part, n, inputs[i]);
				size_t len = strlen(part);
				assert_true(len < n);
				assert_true(utf8_valid(part));
				assert_memory_equal(part, full, len);
				if (n == strlen(full) + 1)
					assert_string_equal(part, full);
				assert_int_equal(part[n], 'x'); /* nothing written past n */
			}
		}
	}
	char full[64], part[64];
	format_month_cn(full, sizeof full, 202610);
	for (size_t n = 1; n <= sizeof full; n++) {
		format_month_cn(part, n, 202610);
		assert_true(utf8_valid(part));
		assert_true(strlen(part) < n);
		assert_memory_equal(part, full, strlen(part));
	}
}

/* The document's doubles against printf and strtod, the way indjson wrote them before. */
static void check_json_double(double v)
{
	char want[64], got[64];
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(want, sizeof want, "%.*g", digits, v);
		if (strtod(want, NULL) == v)
			break;
	}
	format_json_double(got, sizeof got, v);
	if (strcmp(want, got) != 0)
		fail_msg("%a: printf's shortest %s, format_json_double %s", v, want, got);
}

static void test_json_double(void **state)
{
	(void)state;
	/* Every rate a village can have: a / b for b up to 700 households. */
	for (int b = 1; b <= 700; b++)
		for (int a = 0; a <= b; a++)
			check_json_double((double)a / b);
	/* Doubles of every size in and around the exact path's range, and their neighbours. */
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 250000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		double u = (double)(x >> 11) / 9007199254740992.0;
		double v = u * pow(10, (int)(x % 13) - 6);
		check_json_double(v);
		check_json_double(-v);
		check_json_double(nextafter(v, 0));
		check_json_double(nextafter(v, 1e9));
	}
	/* Powers of ten and two (the gap below a power of two is half), and the range's edges. */
	for (int k = -8; k <= 8; k++) {
		double t = pow(10, k);
		check_json_double(t);
		check_json_double(nextafter(t, 0));
		check_json_double(nextafter(t, 1e20));
	}
	for (int k = -20; k <= 20; k++) {
		double t = ldexp(1, k);
		check_json_double(t);
		check_json_double(nextafter(t, 0));
		check_json_double(nextafter(t, 1e20));
		check_json_double(t * 3);
	}
	static const double special[] = {
	    0.0,     -0.0,    1e-4,  99999.99999999999,  1e5,   0.1, 0.2, 0.3,
	    1.0 / 3, 2.0 / 3, 97.73, 0.8235294117647058, 123.45};
	for (size_t i = 0; i < sizeof special / sizeof *special; i++)
		check_json_double(special[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pct),          cmocka_unit_test(test_pct_sweep),
	    cmocka_unit_test(test_pct_vs),       cmocka_unit_test(test_pp_change),
	    cmocka_unit_test(test_yuan),         cmocka_unit_test(test_wan),
	    cmocka_unit_test(test_count),        cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_score),        cmocka_unit_test(test_mask_name),
	    cmocka_unit_test(test_mask_id),      cmocka_unit_test(test_mask_phone),
	    cmocka_unit_test(test_mask_numbers), cmocka_unit_test(test_mask_numbers_long),
	    cmocka_unit_test(test_truncation),   cmocka_unit_test(test_truncation_sweep),
	    cmocka_unit_test(test_json_double),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
