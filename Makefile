# Makefile — builds cundang, its tests and its benchmark. See README.md.
# `make run` and `make test` install missing Debian packages first (scripts/install-deps).

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS     = libcmark xlsxwriter cairo libpng pangocairo pangoft2 fontconfig json-c yaml-0.1 gmime-3.0 libcurl
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -pthread -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -pthread
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# The stages are folders of src/ (README "Source"): read/, compute/, render/<output>/, sample/.
SRC      = $(sort $(shell find src -name '*.c'))
HEADERS  = $(sort $(shell find src -name '*.h'))
LIBSRC   = $(filter-out src/main.c,$(SRC))
TEMPLATES = $(sort $(wildcard templates/*.mustache))
# build/embedded.c holds the default templates (scripts/embed-templates); it is generated.
OBJ      = $(SRC:src/%.c=build/%.o) build/embedded.o
ASAN_OBJ = $(SRC:src/%.c=build/asan/%.o) build/asan/embedded.o
ASAN_LIB = $(LIBSRC:src/%.c=build/asan/%.o) build/asan/embedded.o
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/asan/%)

.PHONY: all run test deps bench fuzz regen install clean asan units format format-check
FUZZ_SECONDS ?= 60

all: cundang

cundang: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LDLIBS)

build/%.o: src/%.c $(HEADERS) | build
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

build/asan/%.o: src/%.c $(HEADERS) | build/asan
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -c -o $@ $<

build/embedded.c: $(TEMPLATES) scripts/embed-templates | build
	./scripts/embed-templates $@ $(TEMPLATES)

build/embedded.o: build/embedded.c src/render/site/tmplset.h
	$(CC) $(CFLAGS) -c -o $@ $<

build/asan/embedded.o: build/embedded.c src/render/site/tmplset.h | build/asan
	$(CC) $(CFLAGS) $(SANFLAGS) -c -o $@ $<

build/asan/cundang: $(ASAN_OBJ)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $(ASAN_OBJ) $(LDLIBS)

build/asan/test_%: tests/unit/test_%.c $(ASAN_LIB) | build/asan
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $< $(ASAN_LIB) $(LDLIBS) $(shell pkg-config --libs cmocka)

build build/asan:
	mkdir -p $@

asan: build/asan/cundang
units: $(UNIT_BIN)

deps:
	./scripts/install-deps

run: deps
	$(MAKE) cundang
	./cundang build -i input -o output

test: deps
	$(MAKE) cundang build/asan/cundang $(UNIT_BIN) build/floor_workbooks
	./tests/run.sh

# Every C file in the committed house style (.clang-format); make test fails on a file that is not.
FORMATTED = $(sort $(shell find src tests/unit tests/fuzz tests/bench -name '*.[ch]'))
format:
	clang-format -i $(FORMATTED)

format-check:
	./scripts/format-check $(FORMATTED)

build/bench_charts: tests/bench/bench_charts.c $(filter-out build/main.o,$(OBJ))
	$(CC) $(CFLAGS) -o $@ $< $(filter-out build/main.o,$(OBJ)) $(LDLIBS)

# The floor of the workbook stage (issue 13): the same cells with plain libxlsxwriter calls.
build/floor_workbooks: tests/bench/floor_workbooks.c $(filter-out build/main.o,$(OBJ))
	$(CC) $(CFLAGS) -o $@ $< $(filter-out build/main.o,$(OBJ)) $(LDLIBS)

bench: deps
	$(MAKE) cundang build/bench_charts build/floor_workbooks
	./scripts/bench

# Rewrites the golden pages of tests/regress/ from this build, for review with git diff.
regen: cundang
	/usr/bin/python3 tests/regress/run.py --regen

# libFuzzer targets (tests/fuzz/), each explored FUZZ_SECONDS with a random seed; make test
# runs them with a fixed seed and run count instead (scripts/fuzz --fixed).
fuzz: deps
	./scripts/fuzz $(FUZZ_SECONDS)

install: cundang
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 cundang $(DESTDIR)$(PREFIX)/bin/cundang
	install -m 644 cundang.1 $(DESTDIR)$(PREFIX)/share/man/man1/cundang.1

clean:
	rm -rf build cundang
