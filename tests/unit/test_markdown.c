/* test_markdown.c — the narrative path: cmark's safe HTML, images made text, links that
 * could run script removed, off-site links made inert text, and ID and mobile numbers
 * masked, with exact expected HTML. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "render/site/markdown.h"

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
	expect("[镇政府](https://example.gov.cn)", "<p>镇政府 (https://example.gov.cn)</p>\n");
}

static void test_raw_html(void **state)
{
	(void)state;
	expect("<script>alert(1)</script>\n", "<!-- raw HTML omitted -->\n");
	expect("a <img src=x onerror=alert(1)> b", "<p>a <!-- raw HTML omitted --> b</p>\n");
	expect("<iframe src=\"x\"></iframe>\n", "<!-- raw HTML omitted -->\n");
}

static void test_unsafe_links(void **state)
{
	(void)state;
	expect("[click](javascript:alert(1))", "<p>click</p>\n");
	expect("[x](JavaScript:alert(1)) [y](vbscript:msgbox) [z](data:text/html,hi)",
	       "<p>x y z</p>\n");
	expect("<javascript:alert(2)>", "<p>[已移除的链接]</p>\n");
	/* An image is text whatever its URL (test_images); the URL is never shown. */
	expect("![img](javascript:x)", "<p>[图片：img]</p>\n");
	expect("[](javascript:x)", "<p>[已移除的链接]</p>\n");
	/* The browser drops tabs and leading controls: still javascript:, still removed. */
	expect("[t](<java\tscript:x>) [u](<&#1;javascript:x>)", "<p>t u</p>\n");
	/* Links do not nest: the inner one is the link, the outer stays text, inert. */
	expect("[**bold [in](javascript:y)**](javascript:z)",
	       "<p>[<strong>bold in</strong>](javascript:z)</p>\n");
	expect("[ok](file:///etc/passwd)", "<p>ok</p>\n");
}

static void test_images(void **state)
{
	(void)state;
	expect("![x](http://evil.example/track.png)", "<p>[图片：x]</p>\n");
	expect("![村口 *大樟树*](img/tree.jpg \"title\")", "<p>[图片：村口 大樟树]</p>\n");
	expect("![](//cdn.example/a.png)", "<p>[图片]</p>\n");
	expect("![a `b`\nc](x.png)", "<p>[图片：a b c]</p>\n");
	expect("![logo](data:image/png;base64,AA)", "<p>[图片：logo]</p>\n");
	/* A linked image (a badge): the image becomes text, then the link. */
	expect("[![badge](https://ci.example/b.svg)](https://ci.example)",
	       "<p>[图片：badge] (https://ci.example)</p>\n");
	expect("[![地图](map.png)](map.html)", "<p><a href=\"map.html\">[图片：地图]</a></p>\n");
	/* Escaping stays cmark's; raw HTML in the alt text is left out as everywhere. */
	expect("![1 < 2 & \"q\"](x.png)", "<p>[图片：1 &lt; 2 &amp; &quot;q&quot;]</p>\n");
	expect("![a<b>c](x.png)", "<p>[图片：ac]</p>\n");
}

static void test_absolute_links(void **state)
{
	(void)state;
	expect("见[镇政府网站](https://example.gov.cn/a?b=1&c=2)。",
	       "<p>见镇政府网站 (https://example.gov.cn/a?b=1&amp;c=2)。</p>\n");
	expect("[**加粗**](http://x.example)", "<p><strong>加粗</strong> (http://x.example)</p>\n");
	expect("[写信](mailto:zhang@example.cn)", "<p>写信 (mailto:zhang@example.cn)</p>\n");
	expect("[打电话](tel:95599)", "<p>打电话 (tel:95599)</p>\n");
	expect("[ftp](ftp://files.example/x) [net](//evil.example/x)",
	       "<p>ftp (ftp://files.example/x) net (//evil.example/x)</p>\n");
	expect("[](https://x.example)", "<p>https://x.example</p>\n");
	expect("[x](<ht\ttp://x.example>)", "<p>x (ht\ttp://x.example)</p>\n");
	/* Autolinks: the URL once, as text. */
	expect("<https://example.com>", "<p>https://example.com</p>\n");
	expect("<zhang@example.cn>", "<p>zhang@example.cn</p>\n");
	expect("[https://example.com](https://example.com)", "<p>https://example.com</p>\n");
	/* Reference links are links too. */
	expect("[站点][s]\n\n[s]: https://s.example \"t\"\n", "<p>站点 (https://s.example)</p>\n");
}

static void test_relative_links(void **state)
{
	(void)state;
	expect("[台账](a/b.html)", "<p><a href=\"a/b.html\">台账</a></p>\n");
	expect("[上级](../index.html#top \"首页\")",
	       "<p><a href=\"../index.html#top\" title=\"首页\">上级</a></p>\n");
	expect("[锚点](#follow)", "<p><a href=\"#follow\">锚点</a></p>\n");
	/* A colon after a slash is no scheme. */
	expect("[p](a/b:c.html)", "<p><a href=\"a/b:c.html\">p</a></p>\n");
	expect("[p](/root/x.html)", "<p><a href=\"/root/x.html\">p</a></p>\n");
}

static void test_mask_numbers(void **state)
{
	(void)state;
	expect("身份证320123199001011234，", "<p>身份证320123********1234，</p>\n");
	expect("ID 32012319900101123X and 32012319900101123x.",
	       "<p>ID 320123********123X and 320123********123x.</p>\n");
	expect("手机13912345678", "<p>手机139****5678</p>\n");
	expect("电话 19912345678 或 13312345678。", "<p>电话 199****5678 或 133****5678。</p>\n");
	/* Inside a longer run a number is still found (two run together, a prefix); runs
	 * holding neither stay whole. */
	expect("账号3201231990010112345", "<p>账号320123********12345</p>\n");
	expect("卡号6222021234567890123", "<p>卡号6222021234567890123</p>\n");
	expect("32012319900101123", "<p>320123199****1123</p>\n");
	expect("139123456789 1391234567", "<p>139****56789 1391234567</p>\n");
	expect("1391234567 2019 2020", "<p>1391234567 2019 2020</p>\n");
	/* As people write them: separators, +86, full-width digits, two run together. */
	expect("电话139-1234-0002或139 1234 0003", "<p>电话139-****-0002或139 **** 0003</p>\n");
	expect("+8613912340004", "<p>+86139****0004</p>\n");
	expect("１３９１２３４０００５", "<p>１３９****０００５</p>\n");
	expect("1391234000613912340007", "<p>139****0006139****0007</p>\n");
	expect("身份证321181 19700101 123X", "<p>身份证321181 ******** 123X</p>\n");
	/* 1 then 0-2 is no mobile number; a landline neither. */
	expect("12912345678 0571-88888888", "<p>12912345678 0571-88888888</p>\n");
	/* Letters around do not hide a number. */
	expect("tel13912345678x", "<p>tel139****5678x</p>\n");
	/* Inline code, code blocks, their info string and a link title. */
	expect("`13912345678`", "<p><code>139****5678</code></p>\n");
	expect("```\n320123199001011234\n```\n", "<pre><code>320123********1234\n</code></pre>\n");
	expect("    13912345678\n", "<pre><code>139****5678\n</code></pre>\n");
	expect("```n13912345678\nx\n```\n",
	       "<pre><code class=\"language-n139****5678\">x\n</code></pre>\n");
	expect("[户](h.html \"13912345678\")",
	       "<p><a href=\"h.html\" title=\"139****5678\">户</a></p>\n");
	/* In an image's alt text and in a link's URL shown as text. */
	expect("![13912345678](x.png)", "<p>[图片：139****5678]</p>\n");
	expect("[拨打](tel:13912345678)", "<p>拨打 (tel:139****5678)</p>\n");
	/* Split by an entity or a removed link, still one number on the page. */
	expect("&#49;3912345678", "<p>139****5678</p>\n");
	expect("[139](javascript:x)12345678", "<p>139****5678</p>\n");
	/* Emphasis and a heading. */
	expect("# 13912345678\n\n*320123199001011234*",
	       "<h1>139****5678</h1>\n<p><em>320123********1234</em></p>\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain),          cmocka_unit_test(test_raw_html),
	    cmocka_unit_test(test_unsafe_links),   cmocka_unit_test(test_images),
	    cmocka_unit_test(test_absolute_links), cmocka_unit_test(test_relative_links),
	    cmocka_unit_test(test_mask_numbers),
	};
	return cmocka_run_group_tests_name("markdown", tests, NULL, NULL);
}
