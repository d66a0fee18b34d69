/* format.c — how figures and personal data are printed for people (see format.h): fixed
 * rounding and grouping that ignore the locale, and the UTF-8-aware masks of SPEC §7. */
#include "format.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define DASH "\xe2\x80\x94"        /* U+2014, shown for a figure that does not exist */
#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD, shown for a kept byte that is not UTF-8 */

/* Large enough for any double printed with "%.2f" (about 310 digits) plus sign and unit. */
#define NUMBUF 512

/* The output being written: whole characters are appended while they fit, so the text is
 * always NUL-terminated and never ends in part of a character. Once one character does not
 * fit, nothing more is added — a later, shorter character would misrepresent the text. */
typedef struct {
	char *p;
	size_t n;
	size_t len;
	bool full;
} sink_t;

static sink_t S_sink(char *out, size_t n)
{
	sink_t s = {out, n, 0, n == 0};
	if (n)
		out[0] = '\0';
	return s;
}

/* Appends one character of k bytes, or marks the sink full. */
static void S_put(sink_t *s, const char *c, size_t k)
{
	if (s->full || k >= s->n - s->len) {
		s->full = true;
		return;
	}
	memcpy(s->p + s->len, c, k);
	s->len += k;
	s->p[s->len] = '\0';
}

/* Length of the well-formed UTF-8 character at p (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0 when the byte at p does not start one. */
static size_t S_utf8_len(const unsigned char *p)
{
	unsigned char b = p[0];
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t k;
	if (b >= 0xe0 && b <= 0xef) {
		k = 3;
		if (b == 0xe0)
			lo = 0xa0;
		else if (b == 0xed)
			hi = 0x9f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		k = 4;
		if (b == 0xf0)
			lo = 0x90;
		else if (b == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	/* A NUL terminator fails the continuation test, so this never reads past the string. */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < k; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return k;
}

/* Bytes taken by the character at p: its UTF-8 length, or 1 for a byte that is not UTF-8
 * (counted as one character on its own). */
static size_t S_char_len(const char *p)
{
	size_t k = S_utf8_len((const unsigned char *)p);
	return k ? k : 1;
}

/* Appends the character at p as kept text; an invalid byte becomes U+FFFD so the output
 * stays well-formed UTF-8. Returns the bytes of input consumed. */
static size_t S_put_kept(sink_t *s, const char *p)
{
	size_t k = S_utf8_len((const unsigned char *)p);
	if (k) {
		S_put(s, p, k);
		return k;
	}
	S_put(s, REPLACEMENT, sizeof REPLACEMENT - 1);
	return 1;
}

/* Appends text that is known to be well-formed UTF-8, one character at a time. */
static void S_puts(sink_t *s, const char *t)
{
	while (*t && !s->full)
		t += S_put_kept(s, t);
}

/* Writes the well-formed UTF-8 string t into out (size n) with the sink's truncation. */
static char *S_emit(char *out, size_t n, const char *t)
{
	sink_t s = S_sink(out, n);
	S_puts(&s, t);
	return out;
}

/* Writes v in decimal with a comma every three digits into buf (at least 27 bytes). */
static void S_group(char *buf, uint64_t v)
{
	char rev[32];
	size_t k = 0, digits = 0;
	do {
		if (digits && digits % 3 == 0)
			rev[k++] = ',';
		rev[k++] = (char)('0' + v % 10);
		v /= 10;
		digits++;
	} while (v);
	for (size_t i = 0; i < k; i++)
		buf[i] = rev[k - 1 - i];
	buf[k] = '\0';
}

/* |v| without overflow, INT64_MIN included. */
static uint64_t S_magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* Rates at or beyond this many percent are printed by "%.1f" and never get two decimals. */
#define PCT_EXACT 1e14

/* The tenths of a percent format_pct prints for rate, signed; false when it prints "—" or
 * the rate is beyond exact tenths. Half away from zero, with a relative tolerance so that a
 * rate stored as 0.95349999999999990 (meaning 0.9535) still rounds up to 95.4. */
static bool S_tenths(double rate, int64_t *tenths)
{
	double p = rate * 100.0;
	if (!isfinite(p) || fabs(p) >= PCT_EXACT)
		return false;
	double x = fabs(p) * 10.0;
	int64_t t = (int64_t)floor(x + 0.5 + 1e-9 * fmax(x, 1.0));
	*tenths = p < 0 ? -t : t;
	return true;
}

int format_width_pct(double share)
{
	return isnan(share) ? 0 : (int)lround(share > 1 ? 100 : share * 100);
}

char *format_pct(char *out, size_t n, double rate)
{
	char buf[NUMBUF];
	double p = rate * 100.0;
	int64_t t;
	if (!isfinite(p))
		return S_emit(out, n, DASH);
	if (!S_tenths(rate, &t)) {
		/* Beyond exact tenths in a double; no usage rate gets here. */
		snprintf(buf, sizeof buf, "%.1f%%", p);
		return S_emit(out, n, buf);
	}
	/* A value that rounds to zero prints without a sign: "0.0%", never "-0.0%". */
	uint64_t m = S_magnitude(t);
	snprintf(buf, sizeof buf, "%s%" PRIu64 ".%d%%", t < 0 ? "-" : "", m / 10, (int)(m % 10));
	return S_emit(out, n, buf);
}

char *format_pct_vs(char *out, size_t n, double rate, const indicator_rule_t *rule, bool met)
{
	int64_t shown, limit;
	if (!rule || met || !S_tenths(rate, &shown) || !S_tenths(rule->threshold, &limit))
		return format_pct(out, n, rate);
	/* Only a text that reads as meeting the threshold printed beside it changes. */
	if (rule->is_max ? shown > limit : shown < limit)
		return format_pct(out, n, rate);
	/* Hundredths of a percent toward the failing side; a rate within the tolerance of the
	 * threshold itself steps one hundredth past it, so the text never reads as meeting it. */
	double x = rate * 10000.0;
	int64_t h;
	if (rule->is_max) {
		h = (int64_t)ceil(x - 1e-9);
		if ((double)h / 10000.0 <= rule->threshold)
			h++;
	} else {
		h = (int64_t)floor(x + 1e-9);
		if ((double)h / 10000.0 >= rule->threshold)
			h--;
	}
	char buf[NUMBUF];
	uint64_t m = S_magnitude(h);
	snprintf(buf, sizeof buf, "%s%" PRIu64 ".%02d%%", h < 0 ? "-" : "", m / 100,
	         (int)(m % 100));
	return S_emit(out, n, buf);
}

char *format_yuan(char *out, size_t n, int64_t fen)
{
	char num[32], buf[64];
	uint64_t m = S_magnitude(fen);
	S_group(num, m / 100);
	snprintf(buf, sizeof buf, "%s\xc2\xa5%s.%02d", fen < 0 ? "-" : "", num, (int)(m % 100));
	return S_emit(out, n, buf);
}

char *format_wan(char *out, size_t n, int64_t fen)
{
	uint64_t m = S_magnitude(fen);
	if (m < 1000000) /* below 1万 yuan */
		return format_yuan(out, n, fen);
	/* Tenths of 万 are 1e5 fen; round half away from zero. m + 50000 cannot overflow since
	 * m <= 2^63. */
	uint64_t t = (m + 50000) / 100000;
	char num[32], buf[64];
	S_group(num, t / 10);
	snprintf(buf, sizeof buf, "%s%s.%d\xe4\xb8\x87", fen < 0 ? "-" : "", num, (int)(t % 10));
	return S_emit(out, n, buf);
}

char *format_count(char *out, size_t n, int64_t v)
{
	char num[32], buf[40];
	S_group(num, S_magnitude(v));
	snprintf(buf, sizeof buf, "%s%s", v < 0 ? "-" : "", num);
	return S_emit(out, n, buf);
}

/* Dates and months: a value <= 0 is "no date" and prints as "". Other values are printed
 * field by field without validation, so a malformed one stays visible rather than hidden. */
char *format_date(char *out, size_t n, int32_t ymd)
{
	char buf[40] = "";
	if (ymd > 0)
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", (int)(ymd / 10000),
		         (int)(ymd / 100 % 100), (int)(ymd % 100));
	return S_emit(out, n, buf);
}

char *format_month(char *out, size_t n, int32_t ym)
{
	char buf[40] = "";
	if (ym > 0)
		snprintf(buf, sizeof buf, "%04d-%02d", (int)(ym / 100), (int)(ym % 100));
	return S_emit(out, n, buf);
}

char *format_month_cn(char *out, size_t n, int32_t ym)
{
	char buf[40] = "";
	if (ym > 0)
		snprintf(buf, sizeof buf, "%d\xe5\xb9\xb4%d\xe6\x9c\x88", (int)(ym / 100),
		         (int)(ym % 100));
	return S_emit(out, n, buf);
}

char *format_score(char *out, size_t n, double score)
{
	char buf[NUMBUF];
	if (!isfinite(score))
		return S_emit(out, n, DASH);
	snprintf(buf, sizeof buf, "%.2f", score);
	/* A tiny negative score would print "-0.00"; a sign on zero means nothing to a reader. */
	if (strcmp(buf, "-0.00") == 0)
		return S_emit(out, n, "0.00");
	return S_emit(out, n, buf);
}

/* Characters in s, an invalid byte counting as one. */
static size_t S_count_chars(const char *s)
{
	size_t c = 0;
	while (*s) {
		s += S_char_len(s);
		c++;
	}
	return c;
}

/* Keeps the first `head` and last `tail` characters of s and stars the rest; when s has no
 * more than head + tail characters (nothing would be hidden) every character is starred.
 * NULL counts as "". */
static char *S_mask(char *out, size_t n, const char *s, size_t head, size_t tail)
{
	sink_t k = S_sink(out, n);
	if (!s)
		return out;
	size_t total = S_count_chars(s);
	if (total <= head + tail)
		head = tail = 0;
	for (size_t i = 0; *s && !k.full; i++) {
		if (i < head || i >= total - tail) {
			s += S_put_kept(&k, s);
		} else {
			S_put(&k, "*", 1);
			s += S_char_len(s);
		}
	}
	return out;
}

char *format_mask_name(char *out, size_t n, const char *name)
{
	/* A one-character name keeps nothing: "王" → "*". */
	return S_mask(out, n, name, 1, 0);
}

char *format_mask_id(char *out, size_t n, const char *id)
{
	return S_mask(out, n, id, 6, 4);
}

char *format_mask_phone(char *out, size_t n, const char *phone)
{
	return S_mask(out, n, phone, 3, 4);
}

static int S_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Masks, in place, the resident ID numbers (17 digits then a digit or X) and mainland mobile
 * numbers (1[3-9] and 9 more digits) of s, each standing alone: a run of digits of any other
 * length (a 19-digit account number, a 12-digit figure) is left whole, as it is neither.
 * The masks are format_mask_id's and format_mask_phone's, so a number reads the same in a
 * narrative or a finding as in the household table.
 * Names cannot be told apart from other words in free text: they are left as written.
 * Returns whether anything changed. */
int format_mask_numbers(char *s)
{
	int changed = 0;
	for (size_t i = 0; s[i];) {
		if (!S_is_digit(s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (S_is_digit(s[j]))
			j++;
		size_t len = j - i;
		if (len == 17 && (s[j] == 'X' || s[j] == 'x') && !S_is_digit(s[j + 1]))
			len = 18, j++;
		char num[19], masked[64];
		if (len == 18 || (len == 11 && s[i + 1] >= '3' && s[i + 1] <= '9' && s[i] == '1')) {
			memcpy(num, s + i, len);
			num[len] = '\0';
			if (len == 18)
				format_mask_id(masked, sizeof masked, num);
			else
				format_mask_phone(masked, sizeof masked, num);
			/* ASCII in, ASCII out: the mask has the length of the number. */
			memcpy(s + i, masked, len);
			changed = 1;
		}
		i = j;
	}
	return changed;
}
