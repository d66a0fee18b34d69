/* chart_out.c — the fonts and the output of the charts: a pool of Pango font maps (one per
 * thread drawing at the same time), glyph outlines cached per font map, and the canvas of
 * chart_int.h turned into an inlinable SVG element or a 2× PNG with a pHYs chunk. */
#include "render/chart/chart_int.h"

#include <png.h>
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const struct {
	int px;
	bool bold;
} S_fonts[CHART_F_COUNT] = {{11, false}, {11, false}, {11, true},
                            {14, true},  {18, true},  {14, false}};

/* A font map with what is cached along with it. Pango objects must not be used by two
 * threads at once, so a chart call borrows one typeset_t for itself and gives it back. */
typedef struct {
	PangoFontMap *map;
	cairo_surface_t *scratch_surface; /* where glyph outlines are traced */
	cairo_t *scratch;
	PangoFont **fonts; /* referenced, so that their addresses stay theirs */
	size_t nfonts, fonts_cap;
	strmap_t glyph_index; /* "<font>:<glyph>" → index into paths */
	char **paths;         /* SVG path data of the outline at the origin; "" for none */
	size_t npaths, paths_cap;
	/* Texts shaped for SVG: "<font> <maxw> <text>" → index into shaped. A dossier's month
	 * labels, legends, axis ticks and step names are the same in every dossier, and shaping
	 * them again (Pango, HarfBuzz) was a quarter of a chart's time. */
	strmap_t shaped_index;
	struct shaped *shaped;
	size_t nshaped, shaped_cap;
	arena_t arena; /* keys, paths and shaped glyphs */
	buf_t key;     /* chart_measure_text's key, reused */
} typeset_t;

/* Past this many texts a font map shapes new ones without keeping them (memory stays
 * bounded whatever the archive's names). */
static atomic_size_t S_shaped_max = 200000;

void chart_set_shape_cache(size_t max)
{
	atomic_store(&S_shaped_max, max);
}

/* Set up by chart_init; the pool is guarded by lock, the rest is read-only afterwards. */
static struct {
	bool ready;
	pthread_mutex_t lock;
	typeset_t **idle;
	size_t nidle, idle_cap, created;
	PangoFontDescription *font[CHART_F_COUNT];
} S = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* ---- the pool ---- */

static typeset_t *S_borrow(void)
{
	pthread_mutex_lock(&S.lock);
	typeset_t *t;
	if (S.nidle) {
		t = S.idle[--S.nidle];
	} else {
		t = xcalloc(1, sizeof *t);
		t->map = pango_cairo_font_map_new();
		t->scratch_surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
		t->scratch = cairo_create(t->scratch_surface);
		S.created++;
		xgrow((void **)&S.idle, &S.idle_cap, S.created, sizeof *S.idle);
	}
	pthread_mutex_unlock(&S.lock);
	return t;
}

static void S_give_back(typeset_t *t)
{
	pthread_mutex_lock(&S.lock);
	S.idle[S.nidle++] = t; /* idle_cap ≥ created, so this fits */
	pthread_mutex_unlock(&S.lock);
}

static void S_typeset_free(typeset_t *t)
{
	for (size_t i = 0; i < t->nfonts; i++)
		g_object_unref(t->fonts[i]);
	free(t->fonts);
	strmap_free(&t->glyph_index);
	free(t->paths);
	strmap_free(&t->shaped_index);
	free(t->shaped);
	arena_free(&t->arena);
	buf_free(&t->key);
	cairo_destroy(t->scratch);
	cairo_surface_destroy(t->scratch_surface);
	g_object_unref(t->map);
	free(t);
}

/* A context with fixed font options: unhinted outlines and metrics, so glyph positions do
 * not depend on the scale and the bytes do not depend on the system's fontconfig rules. */
static PangoContext *S_context(typeset_t *t, cairo_t *cr)
{
	PangoContext *pc = pango_font_map_create_context(t->map);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_language(pc, pango_language_from_string("zh-cn"));
	if (cr)
		pango_cairo_update_context(cr, pc);
	return pc;
}

int chart_init(err_t *err)
{
	if (S.ready)
		return 0;
	for (int i = 0; i < CHART_F_COUNT; i++) {
		PangoFontDescription *d = pango_font_description_new();
		pango_font_description_set_family(d, CHART_FONT);
		pango_font_description_set_absolute_size(d, S_fonts[i].px * PANGO_SCALE);
		pango_font_description_set_weight(d, S_fonts[i].bold ? PANGO_WEIGHT_BOLD
		                                                     : PANGO_WEIGHT_NORMAL);
		S.font[i] = d;
	}
	S.ready = true;
	/* Loads the font once here, so a broken setup is reported before any work starts and
	 * the first font map is warm when the workers begin. */
	typeset_t *t = S_borrow();
	PangoContext *pc = S_context(t, NULL);
	PangoFont *f = pango_font_map_load_font(t->map, pc, S.font[CHART_F_LABEL]);
	g_object_unref(pc);
	S_give_back(t);
	if (!f) {
		chart_shutdown();
		return err_set(err, NULL, 0,
		               "charts: Pango found no font at all (is fontconfig set up?)");
	}
	g_object_unref(f);
	return 0;
}

/* Waits until every font map is finalized. Pango sorts fonts in a thread of its own that
 * holds a reference to the font map for a while, and Cairo's static data may only be reset
 * once no font is left. Returns false when the maps outlive the wait. */
static bool S_maps_gone(GWeakRef *refs, size_t n)
{
	for (int tries = 0; tries < 2000; tries++) {
		size_t alive = 0;
		for (size_t i = 0; i < n; i++) {
			GObject *o = g_weak_ref_get(&refs[i]);
			if (o) {
				alive++;
				g_object_unref(o);
			}
		}
		if (!alive)
			return true;
		g_usleep(1000);
	}
	return false;
}

void chart_shutdown(void)
{
	if (!S.ready)
		return;
	GWeakRef *refs = xcalloc(S.nidle, sizeof *refs);
	for (size_t i = 0; i < S.nidle; i++) {
		g_weak_ref_init(&refs[i], S.idle[i]->map);
		S_typeset_free(S.idle[i]);
	}
	bool gone = S_maps_gone(refs, S.nidle);
	for (size_t i = 0; i < S.nidle; i++)
		g_weak_ref_clear(&refs[i]);
	free(refs);
	free(S.idle);
	S.idle = NULL;
	S.nidle = S.idle_cap = S.created = 0;
	for (int i = 0; i < CHART_F_COUNT; i++) {
		pango_font_description_free(S.font[i]);
		S.font[i] = NULL;
	}
	pango_cairo_font_map_set_default(NULL);
	if (gone)
		cairo_debug_reset_static_data();
	S.ready = false;
}

static void S_set_text(chart_canvas_t *c, const char *s, int font)
{
	if (c->font != font) {
		pango_layout_set_font_description(c->layout, S.font[font]);
		c->font = font;
	}
	pango_layout_set_text(c->layout, s, -1);
}

/* ---- text as glyph outlines (SVG) ---- */

/* A number of hundredths as SVG takes it shortest: no trailing zeros, no leading zero
 * ("-.5"), never "-0". Hundredths of a CSS pixel are finer than any screen or printer shows a
 * chart's lines and 11-px glyphs. */
static void S_hundredths(buf_t *b, long long m)
{
	if (m < 0) {
		buf_addc(b, '-');
		m = -m;
	}
	/* Built backwards by hand: a dossier's charts print some ten thousand numbers. */
	char tmp[32];
	char *p = tmp + sizeof tmp;
	unsigned long long u = (unsigned long long)m, i = u / 100, f = u % 100;
	if (f) {
		if (f % 10)
			*--p = (char)('0' + f % 10);
		*--p = (char)('0' + f / 10);
		*--p = '.';
	}
	if (i || !f) /* "0.5" → ".5" */
		do
			*--p = (char)('0' + i % 10);
		while ((i /= 10) != 0);
	buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* A coordinate to two decimals. */
static void S_num(buf_t *b, double v)
{
	S_hundredths(b, llround(v * 100));
}

/* One number of a path after another (sep) or after a command letter: a space only where
 * the two would run together. */
static void S_path_num(buf_t *b, long long m, bool sep)
{
	if (sep && m >= 0)
		buf_addc(b, ' ');
	S_hundredths(b, m);
}

static void S_int(buf_t *b, int v)
{
	char tmp[16];
	int n = 0;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do
		tmp[sizeof tmp - 1 - n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		tmp[sizeof tmp - 1 - n++] = '-';
	buf_add(b, tmp + sizeof tmp - n, (size_t)n);
}

static size_t S_font_id(typeset_t *t, PangoFont *f)
{
	for (size_t i = 0; i < t->nfonts; i++)
		if (t->fonts[i] == f)
			return i;
	xgrow((void **)&t->fonts, &t->fonts_cap, t->nfonts + 1, sizeof *t->fonts);
	t->fonts[t->nfonts] = g_object_ref(f);
	return t->nfonts++;
}

/* The index in t->paths of the outline of glyph g of font f, traced on first use. */
static size_t S_glyph(typeset_t *t, PangoFont *f, PangoGlyph g)
{
	char key[48];
	snprintf(key, sizeof key, "%zu:%u", S_font_id(t, f), (unsigned)g);
	int k = strmap_get(&t->glyph_index, key);
	if (k >= 0)
		return (size_t)k;
	cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(f));
	buf_t d = {0};
	if (sf) {
		cairo_set_scaled_font(t->scratch, sf);
		cairo_glyph_t glyph = {g, 0, 0};
		cairo_new_path(t->scratch);
		cairo_glyph_path(t->scratch, &glyph, 1);
		cairo_path_t *p = cairo_copy_path(t->scratch);
		cairo_new_path(t->scratch);
		/* Relative commands (m, l, c, z) between points rounded to hundredths first, so
		 * that the rounding never adds up along an outline: the shortest exact text. */
		static const char ops[] = {'m', 'l', 'c', 'z'};
		long long cx = 0, cy = 0, sx = 0, sy = 0; /* current point, subpath start */
		for (int i = 0; p->status == CAIRO_STATUS_SUCCESS && i < p->num_data;
		     i += p->data[i].header.length) {
			const cairo_path_data_t *h = &p->data[i];
			int type = h->header.type;
			buf_addc(&d, ops[type]);
			if (type == CAIRO_PATH_CLOSE_PATH) {
				cx = sx;
				cy = sy;
				continue;
			}
			long long ex = cx, ey = cy;
			for (int j = 1; j < h->header.length; j++) {
				long long x = llround(h[j].point.x * 100),
				          y = llround(h[j].point.y * 100);
				S_path_num(&d, x - cx, j > 1);
				S_path_num(&d, y - cy, true);
				ex = x;
				ey = y;
			}
			cx = ex;
			cy = ey;
			if (type == CAIRO_PATH_MOVE_TO) {
				sx = cx;
				sy = cy;
			}
		}
		cairo_path_destroy(p);
	}
	xgrow((void **)&t->paths, &t->paths_cap, t->npaths + 1, sizeof *t->paths);
	t->paths[t->npaths] = arena_strndup(&t->arena, d.data ? d.data : "", d.len);
	buf_free(&d);
	strmap_put(&t->glyph_index, arena_strdup(&t->arena, key), (int)t->npaths);
	return t->npaths++;
}

/* What one SVG document collects while it is drawn: the shapes' elements, the outlines its
 * text uses (each defined once) and the text's <use>s. */
struct chart_svg {
	typeset_t *ts;
	const char *glyphs; /* the outlines' ids are "<glyphs>-g<n>" */
	int w, h;           /* the surface, in which Cairo's SVG surface kept what it drew */
	int *doc_id;        /* per t->paths index: its number in this document, 0 when unused */
	size_t doc_cap;
	int ndoc;
	buf_t defs, text, shapes;
	/* A fill not written yet, in device space, with its style: Cairo's recording surface
	 * writes a fill and the stroke after it as one element when their paths are equal. */
	cairo_path_t *fill;
	buf_t fill_style;
};

static void S_doc_grow(chart_svg_t *st, size_t need)
{
	size_t old = st->doc_cap;
	if (need <= old)
		return;
	xgrow((void **)&st->doc_id, &st->doc_cap, need, sizeof *st->doc_id);
	memset(st->doc_id + old, 0, (st->doc_cap - old) * sizeof *st->doc_id);
}

/* Shapes the canvas's layout (text, font and width set) into a new entry of t->shaped, or into
 * *tmp when the cache is full. Returns the entry. */
static struct shaped *S_shape(chart_canvas_t *c, typeset_t *t, const char *key, struct shaped *tmp)
{
	PangoRectangle r;
	pango_layout_get_extents(c->layout, NULL, &r);
	struct shaped sh = {.w = (double)r.width / PANGO_SCALE,
	                    .h = (double)r.height / PANGO_SCALE};
	size_t cap = 0;
	PangoLayoutIter *it = pango_layout_get_iter(c->layout);
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
		if (!run)
			continue;
		PangoRectangle logical;
		pango_layout_iter_get_run_extents(it, NULL, &logical);
		int base = pango_layout_iter_get_baseline(it), px = logical.x;
		PangoFont *font = run->item->analysis.font;
		for (int i = 0; i < run->glyphs->num_glyphs; i++) {
			const PangoGlyphInfo *g = &run->glyphs->glyphs[i];
			/* Unknown glyphs (no font has the character) are left out: chart_check_font
			 * is the place that reports them. */
			if (font && g->glyph != PANGO_GLYPH_EMPTY &&
			    !(g->glyph & PANGO_GLYPH_UNKNOWN_FLAG)) {
				size_t k = S_glyph(t, font, g->glyph);
				if (t->paths[k][0]) {
					xgrow((void **)&sh.g, &cap, (size_t)sh.n + 1, sizeof *sh.g);
					sh.g[sh.n++] = (chart_glyph_t){k, px + g->geometry.x_offset,
					                               base + g->geometry.y_offset};
				}
			}
			px += g->geometry.width;
		}
	} while (pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
	if (t->nshaped >= atomic_load(&S_shaped_max)) {
		*tmp = sh;
		return tmp;
	}
	/* Kept in the arena, which lives as long as the font map. */
	if (sh.n) {
		chart_glyph_t *g = arena_alloc(&t->arena, (size_t)sh.n * sizeof *g);
		memcpy(g, sh.g, (size_t)sh.n * sizeof *g);
		free(sh.g);
		sh.g = g;
	}
	xgrow((void **)&t->shaped, &t->shaped_cap, t->nshaped + 1, sizeof *t->shaped);
	t->shaped[t->nshaped] = sh;
	strmap_put(&t->shaped_index, arena_strdup(&t->arena, key), (int)t->nshaped);
	return &t->shaped[t->nshaped++];
}

void chart_measure_text(chart_canvas_t *c, const char *s, int font, double maxw, double *w,
                        double *h)
{
	if (c->svg) {
		typeset_t *t = c->svg->ts;
		/* The key "<font> <maxw's 64 bits in hex> <text>", in a buffer the font map keeps.
		 */
		buf_t *kb = &t->key;
		buf_clear(kb);
		S_int(kb, font);
		buf_addc(kb, ' ');
		double mw = maxw > 0 ? maxw : 0.0;
		uint64_t bits;
		memcpy(&bits, &mw, sizeof bits);
		for (int i = 60; i >= 0; i -= 4)
			buf_addc(kb, "0123456789abcdef"[(bits >> i) & 15]);
		buf_addc(kb, ' ');
		buf_adds(kb, s);
		const buf_t key = *kb;
		int k = strmap_get(&t->shaped_index, key.data);
		free(c->shaped_tmp.g);
		c->shaped_tmp = (struct shaped){0};
		if (k >= 0) {
			c->shaped = &t->shaped[k];
		} else {
			S_set_text(c, s, font);
			if (maxw > 0) {
				pango_layout_set_width(c->layout, (int)(maxw * PANGO_SCALE));
				pango_layout_set_ellipsize(c->layout, PANGO_ELLIPSIZE_END);
			}
			c->shaped = S_shape(c, t, key.data, &c->shaped_tmp);
			if (maxw > 0) {
				pango_layout_set_width(c->layout, -1);
				pango_layout_set_ellipsize(c->layout, PANGO_ELLIPSIZE_NONE);
			}
		}
		*w = c->shaped->w;
		*h = c->shaped->h;
		return;
	}
	S_set_text(c, s, font);
	pango_layout_set_width(c->layout, maxw > 0 ? (int)(maxw * PANGO_SCALE) : -1);
	pango_layout_set_ellipsize(c->layout,
	                           maxw > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
	PangoRectangle r;
	pango_layout_get_extents(c->layout, NULL, &r);
	*w = (double)r.width / PANGO_SCALE;
	*h = (double)r.height / PANGO_SCALE;
}

void chart_show_text(chart_canvas_t *c, double x, double y, uint32_t color)
{
	if (!c->svg) {
		cairo_set_source_rgb(c->cr, ((color >> 16) & 0xff) / 255.0,
		                     ((color >> 8) & 0xff) / 255.0, (color & 0xff) / 255.0);
		cairo_move_to(c->cr, x, y);
		pango_cairo_show_layout(c->cr, c->layout);
		return;
	}
	chart_svg_t *st = c->svg;
	const struct shaped *sh = c->shaped;
	cairo_user_to_device(c->cr, &x, &y);
	buf_adds(&st->text, "<g fill=\"#");
	for (int i = 20; i >= 0; i -= 4)
		buf_addc(&st->text, "0123456789ABCDEF"[(color >> i) & 15]);
	buf_adds(&st->text, "\">\n");
	for (int i = 0; sh && i < sh->n; i++) {
		size_t k = sh->g[i].path;
		S_doc_grow(st, st->ts->npaths);
		if (!st->doc_id[k]) {
			st->doc_id[k] = ++st->ndoc;
			buf_adds(&st->defs, "<path id=\"");
			buf_adds(&st->defs, st->glyphs);
			buf_adds(&st->defs, "-g");
			S_int(&st->defs, st->ndoc);
			buf_adds(&st->defs, "\" d=\"");
			buf_adds(&st->defs, st->ts->paths[k]);
			buf_adds(&st->defs, "\"/>\n");
		}
		buf_adds(&st->text, "<use xlink:href=\"#");
		buf_adds(&st->text, st->glyphs);
		buf_adds(&st->text, "-g");
		S_int(&st->text, st->doc_id[k]);
		buf_adds(&st->text, "\" x=\"");
		S_num(&st->text, x + (double)sh->g[i].dx / PANGO_SCALE);
		buf_adds(&st->text, "\" y=\"");
		S_num(&st->text, y + (double)sh->g[i].dy / PANGO_SCALE);
		buf_adds(&st->text, "\"/>\n");
	}
	buf_adds(&st->text, "</g>\n");
}

/* ---- shapes (SVG) ---- */

/* Cairo's SVG surface printed every number with printf's %f, and S_compact read them back to
 * shorten them: at 1,000,000 households that surface was three tenths of the pages stage
 * (perf). The elements are written here instead, from the path Cairo built (cairo_copy_path),
 * to the bytes that surface and that shortening gave. Cairo still makes every shape (arcs,
 * fixed-point rounding) and draws the PNGs; what its gstate and recording surface leave out
 * (empty fills, shapes off the surface, a fill covering it) is left out here the same way. */

/* a × 10^6 rounded as printf's %f rounds it (to nearest, ties to even), for 0.1 ≤ a < 1e9:
 * a is m × 2^(e−53) exactly, so m × 10^6 shifted right by 53 − e (23 to 56) is exact. */
static int64_t S_micro(double a)
{
	int e;
	uint64_t m = (uint64_t)ldexp(frexp(a, &e), 53);
	int sh = 53 - e;
	unsigned __int128 n = (unsigned __int128)m * 1000000u, one = 1;
	unsigned __int128 q = n >> sh, rem = n & ((one << sh) - 1), half = one << (sh - 1);
	if (rem > half || (rem == half && (q & 1)))
		q++;
	return (int64_t)q;
}

static const int64_t S_pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

/* The value of the decimal number [s, end) with its point at dot, as strtod reads it: while
 * its digits fit in 2^53 the quotient of two exact doubles is the correctly rounded value,
 * which is what strtod returns, so this only saves strtod's general path. */
static double S_decimal(const char *s, const char *dot, const char *end)
{
	static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
	                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	int64_t m = 0;
	int digits = 0, decimals = end - dot > 1 ? (int)(end - dot - 1) : 0;
	for (const char *p = s; p < end; p++) {
		if (*p == '.')
			continue;
		m = m * 10 + (*p - '0');
		if (++digits > 15)
			return strtod(s, NULL);
	}
	if (decimals >= (int)(sizeof pow10 / sizeof *pow10))
		return strtod(s, NULL);
	return (double)m / pow10[decimals];
}

/* The number at raw (no sign) as S_compact shortened it: more than two decimals to
 * hundredths, anything else copied. */
static void S_compact_number(buf_t *b, const char *raw)
{
	const char *q = raw;
	while (*q >= '0' && *q <= '9')
		q++;
	const char *dot = q;
	if (*q == '.')
		for (q++; *q >= '0' && *q <= '9'; q++)
			;
	if (q > raw && q - dot > 3)
		S_hundredths(b, llround(S_decimal(raw, dot, q) * 100));
	else
		buf_adds(b, raw);
}

void chart_svg_number(buf_t *b, double d)
{
	if (d == 0) { /* Cairo drops the sign of -0 */
		buf_addc(b, '0');
		return;
	}
	if (d < 0)
		buf_addc(b, '-');
	double a = fabs(d);
	if (a >= 0.1 && a < 1e9) {
		int64_t q = S_micro(a), ip = q / 1000000, f = q % 1000000;
		int k = 6;
		while (k > 0 && f % 10 == 0) {
			f /= 10;
			k--;
		}
		if (k > 2) { /* S_decimal's quotient of the digits, exact below 2^53 */
			S_hundredths(
			    b, llround((double)(ip * S_pow10[k] + f) / (double)S_pow10[k] * 100));
			return;
		}
		S_hundredths(b, ip * 100); /* the integer part */
		if (k) {
			buf_addc(b, '.');
			if (k == 2 && f < 10)
				buf_addc(b, '0');
			S_int(b, (int)f);
		}
		return;
	}
	/* Below 0.1 (six significant decimals) and beyond: printf, as _cairo_dtostr does. */
	char raw[400];
	if (a >= 0.1 || !isfinite(a)) {
		snprintf(raw, sizeof raw, "%f", a);
	} else {
		snprintf(raw, sizeof raw, "%.18f", a);
		const char *p = raw + 2; /* after "0." */
		int zeros = 0;
		while (*p++ == '0')
			zeros++;
		if (zeros + 6 < 18)
			snprintf(raw, sizeof raw, "%.*f", zeros + 6, a);
	}
	char *dot = strchr(raw, '.');
	if (dot) {
		char *e = raw + strlen(raw) - 1;
		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
	}
	S_compact_number(b, raw);
}

/* A channel of a colour as "#rrggbb": S_compact's reading of Cairo's rgb(%f%%, …). */
static unsigned S_channel(double v)
{
	double pct = v * 100;
	if (!(pct >= 0.1)) /* printed below 0.1 %: a quarter of a step at most */
		return 0;
	double c = pct < 1e9 ? (double)S_micro(pct) / 1e6 : pct;
	return c > 100 ? 255 : (unsigned)lround(c * 2.55);
}

/* "<what>:#rrggbb;" of cr's source, then "<what>-opacity:…;" unless it is 1. */
static void S_paint_style(buf_t *b, cairo_t *cr, const char *what)
{
	double r = 0, g = 0, bl = 0, alpha = 1;
	cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &bl, &alpha);
	static const char hex[] = "0123456789abcdef";
	unsigned ch[3] = {S_channel(r), S_channel(g), S_channel(bl)};
	buf_adds(b, what);
	buf_adds(b, ":#");
	for (int i = 0; i < 3; i++) {
		buf_addc(b, hex[ch[i] >> 4]);
		buf_addc(b, hex[ch[i] & 15]);
	}
	buf_addc(b, ';');
	/* Cairo printed the alpha too, and S_compact dropped it when it read "1". */
	if (!(alpha >= 0.1 && alpha < 1e9 && S_micro(alpha) == 1000000)) {
		buf_adds(b, what);
		buf_adds(b, "-opacity:");
		chart_svg_number(b, alpha);
		buf_addc(b, ';');
	}
}

/* d="…": Cairo's "M x y L x y C … Z " with a space left only between two numbers the second
 * of which is not negative, and after a last number. */
static void S_path_data(buf_t *b, const cairo_path_t *p)
{
	static const char ops[] = {'M', 'L', 'C', 'Z'};
	bool after_number = false;
	buf_adds(b, "d=\"");
	for (int i = 0; i < p->num_data; i += p->data[i].header.length) {
		const cairo_path_data_t *h = &p->data[i];
		buf_addc(b, ops[h->header.type]);
		after_number = false;
		for (int j = 1; j < h->header.length; j++)
			for (int axis = 0; axis < 2; axis++) {
				double v = axis ? h[j].point.y : h[j].point.x;
				if (after_number && !(v < 0) && isfinite(v))
					buf_addc(b, ' ');
				chart_svg_number(b, v);
				after_number = true;
			}
	}
	if (after_number)
		buf_addc(b, ' ');
	buf_addc(b, '"');
}

static bool S_path_equal(const cairo_path_t *a, const cairo_path_t *b)
{
	if (a->num_data != b->num_data)
		return false;
	for (int i = 0; i < a->num_data; i += a->data[i].header.length) {
		const cairo_path_data_t *x = &a->data[i], *y = &b->data[i];
		if (x->header.type != y->header.type || x->header.length != y->header.length)
			return false;
		for (int j = 1; j < x->header.length; j++)
			if (x[j].point.x != y[j].point.x || x[j].point.y != y[j].point.y)
				return false;
	}
	return true;
}

/* Cairo's path flags read back from its data (cairo-path-fixed.c): whether any segment
 * encloses area (fill_is_empty), whether every segment is level or upright and there is no
 * curve (stroke_is_rectilinear), and whether anything but moves was drawn (has_extents). */
static void S_path_flags(const cairo_path_t *p, bool *empty, bool *rectilinear, bool *extents)
{
	*empty = *rectilinear = true;
	*extents = false;
	double cx = 0, cy = 0, sx = 0, sy = 0;
	for (int i = 0; i < p->num_data; i += p->data[i].header.length) {
		const cairo_path_data_t *h = &p->data[i];
		double x = sx, y = sy;
		switch (h->header.type) {
		case CAIRO_PATH_MOVE_TO:
			sx = cx = h[1].point.x;
			sy = cy = h[1].point.y;
			continue;
		case CAIRO_PATH_CURVE_TO:
			*empty = *rectilinear = false;
			*extents = true;
			cx = h[3].point.x;
			cy = h[3].point.y;
			continue;
		case CAIRO_PATH_LINE_TO:
			x = h[1].point.x;
			y = h[1].point.y;
			break;
		default: /* close: a line back to the subpath's start */
			break;
		}
		*extents = true;
		if (x != cx || y != cy)
			*empty = false;
		if (x != cx && y != cy)
			*rectilinear = false;
		cx = x;
		cy = y;
	}
}

/* Whether the box (x1, y1)–(x2, y2), rounded out to whole pixels, meets the surface: the
 * recording surface drops an operation whose extents do not. */
static bool S_meets_surface(const chart_svg_t *sv, double x1, double y1, double x2, double y2)
{
	double l = fmax(floor(x1), 0), t = fmax(floor(y1), 0);
	double r = fmin(ceil(x2), sv->w), btm = fmin(ceil(y2), sv->h);
	return l < r && t < btm;
}

/* Whether the path is one rectangle covering the surface, which _cairo_gstate_fill turns
 * into a paint (_cairo_path_fixed_is_box). */
static bool S_covers_surface(const chart_svg_t *sv, const cairo_path_t *p)
{
	int type[8], n = 0;
	double px[8], py[8];
	for (int i = 0; i < p->num_data; i += p->data[i].header.length) {
		const cairo_path_data_t *h = &p->data[i];
		if (n == 7 || h->header.type == CAIRO_PATH_CURVE_TO)
			return false;
		type[n] = h->header.type;
		px[n] = h->header.type == CAIRO_PATH_CLOSE_PATH ? 0 : h[1].point.x;
		py[n] = h->header.type == CAIRO_PATH_CLOSE_PATH ? 0 : h[1].point.y;
		n++;
	}
	if (n > 1 && type[n - 1] == CAIRO_PATH_MOVE_TO && type[n - 2] == CAIRO_PATH_CLOSE_PATH)
		n--; /* the move after a close is Cairo's, not an op of the path */
	if (n < 4 || n > 6 || type[0] != CAIRO_PATH_MOVE_TO || type[1] != CAIRO_PATH_LINE_TO ||
	    type[2] != CAIRO_PATH_LINE_TO || type[3] != CAIRO_PATH_LINE_TO)
		return false;
	if (n > 4 && !(type[4] == CAIRO_PATH_CLOSE_PATH ||
	               (type[4] == CAIRO_PATH_LINE_TO && px[4] == px[0] && py[4] == py[0])))
		return false;
	if (n == 6 && type[5] != CAIRO_PATH_MOVE_TO && type[5] != CAIRO_PATH_CLOSE_PATH)
		return false;
	bool rect = (py[0] == py[1] && px[1] == px[2] && py[2] == py[3] && px[3] == px[0]) ||
	            (px[0] == px[1] && py[1] == py[2] && px[2] == px[3] && py[3] == py[0]);
	return rect && fmin(px[0], px[2]) <= 0 && fmin(py[0], py[2]) <= 0 &&
	       fmax(px[0], px[2]) >= sv->w && fmax(py[0], py[2]) >= sv->h;
}

/* Cairo's <rect> of a paint over the whole surface, in style's paint. */
static void S_paint_rect(chart_svg_t *sv, const char *style)
{
	buf_adds(&sv->shapes, "<rect x=\"0\" y=\"0\" width=\"");
	chart_svg_number(&sv->shapes, sv->w);
	buf_adds(&sv->shapes, "\" height=\"");
	chart_svg_number(&sv->shapes, sv->h);
	buf_adds(&sv->shapes, "\" style=\"");
	buf_adds(&sv->shapes, style);
	buf_adds(&sv->shapes, "stroke:none;\"/>\n");
}

/* Writes the pending fill as an element of its own. */
static void S_flush_fill(chart_svg_t *sv)
{
	if (!sv->fill)
		return;
	buf_adds(&sv->shapes, "<path style=\" stroke:none;");
	buf_add(&sv->shapes, sv->fill_style.data, sv->fill_style.len);
	buf_adds(&sv->shapes, "\" ");
	S_path_data(&sv->shapes, sv->fill);
	buf_adds(&sv->shapes, "/>\n");
	cairo_path_destroy(sv->fill);
	sv->fill = NULL;
}

/* The current path in device space (and its extents), cr's matrix kept. */
static cairo_path_t *S_device_path(cairo_t *cr, double ext[4])
{
	cairo_matrix_t m;
	cairo_get_matrix(cr, &m);
	cairo_identity_matrix(cr);
	cairo_path_t *p = cairo_copy_path(cr);
	cairo_path_extents(cr, &ext[0], &ext[1], &ext[2], &ext[3]);
	cairo_set_matrix(cr, &m);
	return p;
}

static void S_fill(chart_canvas_t *c, bool preserve)
{
	cairo_t *cr = c->cr;
	if (!c->svg) {
		if (preserve)
			cairo_fill_preserve(cr);
		else
			cairo_fill(cr);
		return;
	}
	chart_svg_t *sv = c->svg;
	double e[4];
	cairo_path_t *p = S_device_path(cr, e);
	if (!preserve)
		cairo_new_path(cr);
	bool empty, rectilinear, extents;
	S_path_flags(p, &empty, &rectilinear, &extents);
	bool covers = !empty && S_covers_surface(sv, p);
	if (empty || (!covers && (!(e[0] < e[2] && e[1] < e[3]) ||
	                          !S_meets_surface(sv, e[0], e[1], e[2], e[3])))) {
		cairo_path_destroy(p);
		return;
	}
	if (covers) {
		/* A paint; an opaque one makes the recording surface forget what came before. */
		double r, g, bl, alpha;
		cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &bl, &alpha);
		if (alpha * 65535 + 0.5 >= 0xff00) {
			buf_clear(&sv->shapes);
			if (sv->fill)
				cairo_path_destroy(sv->fill);
			sv->fill = NULL;
		}
		cairo_path_destroy(p);
		p = NULL;
	}
	S_flush_fill(sv);
	/* The style goes where the pending fill keeps it (a paint borrows the buffer). */
	buf_clear(&sv->fill_style);
	if (!covers && cairo_get_fill_rule(cr) == CAIRO_FILL_RULE_EVEN_ODD)
		buf_adds(&sv->fill_style, "fill-rule:evenodd;");
	S_paint_style(&sv->fill_style, cr, "fill");
	if (covers)
		S_paint_rect(sv, sv->fill_style.data);
	else
		sv->fill = p;
}

void chart_fill(chart_canvas_t *c)
{
	S_fill(c, false);
}

void chart_fill_preserve(chart_canvas_t *c)
{
	S_fill(c, true);
}

void chart_stroke(chart_canvas_t *c)
{
	cairo_t *cr = c->cr;
	if (!c->svg) {
		cairo_stroke(cr);
		return;
	}
	chart_svg_t *sv = c->svg;
	double lw = cairo_get_line_width(cr);
	if (!(lw > 0)) { /* _cairo_gstate_stroke draws nothing */
		cairo_new_path(cr);
		return;
	}
	double e[4];
	cairo_matrix_t m;
	cairo_get_matrix(cr, &m);
	bool identity = m.xx == 1 && m.yx == 0 && m.xy == 0 && m.yy == 1 && m.x0 == 0 && m.y0 == 0;
	cairo_path_t *dev = S_device_path(cr, e);
	cairo_path_t *user = identity ? dev : cairo_copy_path(cr);
	cairo_new_path(cr);
	cairo_line_cap_t cap = cairo_get_line_cap(cr);
	cairo_line_join_t join = cairo_get_line_join(cr);
	double miter = cairo_get_miter_limit(cr);

	/* The recording surface's approximate stroke extents (cairo-path-bounds.c). */
	bool empty, rectilinear, extents;
	S_path_flags(dev, &empty, &rectilinear, &extents);
	double grow = cap == CAIRO_LINE_CAP_SQUARE ? M_SQRT1_2 : 0.5;
	if (join == CAIRO_LINE_JOIN_MITER && !rectilinear && grow < M_SQRT2 * miter)
		grow = M_SQRT2 * miter;
	grow *= lw;
	double det = m.xx * m.yy - m.xy * m.yx, dx = grow, dy = grow;
	if (!(fabs(det * det - 1) < 1e-5 && ((fabs(m.xy) < 1e-5 && fabs(m.yx) < 1e-5) ||
	                                     (fabs(m.xx) < 1e-5 && fabs(m.yy) < 1e-5)))) {
		dx = grow * hypot(m.xx, m.xy);
		dy = grow * hypot(m.yy, m.yx);
	}
	dx = nearbyint(fmax(dx, 2.0 / 256) * 256) / 256; /* in Cairo's 24.8 fixed point */
	dy = nearbyint(fmax(dy, 2.0 / 256) * 256) / 256;
	if (!extents || !S_meets_surface(sv, e[0] - dx, e[1] - dy, e[2] + dx, e[3] + dy)) {
		cairo_path_destroy(dev);
		if (user != dev)
			cairo_path_destroy(user);
		return;
	}

	static const char *const caps[] = {"butt", "round", "square"};
	static const char *const joins[] = {"miter", "round", "bevel"};
	buf_t *b = &sv->shapes;
	bool joined = sv->fill && S_path_equal(sv->fill, dev);
	if (joined) {
		buf_adds(b, "<path style=\"");
		buf_add(b, sv->fill_style.data, sv->fill_style.len);
		cairo_path_destroy(sv->fill);
		sv->fill = NULL;
	} else {
		S_flush_fill(sv);
		buf_adds(b, "<path style=\"fill:none;");
	}
	buf_adds(b, "stroke-width:");
	chart_svg_number(b, lw);
	buf_adds(b, ";stroke-linecap:");
	buf_adds(b, caps[cap < 3 ? cap : 0]);
	buf_adds(b, ";stroke-linejoin:");
	buf_adds(b, joins[join < 3 ? join : 0]);
	buf_addc(b, ';');
	S_paint_style(b, cr, "stroke");
	int ndash = cairo_get_dash_count(cr);
	if (ndash > 0) {
		double *dash = xmalloc((size_t)ndash * sizeof *dash), offset = 0;
		cairo_get_dash(cr, dash, &offset);
		buf_adds(b, "stroke-dasharray:");
		for (int i = 0; i < ndash; i++) {
			chart_svg_number(b, dash[i]);
			buf_addc(b, i + 1 < ndash ? ',' : ';');
		}
		if (offset != 0) {
			buf_adds(b, "stroke-dashoffset:");
			chart_svg_number(b, offset);
			buf_addc(b, ';');
		}
		free(dash);
	}
	buf_adds(b, "stroke-miterlimit:");
	chart_svg_number(b, miter);
	buf_adds(b, ";\" ");
	S_path_data(b, user);
	if (!identity) {
		const double v[6] = {m.xx, m.yx, m.xy, m.yy, m.x0, m.y0};
		buf_adds(b, " transform=\"matrix(");
		for (int i = 0; i < 6; i++) {
			chart_svg_number(b, v[i]);
			buf_addc(b, i < 5 ? ',' : ')');
		}
		buf_addc(b, '"');
	}
	buf_adds(b, "/>\n");
	cairo_path_destroy(dev);
	if (user != dev)
		cairo_path_destroy(user);
}

/* ---- finishing SVG and PNG ---- */

static bool S_prefix_ok(const char *p)
{
	if (!p || !*p || strlen(p) > 100)
		return false;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}

static void S_xml_escape(buf_t *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		default: /* XML 1.0 has no other C0 controls, not even escaped */
			buf_addc(b,
			         (unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' ? ' ' : *s);
		}
	}
}

/* One inlinable <svg> element of the drawing in sv: no XML declaration, our root (with
 * namespaces when ns), the shapes in a group with id "<prefix>-1" as Cairo's surface group
 * was, the outlines in defs (defs false: another element's defs hold them) and the text's
 * <use>s above the shapes. */
static void S_svg_finish(const chart_svg_t *sv, bool defs, int w, int h, const char *kind,
                         const char *variant, bool ns, const char *title, const char *prefix,
                         buf_t *out)
{
	buf_printf(out,
	           "<svg %sclass=\"chart chart-%s%s\" width=\"100%%\" viewBox=\"0 0 %d %d\" "
	           "role=\"img\" aria-label=\"",
	           ns ? "xmlns=\"http://www.w3.org/2000/svg\" "
	                "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
	              : "",
	           kind, variant, w, h);
	S_xml_escape(out, title && *title ? title : "图表");
	buf_adds(out, "\">\n<g id=\"");
	buf_adds(out, prefix);
	buf_adds(out, "-1\">\n");
	buf_add(out, sv->shapes.data, sv->shapes.len);
	buf_adds(out, "</g>\n");
	if (defs) {
		buf_adds(out, "<defs>\n");
		buf_add(out, sv->defs.data, sv->defs.len);
		buf_adds(out, "</defs>\n");
	}
	buf_add(out, sv->text.data, sv->text.len);
	buf_adds(out, "</svg>\n");
}

/* Inserts a pHYs chunk (CHART_PNG_PPM pixels per metre both ways) right after IHDR. */
static int S_png_finish(const buf_t *png, const char *kind, buf_t *out, err_t *err)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	const size_t ihdr_end = 8 + 4 + 4 + 13 + 4;
	if (png->len < ihdr_end || memcmp(png->data, sig, 8) != 0 ||
	    memcmp(png->data + 12, "IHDR", 4) != 0)
		return err_set(err, NULL, 0, "chart %s: Cairo wrote no PNG header", kind);
	unsigned char chunk[4 + 4 + 9 + 4];
	const uint32_t ppm = CHART_PNG_PPM;
	unsigned char *d = chunk;
	*d++ = 0, *d++ = 0, *d++ = 0, *d++ = 9;
	memcpy(d, "pHYs", 4), d += 4;
	for (int axis = 0; axis < 2; axis++)
		for (int shift = 24; shift >= 0; shift -= 8)
			*d++ = (unsigned char)(ppm >> shift);
	*d++ = 1; /* unit: metre */
	uLong crc = crc32(crc32(0L, Z_NULL, 0), chunk + 4, 4 + 9);
	for (int shift = 24; shift >= 0; shift -= 8)
		*d++ = (unsigned char)(crc >> shift);
	buf_reserve(out, png->len + sizeof chunk);
	buf_add(out, png->data, ihdr_end);
	buf_add(out, chunk, sizeof chunk);
	buf_add(out, png->data + ihdr_end, png->len - ihdr_end);
	return 0;
}

/* libpng's writes into a buf_t. */
static void S_png_write(png_structp png, png_bytep data, size_t len)
{
	buf_add(png_get_io_ptr(png), (const char *)data, len);
}

static void S_png_flush(png_structp png)
{
	(void)png;
}

/* Writes the RGB24 surface as an 8-bit RGB PNG into raw. Not cairo_surface_write_to_png: it
 * lets libpng try every row filter at zlib's default level, which made a branch's 1440 ×
 * 4992 bar chart cost a third of a second. The charts are flat colours: unfiltered rows are
 * runs of one pixel repeated, which zlib's fastest level finds as matches three bytes back,
 * smaller and sooner than any filter (the bar chart 774 → 688 KB, 65 → 45 ms, against the
 * Sub filter at level 3). */
static cairo_status_t S_png(cairo_surface_t *surf, buf_t *raw)
{
	cairo_surface_flush(surf);
	int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
	int stride = cairo_image_surface_get_stride(surf);
	const unsigned char *px = cairo_image_surface_get_data(surf);
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	unsigned char *row = malloc((size_t)w * 3 + 1);
	if (!png || !info || !row || !px) {
		png_destroy_write_struct(&png, &info);
		free(row);
		return CAIRO_STATUS_NO_MEMORY;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		return CAIRO_STATUS_WRITE_ERROR;
	}
	png_set_write_fn(png, raw, S_png_write, S_png_flush);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
	             PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_compression_level(png, 1);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		const uint32_t *src =
		    (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
		for (int x = 0; x < w; x++) { /* cairo's RGB24 is a native-endian 0xXXRRGGBB */
			row[3 * x] = (unsigned char)(src[x] >> 16);
			row[3 * x + 1] = (unsigned char)(src[x] >> 8);
			row[3 * x + 2] = (unsigned char)src[x];
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	return CAIRO_STATUS_SUCCESS;
}

/* Draws one canvas of w×h logical pixels into raw as a PNG or, for SVG, into sv (of which
 * the drawing leaves out the top band rows). An SVG's cr is on a recording surface that is
 * never drawn on: it builds the paths, and its font options are those of Cairo's SVG surface
 * (unhinted, positions not rounded), which Pango's layouts take from it. */
static cairo_status_t S_paint(typeset_t *t, int w, int h, int band, chart_svg_t *sv,
                              chart_draw_fn draw, const void *arg, buf_t *raw)
{
	cairo_surface_t *surf;
	if (sv)
		surf = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	else
		surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w * CHART_PNG_SCALE,
		                                  h * CHART_PNG_SCALE);
	cairo_t *cr = cairo_create(surf);
	if (!sv)
		cairo_scale(cr, CHART_PNG_SCALE, CHART_PNG_SCALE);
	cairo_set_source_rgb(cr, ((CHART_COLOR_BG >> 16) & 0xff) / 255.0,
	                     ((CHART_COLOR_BG >> 8) & 0xff) / 255.0,
	                     (CHART_COLOR_BG & 0xff) / 255.0);
	if (sv) {
		sv->w = w;
		sv->h = h - band;
		S_paint_style(&sv->fill_style, cr, "fill"); /* nothing is pending yet */
		S_paint_rect(sv, sv->fill_style.data);
		cairo_translate(cr, 0, -band);
	} else {
		cairo_paint(cr);
	}
	PangoContext *pc = S_context(t, cr);
	chart_canvas_t c = {
	    .cr = cr, .layout = pango_layout_new(pc), .font = -1, .w = w, .h = h, .svg = sv};
	draw(&c, arg);
	if (sv)
		S_flush_fill(sv);
	free(c.shaped_tmp.g);
	g_object_unref(c.layout);
	g_object_unref(pc);
	cairo_status_t status = cairo_status(cr);
	cairo_destroy(cr);
	if (status == CAIRO_STATUS_SUCCESS && !sv)
		status = S_png(surf, raw);
	cairo_surface_finish(surf);
	if (status == CAIRO_STATUS_SUCCESS)
		status = cairo_surface_status(surf);
	cairo_surface_destroy(surf);
	return status;
}

int chart_render(const char *kind, const chart_layout_t *lay, const char *title, const char *prefix,
                 chart_format_t fmt, chart_draw_fn draw, const void *arg, buf_t *out, err_t *err)
{
	if (!S.ready)
		return err_set(err, NULL, 0, "chart %s: chart_init() was not called", kind);
	if (fmt != CHART_SVG && fmt != CHART_PNG && fmt != CHART_SVG_DUAL)
		return err_set(err, NULL, 0, "chart %s: unknown format %d", kind, (int)fmt);
	if (fmt != CHART_PNG && !S_prefix_ok(prefix))
		return err_set(err, NULL, 0,
		               "chart %s: id prefix \"%s\" is not [A-Za-z0-9_-]{1,100}", kind,
		               prefix ? prefix : "(null)");

	bool svg = fmt != CHART_PNG, dual = fmt == CHART_SVG_DUAL;
	buf_t png = {0};
	typeset_t *t = S_borrow();
	/* The narrow drawing adds its outlines to the same defs, so one set serves both. */
	chart_svg_t wide = {.ts = t, .glyphs = prefix}, narrow = {.ts = t, .glyphs = prefix};
	cairo_status_t status =
	    S_paint(t, lay->w, lay->h, svg ? lay->band : 0, svg ? &wide : NULL, draw, arg, &png);
	if (dual && status == CAIRO_STATUS_SUCCESS) {
		narrow.doc_id = wide.doc_id, narrow.doc_cap = wide.doc_cap, narrow.ndoc = wide.ndoc;
		narrow.defs = wide.defs;
		wide.doc_id = NULL, wide.defs = (buf_t){0};
		status = S_paint(t, lay->nw, lay->nh, 0, &narrow, draw, arg, NULL);
		wide.defs = narrow.defs; /* written with the wide element */
		narrow.defs = (buf_t){0};
	}
	S_give_back(t);

	int rc = 0;
	if (status != CAIRO_STATUS_SUCCESS) {
		rc = err_set(err, NULL, 0, "chart %s: Cairo: %s", kind,
		             cairo_status_to_string(status));
	} else if (dual) {
		char narrow_prefix[128];
		snprintf(narrow_prefix, sizeof narrow_prefix, "%s-n", prefix);
		S_svg_finish(&wide, true, lay->w, lay->h - lay->band, kind, " chart-wide", false,
		             title, prefix, out);
		S_svg_finish(&narrow, false, lay->nw, lay->nh, kind, " chart-narrow", false, title,
		             narrow_prefix, out);
	} else if (svg) {
		S_svg_finish(&wide, true, lay->w, lay->h - lay->band, kind, "", true, title, prefix,
		             out);
	} else {
		rc = S_png_finish(&png, kind, out, err);
	}
	chart_svg_t *both[] = {&wide, &narrow};
	for (int i = 0; i < 2; i++) {
		free(both[i]->doc_id);
		buf_free(&both[i]->defs);
		buf_free(&both[i]->text);
		buf_free(&both[i]->shapes);
		buf_free(&both[i]->fill_style);
		if (both[i]->fill)
			cairo_path_destroy(both[i]->fill);
	}
	buf_free(&png);
	return rc;
}

/* ---- font check ---- */

int chart_check_font(const char *const *extra, err_t *err)
{
	if (!S.ready)
		return err_set(err, NULL, 0, "charts: chart_init() was not called");
	typeset_t *t = S_borrow();
	PangoContext *pc = S_context(t, NULL);
	PangoLayout *layout = pango_layout_new(pc);
	const char *bad = NULL;
	for (int list = 0; list < 2 && !bad; list++) {
		const char *const *s = list == 0 ? chart_own_texts : extra;
		for (; s && *s && !bad; s++)
			for (int f = 0; f < CHART_F_COUNT && !bad; f++) {
				pango_layout_set_font_description(layout, S.font[f]);
				pango_layout_set_text(layout, *s, -1);
				if (pango_layout_get_unknown_glyphs_count(layout) > 0)
					bad = *s;
			}
	}
	int rc = 0;
	if (bad)
		rc = err_set(err, NULL, 0,
		             "charts: the font \"%s\" lacks characters of \"%s\" (install "
		             "fonts-noto-cjk)",
		             CHART_FONT, bad);
	g_object_unref(layout);
	g_object_unref(pc);
	S_give_back(t);
	return rc;
}
