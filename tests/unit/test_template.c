/* test_template.c — tests for template.c: every case of the required Mustache spec modules,
 * then the escaper, compile and render errors, hostile input, numbers and partial indentation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/site/template.h"

#define SPEC_DIR "tests/spec/mustache-spec/"

/* Partials from a JSON object of name → source (the spec's "partials"). */
static const char *partials_from_json(const char *name, void *ctx)
{
	json_object *v;
	if (!ctx || !json_object_object_get_ex(ctx, name, &v))
		return NULL;
	return json_object_get_string(v);
}

/* Compiles and renders src; returns the output (caller frees) or NULL with err filled. */
static char *render(const char *src, json_object *data, json_object *partials, err_t *err)
{
	template_t *t = template_compile(src, strlen(src), "test", err);
	if (!t)
		return NULL;
	buf_t out = {0};
	int rc = template_render(t, data, partials_from_json, partials, &out, err);
	template_free(t);
	if (rc < 0) {
		buf_free(&out);
		return NULL;
	}
	return buf_detach(&out);
}

/* Renders src with data given as JSON text and checks the output exactly. */
static void check(const char *src, const char *data_json, const char *want)
{
	json_object *data = json_tokener_parse(data_json);
	err_t err = {0};
	char *got = render(src, data, NULL, &err);
	if (!got || strcmp(got, want) != 0) {
		char msg[1200];
		err_format(&err, msg, sizeof msg);
		print_error("template \"%s\" data %s\n  want \"%s\"\n  got  \"%s\" %s\n", src,
		            data_json, want, got ? got : "(error)", got ? "" : msg);
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	json_object_put(data);
}

/* Compiles (and, if that succeeds, renders) src and expects an error at line with text in
 * its message. */
static void check_error(const char *src, const char *partials_json, long line, const char *text)
{
	json_object *partials = partials_json ? json_tokener_parse(partials_json) : NULL;
	json_object *data = json_tokener_parse("{\"a\":[1,2],\"b\":true}");
	err_t err = {0};
	char *got = render(src, data, partials, &err);
	char msg[1200];
	err_format(&err, msg, sizeof msg);
	if (got || err.line != line || !strstr(err.msg, text))
		print_error(
		    "template \"%s\": want an error at line %ld with \"%s\", got \"%s\" / \"%s\"\n",
		    src, line, text, got ? got : "(no output)", msg);
	assert_null(got);
	assert_int_equal(err.line, line);
	assert_non_null(strstr(err.msg, text));
	json_object_put(data);
	json_object_put(partials);
}

/* Runs every case of one spec module. Each case is checked on its own and every failure is
 * printed with the case's name, so one broken case does not hide the others; the test then
 * fails if any case failed or if the file held fewer cases than the spec commit has. */
static void run_spec(const char *module, int want_cases)
{
	char path[256];
	snprintf(path, sizeof path, SPEC_DIR "%s.json", module);
	json_object *spec = json_object_from_file(path);
	if (!spec)
		print_error("cannot read %s (run the tests from the repository root)\n", path);
	assert_non_null(spec);
	json_object *cases;
	assert_true(json_object_object_get_ex(spec, "tests", &cases));

	int ran = 0, failed = 0;
	for (size_t i = 0; i < json_object_array_length(cases); i++) {
		json_object *c = json_object_array_get_idx(cases, i), *v, *data = NULL,
		            *partials = NULL;
		assert_true(json_object_object_get_ex(c, "template", &v));
		const char *src = json_object_get_string(v);
		assert_true(json_object_object_get_ex(c, "expected", &v));
		const char *want = json_object_get_string(v);
		assert_true(json_object_object_get_ex(c, "name", &v));
		const char *name = json_object_get_string(v);
		json_object_object_get_ex(c, "data", &data);
		json_object_object_get_ex(c, "partials", &partials);

		err_t err = {0};
		char *got = render(src, data, partials, &err);
		ran++;
		if (!got || strcmp(got, want) != 0) {
			char msg[1200];
			err_format(&err, msg, sizeof msg);
			print_error("%s: \"%s\"\n  want \"%s\"\n  got  \"%s\"%s%s\n", module, name,
			            want, got ? got : "(error)", got ? "" : " ", got ? "" : msg);
			failed++;
		}
		free(got);
	}
	print_message("[ SPEC     ] %s: %d cases, %d passed, %d failed\n", module, ran,
	              ran - failed, failed);
	json_object_put(spec);
	assert_int_equal(failed, 0);
	assert_int_equal(ran, want_cases);
}

static void test_spec_comments(void **state)
{
	(void)state;
	run_spec("comments", 12);
}

static void test_spec_delimiters(void **state)
{
	(void)state;
	run_spec("delimiters", 14);
}

static void test_spec_interpolation(void **state)
{
	(void)state;
	run_spec("interpolation", 42);
}

static void test_spec_inverted(void **state)
{
	(void)state;
	run_spec("inverted", 22);
}

static void test_spec_partials(void **state)
{
	(void)state;
	run_spec("partials", 12);
}

static void test_spec_sections(void **state)
{
	(void)state;
	run_spec("sections", 34);
}

static void test_escape_html(void **state)
{
	(void)state;
	buf_t b = {0};
	template_escape_html(&b, "<script>&\"'", 11);
	assert_string_equal(b.data, "&lt;script&gt;&amp;&quot;&#39;");
	buf_clear(&b);
	template_escape_html(&b, "", 0);
	assert_int_equal(b.len, 0);
	template_escape_html(&b, "王** a\0<", 10);
	assert_int_equal(b.len, 13);
	assert_memory_equal(b.data, "王** a\0&lt;", 13);
	buf_free(&b);
	/* '\'' is escaped in interpolation too; triple mustache and & leave everything alone. */
	check("{{s}}|{{{s}}}|{{&s}}", "{\"s\":\"<a href='x'>&amp;</a>\"}",
	      "&lt;a href=&#39;x&#39;&gt;&amp;amp;&lt;/a&gt;|<a href='x'>&amp;</a>|<a "
	      "href='x'>&amp;</a>");
}

static void test_compile_errors(void **state)
{
	(void)state;
	check_error("a\nb\n{{#s}}\nc\n", NULL, 3, "unclosed section {{#s}}");
	check_error("{{^s}}{{#t}}\n{{/t}}\n", NULL, 1, "unclosed section {{^s}}");
	check_error("{{#a}}\n\n{{/b}}", NULL, 3, "{{/b}} does not match {{#a}} opened on line 1");
	check_error("x\n{{/a}}", NULL, 2, "without an opening tag");
	check_error("line\n  {{name", NULL, 2, "unclosed tag");
	check_error("{{", NULL, 1, "unclosed tag");
	check_error("{{=", NULL, 1, "unclosed tag");
	check_error("{{{x}}", NULL, 1, "unclosed tag");
	check_error("{{=}}", NULL, 1, "unclosed tag");
	check_error("{{==}}", NULL, 1, "bad delimiter tag");
	check_error("\n{{=<% =}}", NULL, 2, "bad delimiter tag");
	check_error("{{= a b c =}}", NULL, 1, "bad delimiter tag");
	check_error("{{= a= b =}}", NULL, 1, "bad delimiter tag");
	check_error("{{}}", NULL, 1, "empty tag name");
	check_error("{{# }}{{/ }}", NULL, 1, "empty tag name");
	check_error("{{a b}}", NULL, 1, "contains a space");
	/* After a delimiter change the old closing delimiter no longer closes anything. */
	check_error("{{=<% %>=}}\n{{a}}<%b}}", NULL, 2, "unclosed tag");

	/* Nesting: 64 levels compile, 65 and 100 do not. */
	static const int depths[] = {64, 65, 100};
	buf_t b = {0};
	for (size_t k = 0; k < sizeof depths / sizeof *depths; k++) {
		int depth = depths[k];
		buf_clear(&b);
		for (int i = 0; i < depth; i++)
			buf_printf(&b, "{{#s%d}}\n", i);
		for (int i = depth - 1; i >= 0; i--)
			buf_printf(&b, "{{/s%d}}\n", i);
		err_t err = {0};
		template_t *t = template_compile(b.data, b.len, "deep.mustache", &err);
		if (depth == 64) {
			assert_non_null(t);
		} else {
			assert_null(t);
			assert_int_equal(err.line, 65);
			assert_string_equal(err.file, "deep.mustache");
			assert_non_null(strstr(err.msg, "nested deeper than 64"));
		}
		template_free(t);
	}
	buf_free(&b);
}

static void test_partial_errors(void **state)
{
	(void)state;
	/* A partial that includes itself unconditionally stops with an error, not a crash. */
	check_error("x\n{{>r}}", "{\"r\":\"r{{>r}}\"}", 1, "partials nested deeper than 64");
	/* The same through two partials, and inside 64 nested sections at each level. */
	check_error("{{>p}}", "{\"p\":\"{{>q}}\",\"q\":\"{{>p}}\"}", 1, "include itself");
	buf_t b = {0};
	for (int i = 0; i < 64; i++)
		buf_adds(&b, "{{#b}}");
	buf_adds(&b, "{{>deep}}");
	for (int i = 0; i < 64; i++)
		buf_adds(&b, "{{/b}}");
	json_object *partials = json_object_new_object();
	json_object_object_add(partials, "deep", json_object_new_string(b.data));
	json_object *data = json_tokener_parse("{\"b\":true}");
	err_t err = {0};
	char *got = render("{{>deep}}", data, partials, &err);
	assert_null(got);
	assert_non_null(strstr(err.msg, "partials nested deeper than 64"));
	json_object_put(partials);
	json_object_put(data);
	buf_free(&b);

	/* A partial that does not compile is reported under its own name. */
	err = (err_t){0};
	partials = json_tokener_parse("{\"bad\":\"ok\\n{{#x}}\"}");
	got = render("a{{>bad}}", NULL, partials, &err);
	assert_null(got);
	assert_string_equal(err.file, "bad");
	assert_int_equal(err.line, 2);
	json_object_put(partials);

	/* Recursion bounded by the data is fine. */
	partials = json_tokener_parse("{\"n\":\"({{#c}}{{>n}}{{/c}})\"}");
	data = json_tokener_parse("{\"c\":[{\"c\":[{\"c\":[]}]}]}");
	got = render("{{>n}}", data, partials, &err);
	assert_non_null(got);
	assert_string_equal(got, "((()))");
	free(got);
	json_object_put(partials);
	json_object_put(data);
}

static int partial_calls;

static const char *counting_partials(const char *name, void *ctx)
{
	partial_calls++;
	return partials_from_json(name, ctx);
}

static void test_render_twice(void **state)
{
	(void)state;
	const char *src =
	    "{{#rows}}\n  {{>row}}\n{{/rows}}\n{{^rows}}none{{/rows}}{{=<% %>=}}<%n%>\n";
	json_object *data = json_tokener_parse("{\"n\":3,\"rows\":[{\"a\":\"x<\",\"b\":1.5},{\"a\":"
	                                       "\"y\",\"b\":2},{\"a\":\"\",\"b\":null}]}");
	json_object *partials =
	    json_tokener_parse("{\"row\":\"<td>{{a}}</td>\\n<td>{{b}}</td>\\n\"}");
	err_t err = {0};
	template_t *t = template_compile(src, strlen(src), "twice", &err);
	assert_non_null(t);
	buf_t one = {0}, two = {0};
	partial_calls = 0;
	assert_int_equal(template_render(t, data, counting_partials, partials, &one, &err), 0);
	assert_int_equal(partial_calls, 1); /* compiled once for the three rows */
	assert_int_equal(template_render(t, data, counting_partials, partials, &two, &err), 0);
	assert_string_equal(one.data, two.data);
	assert_string_equal(one.data, "  <td>x&lt;</td>\n  <td>1.5</td>\n"
	                              "  <td>y</td>\n  <td>2</td>\n"
	                              "  <td></td>\n  <td></td>\n3\n");
	/* Rendering appends. */
	assert_int_equal(template_render(t, data, counting_partials, partials, &one, &err), 0);
	assert_int_equal(one.len, 2 * two.len);
	/* No partial callback: partials are empty. */
	buf_clear(&one);
	assert_int_equal(template_render(t, NULL, NULL, NULL, &one, &err), 0);
	assert_string_equal(one.data, "none\n");
	buf_free(&one);
	buf_free(&two);
	template_free(t);
	template_free(NULL);
	json_object_put(data);
	json_object_put(partials);
}

static void test_values(void **state)
{
	(void)state;
	check("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
	      "{\"a\":1.10,\"b\":3.14,\"c\":1.210,\"d\":2.0,\"e\":-0.5,\"f\":0.0}",
	      "1.1 3.14 1.21 2 -0.5 0");
	check("{{a}} {{b}} {{c}} {{d}}", "{\"a\":1e21,\"b\":1e-7,\"c\":100000000.0,\"d\":0.000001}",
	      "1e+21 1e-7 100000000 0.000001");
	check("{{a}} {{b}} {{c}} {{d}}",
	      "{\"a\":123456789012345678,\"b\":-42,\"c\":18446744073709551615,\"d\":0.1}",
	      "123456789012345678 -42 18446744073709551615 0.1");
	check("{{t}} {{f}} {{n}} {{o}} {{{l}}}",
	      "{\"t\":true,\"f\":false,\"n\":null,\"o\":{\"k\":\"<\"},\"l\":[1,\"a\"]}",
	      "true false  {&quot;k&quot;:&quot;&lt;&quot;} [1,\"a\"]");
	/* Lists and objects print as JSON, keeping the digits of their numbers as written. */
	check("{{{o}}}", "{\"o\":{\"x\":1.50,\"y\":[true,null,\"</\"]}}",
	      "{\"x\":1.50,\"y\":[true,null,\"<\\/\"]}");
	/* Truthiness: "" is falsey, 0 and {} are truthy. */
	check("{{#s}}S{{/s}}{{^s}}s{{/s}}{{#z}}Z{{/z}}{{#o}}O{{/o}}{{#d}}D{{/d}}",
	      "{\"s\":\"\",\"z\":0,\"o\":{},\"d\":0.0}", "sZOD");
	/* A null root, lists of nulls and the implicit iterator over scalars. */
	check("[{{.}}{{x}}{{#.}}no{{/.}}]", "null", "[]");
	check("{{#l}}({{.}}){{/l}}", "{\"l\":[null,1,\"<\",[2]]}", "()(1)(&lt;)([2])");
	/* Dotted names resolve their first part up the stack, the rest only inside. */
	check("{{#a}}{{b.c}}|{{x.y}}{{/a}}",
	      "{\"a\":{\"b\":{}},\"b\":{\"c\":\"no\"},\"x\":{\"y\":\"yes\"}}", "|yes");
	/* Empty parts are looked up as the key "". */
	check("{{a..b}}{{.a}}", "{\"a\":{\"\":{\"b\":1}},\"\":{\"a\":2}}", "12");
	/* Text with NUL bytes and CRs passes through. */
	template_t *t = template_compile("a\0b{{x}}\r", 9, "nul", NULL);
	assert_non_null(t);
	buf_t out = {0};
	json_object *data = json_tokener_parse("{\"x\":\"&\"}");
	assert_int_equal(template_render(t, data, NULL, NULL, &out, NULL), 0);
	assert_int_equal(out.len, 9);
	assert_memory_equal(out.data, "a\0b&amp;\r", 9);
	buf_free(&out);
	json_object_put(data);
	template_free(t);
}

static void test_partial_indentation(void **state)
{
	(void)state;
	json_object *partials = json_tokener_parse(
	    "{\"outer\":\"<ul>\\n  "
	    "{{>inner}}\\n</ul>\\n\",\"inner\":\"{{#l}}\\n<li>{{.}}</li>\\n{{/l}}\\n\","
	    "\"inline\":\"a\\nb\",\"wrap\":\"x {{>inline}}\\n  {{>inline}}\\n\"}");
	json_object *data = json_tokener_parse("{\"l\":[1,2]}");
	err_t err = {0};
	/* Standalone partials nest their indentation. */
	char *got = render("<div>\n    {{>outer}}\n</div>\n", data, partials, &err);
	assert_non_null(got);
	assert_string_equal(
	    got, "<div>\n    <ul>\n      <li>1</li>\n      <li>2</li>\n    </ul>\n</div>\n");
	free(got);
	/* An inline partial in an indented partial is not indented; a standalone one is. */
	got = render(" {{>wrap}}", data, partials, &err);
	assert_non_null(got);
	assert_string_equal(got, " x a\nb\n   a\n   b");
	free(got);
	/* The same compiled partial renders with and without indentation in one call. */
	got = render("{{>inline}}|\n\t{{>inline}}\n", data, partials, &err);
	assert_non_null(got);
	assert_string_equal(got, "a\nb|\n\ta\n\tb");
	free(got);
	json_object_put(partials);
	json_object_put(data);
}

/* Templates made of Mustache's own punctuation, in every order a small generator finds, must
 * compile or fail cleanly, and render (with each template as its own recursive partial)
 * without a crash, a hang or a leak. */
static const char *self_partial(const char *name, void *ctx)
{
	(void)name;
	return ctx;
}

static void test_hostile(void **state)
{
	(void)state;
	static const char alphabet[] = "{{}}{}#^/>!=&.ab \n\r\t|<%";
	json_object *data = json_tokener_parse("{\"a\":[{\"b\":1},{\"a\":[]}],\"b\":\"<\"}");
	uint32_t seed = 12345;
	char src[64];
	int compiled = 0;
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(round % 48);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			src[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		src[len] = '\0';
		err_t err = {0};
		template_t *t = template_compile(src, len, "fuzz", &err);
		if (!t) {
			assert_true(err.line >= 1);
			continue;
		}
		compiled++;
		buf_t out = {0};
		template_render(t, data, self_partial, src, &out, &err);
		buf_free(&out);
		template_free(t);
	}
	assert_true(compiled > 1000);
	json_object_put(data);

	/* A huge template and a huge line full of tags. */
	buf_t b = {0};
	for (int i = 0; i < 200000; i++)
		buf_adds(&b, "{{! c }} {{#x}}{{/x}}");
	err_t err = {0};
	template_t *t = template_compile(b.data, b.len, "big", &err);
	assert_non_null(t);
	buf_t out = {0};
	assert_int_equal(template_render(t, NULL, NULL, NULL, &out, &err), 0);
	assert_int_equal(out.len, 200000);
	buf_free(&out);
	template_free(t);
	buf_free(&b);
	/* No source at all is an empty template. */
	t = template_compile(NULL, 0, NULL, &err);
	assert_non_null(t);
	assert_int_equal(template_render(t, NULL, NULL, NULL, &out, &err), 0);
	assert_string_equal(out.data, "");
	buf_free(&out);
	template_free(t);
}

/* A section over 10,000 small objects, five escaped fields each: checks the output and
 * prints the time per element (under the sanitizers, so only a rough figure). */
static void test_large_list(void **state)
{
	(void)state;
	json_object *rows = json_object_new_array();
	for (int i = 0; i < 10000; i++) {
		json_object *r = json_object_new_object();
		char code[32];
		snprintf(code, sizeof code, "V%05d", i);
		json_object_object_add(r, "code", json_object_new_string(code));
		json_object_object_add(r, "name", json_object_new_string("张家<村>"));
		json_object_object_add(r, "households", json_object_new_int(100 + i));
		json_object_object_add(r, "rate", json_object_new_double(0.25));
		json_object_object_add(r, "grade", json_object_new_string("A&B"));
		json_object_array_add(rows, r);
	}
	json_object *data = json_object_new_object();
	json_object_object_add(data, "rows", rows);
	const char *src =
	    "<table>\n{{#rows}}\n  <tr><td>{{code}}</td><td>{{name}}</td><td>{{households}}</td>"
	    "<td>{{rate}}</td><td>{{grade}}</td></tr>\n{{/rows}}\n</table>\n";
	err_t err = {0};
	template_t *t = template_compile(src, strlen(src), "list", &err);
	assert_non_null(t);
	buf_t out = {0};
	struct timespec a, z;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(template_render(t, data, NULL, NULL, &out, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &z);
	double ns = ((double)(z.tv_sec - a.tv_sec) * 1e9 + (double)(z.tv_nsec - a.tv_nsec)) / 10000;
	print_message("[ TIMING   ] 10,000-row section: %.0f ns per row, %zu bytes\n", ns, out.len);
	assert_non_null(strstr(out.data,
	                       "  <tr><td>V09999</td><td>张家&lt;村&gt;</td><td>10099</td>"
	                       "<td>0.25</td><td>A&amp;B</td></tr>\n</table>\n"));
	buf_free(&out);
	template_free(t);
	json_object_put(data);
}

/* A template list: items 0..n-1 with fields "k" (the index), "name" (hostile text) and
 * "note" (empty for even items). */
static const char *const tl_keys[3] = {"k", "name", "note"};
static int tl_freed;

static void tl_fill(void *ctx, size_t k, template_row_t *row)
{
	(void)ctx;
	char s[32];
	snprintf(s, sizeof s, "%zu", k);
	template_row_set(row, 0, s);
	template_row_set(row, 1, "<李&四>");
	if (k % 2)
		template_row_set(row, 2, "odd");
}

static void tl_free(void *ctx)
{
	tl_freed += *(int *)ctx;
}

static char *tl_render(const char *src, size_t n)
{
	static int one = 1;
	json_object *data = json_object_new_object();
	json_object_object_add(data, "rows",
	                       template_list_new(n, tl_keys, 3, tl_fill, &one, tl_free));
	json_object_object_add(data, "title", json_object_new_string("T"));
	err_t err = {0};
	char *got = render(src, data, NULL, &err);
	assert_non_null(got);
	json_object_put(data);
	return got;
}

static void test_template_list(void **state)
{
	(void)state;
	tl_freed = 0;
	char *got = tl_render("{{#rows}}[{{k}} {{name}} {{{name}}}{{#note}} {{note}}{{/note}}"
	                      "{{^note}} -{{/note}} {{title}}]{{/rows}}",
	                      3);
	assert_string_equal(got,
	                    "[0 &lt;李&amp;四&gt; <李&四> - T][1 &lt;李&amp;四&gt; <李&四> odd T]"
	                    "[2 &lt;李&amp;四&gt; <李&四> - T]");
	free(got);
	assert_int_equal(tl_freed, 1); /* the list's context is freed with it */
	/* Empty: falsey, the inverted section shows; an unknown field resolves further up. */
	got = tl_render("{{#rows}}x{{/rows}}{{^rows}}none{{/rows}}", 0);
	assert_string_equal(got, "none");
	free(got);
	got = tl_render("{{#rows}}{{title}}{{nope}}{{/rows}}", 2);
	assert_string_equal(got, "TT");
	free(got);
	/* The same list walked inside one of its items, even inside a field's section: each item
	 * still reads its own fields afterwards (the row is made again). */
	got = tl_render("{{#rows}}{{#note}}<{{#rows}}{{k}}{{/rows}}>{{.}}{{/note}}{{k}};{{/rows}}",
	                3);
	assert_string_equal(got, "0;<012>odd1;2;");
	free(got);
	/* {{.}} of an item prints nothing; dotted names do not reach into a text field. */
	got = tl_render("{{#rows}}({{.}}{{name.x}}){{/rows}}", 1);
	assert_string_equal(got, "()");
	free(got);
	/* To json-c it is an empty array; its length is the list's. */
	json_object *l = template_list_new(5, tl_keys, 3, tl_fill, NULL, NULL);
	assert_int_equal(json_object_array_length(l), 0);
	assert_int_equal(template_list_length(l), 5);
	json_object_put(l);
}

/* Lists whose rows name the same fields at other positions, or fewer of them: the same tag
 * (one partial's) must find each list's own field, as must a tag that misses in an inner list
 * and resolves in the outer one (row_key keeps a tag's answer per key array). */
static const char *const tl_keys_b[2] = {"name", "k"};

static void tl_fill_b(void *ctx, size_t k, template_row_t *row)
{
	(void)ctx;
	char s[32];
	snprintf(s, sizeof s, "b%zu", k);
	template_row_set(row, 0, "B");
	template_row_set(row, 1, s);
}

static void test_template_list_keys(void **state)
{
	(void)state;
	json_object *data = json_object_new_object();
	json_object_object_add(data, "rows", template_list_new(2, tl_keys, 3, tl_fill, NULL, NULL));
	json_object_object_add(data, "others",
	                       template_list_new(2, tl_keys_b, 2, tl_fill_b, NULL, NULL));
	/* The same key array with one key fewer: "note" is not a field of it. */
	json_object_object_add(data, "short",
	                       template_list_new(2, tl_keys, 2, tl_fill, NULL, NULL));
	json_object_object_add(data, "note", json_object_new_string("top"));
	json_object *partials = json_object_new_object();
	json_object_object_add(partials, "p", json_object_new_string("{{k}}:{{name}}:{{note}};"));
	err_t err = {0};
	char *got =
	    render("{{#rows}}{{>p}}{{/rows}}|{{#short}}{{>p}}{{/short}}|"
	           "{{#others}}{{>p}}{{/others}}|{{#rows}}{{#others}}{{>p}}{{/others}}{{/rows}}",
	           data, partials, &err);
	assert_non_null(got);
	assert_string_equal(got,
	                    "0:&lt;李&amp;四&gt;:;1:&lt;李&amp;四&gt;:odd;|"
	                    "0:&lt;李&amp;四&gt;:top;1:&lt;李&amp;四&gt;:top;|b0:B:top;b1:B:top;|"
	                    "b0:B:;b1:B:;b0:B:odd;b1:B:odd;");
	free(got);
	json_object_put(partials);
	json_object_put(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spec_comments),
	    cmocka_unit_test(test_spec_delimiters),
	    cmocka_unit_test(test_spec_interpolation),
	    cmocka_unit_test(test_spec_inverted),
	    cmocka_unit_test(test_spec_partials),
	    cmocka_unit_test(test_spec_sections),
	    cmocka_unit_test(test_escape_html),
	    cmocka_unit_test(test_compile_errors),
	    cmocka_unit_test(test_partial_errors),
	    cmocka_unit_test(test_render_twice),
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_partial_indentation),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_large_list),
	    cmocka_unit_test(test_template_list),
	    cmocka_unit_test(test_template_list_keys),
	};

	return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
