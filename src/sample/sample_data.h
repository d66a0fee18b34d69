/* sample_data.h — the pieces `cundang sample` builds its files from: a seeded PRNG, a
 * day-number calendar, Chinese names, resident IDs, phones, and the CSV cell formatters. */
#ifndef CUNDANG_SAMPLE_DATA_H
#define CUNDANG_SAMPLE_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/* xoshiro256** seeded through splitmix64: our own generator, so an archive depends on
 * (households, seed) only and never on the C library's rand() or the clock. */
typedef struct {
	uint64_t s[4];
} sample_rng_t;

/* Seeds r from seed and a stream number; different streams give independent sequences,
 * which lets each village draw its own numbers whatever the other villages drew. */
void sample_rng_seed(sample_rng_t *r, uint64_t seed, uint64_t stream);

static inline uint64_t sample_rng_next(sample_rng_t *r)
{
	uint64_t *s = r->s;
	uint64_t x = s[1] * 5;
	uint64_t out = ((x << 7) | (x >> 57)) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return out;
}

/* Uniform in [0, n) for n ≥ 1 (multiply-shift; the bias is far below anything visible). */
static inline uint32_t sample_rng_below(sample_rng_t *r, uint32_t n)
{
	return (uint32_t)(((sample_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static inline double sample_rng_unit(sample_rng_t *r)
{
	return (double)(sample_rng_next(r) >> 11) * 0x1.0p-53;
}

static inline bool sample_rng_chance(sample_rng_t *r, double p)
{
	return sample_rng_unit(r) < p;
}

/* Uniform in [lo, hi], both included; lo ≤ hi. */
static inline int32_t sample_rng_range(sample_rng_t *r, int32_t lo, int32_t hi)
{
	return lo + (int32_t)sample_rng_below(r, (uint32_t)(hi - lo) + 1);
}

/* Days since 1970-01-01 for a proleptic Gregorian date, and back. Day 0 is never a date the
 * generator writes, so callers use 0 for "empty". */
int32_t sample_day(int y, int m, int d);
void sample_civil(int32_t day, int *y, int *m, int *d);

/* Writes a Chinese personal name (surname + one or two characters, UTF-8, NUL-terminated)
 * into out, which holds at least 16 bytes; returns its length. */
size_t sample_person_name(sample_rng_t *r, bool male, char *out);

/* Writes an 18-character resident ID (Jurong-area codes, birth 1950–2000, the sex digit
 * matching `male`, correct GB 11643 check character) into out[19], NUL-terminated. */
void sample_id_number(sample_rng_t *r, bool male, char *out);
/* The GB 11643 check character of the first 17 digits of id. */
char sample_id_check(const char *id);

/* Writes an 11-digit mainland mobile number into out[12], NUL-terminated. */
void sample_phone(sample_rng_t *r, char *out);

/* Writes a village name such as 东岗村 into out (≥ 32 bytes); distinct for the first
 * thousands of n and never ambiguous about which village it is. */
void sample_village_name(long n, char *out);

/* ---- cell text: hand-rolled because 10^8 fields through printf would be slow ---- */

/* Each writes at p (no NUL) and returns the end. */
static inline char *sample_put_u(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static inline char *sample_put_pad(char *p, unsigned v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

static inline char *sample_put_s(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

/* Date formats of SPEC §4: 2026-03-05, 2026/3/5, 20260305, 2026年3月5日, 2026.03.05; MIXED
 * draws one of them per cell. */
enum {
	SAMPLE_DATE_ISO,
	SAMPLE_DATE_SLASH,
	SAMPLE_DATE_COMPACT,
	SAMPLE_DATE_CHINESE,
	SAMPLE_DATE_DOT,
	SAMPLE_DATE_MIXED,
	SAMPLE_DATE_STYLES
};
/* Amount formats: 50000, 50,000.00, 5万, 3.5万元, 80000元; MIXED draws one per cell. */
enum {
	SAMPLE_AMT_PLAIN,
	SAMPLE_AMT_THOUSANDS,
	SAMPLE_AMT_WAN,
	SAMPLE_AMT_WAN_YUAN,
	SAMPLE_AMT_YUAN,
	SAMPLE_AMT_MIXED,
	SAMPLE_AMT_STYLES
};

/* Write into out (≥ 32 bytes, no NUL) and return the length. sample_fmt_ymd takes the
 * parts so that an impossible date can be written; sample_fmt_date writes nothing for
 * day 0; sample_fmt_amount takes fen. */
size_t sample_fmt_ymd(char *out, int y, int m, int d, int fmt);
int sample_pick_date_fmt(int fmt, sample_rng_t *r);
size_t sample_fmt_date(char *out, int32_t day, int fmt, sample_rng_t *r);
size_t sample_fmt_amount(char *out, int64_t fen, int fmt, sample_rng_t *r);

/* One CSV record being built: up to 16 cells, each shorter than SAMPLE_CELL_MAX. */
#define SAMPLE_CELL_MAX 120
typedef struct {
	char text[16][SAMPLE_CELL_MAX];
	size_t len[16];
} sample_row_t;

void sample_cell_set(sample_row_t *row, int col, const char *s);
void sample_cell_int(sample_row_t *row, int col, uint64_t v);
/* Appends the cells order[0..n) of row to b as one RFC 4180 record ending in LF or CRLF;
 * a cell is quoted when it holds a comma, quote or line break, or when quote_all. */
void sample_emit_row(buf_t *b, const sample_row_t *row, const int *order, int n, bool quote_all,
                     bool crlf);

/* ---- word lists ---- */
extern const char *const SAMPLE_CN_NUMBERS[]; /* 一 … 二十, index 0 is 一 */
#define SAMPLE_N_CN_NUMBERS 20
extern const char *const SAMPLE_TOWNS[]; /* Jurong-area towns, first three are 后白 下蜀 宝华 */
extern const int SAMPLE_N_TOWNS;
extern const char *const SAMPLE_INDUSTRIES[]; /* 一村一品 */
extern const int SAMPLE_N_INDUSTRIES;
extern const char *const SAMPLE_NEGATIVE_REASONS[];
extern const int SAMPLE_N_NEGATIVE_REASONS;
extern const char *const SAMPLE_GROUPS[]; /* 村民小组 names used in address-like grids */
extern const int SAMPLE_N_GROUPS;
extern const char *const SAMPLE_REMARKS[]; /* notes for the 备注 column */
extern const int SAMPLE_N_REMARKS;

#endif
