/* letters.c — draws the credit notification letters with Cairo's PDF surface and PangoCairo
 * (Noto Sans CJK SC, embedded as a subset, so the text stays selectable and searchable). */
#include "render/letters/letters.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <limits.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "outtree.h"
#include "render/letters/capnum.h"
#include "vocab.h"

/* A4 in PostScript points, and the margins of a letter. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN 64.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define FONT "Noto Sans CJK SC"
#define SITE_MARKER ".cundang" /* the file every cundang site output holds (build.c) */

/* ---- where letters may go ---- */

/* Whether dir or one of its parents holds a cundang site output's marker. A DIR that does
 * not exist yet is judged by the parents that do. */
static bool inside_site(const char *dir)
{
	char *path = realpath(dir, NULL);
	if (!path) {
		/* Resolve the longest existing prefix: the rest is to be created under it. */
		char *copy = xstrdup(dir);
		char *slash;
		while (!path && (slash = strrchr(copy, '/'))) {
			*slash = '\0';
			path = realpath(copy[0] ? copy : "/", NULL);
		}
		if (!path)
			path = realpath(".", NULL);
		free(copy);
		if (!path)
			return false;
	}
	bool found = false;
	for (;;) {
		char *m = path_join(path, SITE_MARKER);
		struct stat st;
		found = lstat(m, &st) == 0 && S_ISREG(st.st_mode);
		free(m);
		char *slash = strrchr(path, '/');
		if (found || !slash || slash == path)
			break;
		*slash = '\0';
	}
	free(path);
	return found;
}

/* ---- dates ---- */

int32_t letters_valid_until(int32_t granted_on, int years)
{
	int y = granted_on / 10000 + years, m = granted_on / 100 % 100, d = granted_on % 100;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		d = 28;
	return y * 10000 + m * 100 + d;
}

/* 20260305 → "2026年3月5日". */
static char *date_cn(char *out, size_t n, int32_t ymd)
{
	snprintf(out, n, "%d年%d月%d日", ymd / 10000, ymd / 100 % 100, ymd % 100);
	return out;
}

/* ---- drawing ---- */

/* Cairo 1.16 (Debian 12) subsets Noto Sans CJK's CFF outlines wrongly for some glyphs: the
 * subroutines they call are blanked, so 如 in 王如意 printed as nothing (Ghostscript shows its
 * .notdef box), depending on which other glyphs the page holds. Cairo embeds a font it takes
 * for synthetic through its fallback instead: every outline re-encoded without subroutines,
 * still a CID-keyed CFF subset named after the font, with the same ToUnicode map. Any
 * synthesize flag marks a face so; cairo applies only BOLD and OBLIQUE to the outlines, so
 * SYNTH_NONE changes no shape. Each PangoFont of a letter gets such a copy of its face (see
 * fallback_font), and the runs Pango laid out are drawn with it (show_layout). */
#define SYNTH_NONE (1u << 30)
#define MAX_FONTS 8

typedef struct {
	cairo_t *cr;
	PangoLayout *layout;
	PangoFontDescription *body, *bold, *title, *small;
	PangoFont *pango[MAX_FONTS];           /* fonts met so far */
	cairo_scaled_font_t *drawn[MAX_FONTS]; /* the copy each is drawn with */
	int nfonts;
} pen_t;

/* The scaled font p draws font's glyphs with: a face of the same pattern that cairo takes for
 * synthetic, at Pango's size. NULL when there is none (then Pango's own is used). */
static cairo_scaled_font_t *fallback_font(pen_t *p, PangoFont *font)
{
	for (int i = 0; i < p->nfonts; i++)
		if (p->pango[i] == font)
			return p->drawn[i];
	if (p->nfonts == MAX_FONTS || !PANGO_IS_FC_FONT(font))
		return NULL;
	cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
	FcPattern *pat = FcPatternDuplicate(pango_fc_font_get_pattern(PANGO_FC_FONT(font)));
	/* Another hinting setting makes cairo give a face of its own, not Pango's (it reuses a
	 * face of equal options), so the flag reaches no other text; a PDF is not hinted. */
	FcBool hinting = FcTrue;
	FcPatternGetBool(pat, FC_HINTING, 0, &hinting);
	FcPatternDel(pat, FC_HINTING);
	FcPatternAddBool(pat, FC_HINTING, !hinting);
	cairo_font_face_t *face = cairo_ft_font_face_create_for_pattern(pat);
	FcPatternDestroy(pat);
	cairo_ft_font_face_set_synthesize(face, SYNTH_NONE);
	cairo_matrix_t fm, ctm;
	cairo_scaled_font_get_font_matrix(sf, &fm);
	cairo_scaled_font_get_ctm(sf, &ctm);
	cairo_font_options_t *opt = cairo_font_options_create();
	cairo_scaled_font_get_font_options(sf, opt);
	cairo_scaled_font_t *mine = cairo_scaled_font_create(face, &fm, &ctm, opt);
	cairo_font_options_destroy(opt);
	cairo_font_face_destroy(face);
	if (cairo_scaled_font_status(mine) != CAIRO_STATUS_SUCCESS) {
		cairo_scaled_font_destroy(mine);
		return NULL;
	}
	p->pango[p->nfonts] = g_object_ref(font);
	p->drawn[p->nfonts++] = mine;
	return mine;
}

/* Draws one run at (x, baseline y): its glyphs with the text they stand for, so the PDF's
 * text is selectable, as pango_cairo_show_glyph_item would. Left-to-right text only, which is
 * all a letter holds. */
static void show_run(pen_t *p, const char *text, PangoGlyphItem *run, double x, double y)
{
	PangoGlyphString *gs = run->glyphs;
	cairo_scaled_font_t *sf = fallback_font(p, run->item->analysis.font);
	if (!sf) {
		cairo_move_to(p->cr, x, y);
		pango_cairo_show_glyph_item(p->cr, text, run);
		return;
	}
	const char *utf8 = text + run->item->offset;
	int n = gs->num_glyphs, ng = 0, nc = 0;
	cairo_glyph_t *glyphs = xmalloc(((size_t)n + 1) * sizeof *glyphs);
	cairo_text_cluster_t *clusters = xmalloc(((size_t)n + 1) * sizeof *clusters);
	double at = x;
	for (int i = 0; i < n; i++) {
		PangoGlyphInfo *g = &gs->glyphs[i];
		int start = gs->log_clusters[i];
		if (i == 0 || start != gs->log_clusters[i - 1]) {
			int end = run->item->length;
			for (int j = i + 1; j < n; j++)
				if (gs->log_clusters[j] != start) {
					end = gs->log_clusters[j];
					break;
				}
			clusters[nc++] =
			    (cairo_text_cluster_t){.num_bytes = end - start, .num_glyphs = 0};
		}
		if (g->glyph != PANGO_GLYPH_EMPTY && !(g->glyph & PANGO_GLYPH_UNKNOWN_FLAG)) {
			glyphs[ng++] =
			    (cairo_glyph_t){.index = g->glyph,
			                    .x = at + (double)g->geometry.x_offset / PANGO_SCALE,
			                    .y = y + (double)g->geometry.y_offset / PANGO_SCALE};
			clusters[nc - 1].num_glyphs++;
		}
		at += (double)g->geometry.width / PANGO_SCALE;
	}
	/* A cluster of no glyph and no byte is not allowed; one of bytes only is. */
	int kept = 0;
	for (int i = 0; i < nc; i++)
		if (clusters[i].num_bytes || clusters[i].num_glyphs)
			clusters[kept++] = clusters[i];
	cairo_save(p->cr);
	cairo_set_scaled_font(p->cr, sf);
	cairo_show_text_glyphs(p->cr, utf8, run->item->length, glyphs, ng, clusters, kept, 0);
	cairo_restore(p->cr);
	free(glyphs);
	free(clusters);
}

/* Draws p's layout with its top left corner at (x, y), run by run (show_run). */
static void show_layout(pen_t *p, double x, double y)
{
	const char *text = pango_layout_get_text(p->layout);
	PangoLayoutIter *it = pango_layout_get_iter(p->layout);
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
		if (!run)
			continue;
		PangoRectangle r;
		pango_layout_iter_get_run_extents(it, NULL, &r);
		show_run(p, text, run, x + (double)r.x / PANGO_SCALE,
		         y + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE);
	} while (pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
}

/* Draws text at (x, y) in font, wrapped to width and aligned; returns its height. */
static double text_at(pen_t *p, double x, double y, double width, const PangoFontDescription *font,
                      PangoAlignment align, const char *text)
{
	pango_layout_set_font_description(p->layout, font);
	pango_layout_set_width(p->layout, (int)(width * PANGO_SCALE));
	pango_layout_set_alignment(p->layout, align);
	pango_layout_set_text(p->layout, text, -1);
	show_layout(p, x, y);
	int w, h;
	pango_layout_get_size(p->layout, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* One labelled row of the grant table; returns its height. */
static double row_at(pen_t *p, double y, const char *label, const char *value)
{
	double h1 = text_at(p, MARGIN + 24, y, 90, p->bold, PANGO_ALIGN_LEFT, label);
	double h2 = text_at(p, MARGIN + 120, y, TEXT_W - 144, p->body, PANGO_ALIGN_LEFT, value);
	double h = h1 > h2 ? h1 : h2;
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, MARGIN + 16, y + h + 4);
	cairo_line_to(p->cr, PAGE_W - MARGIN - 16, y + h + 4);
	cairo_set_source_rgb(p->cr, 0.7, 0.7, 0.7);
	cairo_stroke(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	return h + 7;
}

/* One household's page. */
static void draw_letter(pen_t *p, const indicators_t *ind, const village_t *v, const household_t *h)
{
	const site_t *site = &ind->model->site;
	const branch_t *b = &site->branches[v->branch];
	char buf[1024], amount[64], capital[CAPNUM_MAX], d1[32], d2[32], dd[32];
	format_yuan(amount, sizeof amount, h->credit_line);
	capnum_yuan(h->credit_line, capital, sizeof capital);
	date_cn(d1, sizeof d1, h->granted_on);
	date_cn(d2, sizeof d2, letters_valid_until(h->granted_on, site->letters_valid_years));
	date_cn(dd, sizeof dd, ind->as_of);

	double y = MARGIN;
	snprintf(buf, sizeof buf, "%s %s", site->bank, b->name);
	y += text_at(p, MARGIN, y, TEXT_W, p->small, PANGO_ALIGN_LEFT, buf);
	y += 8;
	y += text_at(p, MARGIN, y, TEXT_W, p->title, PANGO_ALIGN_CENTER, "授信告知函");
	y += 18;
	snprintf(buf, sizeof buf, "尊敬的 %s 户主（户号：%s）：", h->name, h->id);
	y += text_at(p, MARGIN, y, TEXT_W, p->body, PANGO_ALIGN_LEFT, buf);
	y += 8;
	snprintf(buf, sizeof buf,
	         "　　感谢您对%s的信任与支持。在%s整村授信工作中，经%s走访调查、评议审批，"
	         "您的家庭已获得我行授信，授信额度为人民币%s元（大写：人民币%s）。明细见下表：",
	         site->bank, v->name, b->name, amount + strlen("¥"), capital);
	y += text_at(p, MARGIN, y, TEXT_W, p->body, PANGO_ALIGN_LEFT, buf);
	y += 14;
	snprintf(buf, sizeof buf, "%s%s%s", v->name, v->township ? "（" : "",
	         v->township ? v->township : "");
	if (v->township)
		strncat(buf, "）", sizeof buf - strlen(buf) - 1);
	y += row_at(p, y, "所在村", buf);
	y += row_at(p, y, "授信额度", amount);
	snprintf(buf, sizeof buf, "人民币%s", capital);
	y += row_at(p, y, "大写金额", buf);
	y += row_at(p, y, "授信日期", d1);
	y += row_at(p, y, "有效期至", d2);
	if (h->manager && h->manager[0])
		y += row_at(p, y, VOCAB_MANAGER, h->manager);
	y += 12;

	y += text_at(p, MARGIN, y, TEXT_W, p->bold, PANGO_ALIGN_LEFT, "如何用信");
	y += 4;
	snprintf(buf, sizeof buf,
	         "1. 授信有效期内，户主本人携带身份证到%s或联系客户经理办理签约，签约后即可用信。\n"
	         "2. 额度内可循环使用，随借随还，按实际用款天数计息，不用不计息。\n"
	         "3. 已开通手机银行的客户，签约后可在手机银行在线申请用信和还款。",
	         b->name);
	y += text_at(p, MARGIN + 16, y, TEXT_W - 16, p->body, PANGO_ALIGN_LEFT, buf);
	y += 12;

	if (b->address || b->phone || site->letters_hotline) {
		y += text_at(p, MARGIN, y, TEXT_W, p->bold, PANGO_ALIGN_LEFT, "联系方式");
		y += 4;
		buf[0] = '\0';
		size_t k = 0;
		if (b->address)
			k += (size_t)snprintf(buf + k, sizeof buf - k, "%s地址：%s\n", b->name,
			                      b->address);
		if (b->phone && k < sizeof buf)
			k += (size_t)snprintf(buf + k, sizeof buf - k, "联系电话：%s\n", b->phone);
		if (site->letters_hotline && k < sizeof buf)
			k += (size_t)snprintf(buf + k, sizeof buf - k, "服务热线：%s\n",
			                      site->letters_hotline);
		if (k > 0 && k < sizeof buf)
			buf[k - 1] = '\0'; /* no empty last line */
		y += text_at(p, MARGIN + 16, y, TEXT_W - 16, p->body, PANGO_ALIGN_LEFT, buf);
		y += 12;
	}
	y += text_at(p, MARGIN, y, TEXT_W, p->small, PANGO_ALIGN_LEFT,
	             "温馨提示：本函仅告知授信额度，不作为放款凭证，请妥善保管。"
	             "我行工作人员不会以任何理由索要您的密码或验证码，谨防诈骗。");

	/* The seal box at the foot, right, with the issuer and D to its left. */
	double bw = 128, bh = 84, bx = PAGE_W - MARGIN - bw, by = PAGE_H - MARGIN - bh;
	if (by < y + 12)
		by = y + 12; /* a long address: the box follows the text */
	if (by > PAGE_H - 24 - bh)
		by = PAGE_H - 24 - bh; /* and never leaves the page */
	cairo_set_line_width(p->cr, 0.8);
	cairo_rectangle(p->cr, bx, by, bw, bh);
	cairo_set_source_rgb(p->cr, 0.45, 0.45, 0.45);
	cairo_stroke(p->cr);
	text_at(p, bx, by + bh / 2 - 7, bw, p->small, PANGO_ALIGN_CENTER, "（盖章处）");
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	snprintf(buf, sizeof buf, "%s %s\n%s", site->bank, b->name, dd);
	text_at(p, MARGIN, by + bh / 2 - 16, TEXT_W - bw - 16, p->body, PANGO_ALIGN_RIGHT, buf);
}

/* Why a PDF could not be written, from cairo's status. */
static letters_status_t cairo_failed(cairo_status_t st, const char *path, err_t *err)
{
	err_set(err, path, 0, "cannot write the letters: %s", cairo_status_to_string(st));
	return LETTERS_WRITE_FAILED;
}

/* The PDF of one village at path (through path.tmp); *pages gets its page count. */
static letters_status_t write_village(const indicators_t *ind, PangoFontMap *map,
                                      const village_t *v, const char *path, int *pages, err_t *err)
{
	const model_t *m = ind->model;
	char *tmp = xmalloc(strlen(path) + 8);
	sprintf(tmp, "%s.tmp", path);
	cairo_surface_t *s = cairo_pdf_surface_create(tmp, PAGE_W, PAGE_H);
	cairo_status_t st = cairo_surface_status(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		free(tmp);
		return cairo_failed(st, path, err);
	}
	/* The same archive and D give the same bytes: the dates are D, never the clock. */
	char date[32], title[512];
	snprintf(date, sizeof date, "%04d-%02d-%02dT00:00:00", ind->as_of / 10000,
	         ind->as_of / 100 % 100, ind->as_of % 100);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
	snprintf(title, sizeof title, "授信告知函 %s %s", v->code, v->name);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, m->site.bank);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "cundang letters");

	pen_t p = {.cr = cairo_create(s)};
	PangoContext *pc = pango_font_map_create_context(map);
	pango_cairo_update_context(p.cr, pc);
	p.layout = pango_layout_new(pc);
	pango_layout_set_wrap(p.layout, PANGO_WRAP_WORD_CHAR);
	p.body = pango_font_description_from_string(FONT " 10.5");
	p.bold = pango_font_description_from_string(FONT " Bold 10.5");
	p.title = pango_font_description_from_string(FONT " Bold 20");
	p.small = pango_font_description_from_string(FONT " 9");
	*pages = 0;
	for (int i = 0; i < v->nhouseholds; i++) {
		int hi = v->first_household + i;
		if (!(ind->hh_status[hi] & HH_GRANTED))
			continue;
		draw_letter(&p, ind, v, &m->households[hi]);
		cairo_show_page(p.cr);
		(*pages)++;
	}
	pango_font_description_free(p.body);
	pango_font_description_free(p.bold);
	pango_font_description_free(p.title);
	pango_font_description_free(p.small);
	for (int i = 0; i < p.nfonts; i++) {
		cairo_scaled_font_destroy(p.drawn[i]);
		g_object_unref(p.pango[i]);
	}
	g_object_unref(p.layout);
	g_object_unref(pc);
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	letters_status_t rc = LETTERS_OK;
	if (st != CAIRO_STATUS_SUCCESS)
		rc = cairo_failed(st, path, err);
	else if (rename(tmp, path) != 0)
		rc = (err_set(err, path, 0, "cannot write the letters: %s", strerror(errno)),
		      LETTERS_WRITE_FAILED);
	if (rc != LETTERS_OK)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Drops the font map, then Cairo's static data once Pango's font-sorting thread has let go
 * of the map (a leak checker then sees a clean exit; as chart_shutdown does). */
static void release_fonts(PangoFontMap *map)
{
	GWeakRef ref;
	g_weak_ref_init(&ref, map);
	g_object_unref(map);
	bool gone = false;
	for (int tries = 0; tries < 2000 && !gone; tries++) {
		GObject *o = g_weak_ref_get(&ref);
		gone = !o;
		if (o) {
			g_object_unref(o);
			g_usleep(1000);
		}
	}
	g_weak_ref_clear(&ref);
	if (gone)
		cairo_debug_reset_static_data();
}

/* Village positions (in ind->villages) the run writes, in code order; NULL with err for a
 * --village that is unknown or outside the --branch selection. */
static int *chosen_villages(const indicators_t *ind, const letters_options_t *o, int *n, err_t *err)
{
	const model_t *m = ind->model;
	int *pos = xcalloc((size_t)ind->nvillages + 1, sizeof *pos);
	bool *want = xcalloc((size_t)ind->nvillages + 1, sizeof *want);
	for (int k = 0; k < o->nvillages; k++) {
		int v = -1;
		for (int i = 0; i < m->nvillages && v < 0; i++)
			if (!strcmp(m->villages[i].code, o->villages[k]))
				v = i;
		int p = v < 0 ? -1 : indicators_village_pos(ind, v);
		if (p < 0) {
			if (v < 0)
				err_set(err, NULL, 0,
				        "--village %s: no such village in the archive",
				        o->villages[k]);
			else
				err_set(err, NULL, 0,
				        "--village %s: the village belongs to branch %s, which "
				        "--branch "
				        "does not select",
				        o->villages[k],
				        m->site.branches[m->villages[v].branch].code);
			free(pos);
			free(want);
			return NULL;
		}
		want[p] = true;
	}
	*n = 0;
	for (int p = 0; p < ind->nvillages; p++)
		if (o->nvillages == 0 || want[p])
			pos[(*n)++] = p;
	free(want);
	return pos;
}

letters_status_t letters_write(const indicators_t *ind, const letters_options_t *o,
                               letters_result_t *res, err_t *err)
{
	memset(res, 0, sizeof *res);
	if (inside_site(o->output)) {
		err_set(err, o->output, 0,
		        "is or lies inside a cundang site output (it holds %s): letters carry "
		        "full names and are never written into a site; choose another -o",
		        SITE_MARKER);
		return LETTERS_BAD_INPUT;
	}
	int n;
	int *pos = chosen_villages(ind, o, &n, err);
	if (!pos)
		return LETTERS_BAD_INPUT;
	/* A font map of our own, so that every Pango and Cairo object is freed at the end. */
	PangoFontMap *map = pango_cairo_font_map_new();
	letters_status_t rc = LETTERS_OK;
	if (path_make_dirs(o->output, 0, false, NULL) != 0) {
		err_set(err, o->output, 0, "cannot create the folder: %s", strerror(errno));
		rc = LETTERS_WRITE_FAILED;
	}
	for (int k = 0; k < n && rc == LETTERS_OK; k++) {
		const village_ind_t *vi = &ind->villages[pos[k]];
		const village_t *v = &ind->model->villages[vi->village];
		if (vi->f.c.granted == 0) {
			res->empty++;
			continue;
		}
		char name[OUTTREE_PATH_MAX];
		outtree_path(name, sizeof name, OUTTREE_LETTER, 0, v->code);
		char *path = path_join(o->output, name);
		int pages = 0;
		rc = write_village(ind, map, v, path, &pages, err);
		free(path);
		if (rc == LETTERS_OK) {
			res->pdfs++;
			res->pages += pages;
		}
	}
	free(pos);
	release_fonts(map);
	return rc;
}
