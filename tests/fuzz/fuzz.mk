# tests/fuzz/fuzz.mk — builds the libFuzzer targets into build/fuzz/ with clang, in an object
# directory of their own (ASan + UBSan + fuzzer coverage). Used by scripts/fuzz:
#   make -f tests/fuzz/fuzz.mk [FUZZ_CC=clang-14]
# Run from the top of the tree.

FUZZ_CC  ?= clang
PKGS      = libcmark xlsxwriter cairo pangocairo json-c yaml-0.1 gmime-3.0 libcurl
SAN       = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FCFLAGS   = -std=c11 -D_GNU_SOURCE -Wall -Wextra -pthread $(shell pkg-config --cflags $(PKGS)) $(SAN)
FLDLIBS   = $(shell pkg-config --libs $(PKGS)) -lcsv -lm -lz -pthread

OUT       = build/fuzz
LIBSRC    = $(filter-out src/main.c,$(sort $(shell find src -name '*.c')))
LIBOBJ    = $(LIBSRC:src/%.c=$(OUT)/obj/%.o) $(OUT)/obj/embedded.o
TEMPLATES = $(sort $(wildcard templates/*.mustache))
HEADERS   = $(shell find src -name '*.h')
TARGETS   = csv value village config template markdown inddoc
BINS      = $(TARGETS:%=$(OUT)/fuzz_%)

.PHONY: all
all: $(BINS)

$(OUT)/obj/%.o: src/%.c $(HEADERS) tests/fuzz/fuzz.mk | $(OUT)/obj
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FCFLAGS) -Isrc -fsanitize=fuzzer-no-link -c -o $@ $<

$(OUT)/embedded.c: $(TEMPLATES) scripts/embed-templates | $(OUT)/obj
	./scripts/embed-templates $@ $(TEMPLATES)

$(OUT)/obj/embedded.o: $(OUT)/embedded.c src/render/site/tmplset.h | $(OUT)/obj
	$(FUZZ_CC) $(FCFLAGS) -fsanitize=fuzzer-no-link -Isrc -c -o $@ $<

# The targets link the library as an archive, so each pulls only the objects it needs (and a
# module being written elsewhere in src/ does not break their link).
$(OUT)/libcundang.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

$(OUT)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(OUT)/libcundang.a
	$(FUZZ_CC) $(FCFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(OUT)/libcundang.a $(FLDLIBS)

$(OUT)/obj:
	mkdir -p $@
