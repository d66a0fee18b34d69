/* vocab.c — the keys and Chinese labels of vocab.h's enums. Tables are indexed by the enum;
 * a function guards the index where a value may come from outside the program. */
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

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

/* The codes of SPEC §5 in bytewise order (looked up by bsearch), each with its name and what
 * the branch staff should know: what happened to the row, and where to mend it. */
static const struct {
	const char *code, *label, *explain;
} findings[] = {
    {"balance_exceeds_amount", "余额大于发放金额",
     "贷款台账中贷款余额大于发放金额，请与核心系统核对这笔借据的金额和余额；该行照常计入。"},
    {"credit_without_grant_date", "有额度无授信日期",
     "户表填了授信额度但没有授信日期，该户不计为已授信；请补填授信日期。"},
    {"duplicate_household", "户号重复",
     "同一户号在档案中出现了两次（可能在另一个村的户表中），后读到的一行已剔除，不参与统计；"
     "请核对户号，保留正确的一行。"},
    {"duplicate_loan", "借据号重复",
     "同一借据号在贷款台账中出现了两次，后读到的一行已剔除；多见于两期台账重复导出。"},
    {"households_total_too_small", "户籍户数少于户表",
     "村情报告（village.md）中的户籍户数少于户表所列户数，按户表户数计算；请更新户籍户数。"},
    {"invalid_amount", "金额无法识别",
     "金额写法无法识别（如含字母、负数或三位分组不对），按空值处理；请改为 12345、12,345.60 或 3万 "
     "这样的写法。"},
    {"invalid_boolean", "是/否无法识别", "是/否栏的内容无法识别，按“否”处理；请填是或否。"},
    {"invalid_date", "日期无法识别",
     "日期写法无法识别或不是真实日期（如 2月30日），按空值处理；请改为 2026-03-05 这样的写法。"},
    {"invalid_disbursed_on", "发放日期无效",
     "贷款台账中发放日期为空或无法识别，该笔贷款已剔除，不参与统计；请补正发放日期。"},
    {"invalid_id_number", "身份证号无效",
     "身份证号长度、出生日期或校验码不符，按空值处理，该户照常计入；请核对证件重新录入。"},
    {"invalid_integer", "整数无法识别",
     "应填整数的栏（如家庭人口、逾期天数）无法识别，按空值处理。"},
    {"missing_id_number", "缺少身份证号", "户表中身份证号为空，该户照常计入；请补录。"},
    {"missing_value", "缺少必填项",
     "户号、户主姓名、借据号等必填项为空，该行已剔除，不参与统计；请补全后重新导出。"},
    {"negative_with_credit", "负面清单户有额度",
     "负面清单户填了授信额度，不计为已授信；请核实该户是否应移出负面清单或撤销额度。"},
    {"outstanding_not_granted", "未授信户有在贷",
     "该户有未结清贷款，但户表中未获授信（无额度、无授信日期或在负面清单）；请核对户表。"},
    {"repeated_header", "重复表头",
     "文件中间出现了与表头相同的一行，多为两份导出拼接在一起；该行已跳过，其余行照常读取。"},
    {"signed_before_grant", "签约早于授信", "签约日期早于授信日期，请核对两个日期。"},
    {"signed_without_grant", "未授信已签约",
     "户表填了签约日期，但该户未获授信，不计为已签约；请补填授信信息或删除签约日期。"},
    {"unknown_column", "未知列",
     "文件中有本程序不认识的列，已忽略（每个文件提示一次）；若是必需信息，请改用规定的列名。"},
    {"unknown_household", "户号不在户表中",
     "贷款台账中的户号不在任何村的户表中，该笔贷款已剔除，不参与统计；请核对户号或补录该户。"},
    {"unknown_segment", "客群无法识别",
     "客群不是农户、商户、公职人员、企业职工、新型农业经营主体、其他之一，计入其他。"},
};

static int cmp_finding(const void *key, const void *e)
{
	return strcmp(key, *(const char *const *)e);
}

static int finding_at(const char *code)
{
	const char *const *e = code ? bsearch(code, findings, sizeof findings / sizeof *findings,
	                                      sizeof *findings, cmp_finding)
	                            : NULL;
	return e ? (int)((const char *)e - (const char *)findings) / (int)sizeof *findings : -1;
}

const char *vocab_finding_label(const char *code)
{
	int i = finding_at(code);
	return i >= 0 ? findings[i].label : code ? code : "";
}

const char *vocab_finding_explain(const char *code)
{
	int i = finding_at(code);
	return i >= 0 ? findings[i].explain : "";
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
