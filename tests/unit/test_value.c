/* test_value.c — unit tests for value.c: every reader of SPEC §4 on the forms it must
 * accept and the slips it must refuse, with exact results. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "read/value.h"

/* Each check prints the input before failing, so a table row that breaks is named. */
static void check_date(const char *s, value_status_t want, int32_t ymd)
{
	int32_t got = -1;
	value_status_t st = value_parse_date(s, &got);

	if (st != want || (want == VALUE_OK && got != ymd))
		print_error("date \"%s\": status %d value %d\n", s, (int)st, (int)got);
	assert_int_equal(st, want);
	if (want == VALUE_OK)
		assert_int_equal(got, ymd);
}

static void check_amount(const char *s, value_status_t want, int64_t fen)
{
	int64_t got = -1;
	value_status_t st = value_parse_amount(s, &got);

	if (st != want || (want == VALUE_OK && got != fen))
		print_error("amount \"%s\": status %d value %lld\n", s, (int)st, (long long)got);
	assert_int_equal(st, want);
	if (want == VALUE_OK)
		assert_int_equal(got, fen);
}

static void check_int(const char *s, value_status_t want, int64_t n)
{
	int64_t got = -1;
	value_status_t st = value_parse_int(s, &got);

	if (st != want || (want == VALUE_OK && got != n))
		print_error("int \"%s\": status %d value %lld\n", s, (int)st, (long long)got);
	assert_int_equal(st, want);
	if (want == VALUE_OK)
		assert_int_equal(got, n);
}

static void check_bool(const char *s, value_status_t want, bool b)
{
	bool got = !b;
	value_status_t st = value_parse_bool(s, &got);

	if (st != want || got != b)
		print_error("bool \"%s\": status %d value %d\n", s, (int)st, (int)got);
	assert_int_equal(st, want);
	/* Empty and invalid both leave false behind, which is what callers read. */
	assert_int_equal(got, b);
}

static void check_id(const char *s, value_status_t want)
{
	value_status_t st = value_check_id(s);

	if (st != want)
		print_error("id \"%s\": status %d\n", s, (int)st);
	assert_int_equal(st, want);
}

static void test_trim(void **state)
{
	(void)state;
	char a[] = "  \t12,345\r\n";
	char b[] = "\xE3\x80\x80农户\xE3\x80\x80 ";
	char c[] = " \v\f ";
	char d[] = "x";
	char e[] = "";
	/* A lone E3 80 (truncated U+3000) is not space and must stay. */
	char f[] = "\xE3\x80";
	char g[] = "a b";

	assert_string_equal(value_trim(a), "12,345");
	assert_string_equal(value_trim(b), "农户");
	assert_string_equal(value_trim(c), "");
	assert_string_equal(value_trim(d), "x");
	assert_string_equal(value_trim(e), "");
	assert_string_equal(value_trim(f), "\xE3\x80");
	assert_string_equal(value_trim(g), "a b");
	/* Trimming is in place: the returned pointer is inside the buffer. */
	assert_ptr_equal(value_trim(a), a + 3);
	assert_null(value_trim(NULL));
}

/* value_trim_n: the same trim of a counted piece, which need not end in a NUL; the quick
 * exit for fields that start and end with a byte white space cannot have. */
static void test_trim_n(void **state)
{
	(void)state;
	struct {
		const char *in;
		size_t len; /* bytes of in given */
		size_t skip, out;
	} cases[] = {
	    {"  \t12,345\r\n", 11, 3, 6},
	    {"\xE3\x80\x80农户\xE3\x80\x80 ", 13, 3, 6},
	    {" \v\f ", 4, 4, 0},
	    {"x", 1, 0, 1},
	    {"", 0, 0, 0},
	    {"\xE3\x80", 2, 0, 2}, /* a truncated U+3000 is not space */
	    {"a b", 3, 0, 3},
	    {"abc", 2, 0, 2},            /* stops at len, not at the NUL */
	    {"ab  cd", 4, 0, 2},         /* ends in space within len */
	    {"一", 3, 0, 3},             /* ends in 0x80 (E4 B8 80), and is not space */
	    {"\xE3\x81\x82", 3, 0, 3},   /* starts with 0xE3 (あ), and is not space */
	    {"\xE3\x80\x80一", 6, 3, 3}, /* U+3000 before, a 0x80 ending after */
	    {"一\xE3\x80\x80", 6, 0, 3},
	    {"\x01x\x01", 3, 0, 3}, /* control bytes other than white space stay */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = cases[i].len;
		const char *b = value_trim_n(cases[i].in, &len);
		if (b != cases[i].in + cases[i].skip || len != cases[i].out)
			print_error("trim_n case %zu: skip %td len %zu\n", i, b - cases[i].in, len);
		assert_ptr_equal(b, cases[i].in + cases[i].skip);
		assert_int_equal(len, cases[i].out);
	}
}

static void test_date(void **state)
{
	(void)state;
	check_date("2026-03-05", VALUE_OK, 20260305);
	check_date("2026/3/5", VALUE_OK, 20260305);
	check_date("2026.03.05", VALUE_OK, 20260305);
	check_date("20260305", VALUE_OK, 20260305);
	check_date("2026年3月5日", VALUE_OK, 20260305);
	check_date("2026年03月05日", VALUE_OK, 20260305);
	check_date("2026-3-5", VALUE_OK, 20260305);
	check_date("2026.3.15", VALUE_OK, 20260315);
	check_date("2026/12/31", VALUE_OK, 20261231);
	check_date("2024-02-29", VALUE_OK, 20240229);
	check_date("2000-02-29", VALUE_OK, 20000229);
	check_date("1900-01-01", VALUE_OK, 19000101);
	check_date("2999-12-31", VALUE_OK, 29991231);
	check_date("  2026-03-05 ", VALUE_OK, 20260305);

	check_date("", VALUE_EMPTY, 0);
	check_date("   ", VALUE_EMPTY, 0);
	check_date(NULL, VALUE_EMPTY, 0);

	check_date("2026-02-29", VALUE_INVALID, 0);
	check_date("2026-02-30", VALUE_INVALID, 0);
	check_date("1900-02-29", VALUE_INVALID, 0);
	check_date("2026-04-31", VALUE_INVALID, 0);
	check_date("9999-99-99", VALUE_INVALID, 0);
	check_date("2026-13-01", VALUE_INVALID, 0);
	check_date("2026-00-10", VALUE_INVALID, 0);
	check_date("2026-01-00", VALUE_INVALID, 0);
	check_date("1899-12-31", VALUE_INVALID, 0);
	check_date("3000-01-01", VALUE_INVALID, 0);
	check_date("20260230", VALUE_INVALID, 0);
	check_date("2026035", VALUE_INVALID, 0);
	check_date("202603050", VALUE_INVALID, 0);
	check_date("2026-03/05", VALUE_INVALID, 0);
	check_date("2026-03-005", VALUE_INVALID, 0);
	check_date("2026-003-05", VALUE_INVALID, 0);
	check_date("26-03-05", VALUE_INVALID, 0);
	check_date("02026-03-05", VALUE_INVALID, 0);
	check_date("2026-03-", VALUE_INVALID, 0);

	/* Excel serial day numbers: days after 1899-12-30, five digits 20000..80000. */
	check_date("46023", VALUE_OK, 20260101);
	check_date("20000", VALUE_OK, 19541003);
	check_date("80000", VALUE_OK, 21190111);
	check_date("45351", VALUE_OK, 20240229);
	check_date("45352", VALUE_OK, 20240301);
	check_date("36526", VALUE_OK, 20000101);
	check_date("46387", VALUE_OK, 20261231);
	check_date(" 46023 ", VALUE_OK, 20260101);
	check_date("19999", VALUE_INVALID, 0);
	check_date("80001", VALUE_INVALID, 0);
	check_date("09999", VALUE_INVALID, 0);
	check_date("4602", VALUE_INVALID, 0);
	check_date("460230", VALUE_INVALID, 0);
	check_date("46023.0", VALUE_INVALID, 0);
	check_date("46023.5", VALUE_INVALID, 0);
	check_date("-46023", VALUE_INVALID, 0);
	check_date("2026-03", VALUE_INVALID, 0);
	check_date("2026-", VALUE_INVALID, 0);
	check_date("2026", VALUE_INVALID, 0);
	check_date("2026--05", VALUE_INVALID, 0);
	check_date("2026-03-05x", VALUE_INVALID, 0);
	check_date("2026-03-05 10:00", VALUE_INVALID, 0);
	check_date("2026年3月5", VALUE_INVALID, 0);
	check_date("2026年3月", VALUE_INVALID, 0);
	check_date("2026年2月30日", VALUE_INVALID, 0);
	check_date("2026年3月5日x", VALUE_INVALID, 0);
	check_date("2026\xE5\xB9", VALUE_INVALID, 0); /* truncated 年 */
	check_date("-2026-03-05", VALUE_INVALID, 0);
	check_date("today", VALUE_INVALID, 0);
	check_date("2026 03 05", VALUE_INVALID, 0);
	check_date("2a26-03-05", VALUE_INVALID, 0);
	check_date("2026-0a-05", VALUE_INVALID, 0);
	check_date("2026-03-0a", VALUE_INVALID, 0);
	check_date("2026-03+05", VALUE_INVALID, 0);
	check_date("2026-03-\xef\xbc\x95", VALUE_INVALID, 0); /* a full-width 5 */

	/* YYYY-MM-DD is read by a quick path; YYYY/MM/DD by the general one. They agree on
	 * every year, month and day around the edges of the ranges, valid or not. */
	const int years[] = {1899, 1900, 1901, 2000, 2023, 2024, 2026, 2100, 2999, 3000, 9999};
	for (size_t k = 0; k < sizeof years / sizeof years[0]; k++)
		for (int m = 0; m <= 13; m++)
			for (int d = 0; d <= 32; d++) {
				char dash[48], slash[48];
				snprintf(dash, sizeof dash, "%04d-%02d-%02d", years[k], m, d);
				snprintf(slash, sizeof slash, "%04d/%02d/%02d", years[k], m, d);
				int32_t a = -1, b = -1;
				value_status_t sa = value_parse_date(dash, &a);
				value_status_t sb = value_parse_date(slash, &b);
				if (sa != sb || a != b)
					print_error("%s: %d %d, %s: %d %d\n", dash, (int)sa, (int)a,
					            slash, (int)sb, (int)b);
				assert_int_equal(sa, sb);
				assert_int_equal(a, b);
			}
}

static void test_amount(void **state)
{
	(void)state;
	check_amount("12345", VALUE_OK, 1234500);
	check_amount("12,345.60", VALUE_OK, 1234560);
	check_amount("12345元", VALUE_OK, 1234500);
	check_amount("3万", VALUE_OK, 30000 * 100LL);
	check_amount("3.5万", VALUE_OK, 35000 * 100LL);
	check_amount("3万元", VALUE_OK, 30000 * 100LL);
	check_amount("3.5万元", VALUE_OK, 35000 * 100LL);
	check_amount("3.456万", VALUE_OK, 3456000);
	check_amount("3.45678万", VALUE_OK, 3456780);
	check_amount("3.456780万", VALUE_OK, 3456780);
	/* 3.456789万 is 34,567.89 yuan: still two decimals after scaling. */
	check_amount("3.456789万", VALUE_OK, 3456789);
	check_amount("3.4567890万", VALUE_OK, 3456789);
	check_amount("0.000001万", VALUE_OK, 1);
	check_amount("1,234.5", VALUE_OK, 123450);
	check_amount("1,234,567.89", VALUE_OK, 123456789);
	check_amount("0", VALUE_OK, 0);
	check_amount("0.01", VALUE_OK, 1);
	check_amount("0.1", VALUE_OK, 10);
	check_amount("0.00", VALUE_OK, 0);
	check_amount("007", VALUE_OK, 700);
	check_amount("1.230", VALUE_OK, 123);
	check_amount("5.000000000000000000000000", VALUE_OK, 500);
	check_amount("12.5元", VALUE_OK, 1250);
	check_amount("1,000万", VALUE_OK, 1000000000LL);
	check_amount(" 100 ", VALUE_OK, 10000);
	/* The ceiling, 10^13 yuan, is accepted, in every spelling. */
	check_amount("10000000000000", VALUE_OK, 1000000000000000LL);
	check_amount("10,000,000,000,000.00", VALUE_OK, 1000000000000000LL);
	check_amount("1000000000万", VALUE_OK, 1000000000000000LL);
	check_amount("0000000000000000000000010000000000000", VALUE_OK, 1000000000000000LL);

	check_amount("", VALUE_EMPTY, 0);
	check_amount(" \t", VALUE_EMPTY, 0);
	check_amount(NULL, VALUE_EMPTY, 0);

	/* 3.4567891万 is 34,567.891 yuan: a tenth of a fen. */
	check_amount("3.4567891万", VALUE_INVALID, 0);
	check_amount("1.234", VALUE_INVALID, 0);
	check_amount("1.001", VALUE_INVALID, 0);
	check_amount("1,23,456", VALUE_INVALID, 0);
	check_amount("12,34", VALUE_INVALID, 0);
	check_amount(",123", VALUE_INVALID, 0);
	check_amount("1234,567", VALUE_INVALID, 0);
	check_amount("1,2345", VALUE_INVALID, 0);
	check_amount("1,234,", VALUE_INVALID, 0);
	check_amount("1,,234", VALUE_INVALID, 0);
	check_amount("1,234.5,6", VALUE_INVALID, 0);
	check_amount("1.2.3", VALUE_INVALID, 0);
	check_amount("-5", VALUE_INVALID, 0);
	check_amount("+5", VALUE_INVALID, 0);
	check_amount("12.", VALUE_INVALID, 0);
	check_amount(".5", VALUE_INVALID, 0);
	check_amount(".", VALUE_INVALID, 0);
	check_amount("万", VALUE_INVALID, 0);
	check_amount("元", VALUE_INVALID, 0);
	check_amount("万元", VALUE_INVALID, 0);
	check_amount("3元万", VALUE_INVALID, 0);
	check_amount("3万万", VALUE_INVALID, 0);
	check_amount("3元元", VALUE_INVALID, 0);
	check_amount("元3", VALUE_INVALID, 0);
	check_amount("3 万", VALUE_INVALID, 0);
	check_amount("3.万", VALUE_INVALID, 0);
	check_amount("12a", VALUE_INVALID, 0);
	check_amount("1e5", VALUE_INVALID, 0);
	check_amount("abc", VALUE_INVALID, 0);
	check_amount("12\xE4\xB8", VALUE_INVALID, 0); /* truncated 万 */
	check_amount("10000000000000.01", VALUE_INVALID, 0);
	check_amount("10000000000001", VALUE_INVALID, 0);
	check_amount("1000000000.0001万", VALUE_INVALID, 0);
	check_amount("1000000001万", VALUE_INVALID, 0);
	check_amount("99999999999999", VALUE_INVALID, 0);
	/* Far beyond int64: must be refused by digit count, not overflow. */
	check_amount("1000000000000000000000000000000", VALUE_INVALID, 0);
	check_amount("1,000,000,000,000,000,000,000,000,000,000", VALUE_INVALID, 0);
	check_amount("99999999999999999999999999999999999999万", VALUE_INVALID, 0);
	check_amount("18446744073709551616", VALUE_INVALID, 0);
}

static void test_int(void **state)
{
	(void)state;
	check_int("0", VALUE_OK, 0);
	check_int("5", VALUE_OK, 5);
	check_int("42", VALUE_OK, 42);
	check_int("007", VALUE_OK, 7);
	check_int("2147483647", VALUE_OK, 2147483647);
	check_int(" 3 ", VALUE_OK, 3);

	check_int("", VALUE_EMPTY, 0);
	check_int(NULL, VALUE_EMPTY, 0);

	check_int("2147483648", VALUE_INVALID, 0);
	check_int("99999999999999999999999999", VALUE_INVALID, 0);
	check_int("-1", VALUE_INVALID, 0);
	check_int("+1", VALUE_INVALID, 0);
	check_int("1,000", VALUE_INVALID, 0);
	check_int("1.0", VALUE_INVALID, 0);
	check_int("1 2", VALUE_INVALID, 0);
	check_int("3人", VALUE_INVALID, 0);
	check_int("x", VALUE_INVALID, 0);
}

static void test_bool(void **state)
{
	(void)state;
	check_bool("是", VALUE_OK, true);
	check_bool("否", VALUE_OK, false);
	check_bool("Y", VALUE_OK, true);
	check_bool("y", VALUE_OK, true);
	check_bool("N", VALUE_OK, false);
	check_bool("n", VALUE_OK, false);
	check_bool("yes", VALUE_OK, true);
	check_bool("YES", VALUE_OK, true);
	check_bool("Yes", VALUE_OK, true);
	check_bool("no", VALUE_OK, false);
	check_bool("No", VALUE_OK, false);
	check_bool("true", VALUE_OK, true);
	check_bool("TRUE", VALUE_OK, true);
	check_bool("tRuE", VALUE_OK, true);
	check_bool("false", VALUE_OK, false);
	check_bool("False", VALUE_OK, false);
	check_bool("1", VALUE_OK, true);
	check_bool("0", VALUE_OK, false);
	check_bool(" 是 ", VALUE_OK, true);

	check_bool("", VALUE_EMPTY, false);
	check_bool(NULL, VALUE_EMPTY, false);

	check_bool("2", VALUE_INVALID, false);
	check_bool("ye", VALUE_INVALID, false);
	check_bool("yess", VALUE_INVALID, false);
	check_bool("t", VALUE_INVALID, false);
	check_bool("是的", VALUE_INVALID, false);
	check_bool("00", VALUE_INVALID, false);
	check_bool("maybe", VALUE_INVALID, false);
}

static void test_id(void **state)
{
	(void)state;
	/* 11010519491231002X by hand: digits 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 times
	 * weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 give
	 * 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2;
	 * "10X98765432"[2] = 'X'. */
	check_id("11010519491231002X", VALUE_OK);
	check_id("11010519491231002x", VALUE_OK);
	/* 4+...: sum 204, 204 mod 11 = 6 → '6'; a leap day. */
	check_id("440304200002291236", VALUE_OK);
	check_id("510108199001010014", VALUE_OK);
	check_id("330102198510157771", VALUE_OK);
	check_id("11010520240229002X", VALUE_OK);
	check_id(" 11010519491231002X ", VALUE_OK);

	check_id("", VALUE_EMPTY);
	check_id(NULL, VALUE_EMPTY);

	/* Wrong check character. */
	check_id("110105194912310021", VALUE_INVALID);
	check_id("110105194912310020", VALUE_INVALID);
	check_id("440304200002291235", VALUE_INVALID);
	check_id("11010519491231002Y", VALUE_INVALID);
	/* Right check character, impossible or out-of-range date: 1949-13-31, 1899, 2026-02-29,
	 * 3000. */
	check_id("110105194913310021", VALUE_INVALID);
	check_id("110105189912310023", VALUE_INVALID);
	check_id("110105202602290024", VALUE_INVALID);
	check_id("110105300001010022", VALUE_INVALID);
	/* Length and shape. */
	check_id("11010519491231002", VALUE_INVALID);
	check_id("11010519491231002X0", VALUE_INVALID);
	check_id("X1010519491231002X", VALUE_INVALID);
	check_id("1101051949123100XX", VALUE_INVALID);
	check_id("110105 19491231002X", VALUE_INVALID);
	check_id("110105-19491231-002X", VALUE_INVALID);
	check_id("１１０１０５１９４９１２３１００２Ｘ", VALUE_INVALID);
}

static void test_segment(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		segment_t seg;
	} ok[] = {
	    {"农户", SEG_FARMER},
	    {"商户", SEG_MERCHANT},
	    {"公职人员", SEG_CIVIL},
	    {"企业职工", SEG_EMPLOYEE},
	    {"新型农业经营主体", SEG_AGRI},
	    {"其他", SEG_OTHER},
	    {"farmer", SEG_FARMER},
	    {"Farmer", SEG_FARMER},
	    {"MERCHANT", SEG_MERCHANT},
	    {"civil_servant", SEG_CIVIL},
	    {"Civil_Servant", SEG_CIVIL},
	    {"employee", SEG_EMPLOYEE},
	    {"agri_operator", SEG_AGRI},
	    {"AGRI_OPERATOR", SEG_AGRI},
	    {"other", SEG_OTHER},
	    {"Other", SEG_OTHER},
	    {" 农户\xE3\x80\x80", SEG_FARMER},
	};
	static const char *const bad[] = {
	    "农", "农户户", "farmers", "civil servant", "civil-servant", "agri", "员工", "x",
	};
	segment_t seg;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		seg = SEG_COUNT;
		if (value_parse_segment(ok[i].text, &seg) != VALUE_OK || seg != ok[i].seg)
			print_error("segment \"%s\"\n", ok[i].text);
		assert_int_equal(value_parse_segment(ok[i].text, &seg), VALUE_OK);
		assert_int_equal(seg, ok[i].seg);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		seg = SEG_FARMER;
		assert_int_equal(value_parse_segment(bad[i], &seg), VALUE_INVALID);
		assert_int_equal(seg, SEG_OTHER);
	}
	seg = SEG_FARMER;
	assert_int_equal(value_parse_segment("", &seg), VALUE_EMPTY);
	assert_int_equal(seg, SEG_OTHER);
	seg = SEG_FARMER;
	assert_int_equal(value_parse_segment(NULL, &seg), VALUE_EMPTY);
	assert_int_equal(seg, SEG_OTHER);

	assert_string_equal(vocab_segment_key(SEG_FARMER), "farmer");
	assert_string_equal(vocab_segment_key(SEG_MERCHANT), "merchant");
	assert_string_equal(vocab_segment_key(SEG_CIVIL), "civil_servant");
	assert_string_equal(vocab_segment_key(SEG_EMPLOYEE), "employee");
	assert_string_equal(vocab_segment_key(SEG_AGRI), "agri_operator");
	assert_string_equal(vocab_segment_key(SEG_OTHER), "other");
	assert_string_equal(vocab_segment_label(SEG_FARMER), "农户");
	assert_string_equal(vocab_segment_label(SEG_MERCHANT), "商户");
	assert_string_equal(vocab_segment_label(SEG_CIVIL), "公职人员");
	assert_string_equal(vocab_segment_label(SEG_EMPLOYEE), "企业职工");
	assert_string_equal(vocab_segment_label(SEG_AGRI), "新型农业经营主体");
	assert_string_equal(vocab_segment_label(SEG_OTHER), "其他");
	/* Out of range reads as other instead of running off the table. */
	assert_string_equal(vocab_segment_key(SEG_COUNT), "other");
	assert_string_equal(vocab_segment_label((segment_t)-1), "其他");
	/* Every key and label parses back to its own segment. */
	for (int i = 0; i < SEG_COUNT; i++) {
		assert_int_equal(value_parse_segment(vocab_segment_key((segment_t)i), &seg),
		                 VALUE_OK);
		assert_int_equal(seg, i);
		assert_int_equal(value_parse_segment(vocab_segment_label((segment_t)i), &seg),
		                 VALUE_OK);
		assert_int_equal(seg, i);
	}
}

static void test_online(void **state)
{
	(void)state;
	assert_true(value_is_online("手机银行"));
	assert_true(value_is_online("网银"));
	assert_true(value_is_online("线上"));
	assert_true(value_is_online("mobile"));
	assert_true(value_is_online("Mobile"));
	assert_true(value_is_online("ONLINE"));
	assert_true(value_is_online("online"));
	assert_true(value_is_online(" 网银 "));

	assert_false(value_is_online(""));
	assert_false(value_is_online(NULL));
	assert_false(value_is_online("柜面"));
	assert_false(value_is_online("线下"));
	assert_false(value_is_online("offline"));
	assert_false(value_is_online("online banking"));
	assert_false(value_is_online("手机"));
	assert_false(value_is_online("手机银行app"));
	assert_false(value_is_online("mobil"));
}

static void test_calendar(void **state)
{
	(void)state;
	int32_t ym = 0;

	assert_true(value_is_real_date(2024, 2, 29));
	assert_true(value_is_real_date(2000, 2, 29));
	assert_true(value_is_real_date(2026, 12, 31));
	assert_true(value_is_real_date(2026, 4, 30));
	assert_false(value_is_real_date(2026, 2, 29));
	assert_false(value_is_real_date(1900, 2, 29));
	assert_false(value_is_real_date(2026, 4, 31));
	assert_false(value_is_real_date(2026, 0, 1));
	assert_false(value_is_real_date(2026, 13, 1));
	assert_false(value_is_real_date(2026, 1, 0));
	assert_false(value_is_real_date(2026, 1, 32));
	assert_false(value_is_real_date(2026, -1, -1));

	assert_int_equal(value_month_end(202602), 20260228);
	assert_int_equal(value_month_end(202402), 20240229);
	assert_int_equal(value_month_end(190002), 19000228);
	assert_int_equal(value_month_end(200002), 20000229);
	assert_int_equal(value_month_end(202601), 20260131);
	assert_int_equal(value_month_end(202604), 20260430);
	assert_int_equal(value_month_end(202612), 20261231);
	assert_int_equal(value_month_end(202613), 0);
	assert_int_equal(value_month_end(202600), 0);
	assert_int_equal(value_month_end(-1), 0);
	assert_int_equal(value_month_end(INT32_MAX), 0);

	assert_int_equal(value_month_add(202601, -1), 202512);
	assert_int_equal(value_month_add(202612, 1), 202701);
	assert_int_equal(value_month_add(202610, 0), 202610);
	assert_int_equal(value_month_add(202610, -11), 202511);
	assert_int_equal(value_month_add(202610, -12), 202510);
	assert_int_equal(value_month_add(202610, -22), 202412);
	assert_int_equal(value_month_add(202610, 27), 202901);
	assert_int_equal(value_month_add(202601, -1200), 192601);
	assert_int_equal(value_month_add(202613, 1), 0);
	assert_int_equal(value_month_add(INT32_MAX, 1), 0);
	assert_int_equal(value_month_add(202601, INT32_MAX), 0);
	assert_int_equal(value_month_add(202601, INT32_MIN), 0);

	assert_true(value_parse_month("2026-10", &ym));
	assert_int_equal(ym, 202610);
	assert_true(value_parse_month("2026-01", &ym));
	assert_int_equal(ym, 202601);
	assert_true(value_parse_month("1900-12", &ym));
	assert_int_equal(ym, 190012);
	ym = 7;
	assert_false(value_parse_month("2026-13", &ym));
	assert_false(value_parse_month("2026-00", &ym));
	assert_false(value_parse_month("2026-1", &ym));
	assert_false(value_parse_month("2026/10", &ym));
	assert_false(value_parse_month("202610", &ym));
	assert_false(value_parse_month("2026-10-01", &ym));
	assert_false(value_parse_month("2026-1x", &ym));
	assert_false(value_parse_month("26-10", &ym));
	assert_false(value_parse_month("1899-12", &ym));
	assert_false(value_parse_month("", &ym));
	assert_false(value_parse_month(NULL, &ym));
	assert_int_equal(ym, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trim),   cmocka_unit_test(test_trim_n),
	    cmocka_unit_test(test_date),   cmocka_unit_test(test_amount),
	    cmocka_unit_test(test_int),    cmocka_unit_test(test_bool),
	    cmocka_unit_test(test_id),     cmocka_unit_test(test_segment),
	    cmocka_unit_test(test_online), cmocka_unit_test(test_calendar),
	};

	return cmocka_run_group_tests_name("value", tests, NULL, NULL);
}
