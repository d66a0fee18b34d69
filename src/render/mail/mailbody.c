/* mailbody.c — writes each message body twice, as HTML and as its plain-text alternative,
 * from the same lines; every figure is the indicator document's, formatted by format.c. */
#include "render/mail/mailbody.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "read/config.h"
#include "vocab.h"
#include "render/site/template.h"

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

/* A number of the document; NAN for null or absent (format_pct prints it as —). */
static double num(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	return v && !json_object_is_type(v, json_type_null) ? json_object_get_double(v) : NAN;
}

static int64_t count(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	return v ? json_object_get_int64(v) : 0;
}

static void esc(buf_t *b, const char *s)
{
	template_escape_html(b, s, strlen(s));
}

static void html_head(buf_t *h, const char *title)
{
	buf_adds(h, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
	esc(h, title);
	buf_adds(
	    h, "</title></head>\n<body style=\"font-family:'Microsoft YaHei','PingFang "
	       "SC','Noto Sans CJK SC',sans-serif;font-size:14px;color:#222;line-height:1.6\">\n");
}

static const char th[] = "<th style=\"border:1px solid #bbb;padding:4px 8px;background:#eef2f7;"
                         "text-align:left\">";
static const char td[] = "<td style=\"border:1px solid #bbb;padding:4px 8px\">";
static const char td_num[] =
    "<td style=\"border:1px solid #bbb;padding:4px 8px;text-align:right\">";
static const char table[] = "<table style=\"border-collapse:collapse;margin:8px 0\">\n";

/* The acceptance line and the funnel of one entry (the bank or a branch), both forms. */
static void summary(json_object *o, const char *as_of, buf_t *h, buf_t *t)
{
	char a[64], b[64], c[64];
	format_count(a, sizeof a, count(o, "villages_total"));
	format_count(b, sizeof b, count(o, "villages_passed"));
	format_pct(c, sizeof c, num(o, "acceptance_rate"));
	buf_printf(t, "验收（截至 %s）：已启动 %s 个村，通过 %s 个，通过率 %s。\n", as_of, a, b, c);
	buf_printf(h,
	           "<p>验收（截至 %s）：已启动 <b>%s</b> 个村，通过 <b>%s</b> 个，通过率 "
	           "<b>%s</b>。</p>\n",
	           as_of, a, b, c);
	/* The rate shown under each funnel step (none under the total). */
	static const int step_rate[FUNNEL_COUNT] = {
	    -1, RATE_VISIT, RATE_ARCHIVE, RATE_COVERAGE, RATE_SIGNING, RATE_USAGE};
	buf_adds(h, table);
	buf_adds(h, "<tr>");
	for (int i = 0; i < FUNNEL_COUNT; i++) {
		buf_adds(h, th);
		buf_adds(h, vocab_funnel_label[i]);
		buf_adds(h, "</th>");
	}
	buf_adds(h, "</tr>\n<tr>");
	for (int i = 0; i < FUNNEL_COUNT; i++) {
		format_count(a, sizeof a, count(o, vocab_funnel_key[i]));
		buf_printf(t, "%s%s %s", i ? "，" : "", vocab_funnel_label[i], a);
		buf_adds(h, td_num);
		buf_adds(h, a);
		if (step_rate[i] >= 0) {
			const char *label = vocab_rate_label[step_rate[i]];
			format_pct(b, sizeof b, num(o, vocab_rate_key[step_rate[i]]));
			buf_printf(t, "（%s %s）", label, b);
			buf_printf(h, "<br><small>%s %s</small>", label, b);
		}
		buf_adds(h, "</td>");
	}
	buf_adds(t, "。\n");
	buf_adds(h, "</tr>\n</table>\n");
}

static const indicator_rule_t *rule_of(const site_t *site, const char *key)
{
	for (int i = 0; i < site->nindicators; i++)
		if (!strcmp(site->indicators[i].key, key))
			return &site->indicators[i];
	return NULL;
}

static const check_rule_t *check_of(const site_t *site, const char *key)
{
	for (int i = 0; i < site->nchecks; i++)
		if (!strcmp(site->checks[i].key, key))
			return &site->checks[i];
	return NULL;
}

/* What keeps village v from passing, how far off each item is: "走访率 77.3%（要求 ≥
 * 95.0%）；村级对接会未完成", or the score against the pass mark when nothing else failed. */
static void shortfall(const site_t *site, json_object *v, buf_t *out)
{
	json_object *failed = get(v, "failed");
	size_t n = failed ? json_object_array_length(failed) : 0;
	char a[64], b[64];
	for (size_t i = 0; i < n; i++) {
		const char *key = json_object_get_string(json_object_array_get_idx(failed, i));
		if (i)
			buf_adds(out, "；");
		const indicator_rule_t *r = rule_of(site, key);
		const check_rule_t *c = r ? NULL : check_of(site, key);
		if (r) {
			format_pct_vs(a, sizeof a, num(v, key), r, false);
			buf_printf(out, "%s %s（要求 %s）", vocab_rate_label[r->rate], a,
			           format_threshold(b, sizeof b, r));
		} else {
			buf_printf(out, "%s未完成", c ? c->label : key);
		}
	}
	if (n == 0) {
		format_score(a, sizeof a, num(v, "score"));
		buf_printf(out, "得分 %s，低于合格分 %g", a, site->pass_score);
	}
}

static void closing(const char *signature, buf_t *h, buf_t *t)
{
	buf_printf(t, "\n%s\n（本邮件由 cundang 根据已生成的报告自动编写。）\n", signature);
	buf_adds(h, "<p>");
	esc(h, signature);
	buf_adds(h, "<br><small style=\"color:#777\">本邮件由 cundang "
	            "根据已生成的报告自动编写。</small></p>\n</body></html>\n");
}

void mailbody_branch(const site_t *site, const char *signature, json_object *doc, json_object *br,
                     buf_t *html, buf_t *text)
{
	char month[64], a[64];
	int32_t ym = 0;
	value_parse_month(str(doc, "month"), &ym);
	format_month_cn(month, sizeof month, ym);
	const char *name = str(br, "name"), *code = str(br, "code"), *as_of = str(doc, "as_of");
	char title[300];
	snprintf(title, sizeof title, VOCAB_REPORT_TITLE_FMT, name, month);
	html_head(html, title);
	buf_printf(text,
	           "%s：\n\n%s整村授信验收报告见附件：本支行的验收工作簿（Excel）和验收报告页面"
	           "（用浏览器打开）。\n\n",
	           name, month);
	buf_adds(html, "<p>");
	esc(html, name);
	buf_printf(html,
	           "：</p>\n<p>%s整村授信验收报告见附件：本支行的验收工作簿（Excel）和验收报告页面"
	           "（用浏览器打开）。</p>\n",
	           month);
	summary(br, as_of, html, text);
	double target = num(br, "target_granted");
	if (isfinite(target)) {
		format_count(a, sizeof a, (int64_t)target);
		char r[64];
		format_pct(r, sizeof r, num(br, "target_rate"));
		buf_printf(text, "预授信任务 %s 户，完成 %s。\n", a, r);
		buf_printf(html, "<p>预授信任务 %s 户，完成 <b>%s</b>。</p>\n", a, r);
	}
	json_object *villages = get(doc, "villages");
	size_t nv = villages ? json_object_array_length(villages) : 0, nfail = 0;
	for (size_t i = 0; i < nv; i++) {
		json_object *v = json_object_array_get_idx(villages, i);
		nfail += !strcmp(str(v, "branch"), code) && !strcmp(str(v, "verdict"), "fail");
	}
	if (nfail == 0) {
		const char *s = count(br, "villages_total") ? "本月已启动的村全部通过验收。"
		                                            : "本月没有已启动验收的村。";
		buf_printf(text, "\n%s\n", s);
		buf_printf(html, "<p>%s</p>\n", s);
	} else {
		buf_printf(text, "\n未通过验收的村（%zu 个）：\n", nfail);
		buf_printf(html,
		           "<h3 style=\"font-size:15px\">未通过验收的村（%zu "
		           "个）</h3>\n%s<tr>%s村</th>%s得分</th>%s未达标项</th></tr>\n",
		           nfail, table, th, th, th);
		buf_t why = {0};
		for (size_t i = 0; i < nv; i++) {
			json_object *v = json_object_array_get_idx(villages, i);
			if (strcmp(str(v, "branch"), code) || strcmp(str(v, "verdict"), "fail"))
				continue;
			buf_clear(&why);
			shortfall(site, v, &why);
			format_score(a, sizeof a, num(v, "score"));
			buf_printf(text, "- %s（%s） 得分 %s：%s\n", str(v, "name"), str(v, "code"),
			           a, why.data);
			buf_printf(html, "<tr>%s", td);
			esc(html, str(v, "name"));
			buf_adds(html, "（");
			esc(html, str(v, "code"));
			buf_printf(html, "）</td>%s%s</td>%s", td_num, a, td);
			esc(html, why.data);
			buf_adds(html, "</td></tr>\n");
		}
		buf_free(&why);
		buf_adds(html, "</table>\n");
	}
	closing(signature, html, text);
}

void mailbody_bank(const site_t *site, const char *signature, json_object *doc, buf_t *html,
                   buf_t *text)
{
	char month[64], a[64], b[64], c[64], d[64], e[64];
	int32_t ym = 0;
	value_parse_month(str(doc, "month"), &ym);
	format_month_cn(month, sizeof month, ym);
	json_object *bank = get(doc, "bank");
	const char *name = str(bank, "name");
	char title[300];
	snprintf(title, sizeof title, VOCAB_REPORT_TITLE_FMT, name, month);
	html_head(html, title);
	buf_printf(text,
	           "总行：\n\n%s整村授信验收报告见附件：全行汇总工作簿（Excel）和验收报告页面"
	           "（用浏览器打开）。\n\n",
	           month);
	buf_printf(
	    html,
	    "<p>总行：</p>\n<p>%s整村授信验收报告见附件：全行汇总工作簿（Excel）和验收报告页面"
	    "（用浏览器打开）。</p>\n",
	    month);
	summary(bank, str(doc, "as_of"), html, text);
	(void)site;
	json_object *branches = get(doc, "branches");
	size_t n = branches ? json_object_array_length(branches) : 0;
	buf_adds(text, "\n各支行：\n");
	buf_printf(html,
	           "<h3 "
	           "style=\"font-size:15px\">各支行</h3>\n%s<tr>%s支行</th>%s已启动村</th>%s通过</"
	           "th>%s通过率</th>%s授信覆盖率</th>%s用信率</th></tr>\n",
	           table, th, th, th, th, th, th);
	for (size_t i = 0; i < n; i++) {
		json_object *br = json_object_array_get_idx(branches, i);
		format_count(a, sizeof a, count(br, "villages_total"));
		format_count(b, sizeof b, count(br, "villages_passed"));
		format_pct(c, sizeof c, num(br, "acceptance_rate"));
		format_pct(d, sizeof d, num(br, "credit_coverage"));
		format_pct(e, sizeof e, num(br, "usage_rate"));
		buf_printf(text,
		           "- %s：已启动 %s 个村，通过 %s 个（%s），授信覆盖率 %s，用信率 %s\n",
		           str(br, "name"), a, b, c, d, e);
		buf_printf(html, "<tr>%s", td);
		esc(html, str(br, "name"));
		buf_printf(html, "</td>%s%s</td>%s%s</td>%s%s</td>%s%s</td>%s%s</td></tr>\n",
		           td_num, a, td_num, b, td_num, c, td_num, d, td_num, e);
	}
	buf_adds(html, "</table>\n");
	closing(signature, html, text);
}
