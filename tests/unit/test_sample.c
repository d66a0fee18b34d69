/* test_sample.c — unit tests for sample.c: the archive is byte-identical for one seed, has
 * the designed villages, refuses a non-empty directory and writes valid ID numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sample/sample.h"
#include "util.h"
#include "read/value.h"

#define N_HOUSEHOLDS 2000
#define SEED 7

/* ---- helpers ---- */

static char *make_tmp(void)
{
	char tmpl[] = "/tmp/cundang_sample_XXXXXX";
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	return xstrdup(dir);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes dir and everything under it, then frees the name. */
static void remove_tree(char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* Reads a whole file; caller frees. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	buf_t b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir except . and .., sorted bytewise; caller frees each and the array. */
static char **list_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		xgrow((void **)&names, &cap, n + 1, sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, name_cmp);
	*count = n;
	return names;
}

static void free_list(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Asserts that trees a and b hold the same names and byte-identical files; returns the
 * number of files compared. */
static size_t compare_trees(const char *a, const char *b)
{
	size_t na, nb, files = 0;
	char **la = list_dir(a, &na), **lb = list_dir(b, &nb);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_string_equal(la[i], lb[i]);
		char *pa = path_join(a, la[i]), *pb = path_join(b, lb[i]);
		struct stat sa, sb;
		assert_int_equal(stat(pa, &sa), 0);
		assert_int_equal(stat(pb, &sb), 0);
		assert_int_equal(S_ISDIR(sa.st_mode), S_ISDIR(sb.st_mode));
		if (S_ISDIR(sa.st_mode)) {
			files += compare_trees(pa, pb);
		} else {
			size_t lena, lenb;
			char *da = slurp(pa, &lena), *db = slurp(pb, &lenb);
			assert_non_null(da);
			assert_non_null(db);
			if (lena != lenb || memcmp(da, db, lena) != 0)
				print_error("%s and %s differ\n", pa, pb);
			assert_int_equal(lena, lenb);
			assert_memory_equal(da, db, lena);
			free(da);
			free(db);
			files++;
		}
		free(pa);
		free(pb);
	}
	free_list(la, na);
	free_list(lb, nb);
	return files;
}

static bool valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t k = c < 0x80             ? 0
		           : (c & 0xE0) == 0xC0 ? 1
		           : (c & 0xF0) == 0xE0 ? 2
		           : (c & 0xF8) == 0xF0 ? 3
		                                : 9;
		if (k == 9 || i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
		i += k + 1;
	}
	return true;
}

/* A minimal RFC 4180 reader for the test: calls on_record with the unquoted fields of
 * each non-blank record. */
typedef void (*record_fn)(char **fields, int n, void *ctx);

static void parse_csv(const char *s, size_t n, record_fn on_record, void *ctx)
{
	buf_t field = {0};
	char *fields[64];
	int nf = 0;
	bool quoted = false;
	size_t i = 0;
	if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		i = 3;
	for (; i <= n; i++) {
		char c = i < n ? s[i] : '\n';
		if (quoted) {
			if (c == '"' && i + 1 < n && s[i + 1] == '"') {
				buf_addc(&field, '"');
				i++;
			} else if (c == '"') {
				quoted = false;
			} else {
				buf_addc(&field, c);
			}
			continue;
		}
		if (c == '"') {
			quoted = true;
		} else if (c == ',' || c == '\n') {
			assert_true(nf < 64);
			fields[nf++] = buf_detach(&field);
			if (c == '\n') {
				bool blank = nf == 1 && !fields[0][0];
				if (!blank && !(i == n && nf == 1))
					on_record(fields, nf, ctx);
				for (int k = 0; k < nf; k++)
					free(fields[k]);
				nf = 0;
			}
		} else if (c != '\r') {
			buf_addc(&field, c);
		}
	}
	assert_false(quoted);
	buf_free(&field);
}

typedef struct {
	int id_col; /* -1 until the header is read */
	long rows, bad_ids;
} id_scan_t;

static void scan_ids(char **fields, int n, void *ctx)
{
	id_scan_t *scan = ctx;
	if (scan->id_col < 0) {
		for (int i = 0; i < n; i++) {
			char *h = value_trim(fields[i]);
			if (!strcmp(h, "id_number") || !strcmp(h, "身份证号") ||
			    !strcmp(h, "身份证号码"))
				scan->id_col = i;
		}
		assert_true(scan->id_col >= 0);
		return;
	}
	assert_true(scan->id_col < n);
	scan->rows++;
	if (value_check_id(value_trim(fields[scan->id_col])) != VALUE_OK) {
		print_message("deliberately bad ID: %s\n", fields[scan->id_col]);
		scan->bad_ids++;
	}
}

/* ---- tests ---- */

static void test_deterministic(void **state)
{
	(void)state;
	char *a = make_tmp(), *b = make_tmp();
	err_t err;
	assert_int_equal(sample_write(a, N_HOUSEHOLDS, SEED, &err), 0);
	assert_int_equal(sample_write(b, N_HOUSEHOLDS, SEED, &err), 0);
	size_t files = compare_trees(a, b);
	/* site.yaml, two files per village, three loan files */
	assert_int_equal(files, 1 + 2 * (size_t)sample_village_count(N_HOUSEHOLDS) + 3);
	remove_tree(a);
	remove_tree(b);
}

static void test_other_seed_differs(void **state)
{
	(void)state;
	char *a = make_tmp(), *b = make_tmp();
	err_t err;
	assert_int_equal(sample_write(a, N_HOUSEHOLDS, SEED, &err), 0);
	assert_int_equal(sample_write(b, N_HOUSEHOLDS, SEED + 1, &err), 0);
	char *pa = path_join(a, "loans/2026H1.csv"), *pb = path_join(b, "loans/2026H1.csv");
	size_t la, lb;
	char *da = slurp(pa, &la), *db = slurp(pb, &lb);
	assert_non_null(da);
	assert_non_null(db);
	assert_true(la != lb || memcmp(da, db, la) != 0);
	free(da);
	free(db);
	free(pa);
	free(pb);
	remove_tree(a);
	remove_tree(b);
}

static void test_village_folders(void **state)
{
	(void)state;
	char *a = make_tmp();
	err_t err;
	assert_int_equal(sample_write(a, N_HOUSEHOLDS, SEED, &err), 0);
	/* 2000 households: three branches, about 330 households a village */
	assert_int_equal(sample_branch_count(N_HOUSEHOLDS), 3);
	assert_int_equal(sample_village_count(N_HOUSEHOLDS), 6);
	char *villages = path_join(a, "villages");
	size_t n;
	char **names = list_dir(villages, &n);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		char *dir = path_join(villages, names[i]);
		struct stat st;
		assert_int_equal(stat(dir, &st), 0);
		assert_true(S_ISDIR(st.st_mode));
		assert_int_equal(strspn(names[i],
		                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                        "0123456789_-"),
		                 strlen(names[i]));
		free(dir);
	}
	free_list(names, n);
	free(villages);
	remove_tree(a);
}

static void test_refuses_non_empty(void **state)
{
	(void)state;
	char *a = make_tmp();
	err_t err;
	char *file = path_join(a, "keep.txt");
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs("do not overwrite\n", f);
	fclose(f);
	assert_int_equal(sample_write(a, 10, SEED, &err), -1);
	assert_string_equal(err.file, a);
	assert_string_equal(err.msg, "exists and is not empty");
	size_t n;
	char **names = list_dir(a, &n);
	assert_int_equal(n, 1); /* nothing was written beside the file */
	free_list(names, n);
	/* a plain file is refused too, and an absent directory (with parents) is created */
	assert_int_equal(sample_write(file, 10, SEED, &err), -1);
	char *deep = path_join(a, "new/archive");
	remove(file);
	assert_int_equal(sample_write(deep, 1, SEED, &err), 0);
	free(deep);
	free(file);
	remove_tree(a);
}

static void test_ids_valid(void **state)
{
	(void)state;
	char *a = make_tmp();
	err_t err;
	assert_int_equal(sample_write(a, N_HOUSEHOLDS, SEED, &err), 0);
	char *villages = path_join(a, "villages");
	size_t n;
	char **names = list_dir(villages, &n);
	long utf8_files = 0, rows = 0, bad = 0;
	for (size_t i = 0; i < n; i++) {
		char *dir = path_join(villages, names[i]);
		char *path = path_join(dir, "households.csv");
		size_t len;
		char *data = slurp(path, &len);
		assert_non_null(data);
		if (valid_utf8((const unsigned char *)data, len)) { /* GB18030 files are skipped */
			id_scan_t scan = {.id_col = -1};
			parse_csv(data, len, scan_ids, &scan);
			utf8_files++;
			rows += scan.rows;
			bad += scan.bad_ids;
		}
		free(data);
		free(path);
		free(dir);
	}
	free_list(names, n);
	free(villages);
	assert_true(utf8_files >= 4);
	assert_true(rows > 1000);
	assert_int_equal(bad, 1); /* the deliberate wrong check character */
	remove_tree(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_deterministic),   cmocka_unit_test(test_other_seed_differs),
	    cmocka_unit_test(test_village_folders), cmocka_unit_test(test_refuses_non_empty),
	    cmocka_unit_test(test_ids_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
