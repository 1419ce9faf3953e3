# leadkit: plain make.  CFLAGS, CPPFLAGS and LDFLAGS add to ours.
#   make                build the commands into bin/
#   make check          install what is missing, build, run the tests
#   make demo           install what is missing, build, import the samples
#                       (DEMO_DB=postgresql://host/db: on a server)
#   make demo-pg        the demo on a throwaway PostgreSQL server
#   make san            build with AddressSanitizer + UBSan into bin-san/
#   make install PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
VERSION  = 0.1.0
O       ?= bin

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
LEAD_CFLAGS   = -std=c11 -pthread -D_GNU_SOURCE -DLEAD_VERSION='"$(VERSION)"' -O2 -g $(WARN) \
		$(shell pkg-config --cflags sqlite3 libpq 2>/dev/null || echo -I/usr/include/postgresql) -Icommon
# libpq is not linked: drv-pg.c loads it when a server is first named.
LEAD_LDLIBS   = $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3) -lcsv -ltre -lm -pthread

CMDS    = lead-import lead-log lead-score lead-handoff lead-report
COMMON  = $(patsubst %.c,%.o,$(wildcard common/*.c))
OBJS    = $(patsubst common/%.o,$(O)/obj/%.o,$(COMMON))
PROGS   = $(addprefix $(O)/,$(CMDS)) $(O)/lktest
# lead-report's reports, a file each
REPORTS = $(patsubst cmd/report/%.c,$(O)/obj/report/%.o,$(wildcard cmd/report/*.c))
MAN1    = $(wildcard man/*.1)
MAN5    = $(wildcard man/*.5)
MAN7    = $(wildcard man/*.7)

all: $(PROGS)

$(O)/obj/%.o: common/%.c $(wildcard common/*.h)
	@mkdir -p $(O)/obj
	$(CC) $(LEAD_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(O)/lead-%: cmd/lead-%.c $(OBJS) $(wildcard common/*.h)
	$(CC) $(LEAD_CFLAGS) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(OBJS) $(LDFLAGS) $(LEAD_LDLIBS)

$(O)/obj/report/%.o: cmd/report/%.c cmd/report/report.h $(wildcard common/*.h)
	@mkdir -p $(O)/obj/report
	$(CC) $(LEAD_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(O)/lead-report: cmd/lead-report.c $(REPORTS) $(OBJS) $(wildcard common/*.h)
	$(CC) $(LEAD_CFLAGS) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(REPORTS) $(OBJS) $(LDFLAGS) $(LEAD_LDLIBS)

$(O)/lktest: tests/helpers/lktest.c $(OBJS) $(wildcard common/*.h)
	$(CC) $(LEAD_CFLAGS) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(OBJS) $(LDFLAGS) $(LEAD_LDLIBS) -lpq

san:
	$(MAKE) O=bin-san CC=clang \
	    CFLAGS="$(CFLAGS) -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    LDFLAGS="$(LDFLAGS) -fsanitize=address,undefined"

deps:
	@sh scripts/install-deps

test: all
	@LEAD_BIN=$(CURDIR)/$(O) sh scripts/test

check: deps
	@$(MAKE) --no-print-directory all
	@LEAD_BIN=$(CURDIR)/$(O) sh scripts/test

demo: deps
	@$(MAKE) --no-print-directory all
	@$(if $(DEMO_DB),DEMO_DB='$(DEMO_DB)') sh scripts/demo

# The demo on a throwaway PostgreSQL server (scripts/pg-server), stopped
# and removed afterwards.
demo-pg: deps
	@$(MAKE) --no-print-directory all
	@d=$$(mktemp -d /tmp/leadkit-demo-pg.XXXXXX) && \
	url=$$(sh scripts/pg-server start $$d) && \
	{ DEMO_DB=$$url DEMO_THROWAWAY=1 sh scripts/demo; rc=$$?; \
	  sh scripts/pg-server stop $$d; exit $$rc; }

bench: all
	@bash scripts/bench

crashtest: all
	@bash scripts/crashtest

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	for c in $(CMDS); do install -m 755 $(O)/$$c $(DESTDIR)$(BINDIR)/$$c; done
	for m in $(MAN1) $(MAN5) $(MAN7); do \
	    s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done

uninstall:
	for c in $(CMDS); do rm -f $(DESTDIR)$(BINDIR)/$$c; done
	cd $(DESTDIR)$(MANDIR) && rm -f $(addprefix man1/,$(notdir $(MAN1))) \
	    $(addprefix man5/,$(notdir $(MAN5))) $(addprefix man7/,$(notdir $(MAN7)))

clean:
	rm -rf bin bin-san

.PHONY: all san deps test check demo demo-pg bench crashtest install uninstall clean
