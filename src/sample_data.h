/* sample_data.h — the word lists and small generators behind `cundang sample`: a seeded
 * PRNG, a day-number calendar, Chinese person and place names, resident IDs and phones. */
#ifndef CUNDANG_SAMPLE_DATA_H
#define CUNDANG_SAMPLE_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Word lists. */
extern const char *const SAMPLE_CN_NUMBERS[];   /* 一 … 二十, index 0 is 一 */
#define SAMPLE_N_CN_NUMBERS 20
extern const char *const SAMPLE_TOWNS[];        /* Jurong-area towns, first three are 后白 下蜀 宝华 */
extern const int SAMPLE_N_TOWNS;
extern const char *const SAMPLE_INDUSTRIES[];   /* 一村一品 */
extern const int SAMPLE_N_INDUSTRIES;
extern const char *const SAMPLE_NEGATIVE_REASONS[];
extern const int SAMPLE_N_NEGATIVE_REASONS;
extern const char *const SAMPLE_GROUPS[];       /* 村民小组 names used in address-like grids */
extern const int SAMPLE_N_GROUPS;
extern const char *const SAMPLE_REMARKS[];      /* notes for the 备注 column */
extern const int SAMPLE_N_REMARKS;

#endif
