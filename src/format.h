/* format.h — how figures and personal data are printed for people: percentages, yuan and
 * 万, dates, counts, and the masks of SPEC §7. Every renderer formats through here. */
#ifndef CUNDANG_FORMAT_H
#define CUNDANG_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* Each writes a NUL-terminated string into out (size n, at least 64) and returns out. */

/* 0.9531 → "95.3%"; NAN → "—". One decimal, rounded half away from zero. */
char *format_pct(char *out, size_t n, double rate);
/* A rate's change in percentage points to one decimal, rounded as format_pct: 0.023 →
 * "▲ 2.3 个百分点" (words) or "▲2.3" (compact); a change that rounds to 0.0 → "持平"; NAN →
 * "—". */
char *format_pp_change(char *out, size_t n, double change, bool words);
/* A rule's threshold as pages print it: "≥ 95.0%", "≤ 2.0%"; "" for no rule. */
char *format_threshold(char *out, size_t n, const indicator_rule_t *rule);
/* A share as the width of a bar in percent, 0..100 (a share above 1 fills the bar; NAN: 0). */
int format_width_pct(double share);
/* A rate shown beside its threshold or with a met/unmet mark: never reads as contradicting
 * the verdict. `met` is the verdict the caller already has (met(i) of SPEC §6, as given by the
 * indicators); it is not recomputed here. The text is format_pct(rate) — one decimal, half
 * away from zero — unless rule is not NULL, met is false, the rate is not null, and that text
 * would read as meeting the rule's threshold as format_pct prints it (a `min` rule: the shown
 * rate ≥ the shown threshold; a `max` rule: ≤). Then it has two decimals rounded toward the
 * failing side: down for `min` (0.9495 against min 0.95 → "94.95%", 0.94999 → "94.99%"),
 * up for `max` (0.02004 against max 0.02 → "2.01%"), with a tolerance of 1e-9 hundredths of a
 * percent for binary noise, and never at or across the threshold itself. A met rate, a null
 * one and one already shown on the failing side (0.29 against min 0.3 → "29.0%") print
 * exactly as format_pct. A threshold finer than tenths of a percent is printed rounded by
 * format_pct, so two decimals may still read close to it; thresholds of site.yaml are in whole
 * tenths (0.95, 0.02) in practice. */
char *format_pct_vs(char *out, size_t n, double rate, const indicator_rule_t *rule, bool met);
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
/* v as the indicator document writes a double: the shortest of printf's %.15g, %.16g and
 * %.17g that strtod reads back to v ("0.8235294117647058", "0.5"). out needs 32 bytes. */
char *format_json_double(char *out, size_t n, double v);

/* Masks (SPEC §7). Each writes into out (size n) and returns out; UTF-8 aware.
 * Names keep their first character and star the rest ("王建国" → "王**"); ID numbers keep
 * the first 6 and last 4 characters; phone numbers the first 3 and last 4. Text too short to
 * keep anything hidden is starred whole; empty stays empty. */
char *format_mask_name(char *out, size_t n, const char *name);
char *format_mask_id(char *out, size_t n, const char *id);
char *format_mask_phone(char *out, size_t n, const char *phone);

/* Masks in place, as format_mask_id and format_mask_phone would, every resident ID number and
 * mainland mobile number standing alone in free text s (a narrative, a value quoted in a
 * finding); digit runs of other lengths are left whole, and names cannot be told from other
 * words. Returns whether anything changed. */
int format_mask_numbers(char *s);

#endif
