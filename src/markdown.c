/* markdown.c — a village narrative (村情报告) from Markdown to HTML that is safe to inline:
 * cmark in safe mode, plus the removal of links and images whose URL could run script. */
#include "markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* Whether a link or image URL may stay: cmark's own rule (it blanks javascript:, vbscript:,
 * file: and non-image data: URLs when rendering), checked here so the node can go too. */
static int url_is_unsafe(const char *url)
{
	static const char *const bad[] = {"javascript:", "vbscript:", "file:", "data:"};
	while (*url == ' ' || *url == '\t')
		url++;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (!strncasecmp(url, bad[i], strlen(bad[i])))
			return 1;
	return 0;
}

char *markdown_html(const char *md)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	cmark_node **unsafe = NULL;
	size_t n = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) &&
		    url_is_unsafe(cmark_node_get_url(node) ? cmark_node_get_url(node) : "")) {
			xgrow((void **)&unsafe, &cap, n + 1, sizeof *unsafe);
			unsafe[n++] = node;
		}
	}
	cmark_iter_free(it);
	/* Innermost first, so a node is never freed before a node inside it is handled. */
	for (size_t i = n; i-- > 0;) {
		cmark_node *link = unsafe[i];
		const char *url = cmark_node_get_url(link);
		cmark_node *child = cmark_node_first_child(link);
		int autolink = child && !cmark_node_next(child) &&
		               cmark_node_get_type(child) == CMARK_NODE_TEXT &&
		               !strcmp(cmark_node_get_literal(child) ? cmark_node_get_literal(child) : "",
		                       url ? url : "");
		if (autolink || !child) {
			cmark_node *note = cmark_node_new(CMARK_NODE_TEXT);
			cmark_node_set_literal(note, "[已移除的链接]");
			cmark_node_insert_before(link, note);
		} else {
			while ((child = cmark_node_first_child(link)))
				cmark_node_insert_before(link, child);
		}
		cmark_node_free(link);
	}
	free(unsafe);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	cmark_node_free(doc);
	return html;
}
