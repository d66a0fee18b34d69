/* markdown.c — a village narrative (村情报告) from Markdown to HTML that is safe to inline:
 * cmark in safe mode, no image or off-site link left, and ID and phone numbers masked. */
#include "render/site/markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "util.h"

/* ASCII only, whatever the locale: schemes and the numbers masked are ASCII. */
static int is_ascii_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* url as a browser's URL parser reads it: C0 controls and spaces in front stripped, tabs
 * and line breaks dropped anywhere. cmark percent-encodes those characters in the href it
 * writes, so this is stricter than needed; reading the URL the browser's way here means no
 * spelling of a scheme can slip between these checks and the browser. The caller frees it. */
static char *url_as_read(const char *url)
{
	char *out = xmalloc(strlen(url) + 1), *k = out;
	while (*url && (unsigned char)*url <= 0x20)
		url++;
	for (; *url; url++)
		if (*url != '\t' && *url != '\n' && *url != '\r')
			*k++ = *url;
	*k = '\0';
	return out;
}

/* Whether a link URL could run script or open a local file: cmark's own rule (it blanks
 * javascript:, vbscript:, file: and non-image data: URLs when rendering), checked here so
 * the node can go too, text and all. */
static int url_is_unsafe(const char *url)
{
	static const char *const bad[] = {"javascript:", "vbscript:", "file:", "data:"};
	char *u = url_as_read(url);
	int unsafe = 0;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (!strncasecmp(u, bad[i], strlen(bad[i])))
			unsafe = 1;
	free(u);
	return unsafe;
}

/* Whether a link URL leaves the dossier: it has a scheme ([A-Za-z][A-Za-z0-9+.-]*:, so
 * http:, mailto:, tel: and the like) or is a network-path reference (//host/...). SPEC §7:
 * a dossier loads nothing from a network and opens alone wherever it is copied, so only a
 * relative link may stay clickable. */
static int url_is_absolute(const char *url)
{
	char *u = url_as_read(url);
	int absolute = u[0] == '/' && u[1] == '/';
	if (is_ascii_alpha(u[0])) {
		const char *p = u + 1;
		while (is_ascii_alpha(*p) || is_ascii_digit(*p) || *p == '+' || *p == '.' ||
		       *p == '-')
			p++;
		absolute = *p == ':';
	}
	free(u);
	return absolute;
}

/* Whether link is an autolink (<https://…>, <name@host>) or written like one, its only text
 * being its URL (for e-mail, the URL without "mailto:"). Its text already shows the URL. */
static int is_autolink(cmark_node *link)
{
	const char *url = cmark_node_get_url(link) ? cmark_node_get_url(link) : "";
	cmark_node *child = cmark_node_first_child(link);
	if (!child || cmark_node_next(child) || cmark_node_get_type(child) != CMARK_NODE_TEXT)
		return 0;
	const char *text = cmark_node_get_literal(child) ? cmark_node_get_literal(child) : "";
	return !strcmp(text, url) || (!strncasecmp(url, "mailto:", 7) && !strcmp(text, url + 7));
}

static void insert_text_before(cmark_node *node, const char *text)
{
	cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
	cmark_node_set_literal(t, text);
	cmark_node_insert_before(node, t);
}

/* Replaces an image by the text "[图片：alt]" ("[图片]" with no alt text), the alt being the
 * literal text of everything inside it, as cmark writes an alt attribute (line breaks as
 * spaces, raw HTML left out as everywhere else). Images inside it were already made text. */
static void image_to_text(cmark_node *img)
{
	buf_t alt = {0};
	cmark_iter *it = cmark_iter_new(img);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			buf_adds(&alt,
			         cmark_node_get_literal(node) ? cmark_node_get_literal(node) : "");
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_addc(&alt, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	buf_t text = {0};
	if (alt.len)
		buf_printf(&text, "[图片：%s]", alt.data);
	else
		buf_adds(&text, "[图片]");
	insert_text_before(img, text.data);
	buf_free(&text);
	buf_free(&alt);
	cmark_node_free(img);
}

/* Replaces a link by its content (its text stays, inert), then, unless hide_url, the URL as
 * text so the reader still sees where it pointed: " (url)" after the text, nothing more when
 * the text already is the URL (an autolink: <https://…>, <a@b.cn>), or the URL alone when
 * there is no text. With hide_url (a URL that could run script) nothing of the URL is shown,
 * and an autolink or a link without text becomes "[已移除的链接]" so the reader sees that
 * something was there. */
static void link_to_text(cmark_node *link, int hide_url)
{
	const char *url = cmark_node_get_url(link) ? cmark_node_get_url(link) : "";
	int autolink = is_autolink(link);
	cmark_node *child = cmark_node_first_child(link);
	if (hide_url && (autolink || !child)) {
		insert_text_before(link, "[已移除的链接]");
	} else if (!child) {
		insert_text_before(link, url);
	} else {
		while ((child = cmark_node_first_child(link)))
			cmark_node_insert_before(link, child);
		if (!hide_url && !autolink) {
			buf_t note = {0};
			buf_printf(&note, " (%s)", url);
			insert_text_before(link, note.data);
			buf_free(&note);
		}
	}
	cmark_node_free(link);
}

/* Masks the numbers of a node's string read by get and written back by set. */
static void mask_field(cmark_node *node, const char *(*get)(cmark_node *),
                       int (*set)(cmark_node *, const char *))
{
	const char *v = get(node);
	if (!v || !*v)
		return;
	char *s = xstrdup(v);
	if (format_mask_numbers(s))
		set(node, s);
	free(s);
}

/* Joins every run of adjacent text nodes into its first node. cmark makes one node of a run
 * of text, but taking a link out leaves its text beside the text around it, and a number
 * split there ("[139](javascript:x)12345678") must still be seen whole to be masked. */
static void merge_texts(cmark_node *doc)
{
	cmark_node **heads = NULL;
	size_t n = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node *prev = cmark_node_previous(node), *next = cmark_node_next(node);
		if (cmark_node_get_type(node) == CMARK_NODE_TEXT &&
		    !(prev && cmark_node_get_type(prev) == CMARK_NODE_TEXT) && next &&
		    cmark_node_get_type(next) == CMARK_NODE_TEXT) {
			xgrow((void **)&heads, &cap, n + 1, sizeof *heads);
			heads[n++] = node;
		}
	}
	cmark_iter_free(it);
	/* Only the nodes after a head are freed, and none of them is a head. */
	for (size_t i = 0; i < n; i++) {
		buf_t text = {0};
		buf_adds(&text,
		         cmark_node_get_literal(heads[i]) ? cmark_node_get_literal(heads[i]) : "");
		cmark_node *next;
		while ((next = cmark_node_next(heads[i])) &&
		       cmark_node_get_type(next) == CMARK_NODE_TEXT) {
			buf_adds(&text,
			         cmark_node_get_literal(next) ? cmark_node_get_literal(next) : "");
			cmark_node_free(next);
		}
		cmark_node_set_literal(heads[i], text.data ? text.data : "");
		buf_free(&text);
	}
	free(heads);
}

/* Masks every string of the tree that reaches the page: text, inline code, code blocks and
 * their info string (it becomes a class name), and the title of the links that stay. Raw
 * HTML needs none: safe mode writes it as a comment that holds none of it. */
static void mask_tree(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *node = cmark_iter_get_node(it);
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			mask_field(node, cmark_node_get_literal, cmark_node_set_literal);
			break;
		case CMARK_NODE_CODE_BLOCK:
			mask_field(node, cmark_node_get_literal, cmark_node_set_literal);
			mask_field(node, cmark_node_get_fence_info, cmark_node_set_fence_info);
			break;
		case CMARK_NODE_LINK:
			mask_field(node, cmark_node_get_title, cmark_node_set_title);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

char *markdown_html(const char *md)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	/* Every image, and every link that is unsafe or leaves the dossier, in document order. */
	cmark_node **gone = NULL;
	size_t n = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		const char *url = cmark_node_get_url(node) ? cmark_node_get_url(node) : "";
		if (ev == CMARK_EVENT_ENTER &&
		    (t == CMARK_NODE_IMAGE ||
		     (t == CMARK_NODE_LINK && (url_is_unsafe(url) || url_is_absolute(url))))) {
			xgrow((void **)&gone, &cap, n + 1, sizeof *gone);
			gone[n++] = node;
		}
	}
	cmark_iter_free(it);
	/* Innermost first, so a node is never freed before a node inside it is handled, and an
	 * image's alt text is read after the images and links inside it became text. */
	for (size_t i = n; i-- > 0;) {
		if (cmark_node_get_type(gone[i]) == CMARK_NODE_IMAGE)
			image_to_text(gone[i]);
		else
			link_to_text(gone[i], url_is_unsafe(cmark_node_get_url(gone[i])
			                                        ? cmark_node_get_url(gone[i])
			                                        : ""));
	}
	free(gone);
	merge_texts(doc);
	mask_tree(doc);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	cmark_node_free(doc);
	return html;
}
