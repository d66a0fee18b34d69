/* format.h — how figures and personal data are printed for people: percentages, yuan and
 * 万, dates, counts, and the masks of SPEC §7. Every renderer formats through here. */
#ifndef CUNDANG_FORMAT_H
#define CUNDANG_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* Each writes a NUL-terminated string into out (size n, at least 64) and returns out. */

/* 0.9531 → "95.3%"; NAN → "—". One decimal, rounded half away from zero. */
char *format_pct(char *out, size_t n, double rate);
/* 123456 fen → "¥1,234.56". */
char *format_yuan(char *out, size_t n, int64_t fen);
/* 123456789 fen → "123.5万"; below 1万 yuan → "¥8,000.00" style via format_yuan. */
char *format_wan(char *out, size_t n, int64_t fen);
/* 1234567 → "1,234,567". */
char *format_count(char *out, size_t n, int64_t v);
/* 20260305 → "2026-03-05"; 0 → "". */
char *format_date(char *out, size_t n, int32_t ymd);
/* 202610 → "2026-10". */
char *format_month(char *out, size_t n, int32_t ym);
/* 202610 → "2026年10月". */
char *format_month_cn(char *out, size_t n, int32_t ym);
/* A score 97.727 (already rounded to two decimals) → "97.73"; NAN → "—". */
char *format_score(char *out, size_t n, double score);

/* Masks (SPEC §7). Each writes into out (size n) and returns out; UTF-8 aware.
 * Names keep their first character and star the rest ("王建国" → "王**"); ID numbers keep
 * the first 6 and last 4 characters; phone numbers the first 3 and last 4. Text too short to
 * keep anything hidden is starred whole; empty stays empty. */
char *format_mask_name(char *out, size_t n, const char *name);
char *format_mask_id(char *out, size_t n, const char *id);
char *format_mask_phone(char *out, size_t n, const char *phone);

#endif
