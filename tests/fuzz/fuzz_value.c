/* fuzz_value.c — libFuzzer target for every parser of src/value.h. The input, cut at its
 * first NUL, is given to each parser as it is and trimmed; a value read OK must satisfy
 * the header's contract and read back the same from its canonical spelling. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "read/value.h"

#define AMOUNT_LIMIT_FEN ((int64_t)1000000000000000) /* 10^13 yuan */

static void check_date(const char *s)
{
	int32_t ymd = -1;
	value_status_t st = value_parse_date(s, &ymd);
	FUZZ_CHECK(st == VALUE_OK || st == VALUE_EMPTY || st == VALUE_INVALID);
	if (st != VALUE_OK)
		return;
	int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	FUZZ_CHECK(y >= 1900 && y <= 2999);
	FUZZ_CHECK(value_is_real_date(y, m, d));
	/* the canonical spellings read back the same date */
	char buf[64];
	static const char *const forms[] = {"%04d-%02d-%02d", "%d/%d/%d", "%04d.%02d.%02d",
	                                    "%04d%02d%02d", "%d年%d月%d日"};
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		int32_t again = -1;
		snprintf(buf, sizeof buf, forms[i], y, m, d);
		FUZZ_CHECK(value_parse_date(buf, &again) == VALUE_OK && again == ymd);
	}
	/* the month helpers agree with the day */
	int32_t end = value_month_end(ymd / 100);
	FUZZ_CHECK(end / 100 == ymd / 100 && end % 100 >= d);
	FUZZ_CHECK(value_is_real_date(y, m, end % 100) && !value_is_real_date(y, m, end % 100 + 1));
}

static void check_amount(const char *s)
{
	int64_t fen = -1;
	value_status_t st = value_parse_amount(s, &fen);
	FUZZ_CHECK(st == VALUE_OK || st == VALUE_EMPTY || st == VALUE_INVALID);
	if (st != VALUE_OK)
		return;
	FUZZ_CHECK(fen >= 0 && fen <= AMOUNT_LIMIT_FEN);
	char buf[64];
	int64_t again = -1;
	snprintf(buf, sizeof buf, "%" PRId64 ".%02d", fen / 100, (int)(fen % 100));
	FUZZ_CHECK(value_parse_amount(buf, &again) == VALUE_OK && again == fen);
	snprintf(buf, sizeof buf, "%" PRId64 ".%02d元", fen / 100, (int)(fen % 100));
	FUZZ_CHECK(value_parse_amount(buf, &again) == VALUE_OK && again == fen);
	if (fen % 100 == 0 && fen / 100 <= AMOUNT_LIMIT_FEN / 1000000) {
		/* whole yuan also read in 万: 12345 yuan = 1.2345万 */
		int64_t yuan = fen / 100;
		snprintf(buf, sizeof buf, "%" PRId64 ".%04d万", yuan / 10000, (int)(yuan % 10000));
		FUZZ_CHECK(value_parse_amount(buf, &again) == VALUE_OK && again == fen);
	}
}

static void check_int(const char *s)
{
	int64_t n = -1;
	value_status_t st = value_parse_int(s, &n);
	FUZZ_CHECK(st == VALUE_OK || st == VALUE_EMPTY || st == VALUE_INVALID);
	if (st != VALUE_OK)
		return;
	FUZZ_CHECK(n >= 0 && n <= INT32_MAX);
	char buf[32];
	int64_t again = -1;
	snprintf(buf, sizeof buf, "%" PRId64, n);
	FUZZ_CHECK(value_parse_int(buf, &again) == VALUE_OK && again == n);
}

static void check_bool(const char *s)
{
	bool b = true;
	value_status_t st = value_parse_bool(s, &b);
	FUZZ_CHECK(st == VALUE_OK || st == VALUE_EMPTY || st == VALUE_INVALID);
	if (st != VALUE_OK)
		FUZZ_CHECK(!b); /* callers read false */
}

/* The GB 11643 rule written out again, to compare with value_check_id. */
static bool id_ok(const char *s)
{
	static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	if (strlen(s) != 18)
		return false;
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		sum += (s[i] - '0') * weight[i];
	}
	char last = s[17] == 'x' ? 'X' : s[17];
	if (last != "10X98765432"[sum % 11])
		return false;
	int y = 0, m = 0, d = 0;
	for (int i = 6; i < 10; i++)
		y = y * 10 + (s[i] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	return y >= 1900 && y <= 2999 && value_is_real_date(y, m, d);
}

static void check_id(const char *s, const char *trimmed)
{
	value_status_t st = value_check_id(s);
	FUZZ_CHECK(st == VALUE_OK || st == VALUE_EMPTY || st == VALUE_INVALID);
	FUZZ_CHECK((st == VALUE_EMPTY) == (trimmed[0] == '\0'));
	FUZZ_CHECK((st == VALUE_OK) == id_ok(trimmed));
}

static void check_segment(const char *s)
{
	segment_t seg = SEG_COUNT;
	value_status_t st = value_parse_segment(s, &seg);
	FUZZ_CHECK(st == VALUE_OK || st == VALUE_EMPTY || st == VALUE_INVALID);
	FUZZ_CHECK((unsigned)seg < SEG_COUNT);
	if (st != VALUE_OK)
		FUZZ_CHECK(seg == SEG_OTHER);
	const char *key = vocab_segment_key(seg), *label = vocab_segment_label(seg);
	FUZZ_CHECK(key && label);
	segment_t again = SEG_COUNT;
	FUZZ_CHECK(value_parse_segment(key, &again) == VALUE_OK && again == seg);
	FUZZ_CHECK(value_parse_segment(label, &again) == VALUE_OK && again == seg);
}

static void check_month(const char *s, uint32_t salt)
{
	int32_t ym = -1;
	if (!value_parse_month(s, &ym))
		return;
	int y = ym / 100, m = ym % 100;
	FUZZ_CHECK(y >= 1900 && y <= 2999 && m >= 1 && m <= 12);
	int32_t end = value_month_end(ym);
	FUZZ_CHECK(end / 100 == ym && value_is_real_date(y, m, end % 100));
	/* month_add: any delta is safe, and a delta that stays in range goes and comes back */
	int delta = (int)salt;
	int32_t moved = value_month_add(ym, delta);
	if (moved != 0) {
		FUZZ_CHECK(moved % 100 >= 1 && moved % 100 <= 12);
		FUZZ_CHECK(value_month_add(moved, -delta) == ym);
	}
	int small = (int)(salt % 2401) - 1200;
	moved = value_month_add(ym, small);
	FUZZ_CHECK(moved != 0 && value_month_add(moved, -small) == ym);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	char *t = malloc(size + 1);
	memcpy(t, s, size + 1);
	size_t n = strlen(t);
	char *trimmed = value_trim(t);
	FUZZ_CHECK(trimmed >= t && trimmed <= t + n && strlen(trimmed) <= n);
	uint32_t salt = 2166136261u;
	for (size_t i = 0; i < size; i++)
		salt = (salt ^ data[i]) * 16777619u;

	const char *inputs[2] = {s, trimmed};
	for (int k = 0; k < 2; k++) {
		const char *in = inputs[k];
		check_date(in);
		check_amount(in);
		check_int(in);
		check_bool(in);
		check_id(in, trimmed);
		check_segment(in);
		check_month(in, salt);
		(void)value_is_online(in);
	}
	/* the parsers trim for themselves: raw and trimmed text read the same */
	int32_t d1 = 0, d2 = 0;
	FUZZ_CHECK(value_parse_date(s, &d1) == value_parse_date(trimmed, &d2) && d1 == d2);
	int64_t a1 = 0, a2 = 0;
	FUZZ_CHECK(value_parse_amount(s, &a1) == value_parse_amount(trimmed, &a2) && a1 == a2);
	FUZZ_CHECK(value_is_online(s) == value_is_online(trimmed));
	/* the calendar helpers take any integers */
	int32_t raw = (int32_t)salt;
	(void)value_month_end(raw);
	(void)value_month_add(raw, (int)(salt * 2654435761u));
	(void)value_is_real_date(raw / 10000, raw / 100 % 100, raw % 100);
	free(t);
	free(s);
	return 0;
}
