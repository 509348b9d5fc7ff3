# okaya-privacy: one non-recursive Makefile. `make V=1` shows full commands.
# Every library comes from pkg-config; sources are found by glob so a new
# file needs no edit here.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
ASAN_CC ?= gcc
VERSION := 0.1.0

PKGS_CORE    := libcurl json-c libconfig
PKGS_TUI     := ncursesw formw menuw panelw
PKGS_SANDBOX := libmicrohttpd json-c
PKGS_TEST    := check
ALL_PKGS     := $(sort $(PKGS_CORE) $(PKGS_TUI) $(PKGS_SANDBOX) $(PKGS_TEST))

# The Debian packages behind those pkg-config names, plus what the tests run.
DEB_PKGS := build-essential pkg-config libncurses-dev libcurl4-openssl-dev \
            libjson-c-dev libconfig-dev check libmicrohttpd-dev tmux curl \
            hyperfine python3 openssl time procps

ifeq ($(V),1)
Q :=
else
Q := @
endif

# On a fresh machine the libraries are missing: any build goal installs them
# first (scripts/install-deps.sh: as root, via sudo, or it prints the apt-get
# line and stops).
HAVE_PKGS := $(shell pkg-config --exists $(ALL_PKGS) 2>/dev/null && echo yes)
ifneq ($(HAVE_PKGS),yes)
ifeq ($(filter deps clean,$(MAKECMDGOALS)),)
$(info okaya-privacy: libraries missing, installing them first (make deps))
DEPS_STATUS := $(shell scripts/install-deps.sh $(DEB_PKGS) >&2; echo $$?)
ifneq ($(DEPS_STATUS),0)
$(error dependencies are missing; see the message above)
endif
HAVE_PKGS := $(shell pkg-config --exists $(ALL_PKGS) 2>/dev/null && echo yes)
endif
endif
ifeq ($(HAVE_PKGS),yes)
CFLAGS_CORE    := $(shell pkg-config --cflags $(PKGS_CORE))
LIBS_CORE      := $(shell pkg-config --libs $(PKGS_CORE))
CFLAGS_TUI     := $(shell pkg-config --cflags $(PKGS_TUI))
LIBS_TUI       := $(shell pkg-config --libs $(PKGS_TUI))
CFLAGS_SANDBOX := $(shell pkg-config --cflags $(PKGS_SANDBOX))
LIBS_SANDBOX   := $(shell pkg-config --libs $(PKGS_SANDBOX))
CFLAGS_TEST    := $(shell pkg-config --cflags $(PKGS_TEST))
LIBS_TEST      := $(shell pkg-config --libs $(PKGS_TEST))
endif

WARN     := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2
OPT      ?= -O2 -g
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DOKAYA_VERSION=\"$(VERSION)\" -Icore -MMD -MP
CFLAGS   += -std=c11 $(OPT) $(WARN)

CORE_SRC    := $(wildcard core/*.c)
APP_SRC     := $(wildcard tui/*.c) $(wildcard cli/*.c)
SANDBOX_SRC := $(wildcard sandbox/*.c)
TEST_SRC    := $(wildcard tests/check_*.c)
TEST_SH     := $(sort $(wildcard tests/test_*.sh))

CORE_OBJ    := $(CORE_SRC:%.c=$(BUILD)/%.o)
APP_OBJ     := $(APP_SRC:%.c=$(BUILD)/%.o)
SANDBOX_OBJ := $(SANDBOX_SRC:%.c=$(BUILD)/%.o)
TEST_BIN    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

CORE_LIB := $(BUILD)/libokaya-core.a
APP      := $(BUILD)/okaya-privacy
SANDBOX  := $(BUILD)/okaya-sandbox

.PHONY: all check check-unit check-e2e check-asan deps clean install \
        demo bench lint-core
.DEFAULT_GOAL := all

all: lint-core $(APP) $(SANDBOX)

# ---- dependencies --------------------------------------------------------
deps:
	@scripts/install-deps.sh $(DEB_PKGS)

# core/ is the library: it must never know about the screen.
lint-core:
	@if grep -nE '#\s*include\s*[<"](n?curses|form|menu|panel)' core/*.c core/*.h; then \
	  echo "core/ must not include curses headers" >&2; exit 1; fi

# ---- objects -------------------------------------------------------------
$(BUILD)/core/%.o: core/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_CORE) -c $< -o $@

$(BUILD)/tui/%.o $(BUILD)/cli/%.o: CFLAGS += $(CFLAGS_TUI) $(CFLAGS_CORE)
$(BUILD)/tui/%.o: tui/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Itui -c $< -o $@
$(BUILD)/cli/%.o: cli/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Itui -Icli -c $< -o $@

$(BUILD)/sandbox/%.o: sandbox/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_SANDBOX) -c $< -o $@

$(CORE_LIB): $(CORE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(APP): $(APP_OBJ) $(CORE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(APP_OBJ) $(CORE_LIB) $(LIBS_TUI) $(LIBS_CORE)

$(SANDBOX): $(SANDBOX_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(SANDBOX_OBJ) $(LIBS_SANDBOX)

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(CORE_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_CORE) $(CFLAGS_TEST) -Itests -o $@ $< $(CORE_LIB) $(LIBS_CORE) $(LIBS_TEST)

# ---- tests ---------------------------------------------------------------
# Check suites first, then the shell suites (sandbox, CLI, tmux end-to-end).
check: all $(TEST_BIN)
	@scripts/run-tests.sh $(BUILD) $(TEST_BIN) -- $(TEST_SH)

check-unit: all $(TEST_BIN)
	@scripts/run-tests.sh $(BUILD) $(TEST_BIN) --

# The same suites under ASan + UBSan in their own build tree, leaks included.
check-asan:
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) --no-print-directory BUILD=build-asan CC=$(ASAN_CC) \
	  OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" check

# ---- running -------------------------------------------------------------
demo: all
	@scripts/demo.sh $(BUILD)

bench: all
	@bench/run.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(APP) $(SANDBOX) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/okaya-privacy
	install -m 0644 config.example.cfg sandbox/fixtures/demo.json $(DESTDIR)$(PREFIX)/share/okaya-privacy/

clean:
	rm -rf build build-asan

-include $(CORE_OBJ:.o=.d) $(APP_OBJ:.o=.d) $(SANDBOX_OBJ:.o=.d) $(TEST_BIN:=.d)
