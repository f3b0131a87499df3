#!/bin/sh
# console.sh DB: console latency on a big database (issue 3's targets).
# DB is a SQLite file or a PostgreSQL store (a libpq URI or "key=value ..."
# conninfo, spaces allowed, no single quote: tests/bench/pg_10m.sh passes
# one); the console runs with the caller's environment (BILLTOP_NOW too).
# Runs the real binary in tmux at 80x24 with $BILLTOP_LATENCY_LOG, which
# makes the console log its start-up time (process start of tui_run to the
# first screen) and, for every key, the time from reading the key to the
# screen being updated. Sends a user's path through the screens, including
# the CDR list paged to its end and back, the dashboard's graph windows
# (12 hours by 10 minutes is read from the call records) and measures, the
# messages, CNAM lookups, ledger and audit lists, and prints:
#   CONSOLE startup_ms N / key_median_ms N / key_max_ms N / cdr_page_max_ms N
set -u
DB=$1
B=${BILLTOP:?}
case $DB in *\'*) echo "console.sh: a DB with a single quote cannot be passed to tmux" >&2; exit 2;; esac
LOG=$(mktemp "${TMPDIR:-/tmp}/billtop-lat.XXXXXX")
SOCK=billtop-bench-$$
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -f "$LOG"' EXIT
lines() { wc -l <"$LOG"; }
# key K: send one key and wait (up to 5 s) for the console to log its redraw
key() {
	n=$(lines)
	tmux -L "$SOCK" send-keys -t c "$1"
	i=0
	while [ "$(lines)" -le "$n" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
}
# COLS and ROWS (default 80x24): 132x43 draws three graphs side by side
tmux -L "$SOCK" -f /dev/null new-session -d -s c -x "${COLS:-80}" -y "${ROWS:-24}" \
	"BILLTOP_LATENCY_LOG=$LOG LANG=C.UTF-8 ${BILLTOP_NOW:+BILLTOP_NOW=$BILLTOP_NOW} $B --db '$DB'; sleep 1"
i=0
while [ ! -s "$LOG" ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done
key Enter                     # dashboard of the first account
key l; key l; key l; key l    # graph windows: 12h by 10 min, 3d, 7d, 30d
key o; key o; key h; key h    # measures, back to shorter windows
key c                         # CDR list (newest first)
for _ in 1 2 3 4 5 6 7 8 9 10; do key NPage; done
key G                         # the oldest call (end of the list)
for _ in 1 2 3 4 5 6 7 8 9 10; do key PPage; done
key g
for _ in 1 2 3 4 5; do key Down; done
key q
key s; key h; key h; key l; key q    # statement, previous months
key u; key l; key l; key q           # usage windows
key b; key q; key m; key q; key N; key q
key r; key G; key q                  # rate deck to its end
key t; key G; key q                  # messages to the oldest
key C; key G; key q                  # CNAM lookups to the oldest
key L; key q; key W; key q           # ledger, audit
key q
tmux -L "$SOCK" send-keys -t c Q
awk '
	$1 == "startup" { s = $2 }
	$1 == "key" { k[++n] = $3; if ($3 > mx) mx = $3; if ($2 == 338 || $2 == 339 || $2 == 71) if ($3 > pg) pg = $3 }
	END {
		# median of the key times
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (k[j] < k[i]) { t = k[i]; k[i] = k[j]; k[j] = t }
		med = n ? (n % 2 ? k[(n + 1) / 2] : (k[n / 2] + k[n / 2 + 1]) / 2) : -1
		printf "CONSOLE startup_ms %d\nCONSOLE keys %d\nCONSOLE key_median_ms %s\nCONSOLE key_max_ms %d\nCONSOLE cdr_page_max_ms %d\n", s, n, med, mx, pg
	}' "$LOG"
# the slowest keys, for whoever has to make them faster
sort -k3 -n -r "$LOG" | awk '$1 == "key" { printf "slowest: key code %d took %d ms\n", $2, $3 }' | head -n 3
