/* chart_out.c — the fonts and the output of the charts: a pool of Pango font maps (one per
 * thread drawing at the same time), glyph outlines cached per font map, and the canvas of
 * chart_int.h turned into an inlinable SVG element or a 2× PNG with a pHYs chunk. */
#include "render/chart/chart_int.h"

#include <cairo-svg.h>
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

/* The text of one SVG document: outlines used (defined once each) and the <use>s. */
struct chart_svg_text {
	typeset_t *ts;
	int *doc_id; /* per t->paths index: its number in this document, 0 when unused */
	size_t doc_cap;
	int ndoc;
	buf_t defs, text;
};

static void S_doc_grow(chart_svg_text_t *st, size_t need)
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
		buf_t key = {0};
		buf_printf(&key, "%d %a ", font, maxw > 0 ? maxw : 0.0);
		buf_adds(&key, s);
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
		buf_free(&key);
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
	chart_svg_text_t *st = c->svg;
	const struct shaped *sh = c->shaped;
	cairo_user_to_device(c->cr, &x, &y);
	buf_printf(&st->text, "<g fill=\"#%06X\">\n", (unsigned)color);
	for (int i = 0; sh && i < sh->n; i++) {
		size_t k = sh->g[i].path;
		S_doc_grow(st, st->ts->npaths);
		if (!st->doc_id[k]) {
			st->doc_id[k] = ++st->ndoc;
			buf_adds(&st->defs, "<path id=\"t");
			S_int(&st->defs, st->ndoc);
			buf_adds(&st->defs, "\" d=\"");
			buf_adds(&st->defs, st->ts->paths[k]);
			buf_adds(&st->defs, "\"/>\n");
		}
		buf_adds(&st->text, "<use xlink:href=\"#t");
		S_int(&st->text, st->doc_id[k]);
		buf_adds(&st->text, "\" x=\"");
		S_num(&st->text, x + (double)sh->g[i].dx / PANGO_SCALE);
		buf_adds(&st->text, "\" y=\"");
		S_num(&st->text, y + (double)sh->g[i].dy / PANGO_SCALE);
		buf_adds(&st->text, "\"/>\n");
	}
	buf_adds(&st->text, "</g>\n");
}

/* ---- finishing SVG and PNG ---- */

static cairo_status_t S_write(void *closure, const unsigned char *data, unsigned int len)
{
	buf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

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

/* Is the '#' at h the start of a reference: href="#name" or url(#name)? */
static bool S_is_ref(const char *start, const char *h)
{
	return (h - start >= 6 && memcmp(h - 6, "href=\"", 6) == 0) ||
	       (h - start >= 4 && memcmp(h - 4, "url(", 4) == 0);
}

/* Is name a glyph outline's id of chart_show_text, "t<digits>"? Cairo's own ids are words
 * (surface5, clip1, …) and never look so. */
static bool S_is_glyph_id(const char *name, const char *stop)
{
	if (stop - name < 2 || name[0] != 't')
		return false;
	for (const char *p = name + 1; p < stop; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* Copies s to out with every id="X", href="#X" and url(#X) renamed: a glyph outline "tN"
 * becomes "<glyphs>-gN" (N is already numbered in order of first use, and the two SVGs of
 * CHART_SVG_DUAL share the outlines), any other name "<prefix>-<n>", n counting those names
 * in order of first appearance. Cairo numbers its ids from process-wide counters, and
 * several charts share one HTML page. */
static void S_rename_ids(buf_t *out, const char *s, const char *prefix, const char *glyphs)
{
	strmap_t names = {0};
	arena_t keys = {0};
	int next = 0;
	const char *run = s;
	const char *id = strstr(s, " id=\""), *hash = strchr(s, '#');
	for (;;) {
		const char *name;
		char end;
		if (id && (!hash || id < hash)) {
			name = id + 5;
			end = '"';
		} else if (hash) {
			if (!S_is_ref(s, hash)) {
				hash = strchr(hash + 1, '#');
				continue;
			}
			name = hash + 1;
			end = hash[-1] == '(' ? ')' : '"';
		} else {
			break;
		}
		const char *stop = strchr(name, end);
		if (!stop)
			break;
		buf_add(out, run, (size_t)(name - run));
		if (S_is_glyph_id(name, stop)) {
			buf_adds(out, glyphs);
			buf_adds(out, "-g");
			buf_add(out, name + 1, (size_t)(stop - name - 1));
		} else {
			char *key = arena_strndup(&keys, name, (size_t)(stop - name));
			int n = strmap_put(&names, key, next + 1);
			if (n < 0)
				n = ++next;
			buf_adds(out, prefix);
			buf_addc(out, '-');
			S_int(out, n);
		}
		run = stop;
		if (id && id < stop)
			id = strstr(stop, " id=\"");
		if (hash && hash < stop)
			hash = strchr(stop, '#');
	}
	buf_adds(out, run);
	strmap_free(&names);
	arena_free(&keys);
}

/* Turns Cairo's SVG document plus the text into one element to inline: no XML
 * declaration, our root (with namespaces when ns), the outlines in defs (NULL: none, they
 * are another element's) and the text's <use>s above Cairo's drawing. */

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

/* Cairo's own part of an SVG, shortened (a dossier carries a dozen drawings): numbers with
 * more than two decimals to hundredths, rgb(…%) colours as #rrggbb, and the style properties
 * Cairo spells out at their defaults left out. Ids and integers are copied as they are. */
static void S_compact(buf_t *out, const char *s, size_t n)
{
	static const char *const defaults[] = {"fill-opacity:1;", "stroke-opacity:1;",
	                                       "fill-rule:nonzero;"};
	const char *end = s + n, *begin = s;
	bool in_d = false; /* inside a path's d="…" */
	while (s < end) {
		/* Each test starts from the first byte: this loop sees every byte of every chart.
		 */
		if (!in_d && *s == ' ' && end - s > 4 && !memcmp(s, " d=\"", 4)) {
			buf_add(out, s, 4);
			s += 4;
			in_d = true;
			continue;
		}
		if (in_d && *s == '"')
			in_d = false;
		/* In path data a space is needed only between two numbers the second of which is
		 * not negative: "M 96 46 L 536 46" is "M96 46L536 46". */
		if (in_d && *s == ' ' && s > begin && s + 1 < end &&
		    (isalpha((unsigned char)s[-1]) || isalpha((unsigned char)s[1]) ||
		     s[1] == '-')) {
			s++;
			continue;
		}
		if (*s == 'r' && end - s > 4 && !memcmp(s, "rgb(", 4)) {
			double c[3];
			const char *q = s + 4;
			int k = 0;
			for (; k < 3; k++) {
				char *e;
				c[k] = strtod(q, &e);
				if (e == q || *e != '%')
					break;
				q = e + 1;
				if (k < 2 && *q++ != ',')
					break;
			}
			if (k == 3 && *q == ')') {
				char hex[8];
				for (k = 0; k < 3; k++)
					c[k] = c[k] < 0 ? 0 : c[k] > 100 ? 255 : c[k] * 2.55;
				snprintf(hex, sizeof hex, "#%02x%02x%02x", (unsigned)lround(c[0]),
				         (unsigned)lround(c[1]), (unsigned)lround(c[2]));
				buf_adds(out, hex);
				s = q + 1;
				continue;
			}
		}
		bool dropped = false;
		for (size_t k = 0;
		     (*s == 'f' || *s == 's') && k < sizeof defaults / sizeof *defaults; k++) {
			size_t len = strlen(defaults[k]);
			if ((size_t)(end - s) >= len && !memcmp(s, defaults[k], len)) {
				s += len;
				dropped = true;
				break;
			}
		}
		if (dropped)
			continue;
		/* A number starts at a digit that does not continue a name (glyph0-1, clip2). */
		if (*s >= '0' && *s <= '9' &&
		    (s == begin ||
		     !(isalnum((unsigned char)s[-1]) || s[-1] == '_' || s[-1] == '.'))) {
			const char *q = s;
			while (q < end && *q >= '0' && *q <= '9')
				q++;
			const char *dot = q;
			if (q < end && *q == '.') {
				q++;
				while (q < end && *q >= '0' && *q <= '9')
					q++;
			}
			if (q - dot > 3) { /* ".123": more than two decimals */
				S_hundredths(out, llround(S_decimal(s, dot, q) * 100));
			} else {
				buf_add(out, s, (size_t)(q - s));
			}
			s = q;
			continue;
		}
		buf_addc(out, *s++);
	}
}

static int S_svg_finish(const char *svg, const buf_t *defs, const buf_t *text, int w, int h,
                        const char *kind, const char *variant, bool ns, const char *title,
                        const char *prefix, const char *glyphs, buf_t *out, err_t *err)
{
	const char *root = strstr(svg, "<svg");
	const char *body = root ? strchr(root, '>') : NULL;
	const char *end = NULL;
	for (const char *p = body; p && (p = strstr(p, "</svg>")) != NULL; p++)
		end = p;
	if (!body || !end)
		return err_set(err, NULL, 0, "chart %s: Cairo wrote no <svg> element", kind);
	buf_printf(out,
	           "<svg %sclass=\"chart chart-%s%s\" width=\"100%%\" viewBox=\"0 0 %d %d\" "
	           "role=\"img\" aria-label=\"",
	           ns ? "xmlns=\"http://www.w3.org/2000/svg\" "
	                "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
	              : "",
	           kind, variant, w, h);
	S_xml_escape(out, title && *title ? title : "图表");
	buf_adds(out, "\">");
	buf_t doc = {0};
	buf_reserve(&doc, (size_t)(end - body) + (defs ? defs->len : 0) + text->len + 64);
	S_compact(&doc, body + 1, (size_t)(end - body - 1));
	if (defs) {
		buf_adds(&doc, "<defs>\n");
		buf_add(&doc, defs->data, defs->len);
		buf_adds(&doc, "</defs>\n");
	}
	buf_add(&doc, text->data, text->len);
	buf_adds(&doc, "</svg>\n");
	S_rename_ids(out, doc.data, prefix, glyphs);
	buf_free(&doc);
	return 0;
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
 * 4992 bar chart cost a third of a second; the charts are flat colours, which the Sub filter
 * at level 3 packs nearly as small at a fraction of the time. */
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
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
	png_set_compression_level(png, 3);
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

/* Draws one canvas of w×h logical pixels (of which an SVG leaves out the top band rows)
 * into raw: the PNG, or Cairo's SVG document with the text's <use>s in st->text. */
static cairo_status_t S_paint(typeset_t *t, int w, int h, int band, bool svg, chart_svg_text_t *st,
                              chart_draw_fn draw, const void *arg, buf_t *raw)
{
	cairo_surface_t *surf;
	if (svg) {
		surf = cairo_svg_surface_create_for_stream(S_write, raw, w, h - band);
		cairo_svg_surface_restrict_to_version(surf, CAIRO_SVG_VERSION_1_1);
	} else {
		surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w * CHART_PNG_SCALE,
		                                  h * CHART_PNG_SCALE);
	}
	cairo_t *cr = cairo_create(surf);
	if (!svg)
		cairo_scale(cr, CHART_PNG_SCALE, CHART_PNG_SCALE);
	cairo_set_source_rgb(cr, ((CHART_COLOR_BG >> 16) & 0xff) / 255.0,
	                     ((CHART_COLOR_BG >> 8) & 0xff) / 255.0,
	                     (CHART_COLOR_BG & 0xff) / 255.0);
	cairo_paint(cr);
	if (svg)
		cairo_translate(cr, 0, -band);
	PangoContext *pc = S_context(t, cr);
	chart_canvas_t c = {.cr = cr,
	                    .layout = pango_layout_new(pc),
	                    .font = -1,
	                    .w = w,
	                    .h = h,
	                    .svg = svg ? st : NULL};
	draw(&c, arg);
	free(c.shaped_tmp.g);
	g_object_unref(c.layout);
	g_object_unref(pc);
	cairo_status_t status = cairo_status(cr);
	cairo_destroy(cr);
	if (status == CAIRO_STATUS_SUCCESS && !svg)
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
	buf_t raw = {0}, raw_narrow = {0}, text_wide = {0};
	typeset_t *t = S_borrow();
	chart_svg_text_t st = {.ts = t};
	cairo_status_t status =
	    S_paint(t, lay->w, lay->h, svg ? lay->band : 0, svg, &st, draw, arg, &raw);
	if (dual && status == CAIRO_STATUS_SUCCESS) {
		/* The narrow drawing adds its outlines to the same defs, so one set serves both. */
		text_wide = st.text;
		st.text = (buf_t){0};
		status = S_paint(t, lay->nw, lay->nh, 0, true, &st, draw, arg, &raw_narrow);
	}
	S_give_back(t);

	int rc;
	if (status != CAIRO_STATUS_SUCCESS) {
		rc = err_set(err, NULL, 0, "chart %s: Cairo: %s", kind,
		             cairo_status_to_string(status));
	} else if (dual) {
		char narrow_prefix[128];
		snprintf(narrow_prefix, sizeof narrow_prefix, "%s-n", prefix);
		rc = S_svg_finish(raw.data ? raw.data : "", &st.defs, &text_wide, lay->w,
		                  lay->h - lay->band, kind, " chart-wide", false, title, prefix,
		                  prefix, out, err);
		if (rc == 0)
			rc = S_svg_finish(raw_narrow.data ? raw_narrow.data : "", NULL, &st.text,
			                  lay->nw, lay->nh, kind, " chart-narrow", false, title,
			                  narrow_prefix, prefix, out, err);
	} else if (svg) {
		rc = S_svg_finish(raw.data ? raw.data : "", &st.defs, &st.text, lay->w,
		                  lay->h - lay->band, kind, "", true, title, prefix, prefix, out,
		                  err);
	} else {
		rc = S_png_finish(&raw, kind, out, err);
	}
	free(st.doc_id);
	buf_free(&st.defs);
	buf_free(&st.text);
	buf_free(&text_wide);
	buf_free(&raw);
	buf_free(&raw_narrow);
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
