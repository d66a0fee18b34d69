/* fuzz_markdown.c — libFuzzer target for the narrative path of a village page: Markdown
 * through cmark in safe mode with unsafe links and images taken out (markdown_html() of
 * src/markdown.c). The input is the narrative. The HTML must hold only the tags cmark
 * writes, no <script, and no link or image to a javascript:, vbscript:, file: or data: URL. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "markdown.h"

#include "fuzz_common.h"

/* The tags cmark's HTML renderer writes (html.c); anything else came from the input. */
static const char *const allowed_tags[] = {"p",  "blockquote", "ul",     "ol", "li",  "pre", "code",
                                           "h1", "h2",         "h3",     "h4", "h5",  "h6",  "hr",
                                           "br", "em",         "strong", "a",  "img", NULL};

static int starts_nocase(const char *s, const char *lit)
{
	return strncasecmp(s, lit, strlen(lit)) == 0;
}

/* The oracle, written apart from src/markdown.c: schemes a browser would run or open. */
static int url_is_unsafe(const char *url)
{
	return starts_nocase(url, "javascript:") || starts_nocase(url, "vbscript:") ||
	       starts_nocase(url, "file:") || starts_nocase(url, "data:");
}

/* Checks one href or src value as a browser reads it: character references decoded, tab
 * and line breaks removed anywhere, C0 controls and spaces stripped in front; then the
 * scheme must not be one markdown_html() removes. */
static void check_url(const char *v, size_t n)
{
	char url[64];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof url - 1;) {
		unsigned long c = (unsigned char)v[i];
		size_t used = 1;
		if (c == '&') {
			const char *semi = memchr(v + i, ';', n - i);
			FUZZ_CHECK(semi); /* cmark writes & as &amp; */
			const char *e = v + i + 1;
			if (*e == '#') {
				char *stop;
				c = (e[1] == 'x' || e[1] == 'X') ? strtoul(e + 2, &stop, 16)
				                                 : strtoul(e + 1, &stop, 10);
			} else if (!strncmp(e, "amp;", 4)) {
				c = '&';
			} else if (!strncmp(e, "quot;", 5)) {
				c = '"';
			} else if (!strncmp(e, "lt;", 3)) {
				c = '<';
			} else if (!strncmp(e, "gt;", 3)) {
				c = '>';
			} else {
				c = '?'; /* a named reference: cmark writes none */
			}
			used = (size_t)(semi - (v + i)) + 1;
		}
		i += used;
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (k == 0 && c <= 0x20)
			continue;
		url[k++] = c < 0x80 ? (char)c : '?';
	}
	url[k] = '\0';
	if (url_is_unsafe(url)) {
		fprintf(stderr, "fuzz_markdown: unsafe URL left: %.*s\n", (int)n, v);
		FUZZ_CHECK(!url_is_unsafe(url));
	}
}

static void check_html(const char *html)
{
	const char *p = html;
	while ((p = strchr(p, '<'))) {
		if (strncmp(p, "<!-- raw HTML omitted -->", 25) == 0) {
			p += 25;
			continue;
		}
		const char *q = p + 1;
		if (*q == '/')
			q++;
		const char *name = q;
		while (isalnum((unsigned char)*q))
			q++;
		size_t nlen = (size_t)(q - name);
		int ok = 0;
		for (size_t i = 0; allowed_tags[i]; i++)
			if (strlen(allowed_tags[i]) == nlen &&
			    memcmp(allowed_tags[i], name, nlen) == 0)
				ok = 1;
		if (!ok) {
			fprintf(stderr, "fuzz_markdown: unexpected tag in: %.80s\n", p);
			FUZZ_CHECK(ok);
		}
		const char *end = strchr(q, '>');
		FUZZ_CHECK(end);
		/* Attributes are read one by one, name="value", so an attribute name written
		 * inside another attribute's value (alt="img src=") is never taken for one.
		 * Values hold no bare '>' or '"': the tag ends at the first '>'. */
		const char *a = q;
		for (;;) {
			while (a < end && *a == ' ')
				a++;
			if (a >= end || *a == '/')
				break;
			const char *an = a;
			while (a < end && (isalnum((unsigned char)*a) || *a == '-'))
				a++;
			size_t alen = (size_t)(a - an);
			FUZZ_CHECK(alen > 0 && a + 1 < end && a[0] == '=' && a[1] == '"');
			const char *v = a + 2, *ve = memchr(v, '"', (size_t)(end - v));
			FUZZ_CHECK(ve);
			if ((alen == 4 && !memcmp(an, "href", 4)) || (alen == 3 && !memcmp(an, "src", 3)))
				check_url(v, (size_t)(ve - v));
			a = ve + 1;
		}
		p = end + 1;
	}
	for (const char *s = html; *s; s++)
		FUZZ_CHECK(!starts_nocase(s, "<script"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *md = malloc(size + 1);
	memcpy(md, data, size);
	md[size] = '\0'; /* the narrative is a C string: it stops at a NUL like in village.c */
	char *html = markdown_html(md);
	FUZZ_CHECK(html);
	check_html(html);
	free(html);
	free(md);
	return 0;
}
