# Makefile: builds libpromptdeck.a (api/) and ./promptdeck (tui/), installs deps, runs tests, installs.
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
API_PKGS = libcurl jansson libcmark
TUI_PKGS = ncursesw
API_CFLAGS = $(shell pkg-config --cflags $(API_PKGS) 2>/dev/null)
TUI_CFLAGS = $(shell pkg-config --cflags $(TUI_PKGS) 2>/dev/null)
# libcurl is not linked: api/curl_lazy.c opens it on first use (start-up cost; see there).
LIBS       = $(shell pkg-config --libs $(TUI_PKGS) jansson libcmark 2>/dev/null) -lm
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Iapi -Itui $(API_CFLAGS) $(TUI_CFLAGS) $(CFLAGS)

API_SRC  = $(sort $(wildcard api/*.c))
TUI_SRC  = $(sort $(filter-out tui/main.c,$(wildcard tui/*.c)))
TEST_SRC = $(sort $(wildcard tests/unit/test_*.c))
API_OBJ  = $(API_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  = $(TUI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HDRS     = $(wildcard api/*.h tui/*.h tests/unit/*.h)

.PHONY: all deps run test check fuzz bench install uninstall clean
all: $(BUILD)/promptdeck promptdeck

promptdeck: $(BUILD)/promptdeck
	@if [ "$(BUILD)" = build ]; then cp $< $@; fi

$(BUILD)/libpromptdeck.a: $(API_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/libpdtui.a: $(TUI_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/promptdeck: $(BUILD)/tui/main.o $(BUILD)/libpdtui.a $(BUILD)/libpromptdeck.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libpdtui.a $(BUILD)/libpromptdeck.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(BUILD)/libpdtui.a $(BUILD)/libpromptdeck.a $(LIBS)

# Installs whatever Debian packages are missing (apt, with sudo when not root).
deps:
	@sh scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	./promptdeck

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(TEST_BIN)
	@sh tests/run.sh $(BUILD)

# The tests again under AddressSanitizer + UndefinedBehaviorSanitizer, then a short fuzz run.
SAN = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
check: deps
	@$(MAKE) --no-print-directory BUILD=build-san CFLAGS="$(SAN)" LDFLAGS="$(SAN)" build-san/promptdeck
	@$(MAKE) --no-print-directory BUILD=build-san CFLAGS="$(SAN)" LDFLAGS="$(SAN)" $(TEST_SRC:tests/unit/%.c=build-san/tests/%)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/run.sh build-san
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$${FUZZ_SECONDS:-20}

# libFuzzer targets (clang); FUZZ_SECONDS > 0 also runs each for that long.
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 0
fuzz: deps
	@sh tests/fuzz/build.sh "$(FUZZ_SRC)" $(FUZZ_SECONDS)

bench: deps
	@$(MAKE) --no-print-directory all
	@sh tests/bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/promptdeck/themes $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/promptdeck $(DESTDIR)$(PREFIX)/bin/promptdeck
	install -m 644 themes/*.theme $(DESTDIR)$(PREFIX)/share/promptdeck/themes/
	install -m 644 man/promptdeck.1 $(DESTDIR)$(PREFIX)/share/man/man1/promptdeck.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/promptdeck $(DESTDIR)$(PREFIX)/share/man/man1/promptdeck.1
	rm -rf $(DESTDIR)$(PREFIX)/share/promptdeck

clean:
	rm -rf build build-san build-fuzz promptdeck
