# Makefile: builds libpromptdeck.a (api/) and ./promptdeck (tui/), installs deps, runs tests, installs.
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
API_PKGS = libcurl jansson libcmark libpcre2-8 yaml-0.1
TUI_PKGS = ncursesw
# libcurl is not linked: api/net/curl_lazy.c opens it on first use (start-up cost; see there).
# The other libraries are linked from their archives where those are installed: each shared
# library costs the dynamic loader a search, a mapping and relocations on every run, which was
# most of a short `promptdeck diff` (0.93 ms of CPU per run with them shared, 0.60 linked in;
# GNU diff takes 0.84; issue 14). LINK_STATIC=no links them all shared; a library without an
# archive is linked shared anyway. libc (and libdl, libm) stay shared.
LINK_STATIC ?= yes
archive_of  = $(or $(filter /%,$(wildcard $(shell $(CC) -print-file-name=lib$(1:-l%=%).a 2>/dev/null))),$(1))
link_libs   = $(if $(filter yes,$(LINK_STATIC)),$(foreach l,$(1),$(if $(filter -l%,$(l)),$(call archive_of,$(l)),$(l))),$(1))
API_LIBS  := $(call link_libs,$(shell pkg-config --libs jansson libcmark libpcre2-8 yaml-0.1 2>/dev/null)) -ldl -lm
LIBS      := $(call link_libs,$(shell pkg-config --libs $(TUI_PKGS) 2>/dev/null)) $(API_LIBS)

# Boundaries the compiler enforces (see ARCHITECTURE.md):
# - api objects see only api/ (no -Itui, no ncurses flags): including a tui header is an error;
# - every object is told its module (-DPD_MODULE_<folder>), and a module's private headers
#   (*_priv.h) refuse to compile anywhere else;
# - libpromptdeck.a must link with the api's libraries alone (no ncurses): see api-alone below.
API_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Iapi $(shell pkg-config --cflags $(API_PKGS) 2>/dev/null) $(CFLAGS)
TUI_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Iapi -Itui \
             $(shell pkg-config --cflags $(API_PKGS) $(TUI_PKGS) 2>/dev/null) $(CFLAGS)
module_of  = -DPD_MODULE_$(word 2,$(subst /, ,$(1)))
DEPFLAGS   = -MMD -MP

API_MODULES = $(patsubst api/%/,%,$(sort $(dir $(wildcard api/*/*.c))))
TUI_MODULES = $(patsubst tui/%/,%,$(sort $(dir $(wildcard tui/*/*.c))))
API_SRC  = $(sort $(wildcard api/*/*.c))
TUI_SRC  = $(sort $(filter-out tui/cli/main.c,$(wildcard tui/*/*.c)))
TEST_SRC = $(sort $(wildcard tests/unit/test_*.c))
BENCH_SRC = $(sort $(wildcard tests/bench/bench_*.c))
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))
API_OBJ  = $(API_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  = $(TUI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BIN = $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

.PHONY: all deps run test drivers check fuzz bench install uninstall clean
all: $(BUILD)/promptdeck promptdeck

promptdeck: $(BUILD)/promptdeck
	@if [ "$(BUILD)" = build ]; then cp $< $@; fi

# The archive is checked by linking all of it into a program with the api's libraries only:
# a call into ncurses (or into tui/) from api/ fails here with "undefined reference".
$(BUILD)/libpromptdeck.a: $(API_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
	@printf 'int main(void) { return 0; }\n' >$(BUILD)/api-alone.c
	$(CC) $(LDFLAGS) -o $(BUILD)/api-alone $(BUILD)/api-alone.c -Wl,--whole-archive $@ -Wl,--no-whole-archive $(API_LIBS)
$(BUILD)/libpdtui.a: $(TUI_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/api/%.o: api/%.c
	@mkdir -p $(@D)
	$(CC) $(API_CFLAGS) $(call module_of,$<) $(DEPFLAGS) -c $< -o $@
$(BUILD)/tui/%.o: tui/%.c
	@mkdir -p $(@D)
	$(CC) $(TUI_CFLAGS) $(call module_of,$<) $(DEPFLAGS) -c $< -o $@

$(BUILD)/promptdeck: $(BUILD)/tui/cli/main.o $(BUILD)/libpdtui.a $(BUILD)/libpromptdeck.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libpdtui.a $(BUILD)/libpromptdeck.a
	@mkdir -p $(@D)
	$(CC) $(TUI_CFLAGS) -Itests/unit $(DEPFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libpdtui.a $(BUILD)/libpromptdeck.a $(LIBS)

# Benchmark and fuzz drivers are api programs, built by `make test` so that one which no longer
# builds fails there. bench_stream also draws with curses (into an off-screen terminal).
$(BUILD)/bench/bench_stream: DRIVER_PKGS = $(TUI_PKGS)
$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libpromptdeck.a
	@mkdir -p $(@D)
	$(CC) $(API_CFLAGS) $(if $(DRIVER_PKGS),$(shell pkg-config --cflags $(DRIVER_PKGS))) $(DEPFLAGS) $(LDFLAGS) \
		-o $@ $< $(BUILD)/libpromptdeck.a $(if $(DRIVER_PKGS),$(shell pkg-config --libs $(DRIVER_PKGS))) $(API_LIBS)
# Fuzz targets get FUZZ_MAIN's main, which replays the files it is given (tests/e2e/fuzz_seeds.sh);
# tests/fuzz/build.sh builds them for libFuzzer instead (FUZZ_MAIN= FUZZ_LDFLAGS=-fsanitize=fuzzer).
FUZZ_MAIN ?= $(BUILD)/fuzz/standalone.o
FUZZ_LDFLAGS ?=
$(BUILD)/fuzz/standalone.o: tests/fuzz/standalone.c
	@mkdir -p $(@D)
	$(CC) $(API_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_MAIN) $(BUILD)/libpromptdeck.a
	@mkdir -p $(@D)
	$(CC) $(API_CFLAGS) $(DEPFLAGS) $(LDFLAGS) $(FUZZ_LDFLAGS) -o $@ $< $(FUZZ_MAIN) $(BUILD)/libpromptdeck.a $(API_LIBS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# make print-API_CFLAGS (any variable): the flags as the build uses them (tests/e2e/boundaries.sh).
print-%:
	@echo '$($*)'

# Installs whatever Debian packages are missing (apt, with sudo when not root).
deps:
	@sh scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	./promptdeck

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(TEST_BIN) drivers
	@sh tests/run.sh $(BUILD)

# Every benchmark and fuzz driver (tests/e2e/fuzz_seeds.sh replays the fuzz seeds with them).
drivers: $(BENCH_BIN) $(FUZZ_BIN)

# The tests again under AddressSanitizer + UndefinedBehaviorSanitizer, then a short fuzz run.
SAN = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
check: deps
	@$(MAKE) --no-print-directory BUILD=build-san CFLAGS="$(SAN)" LDFLAGS="$(SAN)" build-san/promptdeck
	@$(MAKE) --no-print-directory BUILD=build-san CFLAGS="$(SAN)" LDFLAGS="$(SAN)" $(TEST_SRC:tests/unit/%.c=build-san/tests/%) drivers
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/run.sh build-san
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$${FUZZ_SECONDS:-20}

# libFuzzer targets (clang) built in FUZZ_BUILD; FUZZ_SECONDS > 0 also runs each for that long.
# A second run on the same FUZZ_BUILD is refused while one is going: give it another FUZZ_BUILD.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 0
fuzz: deps
	@FUZZ_BUILD="$(FUZZ_BUILD)" MAKE="$(MAKE)" sh tests/fuzz/build.sh "$(FUZZ_SRC)" $(FUZZ_SECONDS)

bench: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(BENCH_BIN)
	@BUILD=$(BUILD) sh tests/bench/run.sh

# Shell completion (completion/): where bash-completion and zsh look for it.
BASH_COMPLETION_DIR ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETION_DIR ?= $(PREFIX)/share/zsh/site-functions
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/promptdeck/themes $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/promptdeck $(DESTDIR)$(PREFIX)/bin/promptdeck
	install -m 644 themes/*.theme $(DESTDIR)$(PREFIX)/share/promptdeck/themes/
	install -m 644 data/prices.tsv $(DESTDIR)$(PREFIX)/share/promptdeck/prices.tsv
	install -m 644 man/promptdeck.1 $(DESTDIR)$(PREFIX)/share/man/man1/promptdeck.1
	install -d $(DESTDIR)$(BASH_COMPLETION_DIR) $(DESTDIR)$(ZSH_COMPLETION_DIR)
	install -m 644 completion/promptdeck.bash $(DESTDIR)$(BASH_COMPLETION_DIR)/promptdeck
	install -m 644 completion/_promptdeck $(DESTDIR)$(ZSH_COMPLETION_DIR)/_promptdeck

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/promptdeck $(DESTDIR)$(PREFIX)/share/man/man1/promptdeck.1
	rm -f $(DESTDIR)$(BASH_COMPLETION_DIR)/promptdeck $(DESTDIR)$(ZSH_COMPLETION_DIR)/_promptdeck
	rm -rf $(DESTDIR)$(PREFIX)/share/promptdeck

clean:
	rm -rf build build-san $(FUZZ_BUILD) promptdeck
