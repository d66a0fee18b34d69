/* test_markdown.c — the narrative path: cmark's safe HTML plus the removal of links and
 * images that could run script, with exact expected HTML. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "markdown.h"

static void expect(const char *md, const char *html)
{
	char *got = markdown_html(md);
	assert_string_equal(got, html);
	free(got);
}

static void test_plain(void **state)
{
	(void)state;
	expect("# 村情\n\n**葡萄**产业", "<h1>村情</h1>\n<p><strong>葡萄</strong>产业</p>\n");
	expect("", "");
	expect("[镇政府](https://example.gov.cn)",
	       "<p><a href=\"https://example.gov.cn\">镇政府</a></p>\n");
}

static void test_raw_html(void **state)
{
	(void)state;
	expect("<script>alert(1)</script>\n", "<!-- raw HTML omitted -->\n");
	expect("a <img src=x onerror=alert(1)> b",
	       "<p>a <!-- raw HTML omitted --> b</p>\n");
	expect("<iframe src=\"x\"></iframe>\n", "<!-- raw HTML omitted -->\n");
}

static void test_unsafe_links(void **state)
{
	(void)state;
	expect("[click](javascript:alert(1))", "<p>click</p>\n");
	expect("[x](JavaScript:alert(1)) [y](vbscript:msgbox) [z](data:text/html,hi)",
	       "<p>x y z</p>\n");
	expect("<javascript:alert(2)>", "<p>[已移除的链接]</p>\n");
	expect("![img](javascript:x)", "<p>img</p>\n");
	/* Links do not nest: the inner one is the link, the outer stays text, inert. */
	expect("[**bold [in](javascript:y)**](javascript:z)",
	       "<p>[<strong>bold in</strong>](javascript:z)</p>\n");
	expect("[ok](file:///etc/passwd)", "<p>ok</p>\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain),
	    cmocka_unit_test(test_raw_html),
	    cmocka_unit_test(test_unsafe_links),
	};
	return cmocka_run_group_tests_name("markdown", tests, NULL, NULL);
}
