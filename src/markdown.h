/* markdown.h — the narrative of a village dossier, Markdown to safe HTML through cmark. */
#ifndef CUNDANG_MARKDOWN_H
#define CUNDANG_MARKDOWN_H

/* Renders md (UTF-8, NUL-terminated) to HTML with cmark's safe defaults: raw HTML becomes a
 * comment. Links and images with a javascript:, vbscript:, file: or data: URL are replaced by
 * their text, and an autolink whose text is such a URL by "[已移除的链接]", so nothing of it
 * reaches the page even as inert text. Returns a new string the caller frees with free(). */
char *markdown_html(const char *md);

#endif
