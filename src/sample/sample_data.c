/* sample_data.c — word lists, calendar, person generators and cell formatters for
 * `cundang sample`; kept apart so that sample.c reads as the archive's layout only. */
#include "sample/sample_data.h"

#include <string.h>

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- PRNG ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void sample_rng_seed(sample_rng_t *r, uint64_t seed, uint64_t stream)
{
	/* Mixing the stream through splitmix first keeps nearby streams (village 7, 8)
	 * from starting in correlated states. */
	uint64_t x = stream;
	uint64_t k = seed ^ splitmix64(&x);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&k);
}

/* ---- calendar (Howard Hinnant's days_from_civil / civil_from_days) ---- */

int32_t sample_day(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void sample_civil(int32_t day, int *y, int *m, int *d)
{
	int32_t z = day + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* ---- names ---- */

/* Roughly in order of frequency, with the local surnames (笪 殷 芮 巫 樊) of Jurong. */
static const char *const SURNAMES[] = {
    "王", "张", "陈", "李", "刘", "周", "徐", "朱", "孙", "吴", "杨", "丁", "戴", "赵",
    "黄", "马", "胡", "郭", "何", "林", "高", "罗", "笪", "殷", "芮", "巫", "樊", "许",
    "沈", "姚", "陆", "汪", "范", "金", "石", "钱", "严", "潘", "蒋", "蔡", "唐", "韩",
    "冯", "曹", "彭", "袁", "于", "余", "杜", "叶", "程", "苏", "魏", "吕", "任", "卢",
    "姜", "崔", "谢", "宋", "邓", "曾", "肖", "田", "董", "贾", "夏", "方", "邹", "孟",
    "秦", "江", "薛", "顾", "毛", "龚", "邵", "万", "孔", "汤", "陶", "葛", "柏", "尹",
};

static const char *const GIVEN_MALE[] = {
    "建", "国", "华", "明", "军", "平", "伟", "强", "林", "勇", "峰", "东", "海", "荣",
    "春", "生", "根", "宝", "福", "祥", "龙", "金", "兴", "德", "文", "志", "忠", "成",
    "广", "富", "贵", "新", "永", "卫", "兵", "云", "山", "发", "斌", "涛", "杰", "鹏",
    "飞", "俊", "浩", "磊", "宏", "庆", "松", "才", "友", "良", "顺", "长", "洪", "正",
};

static const char *const GIVEN_FEMALE[] = {
    "秀", "英", "兰", "芳", "玉", "珍", "凤", "梅", "琴", "红", "霞", "丽", "娟", "燕",
    "萍", "华", "敏", "静", "芬", "美", "桂", "翠", "云", "花", "菊", "莲", "婷", "艳",
    "慧", "娣", "月", "素", "银", "雪", "小", "春", "荷", "香", "琳", "洁",
};

static size_t put_utf8(char *out, const char *s)
{
	size_t n = strlen(s);
	memcpy(out, s, n);
	return n;
}

size_t sample_person_name(sample_rng_t *r, bool male, char *out)
{
	/* Squaring the uniform draw favours the front of the list, as real surnames do. */
	double u = sample_rng_unit(r);
	size_t n = put_utf8(out, SURNAMES[(int)(u * u * COUNT(SURNAMES))]);
	const char *const *given = male ? GIVEN_MALE : GIVEN_FEMALE;
	int ngiven = male ? COUNT(GIVEN_MALE) : COUNT(GIVEN_FEMALE);
	n += put_utf8(out + n, given[sample_rng_below(r, (uint32_t)ngiven)]);
	if (sample_rng_chance(r, 0.75))
		n += put_utf8(out + n, given[sample_rng_below(r, (uint32_t)ngiven)]);
	out[n] = '\0';
	return n;
}

/* ---- resident IDs and phones ---- */

/* 321183 句容市 most of all, then the neighbours a household may have moved from. */
static const char *const AREA_CODES[] = {
    "321183", "321183", "321183", "321183", "321183", "321183",
    "321183", "321181", "321102", "321111", "320115", "320117",
};

char sample_id_check(const char *id)
{
	static const int W[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (id[i] - '0') * W[i];
	return "10X98765432"[sum % 11];
}

void sample_id_number(sample_rng_t *r, bool male, char *out)
{
	int32_t first = sample_day(1950, 1, 1), last = sample_day(2000, 12, 31);
	memcpy(out, AREA_CODES[sample_rng_below(r, COUNT(AREA_CODES))], 6);
	int y, m, d;
	sample_civil(sample_rng_range(r, first, last), &y, &m, &d);
	sample_put_pad(out + 6, (unsigned)y, 4);
	sample_put_pad(out + 10, (unsigned)m, 2);
	sample_put_pad(out + 12, (unsigned)d, 2);
	/* The 17th digit is odd for men, even for women (GB 11643). */
	unsigned seq = sample_rng_below(r, 500) * 2 + (male ? 1 : 0);
	sample_put_pad(out + 14, seq, 3);
	out[17] = sample_id_check(out);
	out[18] = '\0';
}

static const char *const PHONE_PREFIXES[] = {
    "139", "138", "137", "136", "135", "134", "150", "151", "152", "157", "158", "159",
    "182", "187", "188", "183", "130", "131", "132", "155", "156", "185", "186", "133",
    "153", "180", "181", "189", "177", "173", "199", "198", "191", "166", "176", "195",
};

void sample_phone(sample_rng_t *r, char *out)
{
	memcpy(out, PHONE_PREFIXES[sample_rng_below(r, COUNT(PHONE_PREFIXES))], 3);
	sample_put_pad(out + 3, sample_rng_below(r, 100000000), 8);
	out[11] = '\0';
}

/* ---- cell text ---- */

/* Writes y-m-d in the file's date format; takes the parts rather than a day number so
 * that the deliberate 30 February can be written too. */
size_t sample_fmt_ymd(char *out, int y, int m, int d, int fmt)
{
	char *p = sample_put_pad(out, (unsigned)y, 4);
	switch (fmt) {
	case SAMPLE_DATE_SLASH:
		*p++ = '/';
		p = sample_put_u(p, (unsigned)m);
		*p++ = '/';
		p = sample_put_u(p, (unsigned)d);
		break;
	case SAMPLE_DATE_COMPACT:
		p = sample_put_pad(p, (unsigned)m, 2);
		p = sample_put_pad(p, (unsigned)d, 2);
		break;
	case SAMPLE_DATE_CHINESE:
		p = sample_put_s(p, "年");
		p = sample_put_u(p, (unsigned)m);
		p = sample_put_s(p, "月");
		p = sample_put_u(p, (unsigned)d);
		p = sample_put_s(p, "日");
		break;
	default: {
		char sep = fmt == SAMPLE_DATE_DOT ? '.' : '-';
		*p++ = sep;
		p = sample_put_pad(p, (unsigned)m, 2);
		*p++ = sep;
		p = sample_put_pad(p, (unsigned)d, 2);
	}
	}
	return (size_t)(p - out);
}

int sample_pick_date_fmt(int fmt, sample_rng_t *r)
{
	return fmt == SAMPLE_DATE_MIXED ? (int)sample_rng_below(r, SAMPLE_DATE_MIXED) : fmt;
}

/* A day number in the file's format; day 0 writes an empty cell. */
size_t sample_fmt_date(char *out, int32_t day, int fmt, sample_rng_t *r)
{
	if (!day)
		return 0;
	int y, m, d;
	sample_civil(day, &y, &m, &d);
	return sample_fmt_ymd(out, y, m, d, sample_pick_date_fmt(fmt, r));
}

/* Yuan with thousands separators and two decimals: 50,000.00 */
static char *put_thousands(char *p, int64_t fen)
{
	char digits[24];
	char *e = sample_put_u(digits, (uint64_t)(fen / 100));
	int n = (int)(e - digits);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			*p++ = ',';
		*p++ = digits[i];
	}
	*p++ = '.';
	return sample_put_pad(p, (unsigned)(fen % 100), 2);
}

/* An amount in fen in the file's style. 万 is only used where it gives at most two
 * decimals (whole hundreds of yuan); other amounts fall back to plain yuan. */
size_t sample_fmt_amount(char *out, int64_t fen, int fmt, sample_rng_t *r)
{
	if (fmt == SAMPLE_AMT_MIXED)
		fmt = (int)sample_rng_below(r, SAMPLE_AMT_MIXED);
	if ((fmt == SAMPLE_AMT_WAN || fmt == SAMPLE_AMT_WAN_YUAN) && fen % 10000 != 0)
		fmt = SAMPLE_AMT_PLAIN;
	char *p = out;
	switch (fmt) {
	case SAMPLE_AMT_THOUSANDS:
		p = put_thousands(p, fen);
		break;
	case SAMPLE_AMT_WAN:
	case SAMPLE_AMT_WAN_YUAN: {
		int64_t hundreds = fen / 10000; /* in units of 0.01 万 */
		p = sample_put_u(p, (uint64_t)(hundreds / 100));
		if (hundreds % 100) {
			*p++ = '.';
			*p++ = (char)('0' + hundreds % 100 / 10);
			if (hundreds % 10)
				*p++ = (char)('0' + hundreds % 10);
		}
		p = sample_put_s(p, fmt == SAMPLE_AMT_WAN ? "万" : "万元");
		break;
	}
	default:
		p = sample_put_u(p, (uint64_t)(fen / 100));
		if (fen % 100) {
			*p++ = '.';
			p = sample_put_pad(p, (unsigned)(fen % 100), 2);
		}
		if (fmt == SAMPLE_AMT_YUAN)
			p = sample_put_s(p, "元");
	}
	return (size_t)(p - out);
}

/* ---- CSV rows ---- */

void sample_cell_set(sample_row_t *row, int col, const char *s)
{
	size_t n = strlen(s);
	memcpy(row->text[col], s, n);
	row->len[col] = n;
}

void sample_cell_int(sample_row_t *row, int col, uint64_t v)
{
	row->len[col] = (size_t)(sample_put_u(row->text[col], v) - row->text[col]);
}

/* Appends the cells named by order[0..n) as one RFC 4180 record; a cell is quoted when
 * it holds a comma, quote or line break, or when quote_all. */
void sample_emit_row(buf_t *b, const sample_row_t *row, const int *order, int n, bool quote_all,
                     bool crlf)
{
	buf_reserve(b, (size_t)n * (2 * SAMPLE_CELL_MAX + 3) + 2);
	char *p = b->data + b->len;
	for (int i = 0; i < n; i++) {
		const char *s = row->text[order[i]];
		size_t len = row->len[order[i]];
		if (i)
			*p++ = ',';
		bool quote = quote_all;
		for (size_t k = 0; k < len && !quote; k++)
			quote = s[k] == ',' || s[k] == '"' || s[k] == '\n' || s[k] == '\r';
		if (!quote) {
			memcpy(p, s, len);
			p += len;
			continue;
		}
		*p++ = '"';
		for (size_t k = 0; k < len; k++) {
			if (s[k] == '"')
				*p++ = '"';
			*p++ = s[k];
		}
		*p++ = '"';
	}
	if (crlf)
		*p++ = '\r';
	*p++ = '\n';
	*p = '\0';
	b->len = (size_t)(p - b->data);
}

/* ---- places ---- */

static const char *const VILLAGE_FIRST[] = {
    "东", "西", "南", "北", "上", "下", "前", "后", "大", "小", "新", "老", "高", "石", "李",
    "王", "张", "柏", "杨", "柳", "桃", "梅", "竹", "松", "黄", "白", "青", "红", "金", "银",
    "马", "龙", "凤", "鹤", "茅", "赤", "丰", "福", "和", "安", "长", "永", "万", "三", "五",
    "六", "九", "双", "天", "云", "花", "草", "葛", "朱", "陈", "周", "孙", "戴", "殷", "唐",
};

static const char *const VILLAGE_SECOND[] = {
    "庄", "塘", "岗", "桥", "湾", "圩", "山", "冲", "溪", "甸", "巷", "墩", "港", "坝", "头",
    "园", "林", "里", "家", "埠", "营", "店", "铺", "集", "堰", "亭", "洼", "岭", "坊", "垾",
};

void sample_village_name(long n, char *out)
{
	/* Walk the first × second grid with a stride coprime to its size, so neighbouring
	 * villages get unrelated names; after one full lap add 二, 三 … before 村. */
	long grid = (long)COUNT(VILLAGE_FIRST) * COUNT(VILLAGE_SECOND);
	long k = (n % grid) * 7919 % grid, lap = n / grid;
	size_t len = put_utf8(out, VILLAGE_FIRST[k / COUNT(VILLAGE_SECOND)]);
	len += put_utf8(out + len, VILLAGE_SECOND[k % COUNT(VILLAGE_SECOND)]);
	if (lap > 0)
		len += put_utf8(out + len, SAMPLE_CN_NUMBERS[lap % SAMPLE_N_CN_NUMBERS]);
	len += put_utf8(out + len, "村");
	out[len] = '\0';
}

const char *const SAMPLE_CN_NUMBERS[SAMPLE_N_CN_NUMBERS] = {
    "一",   "二",   "三",   "四",   "五",   "六",   "七",   "八",   "九",   "十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
};

const char *const SAMPLE_TOWNS[] = {
    "后白", "下蜀", "宝华", "茅山", "郭庄", "天王", "边城", "白兔", "华阳", "黄梅", "崇明", "袁巷",
    "东昌", "赤山", "春城", "土桥", "亭子", "葛村", "行香", "二圣", "磨盘", "白塔", "东阳",
};
const int SAMPLE_N_TOWNS = COUNT(SAMPLE_TOWNS);

const char *const SAMPLE_INDUSTRIES[] = {
    "葡萄",   "草莓",     "茶叶",     "稻米", "苗木",   "水产", "黑莓",   "应时鲜果", "花卉",
    "中药材", "乡村旅游", "生猪养殖", "蓝莓", "水蜜桃", "芦笋", "食用菌", "螃蟹",     "青虾",
};
const int SAMPLE_N_INDUSTRIES = COUNT(SAMPLE_INDUSTRIES);

/* "涉诉,已结案" carries a comma on purpose: the CSV writer has to quote it. */
const char *const SAMPLE_NEGATIVE_REASONS[] = {
    "赌博",     "失信被执行人",   "涉诉,已结案", "不良嗜好",
    "涉黑涉恶", "信用卡恶意透支", "好逸恶劳",    "家庭纠纷未解决",
};
const int SAMPLE_N_NEGATIVE_REASONS = COUNT(SAMPLE_NEGATIVE_REASONS);

const char *const SAMPLE_GROUPS[] = {
    "东组", "西组", "南组", "北组", "前庄组", "后庄组", "张家组", "李家边组", "河东组", "河西组",
};
const int SAMPLE_N_GROUPS = COUNT(SAMPLE_GROUPS);

const char *const SAMPLE_REMARKS[] = {
    "低保户", "脱贫户", "新迁入", "拆迁安置", "户主长期在外", "已办社保卡",
};
const int SAMPLE_N_REMARKS = COUNT(SAMPLE_REMARKS);
