/* sample.c — `cundang sample`: plans branches and villages from one seed, then writes
 * site.yaml, each village's village.md and households.csv, and the loan ledger files. */
#include "sample/sample.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sample/sample_data.h"
#include "vocab.h"

#define MAX_BRANCHES 99
#define MAX_HOUSEHOLDS 100000000L /* keeps the integer village split inside int64 */
#define HOUSEHOLDS_PER_VILLAGE 330
#define FLUSH_AT (1u << 20) /* loan files go to disk in 1 MiB pieces */

/* ---- styles: how one exported file spells its dates, amounts and headers ---- */

enum { ENC_UTF8, ENC_BOM, ENC_GB18030 };

typedef struct {
	bool chinese_header; /* 户号 … instead of household_id … */
	bool alt_header; /* the second accepted spelling: 户主, 身份证号码, 手机号 … */
	int encoding;
	bool crlf;
	int date_fmt, amount_fmt;
	bool segment_chinese; /* 农户 instead of farmer */
	bool bool_chinese;    /* 是/否 instead of Y/N */
	bool reorder;         /* columns in another order (the reader matches headers) */
	bool quote_all;       /* every cell in quotes, as some core-system exports do */
	bool grid_address;    /* grids like "第二网格,东组", which must be quoted */
	bool remark_column;   /* an unknown 备注 column: one finding for the file */
	bool blank_line;      /* one empty line in the middle of the file */
	bool padded_header;   /* a header cell with a trailing space */
	bool english_channel; /* mobile/online/counter instead of 手机银行/线上/柜面 */
} style_t;

/* ---- the plan ---- */

typedef struct {
	char code[16], name[48], town[24];
	long households, nvillages;
	int first_manager, nmanagers;
} branch_t;

typedef struct {
	char code[24], name[48];
	int branch;
	long seq;          /* 1-based number within the branch, for the code */
	char grade;        /* 'A' 'B' 'C' */
	bool not_started;  /* launched after the report month */
	long rows, total;  /* rows listed; households_total (-1: omitted) */
	long population;   /* -1: omitted */
	int32_t launched;  /* day number */
	int campaign_days; /* how long the door-to-door visits take */
	int industries[3], nindustries;
	int managers[2], nmanagers;
	bool checks[4];
	int ngrids;
	style_t style;
	/* as of the report month, for the narrative */
	long visited, archived, granted, signed_on, negative;
} village_t;

/* How a grade's campaign goes; A 示范村 pass the acceptance rules of site.yaml, C fail. */
typedef struct {
	double negative, visit, archive, grant, sign, npl;
	int campaign_lo, campaign_hi; /* days */
	int grant_delay, sign_delay, disburse_delay;
	int loans_permille[4];  /* P(0, 1, 2, 3 loans | signed), per mille */
	int extra_lo, extra_hi; /* households_total above the rows, per mille */
	int launch_from[3], launch_to[3];
	double checks; /* chance of ticking each qualitative check */
} grade_t;

static const grade_t GRADES[3] = {
    {
        /* A: launched early, visits done in a season, most households sign and borrow */
        .negative = 0.015,
        .visit = 0.99,
        .archive = 0.975,
        .grant = 0.93,
        .sign = 0.80,
        .npl = 0.0,
        .campaign_lo = 60,
        .campaign_hi = 150,
        .grant_delay = 45,
        .sign_delay = 60,
        .disburse_delay = 90,
        .loans_permille = {180, 300, 320, 200},
        .extra_lo = 0,
        .extra_hi = 10,
        .launch_from = {2025, 5, 1},
        .launch_to = {2026, 1, 31},
        .checks = 1.0,
    },
    {
        /* B: close to the thresholds, some pass and some fail */
        .negative = 0.03,
        .visit = 0.975,
        .archive = 0.95,
        .grant = 0.88,
        .sign = 0.72,
        .npl = 0.003,
        .campaign_lo = 100,
        .campaign_hi = 220,
        .grant_delay = 60,
        .sign_delay = 90,
        .disburse_delay = 120,
        .loans_permille = {270, 330, 250, 150},
        .extra_lo = 0,
        .extra_hi = 30,
        .launch_from = {2025, 5, 1},
        .launch_to = {2026, 3, 31},
        .checks = 0.85,
    },
    {
        /* C: launched late, visits still under way at the report month */
        .negative = 0.045,
        .visit = 0.90,
        .archive = 0.88,
        .grant = 0.75,
        .sign = 0.58,
        .npl = 0.008,
        .campaign_lo = 200,
        .campaign_hi = 420,
        .grant_delay = 90,
        .sign_delay = 120,
        .disburse_delay = 120,
        .loans_permille = {400, 300, 200, 100},
        .extra_lo = 10,
        .extra_hi = 80,
        .launch_from = {2025, 8, 1},
        .launch_to = {2026, 9, 30},
        .checks = 0.55,
    },
};

/* Deliberate data-quality findings in households files, by village (in read order) and
 * 0-based data row; each row is forced into the state its finding needs. */
typedef enum {
	Q_NONE = 0,
	Q_BAD_CHECK,            /* ID with a wrong check character */
	Q_SIGNED_BEFORE_GRANT,  /* signed_on before granted_on */
	Q_DUPLICATE_ID,         /* household_id of an earlier village's row */
	Q_BAD_DATE,             /* visited_on on 30 February */
	Q_CREDIT_NO_GRANT,      /* credit_line without granted_on */
	Q_UNKNOWN_SEGMENT,      /* 个体户 */
	Q_NEGATIVE_WITH_CREDIT, /* negative list and a granted credit line */
} quirk_t;

static const struct {
	long village, row;
	quirk_t kind;
} QUIRKS[] = {
    {0, 4, Q_BAD_CHECK},
    {0, 9, Q_SIGNED_BEFORE_GRANT},
    {1, 3, Q_DUPLICATE_ID},
    {1, 6, Q_BAD_DATE},
    {2, 5, Q_CREDIT_NO_GRANT},
    {2, 8, Q_UNKNOWN_SEGMENT},
    {3, 7, Q_NEGATIVE_WITH_CREDIT},
};
#define DUPLICATED_ROW 2   /* the row of village 0 whose id the duplicate reuses */
#define BLANK_AFTER_ROW 10 /* village 2: the blank line follows this row */
#define MULTILINE_ROW 12   /* village 3: a 备注 with a quote and a line break */

/* Loan ledger files, in read (bytewise) order; a loan goes to the file of its
 * disbursement half-year. */
enum { LF_2025, LF_2026H1, LF_2026H2, LOAN_FILES };
static const char *const LOAN_FILE_NAMES[LOAN_FILES] = {"2025.csv", "2026H1.csv", "2026H2.csv"};
#define UNKNOWN_LOAN_AFTER 5 /* loans/2026H1.csv: the loan of an unknown household */
#define BALANCE_FROM_ROW 3   /* loans/2026H1.csv: first outstanding loan from here */
#define DUP_LOAN_AFTER 7     /* loans/2026H2.csv: the repeated loan_id */

typedef struct {
	char id[24];
	const char *household;
	int product, channel;    /* channel: 0 mobile, 1 netbank, 2 counter, 3 online */
	int64_t amount, balance; /* fen */
	int32_t disbursed, due, settled;
	int overdue;
} loan_t;

typedef struct {
	style_t style;
	FILE *f;
	buf_t buf;
	long rows; /* data rows written, the quirk rows included */
} loan_file_t;

typedef struct {
	char id[32], name[16], idno[20], phone[12];
	bool male, migrant, no_loans;
	int segment, grid, manager; /* manager: index into gen.managers, -1 for none */
	int members, negative;      /* negative: reason index, -1 for none */
	int remark;                 /* SAMPLE_REMARKS index, -1 for none */
	int32_t visited, archived, granted, signed_on; /* day numbers, 0 = empty */
	int64_t credit;                                /* fen, 0 = none */
	quirk_t quirk;
} hh_t;

/* One run of sample_write: the plan, the open loan files and reusable buffers. */
typedef struct {
	const char *dir;
	uint64_t seed;
	long households;
	branch_t *branches;
	int nbranches;
	char (*managers)[16];
	int nmanagers;
	village_t *villages;
	long nvillages;
	int32_t as_of, export_day, not_started_on;
	loan_file_t loans[LOAN_FILES];
	long loan_seq[2];                          /* per disbursement year 2025, 2026 */
	char first_loan_id[24], first_loan_hh[32]; /* first row of loans/2025.csv */
	bool unknown_loan_done, balance_quirk_done, dup_loan_done;
	buf_t out, conv;
	iconv_t gb;
} gen_t;

/* ---- households columns ---- */

enum {
	C_ID,
	C_NAME,
	C_IDNO,
	C_PHONE,
	C_SEGMENT,
	C_GRID,
	C_MANAGER,
	C_MEMBERS,
	C_MIGRANT,
	C_VISITED,
	C_ARCHIVED,
	C_NEGATIVE,
	C_CREDIT,
	C_GRANTED,
	C_SIGNED,
	C_REMARK,
	HH_COLS
};

static const char *const HH_EN[HH_COLS] = {
    "household_id", "head_name",  "id_number", "phone",      "segment",     "grid",
    "manager",      "members",    "migrant",   "visited_on", "archived_on", "negative_reason",
    "credit_line",  "granted_on", "signed_on", "remark",
};
/* C_ID … C_SIGNED are the reader's columns in its order (vocab.h HC_*); C_REMARK is not one. */
#define REMARK_CN "备注"
static const int HH_ORDER[HH_COLS] = {
    C_ID,      C_NAME,    C_IDNO,     C_PHONE,    C_SEGMENT, C_GRID,    C_MANAGER, C_MEMBERS,
    C_MIGRANT, C_VISITED, C_ARCHIVED, C_NEGATIVE, C_CREDIT,  C_GRANTED, C_SIGNED,  C_REMARK,
};
/* The order of the other export template: contact first, dates before amounts. */
static const int HH_ORDER_ALT[HH_COLS] = {
    C_ID,      C_NAME,    C_PHONE,    C_IDNO,   C_SEGMENT, C_MANAGER, C_GRID,     C_MEMBERS,
    C_MIGRANT, C_VISITED, C_ARCHIVED, C_CREDIT, C_GRANTED, C_SIGNED,  C_NEGATIVE, C_REMARK,
};

/* Segments in the order of the tables below (not value.h's; the sampler needs no reader). */
enum { S_FARMER, S_MERCHANT, S_EMPLOYEE, S_AGRI, S_CIVIL, S_OTHER };
static const segment_t SEG_OF[6] = {SEG_FARMER, SEG_MERCHANT, SEG_EMPLOYEE,
                                    SEG_AGRI,   SEG_CIVIL,    SEG_OTHER};
static const int SEG_PERMILLE[6] = {700, 100, 90, 50, 30, 30};
static const int MEMBERS_PERMILLE[7] = {60, 180, 260, 240, 150, 80, 30};

/* ---- loans columns ---- */

enum {
	L_ID,
	L_HH,
	L_PRODUCT,
	L_AMOUNT,
	L_DISBURSED,
	L_DUE,
	L_SETTLED,
	L_BALANCE,
	L_OVERDUE,
	L_CHANNEL,
	LOAN_COLS
};
static const char *const LOAN_EN[LOAN_COLS] = {
    "loan_id", "household_id", "product", "amount",       "disbursed_on",
    "due_on",  "settled_on",   "balance", "overdue_days", "channel",
};
static const int LOAN_ORDER[LOAN_COLS] = {
    L_ID, L_HH, L_PRODUCT, L_AMOUNT, L_DISBURSED, L_DUE, L_SETTLED, L_BALANCE, L_OVERDUE, L_CHANNEL,
};
static const char *const PRODUCTS[4] = {"惠农e贷", "富民贷", "金农贷", "创业贷"};
static const char *const CHANNEL_CN[4] = {VOCAB_CHANNEL_MOBILE, VOCAB_CHANNEL_WEB, "柜面",
                                          VOCAB_CHANNEL_ONLINE};
static const char *const CHANNEL_EN[4] = {"mobile", "online", "counter", "online"};

static int pick_permille(sample_rng_t *r, const int *permille, int n)
{
	int u = (int)sample_rng_below(r, 1000);
	for (int i = 0; i < n - 1; i++) {
		if (u < permille[i])
			return i;
		u -= permille[i];
	}
	return n - 1;
}

/* ---- files and directories ---- */

static int sys_err(err_t *err, const char *path)
{
	return err_set(err, path, 0, "%s", strerror(errno));
}

static int mkdir_p(const char *dir, err_t *err)
{
	char *failed = NULL;
	if (path_make_dirs(dir, 0, false, &failed) == 0)
		return 0;
	int rc = sys_err(err, failed);
	free(failed);
	return rc;
}

/* DIR must be absent (then it is created) or an empty directory. */
static int prepare_dir(const char *dir, err_t *err)
{
	struct stat st;
	if (!*dir)
		return err_set(err, NULL, 0, "the output directory name is empty");
	if (stat(dir, &st) != 0) {
		if (errno != ENOENT)
			return sys_err(err, dir);
		return mkdir_p(dir, err);
	}
	if (!S_ISDIR(st.st_mode))
		return err_set(err, dir, 0, "exists and is not a directory");
	DIR *d = opendir(dir);
	if (!d)
		return sys_err(err, dir);
	struct dirent *e;
	bool empty = true;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = false;
	closedir(d);
	if (!empty)
		return err_set(err, dir, 0, "exists and is not empty");
	return 0;
}

static int make_subdir(gen_t *g, const char *rel, err_t *err)
{
	char *path = path_join(g->dir, rel);
	int rc = mkdir(path, 0777) == 0 ? 0 : sys_err(err, path);
	free(path);
	return rc;
}

static FILE *open_out(gen_t *g, const char *rel, err_t *err)
{
	char *path = path_join(g->dir, rel);
	FILE *f = fopen(path, "wb");
	if (!f)
		sys_err(err, path);
	free(path);
	return f;
}

static int close_out(FILE *f, const char *rel, err_t *err)
{
	bool bad = ferror(f) != 0;
	if (fclose(f) != 0 || bad)
		return err_set(err, rel, 0, "write failed: %s", strerror(errno ? errno : EIO));
	return 0;
}

static int write_whole(gen_t *g, const char *rel, const char *data, size_t len, err_t *err)
{
	FILE *f = open_out(g, rel, err);
	if (!f)
		return -1;
	if (len && fwrite(data, 1, len, f) != len) {
		fclose(f);
		return err_set(err, rel, 0, "write failed: %s", strerror(errno));
	}
	return close_out(f, rel, err);
}

/* Converts src (UTF-8) into g->conv as GB18030, the encoding of Excel on Chinese Windows. */
static int to_gb18030(gen_t *g, const char *src, size_t len, const char *rel, err_t *err)
{
	buf_clear(&g->conv);
	buf_reserve(&g->conv, len * 2 + 16); /* GB18030 never needs more than 4/3 of UTF-8 */
	char *in = (char *)src, *out = g->conv.data;
	size_t inleft = len, outleft = g->conv.cap - 1;
	iconv(g->gb, NULL, NULL, NULL, NULL);
	if (iconv(g->gb, &in, &inleft, &out, &outleft) == (size_t)-1)
		return err_set(err, rel, 0, "cannot convert to GB18030: %s", strerror(errno));
	g->conv.len = (size_t)(out - g->conv.data);
	g->conv.data[g->conv.len] = '\0';
	return 0;
}

/* Turns LF into CRLF in g->conv, for the village.md files written the Windows way. */
static void to_crlf(gen_t *g, const char *src, size_t len)
{
	buf_clear(&g->conv);
	buf_reserve(&g->conv, len * 2);
	for (size_t i = 0; i < len; i++) {
		if (src[i] == '\n')
			g->conv.data[g->conv.len++] = '\r';
		g->conv.data[g->conv.len++] = src[i];
	}
	g->conv.data[g->conv.len] = '\0';
}

/* ---- plan: branches, managers, villages ---- */

int sample_branch_count(long households)
{
	long n = households <= 20000 ? 3 : 3 + households / 100000;
	return (int)(n > MAX_BRANCHES ? MAX_BRANCHES : n);
}

long sample_village_count(long households)
{
	/* Two villages more than branches at least: every grade among the started villages
	 * plus the one that has not started yet. */
	long n = (households + HOUSEHOLDS_PER_VILLAGE / 2) / HOUSEHOLDS_PER_VILLAGE;
	long min = sample_branch_count(households) + 2;
	return n < min ? min : n;
}

static void plan_branches(gen_t *g)
{
	static const char *const FIRST_CODES[3] = {"HB", "XJ", "BH"};
	g->nbranches = sample_branch_count(g->households);
	g->branches = xcalloc((size_t)g->nbranches, sizeof *g->branches);
	for (int k = 0; k < g->nbranches; k++) {
		branch_t *b = &g->branches[k];
		/* After the towns run out the names repeat with an ordinal: 茅山二支行. */
		int lap = k < SAMPLE_N_TOWNS ? 0 : 1 + (k - SAMPLE_N_TOWNS) / (SAMPLE_N_TOWNS - 3);
		const char *town =
		    k < SAMPLE_N_TOWNS
		        ? SAMPLE_TOWNS[k]
		        : SAMPLE_TOWNS[3 + (k - SAMPLE_N_TOWNS) % (SAMPLE_N_TOWNS - 3)];
		if (k < 3)
			snprintf(b->code, sizeof b->code, "%s", FIRST_CODES[k]);
		else
			snprintf(b->code, sizeof b->code, "B%02d", k + 1);
		snprintf(b->town, sizeof b->town, "%s", town);
		snprintf(b->name, sizeof b->name, "%s%s支行", town,
		         lap ? SAMPLE_CN_NUMBERS[lap % SAMPLE_N_CN_NUMBERS] : "");
	}
}

static int village_cmp(const void *a, const void *b)
{
	return strcmp(((const village_t *)a)->code, ((const village_t *)b)->code);
}

/* Villages get sizes around HOUSEHOLDS_PER_VILLAGE that add up to exactly N (integer
 * arithmetic, so no floating-point rounding can differ between machines), contiguous
 * runs of them per branch, and codes HB01, HB02 …; then they are sorted into read order. */
static void plan_village_sizes(gen_t *g, sample_rng_t *r)
{
	long nv = g->nvillages = sample_village_count(g->households);
	g->villages = xcalloc((size_t)nv, sizeof *g->villages);
	int64_t *cum = xmalloc((size_t)(nv + 1) * sizeof *cum);
	cum[0] = 0;
	for (long i = 0; i < nv; i++)
		cum[i + 1] = cum[i] + 600 + sample_rng_below(r, 800);
	for (long i = 0; i < nv; i++) {
		village_t *v = &g->villages[i];
		v->rows =
		    (long)(g->households * cum[i + 1] / cum[nv] - g->households * cum[i] / cum[nv]);
		v->branch = (int)(i * g->nbranches / nv);
		branch_t *b = &g->branches[v->branch];
		v->seq = ++b->nvillages;
		b->households += v->rows;
	}
	free(cum);
	for (long i = 0; i < nv; i++) {
		village_t *v = &g->villages[i];
		long count = g->branches[v->branch].nvillages;
		int width = count <= 99 ? 2 : count <= 999 ? 3 : 4;
		snprintf(v->code, sizeof v->code, "%s%0*ld", g->branches[v->branch].code, width,
		         v->seq);
		sample_village_name(i, v->name);
	}
	qsort(g->villages, (size_t)nv, sizeof *g->villages, village_cmp);
}

/* About one account manager per 800 households, at least three per branch, with names
 * unique across the bank (manager figures group by name). */
static void plan_managers(gen_t *g, sample_rng_t *r)
{
	int total = 0;
	for (int k = 0; k < g->nbranches; k++) {
		branch_t *b = &g->branches[k];
		b->nmanagers = (int)(b->households / 800 + 3);
		b->first_manager = total;
		total += b->nmanagers;
	}
	g->managers = xcalloc((size_t)total, sizeof *g->managers);
	strmap_t seen;
	strmap_init(&seen, (size_t)total);
	for (int i = 0; i < total; i++) {
		do
			sample_person_name(r, sample_rng_chance(r, 0.7), g->managers[i]);
		while (strmap_put(&seen, g->managers[i], i) >= 0);
	}
	strmap_free(&seen);
	g->nmanagers = total;
}

static style_t fixed_style(long k)
{
	style_t s = {0};
	switch (k) {
	case 0: /* the plain one: English, UTF-8, ISO dates */
		s.date_fmt = SAMPLE_DATE_ISO;
		s.amount_fmt = SAMPLE_AMT_PLAIN;
		break;
	case 1: /* Excel on Chinese Windows */
		s.chinese_header = s.crlf = s.segment_chinese = s.bool_chinese = true;
		s.encoding = ENC_GB18030;
		s.date_fmt = SAMPLE_DATE_CHINESE;
		s.amount_fmt = SAMPLE_AMT_WAN;
		break;
	case 2:
		s.encoding = ENC_BOM;
		s.crlf = s.segment_chinese = s.grid_address = s.blank_line = s.padded_header = true;
		s.date_fmt = SAMPLE_DATE_SLASH;
		s.amount_fmt = SAMPLE_AMT_THOUSANDS;
		break;
	default:
		s.chinese_header = s.alt_header = s.segment_chinese = s.bool_chinese = true;
		s.reorder = s.remark_column = true;
		s.encoding = ENC_BOM;
		s.date_fmt = SAMPLE_DATE_COMPACT;
		s.amount_fmt = SAMPLE_AMT_YUAN;
	}
	return s;
}

static style_t random_style(sample_rng_t *r)
{
	style_t s = {0};
	s.chinese_header = sample_rng_chance(r, 0.5);
	s.alt_header = s.chinese_header && sample_rng_chance(r, 0.3);
	s.encoding = sample_rng_chance(r, 0.05)  ? ENC_GB18030
	             : sample_rng_chance(r, 0.3) ? ENC_BOM
	                                         : ENC_UTF8;
	s.crlf = sample_rng_chance(r, 0.4);
	s.date_fmt = (int)sample_rng_below(r, SAMPLE_DATE_STYLES);
	s.amount_fmt = (int)sample_rng_below(r, SAMPLE_AMT_STYLES);
	s.segment_chinese = sample_rng_chance(r, s.chinese_header ? 0.9 : 0.2);
	s.bool_chinese = sample_rng_chance(r, s.chinese_header ? 0.9 : 0.2);
	s.reorder = sample_rng_chance(r, 0.2);
	return s;
}

/* Grades, campaign dates, sizes on paper, industries, managers, checks and file styles,
 * decided village by village in read order. Villages 0, 1, 2 are A, B, C so that every
 * grade exists at any N; the last village has not started yet. */
static void plan_villages(gen_t *g, sample_rng_t *r)
{
	for (long k = 0; k < g->nvillages; k++) {
		village_t *v = &g->villages[k];
		v->not_started = k == g->nvillages - 1;
		if (k < 3)
			v->grade = (char)('A' + k);
		else if (v->not_started)
			v->grade = 'B';
		else {
			uint32_t u = sample_rng_below(r, 100);
			v->grade = u < 25 ? 'A' : u < 70 ? 'B' : 'C';
		}
		const grade_t *gp = &GRADES[v->grade - 'A'];
		int32_t from =
		    sample_day(gp->launch_from[0], gp->launch_from[1], gp->launch_from[2]);
		int32_t to = sample_day(gp->launch_to[0], gp->launch_to[1], gp->launch_to[2]);
		v->launched = v->not_started ? g->not_started_on : sample_rng_range(r, from, to);
		v->campaign_days = sample_rng_range(r, gp->campaign_lo, gp->campaign_hi);
		long extra = v->rows * sample_rng_range(r, gp->extra_lo, gp->extra_hi) / 1000;
		v->total = k >= 4 && sample_rng_chance(r, 0.08) ? -1 : v->rows + extra;
		v->population = (v->rows + extra) * sample_rng_range(r, 260, 340) / 100;
		if (k >= 4 && sample_rng_chance(r, 0.05))
			v->population = -1;
		v->nindustries = sample_rng_range(r, 1, 3);
		for (int i = 0; i < v->nindustries; i++) {
			int ind;
			bool dup;
			do { /* distinct industries */
				ind = (int)sample_rng_below(r, (uint32_t)SAMPLE_N_INDUSTRIES);
				dup = false;
				for (int j = 0; j < i; j++)
					dup |= v->industries[j] == ind;
			} while (dup);
			v->industries[i] = ind;
		}
		/* Managers walk their branch's villages in order, one or two per village. */
		const branch_t *b = &g->branches[v->branch];
		int m = (int)((v->seq - 1) * b->nmanagers / b->nvillages);
		v->managers[0] = b->first_manager + m;
		v->nmanagers = 1;
		if (b->nmanagers > 1 && sample_rng_chance(r, 0.5))
			v->managers[v->nmanagers++] = b->first_manager + (m + 1) % b->nmanagers;
		for (int i = 0; i < 4; i++)
			v->checks[i] =
			    sample_rng_chance(r, i == 0 && v->grade == 'A' ? 0.8 : gp->checks);
		v->ngrids = (int)(1 + v->rows / 60);
		if (v->ngrids > SAMPLE_N_CN_NUMBERS)
			v->ngrids = SAMPLE_N_CN_NUMBERS;
		v->style = k < 4 ? fixed_style(k) : random_style(r);
	}
}

/* ---- site.yaml ---- */

static int write_site(gen_t *g, err_t *err)
{
	buf_t *b = &g->out;
	buf_clear(b);
	buf_printf(b, "# 样例档案：cundang sample --households %ld --seed %" PRIu64 "\n",
	           g->households, g->seed);
	buf_adds(
	    b,
	    "bank: 句容农村商业银行\n"
	    "month: 2026-10\n"
	    "branches:                      # master data; a village names its branch by code\n");
	for (int k = 0; k < g->nbranches; k++) {
		const branch_t *br = &g->branches[k];
		long target = (br->households * 8 / 10 + 50) / 100 * 100;
		/* The town is the branch name without 支行; address and phone go on letters. */
		int town = (int)strlen(br->name) - (int)strlen("支行");
		/* Mail addresses on the reserved .example domain (RFC 2606): a sample never
		 * mails anyone. */
		char mailbox[80];
		snprintf(mailbox, sizeof mailbox, "%s", br->code);
		for (char *p = mailbox; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		buf_printf(b,
		           "  - {code: %s, name: %s, target_granted: %ld, address: "
		           "句容市%.*s镇人民路%d号, "
		           "phone: 0511-8728%04d, email: [%s@jurong-rcb.example]}\n",
		           br->code, br->name, target < 100 ? 100 : target, town > 0 ? town : 0,
		           br->name, 10 + 7 * k, 1000 + 11 * k, mailbox);
	}
	buf_adds(b, "acceptance:\n"
	            "  pass_score: 80\n"
	            "  indicators:\n"
	            "    visit_rate:      {min: 0.95, weight: 15}\n"
	            "    archive_rate:    {min: 0.90, weight: 15}\n"
	            "    credit_coverage: {min: 0.80, weight: 25}\n"
	            "    signing_rate:    {min: 0.60, weight: 20}\n"
	            "    usage_rate:      {min: 0.30, weight: 15}\n"
	            "    npl_rate:        {max: 0.02, weight: 10}\n"
	            "  checks:\n"
	            "    town_meeting:    {label: 镇级启动会, weight: 2.5, required: false}\n"
	            "    village_meeting: {label: 村级对接会, weight: 2.5}\n"
	            "    night_school:    {label: 金融夜校宣讲, weight: 2.5}\n"
	            "    wechat_group:    {label: 村民微信群, weight: 2.5}\n"
	            "privacy:\n"
	            "  mask_workbooks: true\n"
	            "letters:                       # cundang letters (授信告知函)\n"
	            "  valid_years: 3\n"
	            "  hotline: 96008\n"
	            "mail:                          # cundang mail; the password comes from "
	            "CUNDANG_SMTP_PASSWORD\n"
	            "  from: 整村授信办公室 <zcsx@jurong-rcb.example>\n"
	            "  headquarters: [zongbu@jurong-rcb.example]\n"
	            "  smtp: smtp://mail.jurong-rcb.example:587   # STARTTLS required; smtps:// "
	            "for implicit TLS\n"
	            "  user: zcsx\n");
	return write_whole(g, "site.yaml", b->data, b->len, err);
}

/* ---- village.md ---- */

static void add_cn_date(buf_t *b, int32_t day)
{
	int y, m, d;
	sample_civil(day, &y, &m, &d);
	buf_printf(b, "%d年%d月%d日", y, m, d);
}

static void add_key_person(buf_t *b, sample_rng_t *r, const char *role, bool male)
{
	char name[16], phone[12];
	sample_person_name(r, male, name);
	sample_phone(r, phone);
	buf_printf(b, "  - {name: %s, role: %s, phone: \"%s\"}\n", name, role, phone);
}

static void add_front_matter(gen_t *g, const village_t *v, sample_rng_t *r)
{
	static const char *const CHECK_KEYS[4] = {"town_meeting", "village_meeting", "night_school",
	                                          "wechat_group"};
	buf_t *b = &g->out;
	const branch_t *br = &g->branches[v->branch];
	int y, m, d;
	sample_civil(v->launched, &y, &m, &d);
	buf_printf(b, "---\nname: %s\ntownship: %s镇\nbranch: %s\ngrade: %c\n", v->name, br->town,
	           br->code, v->grade);
	if (v->total >= 0)
		buf_printf(b, "households_total: %ld\n", v->total);
	if (v->population >= 0)
		buf_printf(b, "population: %ld\n", v->population);
	buf_adds(b, "industries: [");
	for (int i = 0; i < v->nindustries; i++)
		buf_printf(b, "%s%s", i ? ", " : "", SAMPLE_INDUSTRIES[v->industries[i]]);
	buf_printf(b, "]\nlaunched_on: %04d-%02d-%02d\nkey_persons:\n", y, m, d);
	add_key_person(b, r, "村支书", sample_rng_chance(r, 0.85));
	add_key_person(b, r, "村主任", sample_rng_chance(r, 0.7));
	add_key_person(b, r, "联络员", sample_rng_chance(r, 0.4));
	buf_adds(b, "checks: {");
	for (int i = 0; i < 4; i++)
		buf_printf(b, "%s%s: %s", i ? ", " : "", CHECK_KEYS[i],
		           v->checks[i] ? "true" : "false");
	buf_adds(b, "}\n---\n");
}

static void add_narrative(gen_t *g, const village_t *v, sample_rng_t *r)
{
	static const char *const INDUSTRY_LINES[4] = {
	    "近年来%s产业规模逐步扩大，合作社和家庭农场资金需求旺盛，旺季前后用信集中。",
	    "%s采摘季游客较多，农家乐和电商销售带动了一批商户。",
	    "村里成立了%s专业合作社，统一品牌、统一销售，社员户均增收明显。",
	    "%s产业以散户为主，生产周期长，农户在春耕和收获前后资金需求较大。",
	};
	static const char *const CLOSING[3] = {
	    "下一步**巩固示范村成果**，重点做好已签约未用信农户的用信激发。",
	    "下一步**加快签约进度**，对已授信未签约农户逐户上门。",
	    "下一步**补齐走访短板**，由联络员协助客户经理对未走访农户逐户摸排。",
	};
	buf_t *b = &g->out;
	const branch_t *br = &g->branches[v->branch];
	long total = v->total >= 0 ? v->total : v->rows;
	buf_printf(b,
	           "\n# %s村情报告\n\n## 村情\n\n%s隶属%s镇，距镇区约 %d.%d 公里。全村户籍 %ld 户",
	           v->name, v->name, br->town, sample_rng_range(r, 1, 12),
	           sample_rng_range(r, 0, 9), total);
	if (v->population >= 0)
		buf_printf(b, "、%ld 人", v->population);
	buf_printf(b, "，划分为 %d 个网格。%s\n\n## 产业\n\n%s以", v->ngrids,
	           sample_rng_chance(r, 0.6) ? "青壮年外出务工较多，留守以老人和妇女为主。"
	                                     : "劳动力以就近务工为主，外出务工人员较少。",
	           v->name);
	for (int i = 0; i < v->nindustries; i++)
		buf_printf(b, "%s%s", i ? "、" : "", SAMPLE_INDUSTRIES[v->industries[i]]);
	buf_adds(b, "为主导产业（一村一品）。");
	buf_printf(b, INDUSTRY_LINES[sample_rng_below(r, 4)], SAMPLE_INDUSTRIES[v->industries[0]]);
	buf_adds(b, "\n\n## 走访情况\n\n");
	if (v->not_started) {
		buf_adds(b, "整村授信计划于 ");
		add_cn_date(b, v->launched);
		buf_printf(b,
		           " 启动，目前处于摸底造册阶段：\n\n"
		           "- 已与村两委对接，确定联络员；\n"
		           "- 收集户籍底册 %ld 户，按网格分配到客户经理；\n"
		           "- 准备金融夜校宣讲材料。\n\n"
		           "启动会前**完成网格划分和名单核对**。\n",
		           v->rows);
		return;
	}
	buf_adds(b, "整村授信于 ");
	add_cn_date(b, v->launched);
	buf_printf(b, " 启动，由客户经理%s", g->managers[v->managers[0]]);
	if (v->nmanagers > 1)
		buf_printf(b, "、%s", g->managers[v->managers[1]]);
	buf_printf(b,
	           "包片走访。截至 2026年10月31日：\n\n"
	           "- 已走访 %ld 户，建档 %ld 户；\n"
	           "- 授信 %ld 户，签约 %ld 户；\n"
	           "- 列入负面清单 %ld 户，暂不授信。\n\n%s\n",
	           v->visited, v->archived, v->granted, v->signed_on, v->negative,
	           CLOSING[v->grade - 'A']);
}

static int write_village_md(gen_t *g, const village_t *v, sample_rng_t *r, err_t *err)
{
	char rel[64];
	snprintf(rel, sizeof rel, "villages/%s/village.md", v->code);
	buf_clear(&g->out);
	add_front_matter(g, v, r);
	add_narrative(g, v, r);
	if (!v->style.crlf)
		return write_whole(g, rel, g->out.data, g->out.len, err);
	to_crlf(g, g->out.data, g->out.len);
	return write_whole(g, rel, g->conv.data, g->conv.len, err);
}

/* ---- households ---- */

static int64_t draw_credit_line(sample_rng_t *r, int segment)
{
	/* yuan; farmers get 3–10万 in 5,000 steps, businesses and civil servants more */
	int64_t yuan;
	switch (segment) {
	case S_MERCHANT:
	case S_AGRI:
	case S_CIVIL:
		yuan = 10000 * (int64_t)sample_rng_range(r, 10, 30);
		break;
	case S_EMPLOYEE:
		yuan = 10000 * (int64_t)sample_rng_range(r, 5, 20);
		break;
	default:
		yuan = 5000 * (int64_t)sample_rng_range(r, 6, 20);
	}
	return yuan * 100;
}

/* The funnel: a household is visited during the campaign, then archived, granted and
 * signed, each with the grade's chance and after a delay; a step whose date falls after
 * the export day has not happened yet, which leaves its date empty. */
static void draw_funnel(const gen_t *g, const village_t *v, sample_rng_t *r, hh_t *h)
{
	const grade_t *gp = &GRADES[v->grade - 'A'];
	int32_t day;
	if (!sample_rng_chance(r, gp->visit))
		return;
	day = v->launched + sample_rng_range(r, 0, v->campaign_days);
	if (day > g->export_day)
		return;
	h->visited = day;
	if (!sample_rng_chance(r, gp->archive))
		return;
	day += sample_rng_range(r, 0, 21);
	if (day > g->export_day)
		return;
	h->archived = day;
	if (h->negative >= 0 || !sample_rng_chance(r, gp->grant))
		return;
	day += sample_rng_range(r, 7, gp->grant_delay);
	if (day > g->export_day)
		return;
	h->granted = day;
	h->credit = draw_credit_line(r, h->segment);
	if (!sample_rng_chance(r, gp->sign))
		return;
	day += sample_rng_range(r, 1, gp->sign_delay);
	if (day <= g->export_day)
		h->signed_on = day;
}

static void make_household(const gen_t *g, const village_t *v, long row, sample_rng_t *r, hh_t *h)
{
	memset(h, 0, sizeof *h);
	char *p = sample_put_s(h->id, v->code);
	*p++ = '-';
	if (row + 1 < 10000)
		p = sample_put_pad(p, (unsigned)(row + 1), 4);
	else
		p = sample_put_u(p, (uint64_t)(row + 1));
	*p = '\0';
	h->male = sample_rng_chance(r, 0.85);
	sample_person_name(r, h->male, h->name);
	sample_id_number(r, h->male, h->idno);
	sample_phone(r, h->phone);
	h->segment = pick_permille(r, SEG_PERMILLE, 6);
	h->grid = (int)(row * v->ngrids / v->rows);
	h->manager = sample_rng_chance(r, 0.006) ? -1 : v->managers[row * v->nmanagers / v->rows];
	h->members = 1 + pick_permille(r, MEMBERS_PERMILLE, 7);
	h->migrant = sample_rng_chance(r, 0.28);
	h->negative = sample_rng_chance(r, GRADES[v->grade - 'A'].negative)
	                  ? (int)sample_rng_below(r, (uint32_t)SAMPLE_N_NEGATIVE_REASONS)
	                  : -1;
	h->remark = v->style.remark_column && sample_rng_chance(r, 0.08)
	                ? (int)sample_rng_below(r, (uint32_t)SAMPLE_N_REMARKS)
	                : -1;
	draw_funnel(g, v, r, h);
}

/* Forces a quirk row into the state its finding needs. The rows with a finding about
 * grants get no loans, so that each produces exactly the one finding. */
static void apply_quirk(const gen_t *g, const village_t *v, quirk_t q, sample_rng_t *r, hh_t *h)
{
	h->quirk = q;
	bool needs_grant =
	    q == Q_CREDIT_NO_GRANT || q == Q_NEGATIVE_WITH_CREDIT || q == Q_SIGNED_BEFORE_GRANT;
	if (q == Q_BAD_DATE || needs_grant) {
		if (!h->visited)
			h->visited = v->launched + 20;
		if (!h->archived)
			h->archived = h->visited + 5;
	}
	if (needs_grant) {
		h->negative = q == Q_NEGATIVE_WITH_CREDIT ? 0 : -1;
		if (!h->granted)
			h->granted = h->archived + 15;
		if (!h->credit)
			h->credit = draw_credit_line(r, h->segment);
		h->signed_on = q == Q_SIGNED_BEFORE_GRANT ? h->granted - 12 : 0;
		if (q == Q_CREDIT_NO_GRANT)
			h->granted = 0;
		h->no_loans = true;
	}
	if (q == Q_DUPLICATE_ID) {
		snprintf(h->id, sizeof h->id, "%s-%04d", g->villages[0].code, DUPLICATED_ROW + 1);
		h->no_loans = true;
	}
	if (q == Q_BAD_CHECK) {
		/* the next character of "10X98765432" after the right one: always wrong */
		const char *ring = "10X98765432";
		h->idno[17] = ring[(strchr(ring, h->idno[17]) - ring + 1) % 11];
	}
}

static void format_household(sample_row_t *row, const hh_t *h, const gen_t *g, const village_t *v,
                             sample_rng_t *r)
{
	const style_t *st = &v->style;
	sample_cell_set(row, C_ID, h->id);
	sample_cell_set(row, C_NAME, h->name);
	sample_cell_set(row, C_IDNO, h->idno);
	sample_cell_set(row, C_PHONE, h->phone);
	sample_cell_set(row, C_SEGMENT,
	                h->quirk == Q_UNKNOWN_SEGMENT ? "个体户"
	                : st->segment_chinese         ? vocab_segment_label(SEG_OF[h->segment])
	                                              : vocab_segment_key(SEG_OF[h->segment]));
	char *p = sample_put_s(row->text[C_GRID], "第");
	p = sample_put_s(p, SAMPLE_CN_NUMBERS[h->grid]);
	p = sample_put_s(p, "网格");
	if (st->grid_address) {
		*p++ = ',';
		p = sample_put_s(p, SAMPLE_GROUPS[(h->grid * 3 + h->members) % SAMPLE_N_GROUPS]);
	}
	row->len[C_GRID] = (size_t)(p - row->text[C_GRID]);
	sample_cell_set(row, C_MANAGER, h->manager >= 0 ? g->managers[h->manager] : "");
	sample_cell_int(row, C_MEMBERS, (uint64_t)h->members);
	if (st->bool_chinese)
		sample_cell_set(row, C_MIGRANT, h->migrant ? VOCAB_YES : VOCAB_NO);
	else
		sample_cell_set(row, C_MIGRANT, h->migrant ? "Y" : "N");
	if (h->quirk == Q_BAD_DATE)
		row->len[C_VISITED] = sample_fmt_ymd(row->text[C_VISITED], 2026, 2, 30,
		                                     sample_pick_date_fmt(st->date_fmt, r));
	else
		row->len[C_VISITED] =
		    sample_fmt_date(row->text[C_VISITED], h->visited, st->date_fmt, r);
	row->len[C_ARCHIVED] = sample_fmt_date(row->text[C_ARCHIVED], h->archived, st->date_fmt, r);
	sample_cell_set(row, C_NEGATIVE,
	                h->negative >= 0 ? SAMPLE_NEGATIVE_REASONS[h->negative] : "");
	row->len[C_CREDIT] =
	    h->credit ? sample_fmt_amount(row->text[C_CREDIT], h->credit, st->amount_fmt, r) : 0;
	row->len[C_GRANTED] = sample_fmt_date(row->text[C_GRANTED], h->granted, st->date_fmt, r);
	row->len[C_SIGNED] = sample_fmt_date(row->text[C_SIGNED], h->signed_on, st->date_fmt, r);
	sample_cell_set(row, C_REMARK, h->remark >= 0 ? SAMPLE_REMARKS[h->remark] : "");
}

static void emit_household_header(buf_t *b, const style_t *st)
{
	sample_row_t row;
	for (int c = 0; c < HH_COLS; c++) {
		const char *const *cn = c < HC_COUNT ? vocab_hh_column[c].cn : NULL;
		sample_cell_set(&row, c,
		                !st->chinese_header       ? HH_EN[c]
		                : !cn                     ? REMARK_CN
		                : st->alt_header && cn[1] ? cn[1]
		                                          : cn[0]);
	}
	if (st->padded_header) {
		char padded[64];
		snprintf(padded, sizeof padded, " %s ", vocab_hh_column[HC_PHONE].cn[0]);
		sample_cell_set(&row, C_PHONE, st->chinese_header ? padded : "phone ");
	}
	sample_emit_row(b, &row, st->reorder ? HH_ORDER_ALT : HH_ORDER,
	                st->remark_column ? HH_COLS : HH_COLS - 1, st->quote_all, st->crlf);
}

/* ---- loans ---- */

static void loan_header(loan_file_t *lf)
{
	sample_row_t row;
	for (int c = 0; c < LOAN_COLS; c++)
		sample_cell_set(&row, c,
		                lf->style.chinese_header ? vocab_loan_column[c].cn[0] : LOAN_EN[c]);
	if (lf->style.encoding == ENC_BOM)
		buf_add(&lf->buf, "\xEF\xBB\xBF", 3);
	sample_emit_row(&lf->buf, &row, LOAN_ORDER, LOAN_COLS, lf->style.quote_all, lf->style.crlf);
}

static void loan_row(loan_file_t *lf, const loan_t *l, sample_rng_t *r)
{
	const style_t *st = &lf->style;
	sample_row_t row;
	sample_cell_set(&row, L_ID, l->id);
	sample_cell_set(&row, L_HH, l->household);
	sample_cell_set(&row, L_PRODUCT, PRODUCTS[l->product]);
	row.len[L_AMOUNT] = sample_fmt_amount(row.text[L_AMOUNT], l->amount, st->amount_fmt, r);
	row.len[L_DISBURSED] =
	    sample_fmt_date(row.text[L_DISBURSED], l->disbursed, st->date_fmt, r);
	row.len[L_DUE] = sample_fmt_date(row.text[L_DUE], l->due, st->date_fmt, r);
	row.len[L_SETTLED] = sample_fmt_date(row.text[L_SETTLED], l->settled, st->date_fmt, r);
	row.len[L_BALANCE] = sample_fmt_amount(row.text[L_BALANCE], l->balance, st->amount_fmt, r);
	sample_cell_int(&row, L_OVERDUE, (uint64_t)l->overdue);
	/* the counter export sometimes still says "counter" in a Chinese file */
	sample_cell_set(&row, L_CHANNEL,
	                st->english_channel                            ? CHANNEL_EN[l->channel]
	                : l->channel == 2 && sample_rng_chance(r, 0.1) ? "counter"
	                                                               : CHANNEL_CN[l->channel]);
	sample_emit_row(&lf->buf, &row, LOAN_ORDER, LOAN_COLS, st->quote_all, st->crlf);
	lf->rows++;
}

static void next_loan_id(gen_t *g, int32_t disbursed, char *out)
{
	int y, m, d;
	sample_civil(disbursed, &y, &m, &d);
	long seq = ++g->loan_seq[y >= 2026];
	char *p = sample_put_s(out, "JR");
	p = sample_put_pad(p, (unsigned)y, 4);
	p = seq < 1000000 ? sample_put_pad(p, (unsigned)seq, 6) : sample_put_u(p, (uint64_t)seq);
	*p = '\0';
}

static int flush_loans(gen_t *g, int file, err_t *err)
{
	loan_file_t *lf = &g->loans[file];
	if (lf->buf.len && fwrite(lf->buf.data, 1, lf->buf.len, lf->f) != lf->buf.len)
		return err_set(err, LOAN_FILE_NAMES[file], 0, "write failed: %s", strerror(errno));
	buf_clear(&lf->buf);
	return 0;
}

/* The deliberate findings of the ledger, placed after a fixed number of rows of their
 * file (or at its end when the file is shorter). */
static void loan_quirks(gen_t *g, int file, bool at_end, sample_rng_t *r)
{
	loan_file_t *lf = &g->loans[file];
	if (file == LF_2026H1 && !g->unknown_loan_done &&
	    (at_end || lf->rows == UNKNOWN_LOAN_AFTER)) {
		char hh[40];
		snprintf(hh, sizeof hh, "%s-9999", g->villages[0].code);
		loan_t l = {.household = hh,
		            .product = 0,
		            .channel = 0,
		            .amount = 5000000,
		            .balance = 5000000,
		            .disbursed = sample_day(2026, 3, 18),
		            .due = sample_day(2027, 3, 18)};
		next_loan_id(g, l.disbursed, l.id);
		loan_row(lf, &l, r);
		g->unknown_loan_done = true;
	}
	if (file == LF_2026H2 && !g->dup_loan_done && g->first_loan_id[0] &&
	    (at_end || lf->rows >= DUP_LOAN_AFTER)) {
		loan_t l = {.household = g->first_loan_hh,
		            .product = 1,
		            .channel = 2,
		            .amount = 3000000,
		            .balance = 3000000,
		            .disbursed = sample_day(2026, 8, 6),
		            .due = sample_day(2028, 8, 6)};
		snprintf(l.id, sizeof l.id, "%s", g->first_loan_id);
		loan_row(lf, &l, r);
		g->dup_loan_done = true;
	}
}

static void emit_loan(gen_t *g, loan_t *l, sample_rng_t *r)
{
	int y, m, d;
	sample_civil(l->disbursed, &y, &m, &d);
	int file = y < 2026 ? LF_2025 : m <= 6 ? LF_2026H1 : LF_2026H2;
	loan_file_t *lf = &g->loans[file];
	if (file == LF_2026H1 && !g->balance_quirk_done && lf->rows >= BALANCE_FROM_ROW &&
	    !l->settled) {
		l->balance = l->amount + 100000; /* 1,000 yuan more than was lent */
		g->balance_quirk_done = true;
	}
	if (file == LF_2025 && !g->first_loan_id[0]) {
		snprintf(g->first_loan_id, sizeof g->first_loan_id, "%s", l->id);
		snprintf(g->first_loan_hh, sizeof g->first_loan_hh, "%s", l->household);
	}
	loan_row(lf, l, r);
	loan_quirks(g, file, false, r);
}

/* 0–3 loans for a signed household, the first soon after signing; settled loans have a
 * zero balance, the others amortise; a few are overdue, and B/C villages have some NPLs. */
static void make_loans(gen_t *g, const village_t *v, const hh_t *h, sample_rng_t *r)
{
	const grade_t *gp = &GRADES[v->grade - 'A'];
	int n = pick_permille(r, gp->loans_permille, 4);
	int32_t day = h->signed_on + sample_rng_range(r, 0, gp->disburse_delay);
	int64_t line_k = h->credit / 100000; /* thousands of yuan */
	for (int i = 0; i < n && day <= g->export_day; i++) {
		loan_t l = {.household = h->id, .disbursed = day};
		next_loan_id(g, day, l.id);
		int64_t lo = line_k * 3 / 10 < 10 ? 10 : line_k * 3 / 10;
		l.amount = (int64_t)sample_rng_range(r, (int32_t)lo, (int32_t)line_k) * 100000;
		l.product = h->segment == S_MERCHANT && sample_rng_chance(r, 0.5)
		                ? 3 /* 创业贷 */
		                : pick_permille(r, (const int[]){500, 250, 200, 50}, 4);
		l.channel = pick_permille(r, (const int[]){450, 100, 350, 100}, 4);
		int years = 1 + pick_permille(r, (const int[]){250, 450, 300}, 3);
		l.due = day + 365 * years;
		if (sample_rng_chance(r, 0.3)) {
			int32_t s = day + sample_rng_range(r, 30, 360);
			l.settled = s <= g->export_day ? s : 0;
		}
		if (!l.settled && l.due <= g->export_day) /* repaid at maturity */
			l.settled = l.due - sample_rng_range(r, 0, 20);
		if (!l.settled) {
			l.balance = l.product == 0
			                ? l.amount /* 惠农e贷 pays interest only */
			                : l.amount * sample_rng_range(r, 300, 1000) / 1000 -
			                      sample_rng_below(r, 100);
			if (sample_rng_chance(r, gp->npl)) {
				l.overdue = sample_rng_range(r, 91, 400);
				l.balance = l.amount;
			} else if (sample_rng_chance(r, 0.02)) {
				l.overdue = sample_rng_range(r, 1, 60);
			}
		}
		emit_loan(g, &l, r);
		day += sample_rng_range(r, 60, 300);
	}
}

/* A loan taken before the campaign; it is settled, so even for a household that was
 * never granted it raises no finding. */
static void make_legacy_loan(gen_t *g, const hh_t *h, sample_rng_t *r)
{
	loan_t l = {.household = h->id, .product = 2, .channel = 2};
	l.disbursed = sample_rng_range(r, sample_day(2025, 1, 6), sample_day(2025, 9, 30));
	next_loan_id(g, l.disbursed, l.id);
	l.amount = 100000 * (int64_t)sample_rng_range(r, 10, 50);
	l.due = l.disbursed + 365;
	l.settled = l.disbursed + sample_rng_range(r, 60, 250);
	emit_loan(g, &l, r);
}

/* ---- one village ---- */

static quirk_t quirk_at(long village, long row)
{
	for (size_t i = 0; i < sizeof QUIRKS / sizeof QUIRKS[0]; i++)
		if (QUIRKS[i].village == village && QUIRKS[i].row == row)
			return QUIRKS[i].kind;
	return Q_NONE;
}

static void count_household(const gen_t *g, village_t *v, const hh_t *h)
{
	v->visited += h->visited && h->visited <= g->as_of;
	v->archived += h->archived && h->archived <= g->as_of;
	v->negative += h->negative >= 0;
	bool granted = h->granted && h->granted <= g->as_of && h->negative < 0;
	v->granted += granted;
	v->signed_on += granted && h->signed_on && h->signed_on <= g->as_of;
}

static int write_village(gen_t *g, long k, err_t *err)
{
	village_t *v = &g->villages[k];
	sample_rng_t r;
	sample_rng_seed(&r, g->seed, 1000 + (uint64_t)k);
	char rel[64];
	snprintf(rel, sizeof rel, "villages/%s", v->code);
	if (make_subdir(g, rel, err) != 0)
		return -1;

	buf_t *b = &g->out;
	buf_clear(b);
	if (v->style.encoding == ENC_BOM)
		buf_add(b, "\xEF\xBB\xBF", 3);
	emit_household_header(b, &v->style);
	const int *order = v->style.reorder ? HH_ORDER_ALT : HH_ORDER;
	int ncols = v->style.remark_column ? HH_COLS : HH_COLS - 1;
	sample_row_t row;
	hh_t h;
	for (long i = 0; i < v->rows; i++) {
		make_household(g, v, i, &r, &h);
		quirk_t q = quirk_at(k, i);
		if (q != Q_NONE && !(q == Q_DUPLICATE_ID && g->villages[0].rows <= DUPLICATED_ROW))
			apply_quirk(g, v, q, &r, &h);
		format_household(&row, &h, g, v, &r);
		if (v->style.remark_column && i == MULTILINE_ROW)
			sample_cell_set(&row, C_REMARK, "户主称\"年后再办\"\n待补材料");
		sample_emit_row(b, &row, order, ncols, v->style.quote_all, v->style.crlf);
		if (v->style.blank_line && i == BLANK_AFTER_ROW)
			buf_adds(b, v->style.crlf ? "\r\n" : "\n");
		if (h.quirk != Q_DUPLICATE_ID)
			count_household(g, v, &h);
		/* Many households borrowed before the campaign (存量客户): settled history
		 * loans, which make the ledger about as long as the household list. */
		if (!h.no_loans && h.negative < 0 && h.visited &&
		    sample_rng_chance(&r, h.granted ? 0.5 : 0.3))
			make_legacy_loan(g, &h, &r);
		if (h.signed_on && !h.no_loans)
			make_loans(g, v, &h, &r);
	}
	for (int f = 0; f < LOAN_FILES; f++)
		if (g->loans[f].buf.len >= FLUSH_AT && flush_loans(g, f, err) != 0)
			return -1;

	snprintf(rel, sizeof rel, "villages/%s/households.csv", v->code);
	if (v->style.encoding == ENC_GB18030) {
		if (to_gb18030(g, b->data, b->len, rel, err) != 0 ||
		    write_whole(g, rel, g->conv.data, g->conv.len, err) != 0)
			return -1;
	} else if (write_whole(g, rel, b->data, b->len, err) != 0) {
		return -1;
	}
	return write_village_md(g, v, &r, err);
}

/* ---- the whole archive ---- */

static int open_loan_files(gen_t *g, err_t *err)
{
	style_t *s = &g->loans[LF_2025].style;
	s->date_fmt = SAMPLE_DATE_ISO;
	s->amount_fmt = SAMPLE_AMT_PLAIN;
	s->english_channel = true;
	s = &g->loans[LF_2026H1].style; /* the core system's own export: BOM, CRLF, all quoted */
	s->chinese_header = s->crlf = s->quote_all = true;
	s->encoding = ENC_BOM;
	s->date_fmt = SAMPLE_DATE_SLASH;
	s->amount_fmt = SAMPLE_AMT_THOUSANDS;
	s = &g->loans[LF_2026H2].style;
	s->chinese_header = true;
	s->date_fmt = SAMPLE_DATE_MIXED;
	s->amount_fmt = SAMPLE_AMT_MIXED;
	for (int f = 0; f < LOAN_FILES; f++) {
		char rel[64];
		snprintf(rel, sizeof rel, "loans/%s", LOAN_FILE_NAMES[f]);
		if (!(g->loans[f].f = open_out(g, rel, err)))
			return -1;
		loan_header(&g->loans[f]);
	}
	return 0;
}

static int close_loan_files(gen_t *g, err_t *err)
{
	sample_rng_t r;
	sample_rng_seed(&r, g->seed, 2);
	for (int f = 0; f < LOAN_FILES; f++)
		loan_quirks(g, f, true, &r);
	int rc = 0;
	for (int f = 0; f < LOAN_FILES; f++) {
		char rel[64];
		snprintf(rel, sizeof rel, "loans/%s", LOAN_FILE_NAMES[f]);
		if (rc == 0)
			rc = flush_loans(g, f, err);
		int c = close_out(g->loans[f].f, rel, err);
		g->loans[f].f = NULL;
		if (rc == 0)
			rc = c;
	}
	return rc;
}

static int generate(gen_t *g, err_t *err)
{
	sample_rng_t plan;
	sample_rng_seed(&plan, g->seed, 1);
	plan_branches(g);
	plan_village_sizes(g, &plan);
	plan_managers(g, &plan);
	plan_villages(g, &plan);

	if (write_site(g, err) != 0 || make_subdir(g, "villages", err) != 0 ||
	    make_subdir(g, "loans", err) != 0 || open_loan_files(g, err) != 0)
		return -1;
	for (long k = 0; k < g->nvillages; k++)
		if (write_village(g, k, err) != 0)
			return -1;
	return close_loan_files(g, err);
}

int sample_write(const char *dir, long households, uint64_t seed, err_t *err)
{
	if (households < 1 || households > MAX_HOUSEHOLDS)
		return err_set(err, NULL, 0, "--households must be between 1 and %ld",
		               MAX_HOUSEHOLDS);
	gen_t g = {.dir = dir, .seed = seed, .households = households};
	g.as_of = sample_day(2026, 10, 31);
	g.export_day = sample_day(2026, 11, 25);
	g.not_started_on = sample_day(2026, 11, 16);
	g.gb = iconv_open("GB18030", "UTF-8");
	if (g.gb == (iconv_t)-1)
		return err_set(err, NULL, 0, "iconv cannot write GB18030: %s", strerror(errno));
	int rc = prepare_dir(dir, err);
	if (rc == 0)
		rc = generate(&g, err);
	for (int f = 0; f < LOAN_FILES; f++) {
		if (g.loans[f].f)
			fclose(g.loans[f].f);
		buf_free(&g.loans[f].buf);
	}
	iconv_close(g.gb);
	buf_free(&g.out);
	buf_free(&g.conv);
	free(g.branches);
	free(g.managers);
	free(g.villages);
	return rc;
}
