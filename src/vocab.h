/* vocab.h — the enums the program names and their keys and Chinese labels, in one place, so
 * pages, workbooks, JSON and the terminal say the same thing and a label changes once. */
#ifndef CUNDANG_VOCAB_H
#define CUNDANG_VOCAB_H

#include <stdint.h>

/* The rates an indicator may name, in SPEC §6 order. */
typedef enum {
	RATE_VISIT = 0,
	RATE_ARCHIVE,
	RATE_COVERAGE,
	RATE_SIGNING,
	RATE_USAGE,
	RATE_AMOUNT_USAGE,
	RATE_NPL,
	RATE_ONLINE,
	RATE_COUNT
} rate_t;

/* site.yaml / JSON key ("visit_rate") and label ("走访率") of each rate. */
extern const char *const vocab_rate_key[RATE_COUNT];
extern const char *const vocab_rate_label[RATE_COUNT];
/* Each rate's formula: short (a card's explanation) and in full (the 指标说明 page and sheet). */
extern const char *const vocab_rate_formula_short[RATE_COUNT];
extern const char *const vocab_rate_formula[RATE_COUNT];

/* Segments (客群). */
typedef enum {
	SEG_FARMER = 0, /* 农户 farmer */
	SEG_MERCHANT,   /* 商户 merchant */
	SEG_CIVIL,      /* 公职人员 civil_servant */
	SEG_EMPLOYEE,   /* 企业职工 employee */
	SEG_AGRI,       /* 新型农业经营主体 agri_operator */
	SEG_OTHER,      /* 其他 other */
	SEG_COUNT
} segment_t;

/* "farmer" … and "农户" …; an out-of-range segment reads as other. */
const char *vocab_segment_key(segment_t seg);
const char *vocab_segment_label(segment_t seg);

/* Severity of a finding (SPEC §5). */
typedef enum { SEV_ERROR = 0, SEV_WARNING = 1 } severity_t;

const char *vocab_severity_key(severity_t s);   /* "error", "warning" */
const char *vocab_severity_label(severity_t s); /* 错误, 警告 */
const char *vocab_severity_class(severity_t s); /* CSS: "sev-error", "sev-warning" */

/* A finding's code (SPEC §5, the README's table) in Chinese: a short name of the problem
 * ("户号重复") and what it means for the row and how to mend the export, for the branch staff
 * who read quality.html. An unknown code reads as its own key and an empty explanation. */
const char *vocab_finding_label(const char *code);
const char *vocab_finding_explain(const char *code);

/* Where a finding's rows belong: the group of findings tied to no village (a loan row whose
 * household is not in the archive, an unknown column of a ledger file). */
#define VOCAB_NO_VILLAGE "未归属村庄"
/* village.md's households_total, as findings name its column. */
#define VOCAB_HOUSEHOLDS_TOTAL "户籍户数"

/* A village's verdict (SPEC §6). */
typedef enum { VERDICT_PASS = 0, VERDICT_FAIL, VERDICT_NOT_STARTED } verdict_t;

const char *vocab_verdict_key(verdict_t v);   /* "pass", "fail", "not_started" */
const char *vocab_verdict_label(verdict_t v); /* 通过, 未通过, 未启动 */
const char *vocab_verdict_class(verdict_t v); /* CSS: "pass", "fail", "not-started" */

/* A village's grade 'A'..'C': 示范村, 重点村, 全体村; "" for any other. */
const char *vocab_grade_label(char grade);

/* The steps of the funnel (总户数 → 走访 → 建档 → 授信 → 签约 → 用信). */
typedef enum {
	FUNNEL_TOTAL = 0,
	FUNNEL_VISITED,
	FUNNEL_ARCHIVED,
	FUNNEL_GRANTED,
	FUNNEL_SIGNED,
	FUNNEL_USED,
	FUNNEL_COUNT
} funnel_step_t;

extern const char *const vocab_funnel_key[FUNNEL_COUNT];
extern const char *const vocab_funnel_label[FUNNEL_COUNT];

/* The counts a page or workbook shows, in this order (counts_t of indicators.h). */
enum { VOCAB_NCOUNTS = 12, VOCAB_NAMOUNTS = 3, VOCAB_NTREND = 5 };
extern const char *const vocab_count_key[VOCAB_NCOUNTS];
extern const char *const vocab_count_label[VOCAB_NCOUNTS]; /* "总户数" … */
/* credit_total, balance_total, npl_balance. */
extern const char *const vocab_amount_key[VOCAB_NAMOUNTS];
extern const char *const vocab_amount_label[VOCAB_NAMOUNTS];
/* The counts of a trend month: visited, archived, granted, signed, used. */
extern const char *const vocab_trend_label[VOCAB_NTREND];

/* Where a household stands at D, furthest step first (HH_* bits of indicators.h). */
typedef enum {
	VOCAB_HH_NEGATIVE = 0,
	VOCAB_HH_USED,
	VOCAB_HH_SIGNED,
	VOCAB_HH_GRANTED,
	VOCAB_HH_ARCHIVED,
	VOCAB_HH_VISITED,
	VOCAB_HH_NONE,
	VOCAB_HH_COUNT
} vocab_household_t;
extern const char *const vocab_household_label[VOCAB_HH_COUNT]; /* 负面清单, 已用信 … 未走访 */

/* The columns of households.csv and of the loan ledger (SPEC §4), in the reader's order. */
typedef enum {
	HC_ID = 0,
	HC_NAME,
	HC_IDNUM,
	HC_PHONE,
	HC_SEGMENT,
	HC_GRID,
	HC_MANAGER,
	HC_MEMBERS,
	HC_MIGRANT,
	HC_VISITED,
	HC_ARCHIVED,
	HC_NEGATIVE,
	HC_CREDIT,
	HC_GRANTED,
	HC_SIGNED,
	HC_COUNT
} vocab_hh_column_t;

typedef enum {
	LC_ID = 0,
	LC_HOUSEHOLD,
	LC_PRODUCT,
	LC_AMOUNT,
	LC_DISBURSED,
	LC_DUE,
	LC_SETTLED,
	LC_BALANCE,
	LC_OVERDUE,
	LC_CHANNEL,
	LC_COUNT
} vocab_loan_column_t;

/* A column: its English header and the Chinese headers accepted for it, the first the one the
 * program writes (workbooks, messages); cn[1] is NULL when there is one. */
typedef struct {
	const char *key;
	const char *cn[2];
} vocab_column_t;

extern const vocab_column_t vocab_hh_column[HC_COUNT];
extern const vocab_column_t vocab_loan_column[LC_COUNT];

/* Channels that count as online (SPEC §6 online_share), as written in Chinese. */
#define VOCAB_CHANNEL_MOBILE "手机银行"
#define VOCAB_CHANNEL_WEB "网银"
#define VOCAB_CHANNEL_ONLINE "线上"

/* Marks of an indicator or check. */
#define VOCAB_MET "达标"
#define VOCAB_UNMET "未达标"
#define VOCAB_NO_DATA "无数据" /* a rate without a denominator, where it is not unmet */
/* A rate's change since the month before (cards and trend tables). */
#define VOCAB_UP "▲"
#define VOCAB_DOWN "▼"
#define VOCAB_FLAT "持平"
#define VOCAB_POINTS "个百分点"
#define VOCAB_VS_PREV "较上月"
#define VOCAB_DONE "已完成"
#define VOCAB_NOT_DONE "未完成"
#define VOCAB_YES "是"
#define VOCAB_NO "否"
#define VOCAB_FUNNEL_TITLE "授信漏斗"
#define VOCAB_TARGET                                                                               \
	"目标" /* a threshold: the charts' 目标 line, the workbooks' 用信率目标 column */
#define VOCAB_SCORE_TITLE "验收得分" /* the score bars' caption: 各村验收得分 */
#define VOCAB_QUALITY_TITLE "数据质量"
#define VOCAB_VILLAGE_LIST_TITLE "村庄目录"
#define VOCAB_GUIDE_TITLE "指标说明"
#define VOCAB_SUMMARY_WORKBOOK "全行汇总" /* the summary workbook, where the index lists it */

/* The 指标说明 page and sheet: what each count means (SPEC §6, "by D" read as 截至日), and the
 * rules of score and verdict; both are shown with the thresholds and weights of site.yaml. */
typedef struct {
	const char *term, *meaning;
} vocab_term_t;
#define VOCAB_NGUIDE_TERMS 13
extern const vocab_term_t vocab_guide_terms[VOCAB_NGUIDE_TERMS];
#define VOCAB_NGUIDE_RULES 7
extern const vocab_term_t vocab_guide_rules[VOCAB_NGUIDE_RULES];
#define VOCAB_MANAGER "客户经理"
/* A branch's target of granted households and its completion (site.yaml target_granted): the
 * pages' and the workbooks' words. */
#define VOCAB_TARGET_GRANTED "授信目标户数"
#define VOCAB_TARGET_RATE "目标完成率"
/* An account manager's work lists at D (SPEC §8), in the order pages and sheets show them. */
typedef enum {
	TASK_VISIT = 0, /* 待走访: not visited */
	TASK_ARCHIVE,   /* 待建档: visited, not archived */
	TASK_GRANT,     /* 待授信: not negative, no grant by D */
	TASK_SIGN,      /* 待签约: granted, not signed */
	TASK_USE,       /* 待用信: signed, not used */
	TASK_OVERDUE,   /* 逾期跟进: an outstanding loan overdue */
	TASK_MIGRANT,   /* 外出务工联系: migrant households */
	TASK_COUNT
} task_list_t;
extern const char *const vocab_task_key[TASK_COUNT];   /* "visit" … "migrant" (HTML ids) */
extern const char *const vocab_task_label[TASK_COUNT]; /* 待走访 … 外出务工联系 */
#define VOCAB_TASKS_TITLE "任务清单"
#define VOCAB_TASKS_MANAGERS_SHEET "客户经理"

/* The monthly report's title and the mail's subject: "<bank or branch> <2026年10月>
 * 整村授信验收报告". */
#define VOCAB_REPORT_TITLE_FMT "%s %s 整村授信验收报告"
/* cundang rollup: the union's name without --name, what its members are called, and the
 * label of the workbook's total row. */
#define VOCAB_UNION_NAME "全部成员行社"
#define VOCAB_UNION_MEMBERS "成员行社"
#define VOCAB_UNION_TOTAL "合计"

#endif
