/* workbook_guide.c — the 指标说明 sheet of the summary and branch workbooks: the same formulas,
 * thresholds, weights, rules and terms as the site's guide.html, so a printed workbook explains
 * itself. */
#include <math.h>
#include <stdio.h>

#include "format.h"
#include "read/config.h"
#include "render/workbook/workbook_int.h"
#include "vocab.h"

static void row(wb_sheet_t *s, const char *kind, const char *name, const char *meaning,
                const char *rule, double weight)
{
	wb_text(s, 0, kind);
	wb_text(s, 1, name);
	if (rule)
		wb_text(s, 2, rule);
	if (!isnan(weight))
		wb_num(s, 3, WK_NUMBER, weight);
	wb_text(s, 4, meaning);
	wb_next_row(s);
}

void wb_write_guide(wb_book_t *w)
{
	const site_t *site = &w->ind->model->site;
	/* 说明 last: the column widths are capped, and a long text then runs on into the empty
	 * cells beside it instead of under the next column. */
	const char *h[] = {"类别", "名称", "验收标准", "权重", "说明"};
	wb_sheet_t s;
	wb_table_t t = {.name = VOCAB_GUIDE_TITLE,
	                .headers = h,
	                .ncols = 5,
	                .rows = RATE_COUNT + site->nchecks + 1 + VOCAB_NGUIDE_RULES +
	                        VOCAB_NGUIDE_TERMS + 3};
	wb_sheet_open(&w->w, &s, &t);
	char th[64], ps[64];
	for (int r = 0; r < RATE_COUNT; r++) {
		const indicator_rule_t *rule = config_rule(site, (rate_t)r);
		row(&s, "定量指标", vocab_rate_label[r], vocab_rate_formula[r],
		    rule ? format_threshold(th, sizeof th, rule) : "不考核",
		    rule ? rule->weight : NAN);
	}
	for (int i = 0; i < site->nchecks; i++)
		row(&s, "定性项目", site->checks[i].label,
		    site->checks[i].required ? "通过必备" : "不是通过必备", VOCAB_DONE,
		    site->checks[i].weight);
	snprintf(ps, sizeof ps, "≥ %g 分", site->pass_score);
	row(&s, "得分与结论", "通过分数线", "得分不低于此分数（且满足“通过”的其他条件）", ps, NAN);
	for (int i = 0; i < VOCAB_NGUIDE_RULES; i++)
		row(&s, "得分与结论", vocab_guide_rules[i].term, vocab_guide_rules[i].meaning, NULL,
		    NAN);
	for (int i = 0; i < VOCAB_NGUIDE_TERMS; i++)
		row(&s, "口径", vocab_guide_terms[i].term, vocab_guide_terms[i].meaning, NULL, NAN);
	for (char g = 'A'; g <= 'C'; g++) {
		char gs[2] = {g, 0};
		row(&s, "村的等级", gs, vocab_grade_label(g), NULL, NAN);
	}
	wb_sheet_close(&s);
}
