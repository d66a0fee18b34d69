/* sitecharts.h — which charts each page carries and where the PNGs go: turns the computed
 * indicators into chart data and calls chart.c (SVG inline in pages, PNG under charts/). */
#ifndef CUNDANG_SITECHARTS_H
#define CUNDANG_SITECHARTS_H

#include <json-c/json.h>

#include "compute/indicators.h"

/* The rate the bar charts compare across villages and branches: usage (用信率), the goal of
 * the campaign's second stage (用信激发). */
#define SITECHARTS_BARS_RATE RATE_USAGE

/* Each adds its SVG strings (village: funnel, trend, segments; branch: funnel, trend, bars,
 * scores; bank: funnel, trend, bars, scores, segments) to the page's `charts` object
 * (templates/README.md) and returns the number of charts drawn, or -1 with err. Each string
 * is a CHART_SVG_DUAL pair, a wide and a narrow drawing; the page's CSS shows one. The SVGs
 * draw no title: the page's heading or caption says it. Safe in several threads (after
 * chart_init). */
int sitecharts_village(json_object *charts, const indicators_t *ind, int pos, err_t *err);
int sitecharts_branch(json_object *charts, const indicators_t *ind, int b, err_t *err);
int sitecharts_bank(json_object *charts, const indicators_t *ind, err_t *err);
/* A union's overview (cundang rollup): funnel, trend and the members' bars. */
int sitecharts_union(json_object *charts, const indicators_t *ind, err_t *err);
/* The report's bars (villages of branch b, or branches when b < 0) and scores (villages of
 * branch b, or of the selection). */
int sitecharts_report(json_object *charts, const indicators_t *ind, int b, err_t *err);

/* The PNG charts for workbooks and mail (outtree.h names them): the bank's funnel, trend and
 * bars and, per branch, its funnel and bars, sitecharts_png_count of them. sitecharts_png
 * draws number k of them into dir, so that they can be drawn in parallel (each is one job of
 * site.c's pool); returns 0, or -1 with err. */
int sitecharts_png_count(const indicators_t *ind);
int sitecharts_png(const indicators_t *ind, const char *dir, int k, err_t *err);

#endif
