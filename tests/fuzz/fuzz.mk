# tests/fuzz/fuzz.mk: fuzz targets (issue 5), included by the top Makefile
# after its CORE_SRC/DATA_SRC/WARN/LIBS.
#
# Each tests/fuzz/fuzz_T.c is linked two ways:
#  - build-fuzz/fuzz_T: clang -fsanitize=fuzzer,address,undefined over core/
#    and data/ compiled the same way (build-fuzz/, never the normal build);
#  - $(B)/fuzz/replay_T: the normal $(CC)/$(CFLAGS) (so ASan+UBSan in
#    `make asan`) with replay.c's main, which runs files through the target.
# make fuzz          every target FUZZ_TIME s (default 300), corpus kept in
#                    build-fuzz/corpus/T, findings in build-fuzz/artifacts/T
# make fuzz-short    the same for FUZZ_TIME=20 (CI passes 15)
# make fuzz-cov      line coverage of the code under test by the corpora
# make fuzz-replay   (part of make check) replays tests/fuzz/regress/T (kept
#                    crashing inputs), tests/fuzz/seeds/T and the realdata
#                    seeds through replay_T: a few seconds.
FUZZ_TARGETS := csv import deck money tm dialplan
FUZZ_TIME    ?= 300
FUZZ_CC      ?= clang
FB           := build-fuzz
REALDATA     ?= $(or $(BILLTOP_REALDATA),tests/realdata)
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -g $(WARN) $(FUZZ_SAN) \
                -fsanitize=fuzzer-no-link

FUZZ_CORE_OBJ := $(CORE_SRC:%.c=$(FB)/%.o)
FUZZ_DATA_OBJ := $(DATA_SRC:%.c=$(FB)/%.o)
FUZZ_BINS     := $(FUZZ_TARGETS:%=$(FB)/fuzz_%)
FUZZ_REPLAY   := $(FUZZ_TARGETS:%=$(B)/fuzz/replay_%)

.PHONY: fuzz fuzz-short fuzz-build fuzz-seeds fuzz-replay fuzz-cov
.SECONDARY: $(FUZZ_TARGETS:%=$(FB)/tests/fuzz/fuzz_%.o) $(FUZZ_TARGETS:%=$(B)/tests/fuzz/fuzz_%.o) $(B)/tests/fuzz/replay.o

$(FB)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FB)/libcore.a: $(FUZZ_CORE_OBJ)
	ar rcs $@ $^

$(FB)/libdata.a: $(FUZZ_DATA_OBJ)
	ar rcs $@ $^

$(FB)/fuzz_%: $(FB)/tests/fuzz/fuzz_%.o $(FB)/libdata.a $(FB)/libcore.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS)

$(B)/fuzz/replay_%: $(B)/tests/fuzz/fuzz_%.o $(B)/tests/fuzz/replay.o $(B)/libdata.a $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz-seeds:
	@python3 tests/fuzz/seeds.py $(FB)/seeds $(REALDATA)

fuzz: fuzz-build fuzz-seeds
	sh tests/fuzz/run.sh $(FB) $(FUZZ_TIME) $(FUZZ_TARGETS)

# 20 s unless FUZZ_TIME is given on the command line
fuzz-short: fuzz-build fuzz-seeds
	sh tests/fuzz/run.sh $(FB) $(if $(filter command line,$(origin FUZZ_TIME)),$(FUZZ_TIME),20) $(FUZZ_TARGETS)

# line coverage of the code under test by each target's corpus (llvm-cov)
fuzz-cov: fuzz-seeds
	sh tests/fuzz/cov.sh $(FB) csv:data/csvin.c,data/cdrfmt.c,data/cdrfmt_switch.c,data/cdrfmt_headed.c \
		import:data/import.c,data/pipeline.c,data/store.c,data/rollup.c,data/walk.c deck:data/deck.c money:core/money.c tm:core/tm.c,data/tz.c,core/datefmt.c,core/dateguess.c dialplan:core/dialplan.c

fuzz-replay: $(FUZZ_REPLAY)
	@python3 tests/fuzz/seeds.py $(B)/fuzz-seeds $(REALDATA) >/dev/null
	@for t in $(FUZZ_TARGETS); do \
		dirs=; for d in tests/fuzz/regress/$$t tests/fuzz/seeds/$$t $(B)/fuzz-seeds/$$t; do \
			[ -d $$d ] && dirs="$$dirs $$d"; done; \
		$(B)/fuzz/replay_$$t $$dirs || exit 1; \
	done

-include $(FUZZ_CORE_OBJ:.o=.d) $(FUZZ_DATA_OBJ:.o=.d) $(FUZZ_TARGETS:%=$(FB)/tests/fuzz/fuzz_%.d)
-include $(FUZZ_TARGETS:%=$(B)/tests/fuzz/fuzz_%.d) $(B)/tests/fuzz/replay.d
