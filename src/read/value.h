/* value.h — parsers for the field values of SPEC §4: dates, amounts, integers,
 * booleans, segments and resident ID numbers. Pure functions; no allocation. */
#ifndef CUNDANG_VALUE_H
#define CUNDANG_VALUE_H

#include "vocab.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	VALUE_OK = 0,
	VALUE_EMPTY,   /* the (trimmed) text is empty */
	VALUE_INVALID, /* the text is there but cannot be read */
} value_status_t;

/* Trims ASCII white space (and U+3000 ideographic space) from both ends in place.
 * Returns s advanced past leading space. */
char *value_trim(char *s);

/* The same trim of the len bytes at s, which need not be NUL-terminated: returns where the
 * trimmed text starts and sets *len to its length. */
const char *value_trim_n(const char *s, size_t *len);

/* Dates: 2026-03-05, 2026/3/5, 2026.03.05, 20260305, 2026年3月5日, and an Excel serial
 * day number of five digits from 20000 to 80000 (days after 1899-12-30: 46023 is
 * 2026-01-01; other five-digit numbers are invalid).
 * On VALUE_OK *ymd = yyyymmdd (e.g. 20260305); the date is a real calendar date
 * with year 1900..2999. Text is expected trimmed. */
value_status_t value_parse_date(const char *s, int32_t *ymd);

/* Amounts in yuan → integer fen: 12345, 12,345.60, 12345元, 3万, 3.5万, 3万元, 3.456万.
 * Separators group by three; at most two decimals after scaling; negative is invalid;
 * values above 10^13 yuan are invalid. */
value_status_t value_parse_amount(const char *s, int64_t *fen);

/* Non-negative integers 0..2^31-1 (members, overdue_days). */
value_status_t value_parse_int(const char *s, int64_t *out);

/* 是/否, Y/N, yes/no, true/false, 1/0, any case. Empty is VALUE_EMPTY (callers read false). */
value_status_t value_parse_bool(const char *s, bool *out);

/* GB 11643 resident ID: 18 chars, 17 digits then digit or X/x, real date in chars 7–14
 * (year 1900..2999), correct check character. */
value_status_t value_check_id(const char *s);

/* Chinese or English name (any case for English) → segment. Empty → SEG_OTHER with
 * VALUE_EMPTY; unknown text → SEG_OTHER with VALUE_INVALID. */
value_status_t value_parse_segment(const char *s, segment_t *seg);

/* Channel: 手机银行/网银/线上/mobile/online (any case for English) → true. */
bool value_is_online(const char *s);

/* Calendar helpers on yyyymmdd / yyyymm integers. */
bool value_is_real_date(int y, int m, int d);
int32_t value_month_end(int32_t ym);            /* 202602 → 20260228 */
int32_t value_month_add(int32_t ym, int delta); /* 202601, -1 → 202512 */
/* "2026-10" → 202610; returns false unless YYYY-MM with month 01..12. */
bool value_parse_month(const char *s, int32_t *ym);

#endif
