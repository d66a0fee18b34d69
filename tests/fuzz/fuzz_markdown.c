/* fuzz_markdown.c — libFuzzer target for the narrative path of a village page: Markdown
 * through cmark in safe mode, images and off-site or unsafe links made text (markdown_html()
 * of src/markdown.c). The input is the narrative. The HTML must hold only the tags cmark
 * writes, no <script, no <img at all (a dossier loads nothing, SPEC §7), no href to a
 * javascript:, vbscript:, file: or data: URL nor any absolute one (a scheme or //), and
 * outside href values no ID or mobile number standing alone (SPEC §7 privacy). */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/site/markdown.h"

#include "fuzz_common.h"

/* The tags cmark's HTML renderer writes (html.c); anything else came from the input. */
static const char *const allowed_tags[] = {"p",  "blockquote", "ul",     "ol", "li", "pre", "code",
                                           "h1", "h2",         "h3",     "h4", "h5", "h6",  "hr",
                                           "br", "em",         "strong", "a",  NULL};

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

/* A URL that leaves the page: a scheme (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
 * then ":") or a network-path reference, "//" — a browser reads "\\" as "/" there too. */
static int url_is_absolute(const char *url)
{
	if ((url[0] == '/' || url[0] == '\\') && (url[1] == '/' || url[1] == '\\'))
		return 1;
	if (!isalpha((unsigned char)url[0]))
		return 0;
	size_t i = 1;
	while (isalnum((unsigned char)url[i]) || url[i] == '+' || url[i] == '-' || url[i] == '.')
		i++;
	return url[i] == ':';
}

/* Checks one href value as a browser reads it: character references decoded, tab and line
 * breaks removed anywhere, C0 controls and spaces stripped in front; then the URL must be
 * relative: no scheme at all, so none that markdown_html() removes, and no //host. */
static void check_url(const char *v, size_t n)
{
	char *url = malloc(n + 1); /* the whole value: a scheme may be of any length */
	FUZZ_CHECK(url);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
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
	if (url_is_absolute(url)) {
		fprintf(stderr, "fuzz_markdown: absolute URL left: %.*s\n", (int)n, v);
		FUZZ_CHECK(!url_is_absolute(url));
	}
	free(url);
}

/* Fails on a resident ID number (17 digits then a digit or X) or a mainland mobile number
 * (1, 3-9, 9 more digits) standing alone in s: a maximal run of ASCII digits, so that the
 * masked forms ("139****5678") and longer or shorter runs pass. */
static void check_masked(const char *s)
{
	for (const char *p = s; *p;) {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		const char *e = p;
		while (*e >= '0' && *e <= '9')
			e++;
		size_t len = (size_t)(e - p);
		int id = len == 18 ||
		         (len == 17 && (*e == 'X' || *e == 'x') && !(e[1] >= '0' && e[1] <= '9'));
		int mobile = len == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9';
		if (id || mobile) {
			fprintf(stderr, "fuzz_markdown: unmasked %s: %.*s\n", id ? "ID" : "phone",
			        (int)len + 1, p);
			FUZZ_CHECK(!id && !mobile);
		}
		p = e;
	}
}

static void check_html(const char *html)
{
	/* The page with href values blanked: a relative link keeps its URL as written, so
	 * masking is checked on everything else (text, code, title and class values). */
	char *shown = strdup(html);
	FUZZ_CHECK(shown);
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
			/* src too, should an <img or anything else with one ever get here. */
			if ((alen == 4 && !memcmp(an, "href", 4)) ||
			    (alen == 3 && !memcmp(an, "src", 3))) {
				check_url(v, (size_t)(ve - v));
				memset(shown + (v - html), ' ', (size_t)(ve - v));
			}
			a = ve + 1;
		}
		p = end + 1;
	}
	for (const char *s = html; *s; s++) {
		FUZZ_CHECK(!starts_nocase(s, "<script"));
		FUZZ_CHECK(!starts_nocase(s, "<img"));
	}
	check_masked(shown);
	free(shown);
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
