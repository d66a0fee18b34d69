/* markdown.h — the narrative of a village dossier, Markdown to safe HTML through cmark. */
#ifndef CUNDANG_MARKDOWN_H
#define CUNDANG_MARKDOWN_H

/* Renders md (UTF-8, NUL-terminated) to HTML with cmark's safe defaults: raw HTML becomes a
 * comment. The page loads nothing and links nowhere off the dossier (SPEC §7):
 * - every image becomes the text "[图片：alt]" ("[图片]" without alt text);
 * - a link with a javascript:, vbscript:, file: or data: URL is replaced by its text, and an
 *   autolink whose text is such a URL (or one without text) by "[已移除的链接]": nothing of
 *   the URL reaches the page;
 * - a link with any other scheme (http:, mailto:, …) or starting with // is replaced by its
 *   text and " (url)"; an autolink (<https://…>, <a@b.cn>) by its text alone, the URL once;
 * - relative links stay links.
 * In all text, inline code and code blocks, 18-character ID numbers and 11-digit mobile
 * numbers standing alone are masked as format_mask_id / format_mask_phone do; names are not
 * (free text cannot tell them from other words). Returns a new string to free(). */
char *markdown_html(const char *md);

#endif
