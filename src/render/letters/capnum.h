/* capnum.h — amounts in capital Chinese numerals (大写金额) as a bank writes them on a
 * credit notification letter: 壹万零伍元整, 壹万贰仟叁佰肆拾伍元陆角柒分. */
#ifndef CUNDANG_CAPNUM_H
#define CUNDANG_CAPNUM_H

#include <stddef.h>
#include <stdint.h>

/* Longest result, for INT64_MAX fen, with its NUL: 36 characters of 3 bytes each. */
#define CAPNUM_MAX 128

/* Writes fen (≥ 0) as capital numerals into out (n ≥ CAPNUM_MAX) and returns out:
 * "零元整" for 0, "…元整" for whole yuan, "…元…角…分" otherwise (零 for a missing 角
 * before 分, no 元 when there are no whole yuan, as "伍分"). A negative fen gives "". */
char *capnum_yuan(int64_t fen, char *out, size_t n);

#endif
