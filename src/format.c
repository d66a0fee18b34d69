/* format.c — how figures and personal data are printed for people (see format.h): fixed
 * rounding and grouping that ignore the locale, and the UTF-8-aware masks of SPEC §7. */
#include "format.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "vocab.h"

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

/* Writes v (< 10^width) in width digits with leading zeros at p; returns p + width. Dates
 * are printed by the hundred thousand (a dossier's table, a work list), so not by snprintf. */
static char *S_digits(char *p, unsigned v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + width;
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

char *format_threshold(char *out, size_t n, const indicator_rule_t *rule)
{
	char p[NUMBUF], buf[NUMBUF];
	if (!rule)
		return S_emit(out, n, "");
	snprintf(buf, sizeof buf, "%s %s", rule->is_max ? "≤" : "≥",
	         format_pct(p, sizeof p, rule->threshold));
	return S_emit(out, n, buf);
}

char *format_pp_change(char *out, size_t n, double change, bool words)
{
	char buf[NUMBUF];
	int64_t t;
	if (!S_tenths(change, &t))
		return format_pct(out, n, change); /* "—" for NAN */
	if (t == 0)
		return S_emit(out, n, VOCAB_FLAT);
	uint64_t m = S_magnitude(t);
	snprintf(buf, sizeof buf, "%s%s%" PRIu64 ".%d%s", t > 0 ? VOCAB_UP : VOCAB_DOWN,
	         words ? " " : "", m / 10, (int)(m % 10), words ? " " VOCAB_POINTS : "");
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
	char *p = buf;
	if (fen < 0)
		*p++ = '-';
	memcpy(p, "\xc2\xa5", 2);
	p += 2;
	size_t len = strlen(num);
	memcpy(p, num, len);
	p += len;
	*p++ = '.';
	*S_digits(p, (unsigned)(m % 100), 2) = '\0';
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
	if (ymd > 0 && ymd <= 99991231) {
		char *p = S_digits(buf, (unsigned)(ymd / 10000), 4);
		*p++ = '-';
		p = S_digits(p, (unsigned)(ymd / 100 % 100), 2);
		*p++ = '-';
		*S_digits(p, (unsigned)(ymd % 100), 2) = '\0';
	} else if (ymd > 0) {
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", (int)(ymd / 10000),
		         (int)(ymd / 100 % 100), (int)(ymd % 100));
	}
	return S_emit(out, n, buf);
}

char *format_month(char *out, size_t n, int32_t ym)
{
	char buf[40] = "";
	if (ym > 0 && ym <= 999912) {
		char *p = S_digits(buf, (unsigned)(ym / 100), 4);
		*p++ = '-';
		*S_digits(p, (unsigned)(ym % 100), 2) = '\0';
	} else if (ym > 0) {
		snprintf(buf, sizeof buf, "%04d-%02d", (int)(ym / 100), (int)(ym % 100));
	}
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

/* The digit at p, ASCII or full-width (U+FF10..FF19, "１３９"): its value '0'..'9' in *d and
 * its length in bytes, or 0 when there is none. s is NUL-terminated, so looking one byte
 * ahead after a match is always in bounds. */
static size_t S_digit_at(const char *p, char *d)
{
	const unsigned char *u = (const unsigned char *)p;
	if (u[0] >= '0' && u[0] <= '9') {
		*d = (char)u[0];
		return 1;
	}
	if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
		*d = (char)('0' + (u[2] - 0x90));
		return 3;
	}
	return 0;
}

/* An ID number's check character X at p (X, x, full-width Ｘ or ｘ): its length, or 0. */
static size_t S_x_at(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	if (u[0] == 'X' || u[0] == 'x')
		return 1;
	if (u[0] == 0xEF && ((u[1] == 0xBC && u[2] == 0xB8) || (u[1] == 0xBD && u[2] == 0x98)))
		return 3;
	return 0;
}

/* A separator people write inside a number (139-1234-0002, 139 1234 0003): space, hyphen,
 * ideographic space, full-width hyphen. Its length, or 0. */
static size_t S_sep_at(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	if (u[0] == ' ' || u[0] == '-')
		return 1;
	if ((u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) ||
	    (u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x8D))
		return 3;
	return 0;
}

/* Per digit of a run: where a group (digits between separators) starts, and what to star. */
enum { S_GROUP = 1, S_STAR = 2 };

/* Whether the 11 digits at d are a mainland mobile number: 1, then 3–9, then 9 digits. */
static bool S_mobile(const char *d)
{
	if (d[0] != '1' || d[1] < '3' || d[1] > '9')
		return false;
	for (int k = 2; k < 11; k++)
		if (!S_is_digit(d[k]))
			return false;
	return true;
}

/* Whether the 18 characters at d have an ID number's shape: 17 digits, then a digit or X. */
static bool S_id_shape(const char *d)
{
	for (int k = 0; k < 17; k++)
		if (!S_is_digit(d[k]))
			return false;
	return S_is_digit(d[17]) || d[17] == 'X';
}

/* Whether the 8 digits at d could be a birth date (1900–2099): how an ID is told apart from
 * any 18 digits inside a longer run. */
static bool S_birth_date(const char *d)
{
	int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
	int m = (d[4] - '0') * 10 + (d[5] - '0'), day = (d[6] - '0') * 10 + (d[7] - '0');
	return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

/* Whether digits [a, b) of a run may be one number: inside one group, or from the start of a
 * group to the end of one. "2019 2020 2021" holds 11 digits from 1 on, but they start
 * inside a group: years listed with spaces, no phone number. */
static bool S_aligned(const unsigned char *f, size_t len, size_t a, size_t b)
{
	bool one_group = true;
	for (size_t k = a + 1; k < b; k++)
		if (f[k] & S_GROUP)
			one_group = false;
	return one_group || ((f[a] & S_GROUP) && (b == len || (f[b] & S_GROUP)));
}

static void S_star(unsigned char *f, size_t from, size_t to)
{
	for (size_t k = from; k < to; k++)
		f[k] |= S_STAR;
}

/* Decides which digits of a run (d: its digits and final X, f: group starts) to star. A run
 * of exactly 18 written without separators is an ID number as before, whatever its date; inside a
 * longer run, a mobile after 86 (+86, 0086), an ID (with a birth date where it belongs) or a mobile
 * is looked for at every digit, so that two numbers run together, or one after a prefix, are found.
 * The stars are format_mask_id's and format_mask_phone's: 6 and 4 kept, 3 and 4. */
static bool S_decide(const char *d, unsigned char *f, size_t len)
{
	bool any = false;
	if (len == 18 && S_id_shape(d) && memchr(f + 1, S_GROUP, len - 1) == NULL) {
		S_star(f, 6, 14);
		return true;
	}
	for (size_t p = 0; p < len;) {
		size_t n = len - p, group = 0;
		if (f[p] & S_GROUP)
			while (p + group < len && (group == 0 || !(f[p + group] & S_GROUP)))
				group++;
		size_t digits = group && d[p + group - 1] == 'X' ? group - 1 : group;
		if ((group == 18 && S_id_shape(d + p)) || digits == 18) {
			/* A group of its own of 18 is an ID whatever its date, as a run of 18 (and
			 * 18 digits with an X after them are too). */
			S_star(f, p + 6, p + 14);
			p += 18;
		} else if (n >= 13 && d[p] == '8' && d[p + 1] == '6' && S_mobile(d + p + 2) &&
		           S_aligned(f, len, p, p + 13)) {
			S_star(f, p + 5, p + 9);
			p += 13;
		} else if (n >= 18 && S_id_shape(d + p) && S_birth_date(d + p + 6) &&
		           S_aligned(f, len, p, p + 18)) {
			S_star(f, p + 6, p + 14);
			p += 18;
		} else if (n >= 11 && S_mobile(d + p) && S_aligned(f, len, p, p + 11)) {
			S_star(f, p + 3, p + 7);
			p += 11;
		} else {
			p++;
			continue;
		}
		any = true;
	}
	return any;
}

/* Masks, in place, the resident ID numbers and mainland mobile numbers of free text s, as
 * people write them: digits ASCII or full-width, grouped by spaces or hyphens
 * (139-1234-0002, 321181 19700101 123X), after +86, or two run together. A run of digits is
 * read with its separators (at most two between groups) and a final X; S_decide says what to
 * star. A masked full-width digit becomes one '*', so s may get shorter, never longer.
 * Other runs (a 19-digit account number, a 12-digit figure, dates) are left whole, and
 * names cannot be told from other words: they are left as written. Returns whether anything
 * changed. */
int format_mask_numbers(char *s)
{
	/* Most text has no digit at all (a digit is ASCII, or full-width: EF BC 90..99). */
	if (!strpbrk(s, "0123456789\xEF"))
		return 0;
	size_t cap = strlen(s) + 1;
	/* The run buffers are as long as s: on the stack for text of up to 255 bytes (every
	 * field of an export), on the heap beyond. */
	char dsmall[256];
	unsigned char fsmall[256];
	char *d = cap <= sizeof dsmall ? dsmall : xmalloc(cap);
	unsigned char *f = cap <= sizeof fsmall ? fsmall : xmalloc(cap);
	size_t r = 0, w = 0;
	int changed = 0;
	char c;
	while (s[r]) {
		if (!S_digit_at(s + r, &c)) {
			s[w++] = s[r++];
			continue;
		}
		/* Read the run: digits, separators between them, and an X right after a digit
		 * that is not followed by another digit. */
		size_t len = 0, end = r, n;
		bool group = true;
		for (;;) {
			if ((n = S_digit_at(s + end, &c)) > 0) {
				d[len] = c;
				f[len++] = group ? S_GROUP : 0;
				group = false;
				end += n;
			} else if ((n = S_x_at(s + end)) > 0 && !group &&
			           !S_digit_at(s + end + n, &c)) {
				d[len] = 'X';
				f[len++] = 0;
				end += n;
				break;
			} else {
				size_t q = end, seps = 0;
				while (seps < 2 && (n = S_sep_at(s + q)) > 0) {
					q += n;
					seps++;
				}
				if (seps == 0 || !S_digit_at(s + q, &c))
					break;
				end = q;
				group = true;
			}
		}
		/* Stars split a run, and what is left visible between them reads as a run of its
		 * own: it is looked at again until nothing more is found (a mobile taken out of
		 * 2132012319900101123X leaves 19900101123X, which would read as one). */
		for (bool more = true; more;) {
			more = false;
			for (size_t a = 0; a < len;) {
				size_t b = a;
				while (b < len && !(f[b] & S_STAR))
					b++;
				if (b - a >= 11) {
					if (a > 0)
						f[a] |= S_GROUP; /* after a star, as after a
						                    separator */
					if (S_decide(d + a, f + a, b - a))
						more = true, changed = 1;
				}
				a = b + 1;
			}
		}
		/* Write the run back, a starred digit as one '*'. */
		for (size_t k = 0; r < end;) {
			if ((n = S_digit_at(s + r, &c)) > 0 || (n = S_x_at(s + r)) > 0) {
				if (f[k++] & S_STAR) {
					s[w++] = '*';
					r += n;
					continue;
				}
				for (size_t b = 0; b < n; b++)
					s[w++] = s[r++];
			} else {
				s[w++] = s[r++];
			}
		}
	}
	s[w] = '\0';
	if (d != dsmall)
		free(d);
	if (f != fsmall)
		free(f);
	return changed;
}

/* ---- the indicator document's doubles ---- */

/* For 1e-4 ≤ a < 1e5 the digits are worked out exactly in 128-bit integers instead of by
 * printf and strtod (three of each per rate, a tenth of `stats --json`): a = m / 2^s, so
 * N = m × 10^p is a × 10^p × 2^s exactly, the d significant digits are N / 2^s rounded half
 * to even (as glibc's printf rounds), and they read back to a when they lie within half a
 * gap to a's neighbours (ties to even, as strtod rounds). Returns false outside the range. */
static bool S_shortest(char *out, double a)
{
	if (!(a >= 1e-4 && a < 1e5))
		return false;
	int e;
	uint64_t m = (uint64_t)ldexp(frexp(a, &e), 53); /* a = m × 2^(e − 53), m ≥ 2^52 */
	int s = 53 - e;                                 /* 37 ≤ s ≤ 67 */
	int k = e * 30103 / 100000 - 1;                 /* 10^k ≤ a, adjusted below */
	static const double p10[] = {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
	while (k + 1 <= 5 && p10[k + 1 + 5] <= a)
		k++;
	while (k > -5 && p10[k + 5] > a)
		k--;
	typedef unsigned __int128 u128;
	const u128 one = 1, mask = (one << s) - 1;
	for (int d = 15; d <= 17; d++) {
		int p = d - 1 - k; /* 11 ≤ p ≤ 21 */
		u128 pow = 1;
		for (int i = 0; i < p; i++)
			pow *= 10;
		u128 n = (u128)m * pow; /* < 2^53 × 10^21 < 2^123 */
		u128 q = n >> s, rem = n & mask, half = one << (s - 1);
		if (rem > half || (rem == half && (q & 1)))
			q++;
		/* q × 2^s against n: within half the gap to the neighbour on that side (the gap
		 * below a power of two is half the one above). */
		u128 qs = q << s, diff = qs > n ? qs - n : n - qs;
		u128 gap2 = qs < n && m == (UINT64_C(1) << 52) ? pow / 2 : pow; /* 2 × half gap */
		bool back = 2 * diff < gap2 || (2 * diff == gap2 && !(m & 1));
		if (!back && d < 17)
			continue;
		/* The digits of q (d of them, or d + 1 when rounding carried to 10^d) placed
		 * around the point as %g does for this range, trailing zeros dropped. */
		char dig[40];
		int nd = 0;
		for (u128 t = q; t; t /= 10)
			dig[nd++] = (char)('0' + (int)(t % 10));
		int point = nd - p; /* digits before the point */
		int last = 0;       /* the lowest digit written: zeros after the point go */
		while (last < p && dig[last] == '0')
			last++;
		char *o = out;
		if (point <= 0) {
			*o++ = '0';
			*o++ = '.';
			for (int i = 0; i < -point; i++)
				*o++ = '0';
			for (int i = nd - 1; i >= last; i--)
				*o++ = dig[i];
		} else {
			for (int i = nd - 1; i >= p; i--)
				*o++ = dig[i];
			if (last < p)
				*o++ = '.';
			for (int i = p - 1; i >= last; i--)
				*o++ = dig[i];
		}
		*o = '\0';
		return true;
	}
	return false;
}

char *format_json_double(char *out, size_t n, double v)
{
	char tmp[40];
	if (v == 0 || !isfinite(v)) {
		snprintf(out, n, "%.15g", v);
		return out;
	}
	char *t = tmp;
	if (v < 0)
		*t++ = '-';
	if (S_shortest(t, fabs(v)) && strlen(tmp) < n) {
		memcpy(out, tmp, strlen(tmp) + 1);
		return out;
	}
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(out, n, "%.*g", digits, v);
		if (strtod(out, NULL) == v)
			break;
	}
	return out;
}
