/* vocab.c — the keys and Chinese labels of vocab.h's enums. Tables are indexed by the enum;
 * a function guards the index where a value may come from outside the program. */
#include "vocab.h"

const char *const vocab_rate_key[RATE_COUNT] = {"visit_rate",   "archive_rate", "credit_coverage",
                                                "signing_rate", "usage_rate",   "amount_usage_rate",
                                                "npl_rate",     "online_share"};

const char *const vocab_rate_label[RATE_COUNT] = {
    "走访率", "建档率", "授信覆盖率", "签约率", "用信率", "额度使用率", "不良率", "线上用信占比"};
/* SPEC §6's formulas in the count labels below: short on the cards, in full on 指标说明. */
const char *const vocab_rate_formula_short[RATE_COUNT] = {
    "已走访户数 ÷ 总户数",     "已建档户数 ÷ 总户数",     "已授信户数 ÷ 可授信户数",
    "已签约户数 ÷ 已授信户数", "已用信户数 ÷ 已授信户数", "贷款余额 ÷ 授信总额",
    "不良贷款余额 ÷ 贷款余额", "线上在贷笔数 ÷ 在贷笔数"};
const char *const vocab_rate_formula[RATE_COUNT] = {
    "已走访户数 ÷ 总户数",
    "已建档户数 ÷ 总户数",
    "已授信户数 ÷ (总户数 − 负面清单户数)",
    "已签约户数 ÷ 已授信户数",
    "已用信户数 ÷ 已授信户数",
    "贷款余额（本村各户在贷贷款的余额）÷ 授信总额（已授信户的授信额度之和）",
    "不良贷款余额（逾期超过 90 天的在贷贷款余额）÷ 贷款余额",
    "线上在贷笔数（渠道为线上的在贷贷款）÷ 在贷笔数"};

static const struct {
	const char *key, *label;
} segments[SEG_COUNT] = {
    [SEG_FARMER] = {"farmer", "农户"},
    [SEG_MERCHANT] = {"merchant", "商户"},
    [SEG_CIVIL] = {"civil_servant", "公职人员"},
    [SEG_EMPLOYEE] = {"employee", "企业职工"},
    [SEG_AGRI] = {"agri_operator", "新型农业经营主体"},
    [SEG_OTHER] = {"other", "其他"},
};

/* An out-of-range segment reads as "other" rather than indexing past the table. */
const char *vocab_segment_key(segment_t seg)
{
	return (unsigned)seg < SEG_COUNT ? segments[seg].key : segments[SEG_OTHER].key;
}

const char *vocab_segment_label(segment_t seg)
{
	return (unsigned)seg < SEG_COUNT ? segments[seg].label : segments[SEG_OTHER].label;
}

const char *vocab_severity_key(severity_t s)
{
	return s == SEV_ERROR ? "error" : "warning";
}

const char *vocab_severity_label(severity_t s)
{
	return s == SEV_ERROR ? "错误" : "警告";
}

const char *vocab_severity_class(severity_t s)
{
	return s == SEV_ERROR ? "sev-error" : "sev-warning";
}

const char *vocab_verdict_key(verdict_t v)
{
	return v == VERDICT_PASS ? "pass" : v == VERDICT_FAIL ? "fail" : "not_started";
}

const char *vocab_verdict_label(verdict_t v)
{
	return v == VERDICT_PASS ? "通过" : v == VERDICT_FAIL ? "未通过" : "未启动";
}

const char *vocab_verdict_class(verdict_t v)
{
	return v == VERDICT_PASS ? "pass" : v == VERDICT_FAIL ? "fail" : "not-started";
}

const char *vocab_grade_label(char grade)
{
	static const char *const grades[] = {"示范村", "重点村", "全体村"};
	return grade >= 'A' && grade <= 'C' ? grades[grade - 'A'] : "";
}

const char *const vocab_funnel_key[FUNNEL_COUNT] = {"households_total", "visited", "archived",
                                                    "granted",          "signed",  "used"};
const char *const vocab_funnel_label[FUNNEL_COUNT] = {"总户数", "走访", "建档",
                                                      "授信",   "签约", "用信"};

const char *const vocab_count_key[VOCAB_NCOUNTS] = {
    "households_total", "listed", "negative", "eligible", "visited",           "archived",
    "granted",          "signed", "used",     "overdue",  "loans_outstanding", "loans_online"};
const char *const vocab_count_label[VOCAB_NCOUNTS] = {
    "总户数",     "名单户数",   "负面清单户数", "可授信户数", "已走访户数", "已建档户数",
    "已授信户数", "已签约户数", "已用信户数",   "逾期户数",   "在贷笔数",   "线上在贷笔数"};
const char *const vocab_amount_key[VOCAB_NAMOUNTS] = {"credit_total", "balance_total",
                                                      "npl_balance"};
const char *const vocab_amount_label[VOCAB_NAMOUNTS] = {"授信总额", "贷款余额", "不良贷款余额"};
/* The count labels of visited … used. */
const char *const vocab_trend_label[VOCAB_NTREND] = {"已走访户数", "已建档户数", "已授信户数",
                                                     "已签约户数", "已用信户数"};

const char *const vocab_household_label[VOCAB_HH_COUNT] = {"负面清单", "已用信", "已签约", "已授信",
                                                           "已建档",   "已走访", "未走访"};

const vocab_column_t vocab_hh_column[HC_COUNT] = {
    [HC_ID] = {"household_id", {"户号"}},
    [HC_NAME] = {"head_name", {"户主姓名", "户主"}},
    [HC_IDNUM] = {"id_number", {"身份证号", "身份证号码"}},
    [HC_PHONE] = {"phone", {"联系电话", "手机号"}},
    [HC_SEGMENT] = {"segment", {"客群", "客户类型"}},
    [HC_GRID] = {"grid", {"网格"}},
    [HC_MANAGER] = {"manager", {VOCAB_MANAGER}},
    [HC_MEMBERS] = {"members", {"家庭人口"}},
    [HC_MIGRANT] = {"migrant", {"外出务工"}},
    [HC_VISITED] = {"visited_on", {"走访日期"}},
    [HC_ARCHIVED] = {"archived_on", {"建档日期"}},
    [HC_NEGATIVE] = {"negative_reason", {"负面清单原因", "负面清单"}},
    [HC_CREDIT] = {"credit_line", {"授信额度"}},
    [HC_GRANTED] = {"granted_on", {"授信日期"}},
    [HC_SIGNED] = {"signed_on", {"签约日期"}},
};

const vocab_column_t vocab_loan_column[LC_COUNT] = {
    [LC_ID] = {"loan_id", {"借据号"}},
    [LC_HOUSEHOLD] = {"household_id", {"户号"}},
    [LC_PRODUCT] = {"product", {"产品"}},
    [LC_AMOUNT] = {"amount", {"发放金额"}},
    [LC_DISBURSED] = {"disbursed_on", {"发放日期"}},
    [LC_DUE] = {"due_on", {"到期日期"}},
    [LC_SETTLED] = {"settled_on", {"结清日期"}},
    [LC_BALANCE] = {"balance", {"贷款余额"}},
    [LC_OVERDUE] = {"overdue_days", {"逾期天数"}},
    [LC_CHANNEL] = {"channel", {"渠道"}},
};

const char *const vocab_task_key[TASK_COUNT] = {"visit", "archive", "grant",  "sign",
                                                "use",   "overdue", "migrant"};
const char *const vocab_task_label[TASK_COUNT] = {"待走访", "待建档",   "待授信",      "待签约",
                                                  "待用信", "逾期跟进", "外出务工联系"};

const vocab_term_t vocab_guide_terms[VOCAB_NGUIDE_TERMS] = {
    {"截至日",
     "统计的时点：报告月的最后一天（或 --as-of 指定的日期）；日期在截至日当天或之前才算数"},
    {"总户数", "村档登记的户籍户数；未登记或少于户表行数时，取户表行数"},
    {"名单户数", "户表（households.csv）中有效的行数"},
    {"负面清单户数", "填有负面清单原因的户"},
    {"可授信户数", "总户数 − 负面清单户数"},
    {"已走访户数", "走访日期不晚于截至日的户"},
    {"已建档户数", "建档日期不晚于截至日的户"},
    {"已授信户数", "不在负面清单、授信额度大于 0、授信日期不晚于截至日的户"},
    {"已签约户数", "已授信且签约日期不晚于截至日的户"},
    {"已用信户数", "已授信且至少有一笔在贷贷款的户"},
    {"在贷贷款", "放款日期不晚于截至日，且未结清或结清日期晚于截至日的贷款"},
    {"逾期户数", "至少有一笔逾期天数大于 0 的在贷贷款的户"},
    {"支行、全行", "各项户数和金额为所辖各村之和，比率由合计数计算（不是各村比率的平均）"},
};

const vocab_term_t vocab_guide_rules[VOCAB_NGUIDE_RULES] = {
    {"未启动", "启动日期晚于截至日的村：不评分，不计入参与验收村数"},
    {"达成度（下限指标 ≥）", "无数据为 0，否则为 实际值 ÷ 目标值，最高为 1"},
    {"达成度（上限指标 ≤）", "无数据或不超过目标为 1，否则为 0"},
    {"达成度（定性项目）", "已完成为 1，未完成为 0"},
    {"得分", "100 × Σ(权重 × 达成度) ÷ Σ权重，保留两位小数"},
    {"通过", "每项定量指标都达标、每项必备的定性项目都已完成，且得分不低于通过分数线；否则未通过"},
    {"验收通过率", "通过的村数 ÷ 参与验收的村数"},
};
