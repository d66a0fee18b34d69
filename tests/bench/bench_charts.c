/* bench_charts.c — times the three SVG charts of one village dossier and one 2x PNG funnel;
 * run by `make bench` (scripts/bench). Fixed data, one core. */
#include <stdio.h>
#include <time.h>
#include <math.h>
#include "render/chart/chart.h"
static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}
int main(void)
{
	err_t e;
	chart_init(&e);
	chart_step_t st[6] = {{"总户数", 254, 0, NAN, 1},
	                      {"走访", 250, "走访率", 0.98, 250 / 254.0},
	                      {"建档", 241, "建档率", 0.95, 241 / 254.0},
	                      {"授信", 215, "授信覆盖率", 0.87, 215 / 254.0},
	                      {"签约", 174, "签约率", 0.81, 174 / 254.0},
	                      {"用信", 117, "用信率", 0.54, 117 / 254.0}};
	chart_month_t m[12];
	char ms[12][8];
	for (int i = 0; i < 12; i++) {
		snprintf(ms[i], 8, "2026-%02d", i + 1);
		m[i].month = ms[i];
		for (int k = 0; k < 5; k++)
			m[i].rate[k] = 0.3 + 0.05 * k + 0.01 * i;
	}
	const char *lab[5] = {"走访率", "建档率", "授信覆盖率", "签约率", "用信率"};
	double th[5] = {0.95, 0.9, 0.8, 0.6, 0.3};
	/* 215 households in all; the shares are theirs. */
	chart_slice_t sl[6] = {{"农户", 152, 152 / 215.0},         {"商户", 16, 16 / 215.0},
	                       {"公职人员", 11, 11 / 215.0},       {"企业职工", 15, 15 / 215.0},
	                       {"新型农业经营主体", 7, 7 / 215.0}, {"其他", 14, 14 / 215.0}};
	int N = 300;
	buf_t b = {0};
	double t0 = now();
	for (int i = 0; i < N; i++) {
		buf_clear(&b);
		chart_funnel(st, 6, "授信漏斗", "a", CHART_SVG_DUAL, &b, &e);
		chart_trend(m, 12, lab, th, "趋势", "b", CHART_SVG_DUAL, &b, &e);
		chart_segments(sl, 6, 215, "客群", "c", CHART_SVG_DUAL, &b, &e);
	}
	double t1 = now();
	for (int i = 0; i < 20; i++) {
		buf_clear(&b);
		chart_funnel(st, 6, "授信漏斗", NULL, CHART_PNG, &b, &e);
	}
	double t2 = now();
	printf("3 SVG charts per village: %.3f ms; funnel PNG 2x: %.1f ms\n", (t1 - t0) * 1000 / N,
	       (t2 - t1) * 1000 / 20);
	buf_free(&b);
	chart_shutdown();
}
