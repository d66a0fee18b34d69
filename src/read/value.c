/* value.c — reads the field values of SPEC §4 (dates, amounts, integers, booleans,
 * segments, resident ID numbers) into integers, byte by byte and without the locale. */
#include "read/value.h"

#include <string.h>

/* Largest amount accepted: 10^13 yuan, in fen. */
#define AMOUNT_MAX_FEN 1000000000000000LL

/* A read-only view of part of a string; the parsers work on [b, e) so that no
 * input needs to be NUL-terminated where we look, nor copied, nor modified. */
typedef struct {
	const char *b, *e;
} span_t;

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* U+3000 IDEOGRAPHIC SPACE in UTF-8: Chinese spreadsheets pad cells with it. */
static const char IDEO_SPACE[] = "\xE3\x80\x80";

/* Length of the white space starting at p (0 if none), never reading past e. */
static size_t space_at(const char *p, const char *e)
{
	if (p < e && is_ascii_space(*p))
		return 1;
	if (e - p >= 3 && memcmp(p, IDEO_SPACE, 3) == 0)
		return 3;
	return 0;
}

/* Length of the white space ending just before e (0 if none), never reading before b. */
static size_t space_before(const char *b, const char *e)
{
	if (e > b && is_ascii_space(e[-1]))
		return 1;
	if (e - b >= 3 && memcmp(e - 3, IDEO_SPACE, 3) == 0)
		return 3;
	return 0;
}

/* v without the white space at either end. Most fields have none: white space begins with
 * a byte of at most ' ' or with 0xE3 (U+3000), and ends with one of at most ' ' or with 0x80,
 * so a field whose first and last bytes are neither is returned at once. */
static span_t span_trim(span_t v)
{
	size_t n;

	if (v.b == v.e)
		return v;
	unsigned char first = (unsigned char)v.b[0], last = (unsigned char)v.e[-1];
	if (first > ' ' && first != 0xE3 && last > ' ' && last != 0x80)
		return v;
	while ((n = space_at(v.b, v.e)) > 0)
		v.b += n;
	while ((n = space_before(v.b, v.e)) > 0)
		v.e -= n;
	return v;
}

/* The trimmed view of s. The parsers are documented to take trimmed text, but trimming
 * the view again costs two comparisons and keeps a caller that forgot from misreading a
 * field. NULL reads as empty. */
static span_t span_of(const char *s)
{
	span_t v = {s, s};

	if (s == NULL)
		return v;
	v.e = s + strlen(s);
	return span_trim(v);
}

static size_t span_len(span_t v)
{
	return (size_t)(v.e - v.b);
}

/* Whether v equals the literal lit exactly, byte for byte. */
static bool span_is(span_t v, const char *lit)
{
	size_t n = strlen(lit);

	return span_len(v) == n && memcmp(v.b, lit, n) == 0;
}

/* Whether v equals the ASCII literal lit, ignoring ASCII case only. */
static bool span_is_nocase(span_t v, const char *lit)
{
	size_t n = strlen(lit);

	if (span_len(v) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(v.b[i]) != ascii_lower(lit[i]))
			return false;
	return true;
}

/* If the text at *p starts with lit, steps past it. */
static bool eat(const char **p, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(e - *p) < n || memcmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

/* Reads between min and max digits at *p into *out and steps past them; false if fewer
 * than min. Callers keep max at 9 or less so *out cannot overflow. */
static bool digits(const char **p, const char *e, int min, int max, int *out)
{
	const char *q = *p;
	int v = 0, n = 0;

	while (q < e && n < max && is_digit(*q)) {
		v = v * 10 + (*q - '0');
		q++;
		n++;
	}
	if (n < min)
		return false;
	*p = q;
	*out = v;
	return true;
}

const char *value_trim_n(const char *s, size_t *len)
{
	span_t v = span_trim((span_t){s, s + *len});
	*len = span_len(v);
	return v.b;
}

char *value_trim(char *s)
{
	span_t v;

	if (s == NULL)
		return NULL;
	v = span_of(s);
	/* The view's end is inside s, so writing the terminator there is in bounds. */
	((char *)v.e)[0] = '\0';
	return (char *)v.b;
}

bool value_is_real_date(int y, int m, int d)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap;

	if (m < 1 || m > 12 || d < 1)
		return false;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && leap)
		return d <= 29;
	return d <= days[m - 1];
}

/* The year range a date in the archive may have; anything outside is a typing slip. */
static bool year_in_range(int y)
{
	return y >= 1900 && y <= 2999;
}

static value_status_t date_result(int y, int m, int d, int32_t *ymd)
{
	if (!year_in_range(y) || !value_is_real_date(y, m, d))
		return VALUE_INVALID;
	*ymd = (int32_t)(y * 10000 + m * 100 + d);
	return VALUE_OK;
}

/* The civil date a number of days after 1899-12-30 falls on (Howard Hinnant's
 * days-to-civil, shifted to that base). Callers keep days within 20000..80000. */
static void serial_to_civil(int days, int *y, int *m, int *d)
{
	/* 1899-12-30 is 25569 days before 1970-01-01; z counts from 0000-03-01. */
	long z = (long)days - 25569 + 719468;
	long era = z / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

value_status_t value_parse_date(const char *s, int32_t *ymd)
{
	span_t v = span_of(s);
	const char *p = v.b;
	int y, m, d;

	if (span_len(v) == 0)
		return VALUE_EMPTY;
	/* The usual form, 2026-03-05, read at once; the general reading below agrees. */
	if (span_len(v) == 10 && p[4] == '-' && p[7] == '-' && is_digit(p[0]) && is_digit(p[1]) &&
	    is_digit(p[2]) && is_digit(p[3]) && is_digit(p[5]) && is_digit(p[6]) &&
	    is_digit(p[8]) && is_digit(p[9]))
		return date_result(
		    (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0'),
		    (p[5] - '0') * 10 + (p[6] - '0'), (p[8] - '0') * 10 + (p[9] - '0'), ymd);
	/* Compact form: exactly eight digits and nothing else. */
	if (span_len(v) == 8 && digits(&p, v.e, 8, 8, &y))
		return date_result(y / 10000, y / 100 % 100, y % 100, ymd);
	/* Excel serial day number: a date cell Excel formatted as a number. Five digits
	 * only, so that 2026035 or 202603 stay slips rather than dates in 7437 or 2453. */
	p = v.b;
	if (span_len(v) == 5 && digits(&p, v.e, 5, 5, &y)) {
		if (y < 20000 || y > 80000)
			return VALUE_INVALID;
		serial_to_civil(y, &y, &m, &d);
		return date_result(y, m, d, ymd);
	}

	p = v.b;
	if (!digits(&p, v.e, 4, 4, &y))
		return VALUE_INVALID;
	if (p < v.e && (*p == '-' || *p == '/' || *p == '.')) {
		/* Both separators must be the same: 2026-03/05 is more likely a slip than a date.
		 */
		char sep = *p++;

		if (!digits(&p, v.e, 1, 2, &m) || p >= v.e || *p++ != sep ||
		    !digits(&p, v.e, 1, 2, &d) || p != v.e)
			return VALUE_INVALID;
		return date_result(y, m, d, ymd);
	}
	if (eat(&p, v.e, "年") && digits(&p, v.e, 1, 2, &m) && eat(&p, v.e, "月") &&
	    digits(&p, v.e, 1, 2, &d) && eat(&p, v.e, "日") && p == v.e)
		return date_result(y, m, d, ymd);
	return VALUE_INVALID;
}

/* Reads the integer part of an amount at *p: plain digits, or 1–3 digits followed by
 * groups ",ddd". Leading zeros are skipped so that only significant digits count toward
 * the size limit; *too_big is set (and the value stops growing) past 15 of them, which is
 * already more than 10^13 yuan, so no length of input can overflow. */
static bool amount_int_part(const char **p, const char *e, int64_t *out, bool *too_big)
{
	const char *q = *p;
	int64_t v = 0;
	int sig = 0, lead = 0;
	bool grouped = false;

	*too_big = false;
	while (q < e && (is_digit(*q) || *q == ',')) {
		if (*q == ',') {
			/* A comma needs 1–3 digits before the first one, exactly three
			 * between commas, and three digits right after it. */
			if (lead == 0 || (!grouped && lead > 3) || (grouped && lead != 3))
				return false;
			if (e - q < 4 || !is_digit(q[1]) || !is_digit(q[2]) || !is_digit(q[3]))
				return false;
			grouped = true;
			lead = 0;
			q++;
			continue;
		}
		if (sig > 0 || *q != '0') {
			if (++sig > 15)
				*too_big = true;
			else
				v = v * 10 + (*q - '0');
		}
		lead++;
		q++;
	}
	if (lead == 0 || (grouped && lead != 3))
		return false;
	*p = q;
	*out = v;
	return true;
}

value_status_t value_parse_amount(const char *s, int64_t *fen)
{
	span_t v = span_of(s);
	const char *p = v.b, *frac = NULL, *frac_end = NULL;
	int64_t whole, scale, part = 0;
	bool too_big, wan;
	int keep;

	if (span_len(v) == 0)
		return VALUE_EMPTY;
	if (!amount_int_part(&p, v.e, &whole, &too_big))
		return VALUE_INVALID;
	if (p < v.e && *p == '.') {
		frac = ++p;
		while (p < v.e && is_digit(*p))
			p++;
		frac_end = p;
		if (frac == frac_end) /* "12." */
			return VALUE_INVALID;
	}
	wan = eat(&p, v.e, "万");
	(void)eat(&p, v.e, "元");
	if (p != v.e || too_big)
		return VALUE_INVALID;

	/* Fen per unit of the integer part, and how many decimals are fen or larger. */
	scale = wan ? 1000000 : 100;
	keep = wan ? 6 : 2;
	if (whole > AMOUNT_MAX_FEN / scale)
		return VALUE_INVALID;
	if (frac != NULL) {
		int64_t unit = scale;

		for (const char *q = frac; q < frac_end; q++) {
			if (q - frac < keep) {
				unit /= 10;
				part += (*q - '0') * unit;
			} else if (*q != '0') {
				/* Finer than a fen; trailing zeros ("1.230") say nothing more. */
				return VALUE_INVALID;
			}
		}
	}
	if (whole * scale + part > AMOUNT_MAX_FEN)
		return VALUE_INVALID;
	*fen = whole * scale + part;
	return VALUE_OK;
}

value_status_t value_parse_int(const char *s, int64_t *out)
{
	span_t v = span_of(s);
	int64_t n = 0;

	if (span_len(v) == 0)
		return VALUE_EMPTY;
	for (const char *p = v.b; p < v.e; p++) {
		if (!is_digit(*p))
			return VALUE_INVALID;
		n = n * 10 + (*p - '0');
		/* Checked per digit, so n stays below 2^35 and never overflows. */
		if (n > INT32_MAX)
			return VALUE_INVALID;
	}
	*out = n;
	return VALUE_OK;
}

value_status_t value_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {VOCAB_YES, "y", "yes", "true", "1"};
	static const char *const no[] = {VOCAB_NO, "n", "no", "false", "0"};
	span_t v = span_of(s);

	*out = false;
	if (span_len(v) == 0)
		return VALUE_EMPTY;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (span_is_nocase(v, yes[i])) {
			*out = true;
			return VALUE_OK;
		}
		if (span_is_nocase(v, no[i]))
			return VALUE_OK;
	}
	return VALUE_INVALID;
}

value_status_t value_check_id(const char *s)
{
	static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[] = "10X98765432";
	span_t v = span_of(s);
	const char *p;
	int sum = 0, y = 0, m = 0, d = 0;
	char last;

	if (span_len(v) == 0)
		return VALUE_EMPTY;
	if (span_len(v) != 18)
		return VALUE_INVALID;
	for (int i = 0; i < 17; i++) {
		if (!is_digit(v.b[i]))
			return VALUE_INVALID;
		sum += (v.b[i] - '0') * weight[i];
	}
	last = v.b[17] == 'x' ? 'X' : v.b[17];
	if (last != check[sum % 11])
		return VALUE_INVALID;
	p = v.b + 6;
	(void)digits(&p, v.e, 4, 4, &y);
	(void)digits(&p, v.e, 2, 2, &m);
	(void)digits(&p, v.e, 2, 2, &d);
	if (!year_in_range(y) || !value_is_real_date(y, m, d))
		return VALUE_INVALID;
	return VALUE_OK;
}

value_status_t value_parse_segment(const char *s, segment_t *seg)
{
	span_t v = span_of(s);

	*seg = SEG_OTHER;
	if (span_len(v) == 0)
		return VALUE_EMPTY;
	for (int i = 0; i < SEG_COUNT; i++) {
		if (span_is(v, vocab_segment_label((segment_t)i)) ||
		    span_is_nocase(v, vocab_segment_key((segment_t)i))) {
			*seg = (segment_t)i;
			return VALUE_OK;
		}
	}
	return VALUE_INVALID;
}

bool value_is_online(const char *s)
{
	span_t v = span_of(s);

	return span_is(v, VOCAB_CHANNEL_MOBILE) || span_is(v, VOCAB_CHANNEL_WEB) ||
	       span_is(v, VOCAB_CHANNEL_ONLINE) || span_is_nocase(v, "mobile") ||
	       span_is_nocase(v, "online");
}

/* Returns 0 for a month outside 01..12, or a ym outside years 0..9999: there is no
 * last day to give, or it would not fit a yyyymmdd int32_t. */
int32_t value_month_end(int32_t ym)
{
	int y, m, d = 31;

	if (ym < 0 || ym > 999912)
		return 0;
	y = (int)(ym / 100);
	m = (int)(ym % 100);
	if (m < 1 || m > 12)
		return 0;
	while (!value_is_real_date(y, m, d))
		d--;
	return ym * 100 + d;
}

/* Returns 0 for an invalid ym, or when the result would fall outside years 0..9999
 * (a yyyymm integer cannot say more); otherwise the month delta months away. */
int32_t value_month_add(int32_t ym, int delta)
{
	int64_t months;
	int m;

	if (ym < 0)
		return 0;
	m = (int)(ym % 100);
	if (m < 1 || m > 12)
		return 0;
	/* In 64 bits, so that any int delta is safe. */
	months = (int64_t)(ym / 100) * 12 + (m - 1) + delta;
	if (months < 0 || months >= (int64_t)10000 * 12)
		return 0;
	return (int32_t)((months / 12) * 100 + months % 12 + 1);
}

bool value_parse_month(const char *s, int32_t *ym)
{
	span_t v = span_of(s);
	const char *p = v.b;
	int y, m;

	if (span_len(v) != 7 || !digits(&p, v.e, 4, 4, &y) || *p++ != '-' ||
	    !digits(&p, v.e, 2, 2, &m) || p != v.e)
		return false;
	/* The same year range as dates, so that the month's last day is a readable date. */
	if (!year_in_range(y) || m < 1 || m > 12)
		return false;
	*ym = (int32_t)(y * 100 + m);
	return true;
}
