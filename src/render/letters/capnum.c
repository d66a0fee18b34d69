/* capnum.c — capital Chinese numerals for amounts, by the rules of the payment settlement
 * measures (支付结算办法): one 零 for any run of zeros, 整 after 元, nothing after 分. */
#include "render/letters/capnum.h"

#include <string.h>

static const char *const DIGIT[10] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
static const char *const UNIT4[4] = {"", "拾", "佰", "仟"};

typedef struct {
	char *p;
	size_t left;
} out_t;

static void put(out_t *o, const char *s)
{
	size_t k = strlen(s);
	if (k >= o->left) { /* only with n < CAPNUM_MAX: stop at a whole character */
		o->left = 1;
		return;
	}
	memcpy(o->p, s, k);
	o->p += k;
	o->left -= k;
	*o->p = '\0';
}

/* n in 1..9999: 仟佰拾 digits, one 零 for inner zeros, trailing zeros dropped. */
static void put4(out_t *o, int n)
{
	int d[4] = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
	int start = 0;
	while (d[start] == 0)
		start++;
	int zero = 0;
	for (int i = start; i < 4; i++) {
		if (d[i] == 0) {
			zero = 1;
			continue;
		}
		if (zero)
			put(o, DIGIT[0]);
		zero = 0;
		put(o, DIGIT[d[i]]);
		put(o, UNIT4[3 - i]);
	}
}

/* n ≥ 1, read by groups: 亿 (10^8) above 万 (10^4), nested for larger amounts (壹万亿,
 * 壹亿亿). A lower part that does not fill its places starts with 零 (壹万零伍). */
static void put_int(out_t *o, uint64_t n)
{
	static const struct {
		uint64_t size;
		const char *name;
	} GROUP[2] = {{100000000ULL, "亿"}, {10000ULL, "万"}};
	for (int g = 0; g < 2; g++) {
		if (n < GROUP[g].size)
			continue;
		put_int(o, n / GROUP[g].size);
		put(o, GROUP[g].name);
		uint64_t low = n % GROUP[g].size;
		if (low == 0)
			return;
		if (low < GROUP[g].size / 10)
			put(o, DIGIT[0]);
		put_int(o, low);
		return;
	}
	put4(o, (int)n);
}

char *capnum_yuan(int64_t fen, char *out, size_t n)
{
	out_t o = {out, n};
	if (n == 0)
		return out;
	out[0] = '\0';
	if (fen < 0)
		return out;
	uint64_t yuan = (uint64_t)fen / 100;
	int jiao = (int)(fen / 10 % 10), f = (int)(fen % 10);
	if (yuan == 0 && jiao == 0 && f == 0) {
		put(&o, "零元整");
		return out;
	}
	if (yuan > 0) {
		put_int(&o, yuan);
		put(&o, "元");
	}
	if (jiao == 0 && f == 0) {
		put(&o, "整");
		return out;
	}
	if (jiao > 0) {
		put(&o, DIGIT[jiao]);
		put(&o, "角");
	} else if (yuan > 0) {
		put(&o, DIGIT[0]); /* 壹元零伍分: the missing 角 is read as 零 */
	}
	if (f > 0) {
		put(&o, DIGIT[f]);
		put(&o, "分");
	}
	return out;
}
