# lib.sh: drive the real billtop console in a real terminal (tmux) and read
# the screen as a user would. Sourced by the tests/tui/*.sh scripts (bash).
#
#   tui_init NAME            counters, a temp dir ($TUI_TMP), a private tmux
#                            server (its own socket, no user config), cleanup
#                            of every session and the temp dir at exit
#   tui_demo_db PATH         build a demo database (BILLTOP_NOW unset)
#   tui_start S COLS ROWS [VAR=VALUE...] [-- BILLTOP-ARGS...]
#                            run $BILLTOP in session S (unique per run), size
#                            COLS x ROWS, env given (LANG, TERM, NO_COLOR...)
#   tui_keys S KEY...        tmux key names: Enter Escape Left NPage C-u q ...
#   tui_type S TEXT          literal text
#   tui_wait S TEXT [SECS]   poll the screen every 50 ms until TEXT shows
#                            (default 5 s); 0 when seen, 1 on timeout
#   tui_wait_gone S TEXT [SECS]
#   tui_screen S             the screen as plain text; tui_screen_e S keeps
#                            the attributes (colour) as escape sequences
#   tui_resize S COLS ROWS
#   ok / fail / expect_eq / expect_contains / expect_screen: count checks
#   tui_report NAME          print "NAME: N passed, N failed"; exit status
#
# Never sleeps a fixed long time: every wait polls the screen. Sessions are
# named "$TUI_ID-S" so parallel runs do not collide.
BILLTOP=${BILLTOP:-./billtop}
TUI_PASS=0
TUI_FAIL=0
TUI_ID="bt$$"
TUI_SOCK="billtop-tui-$$"
TUI_TMP=""

tmx() { tmux -L "$TUI_SOCK" -f /dev/null "$@"; }

tui_cleanup() {
	tmx kill-server >/dev/null 2>&1
	[ -n "$TUI_TMP" ] && rm -rf "$TUI_TMP"
}

tui_init() {
	command -v tmux >/dev/null || { echo "$1: tmux is not installed" >&2; exit 2; }
	case "$BILLTOP" in /*) ;; *) BILLTOP="$(cd "$(dirname "$BILLTOP")" && pwd)/$(basename "$BILLTOP")" ;; esac
	[ -x "$BILLTOP" ] || { echo "$1: no billtop binary at $BILLTOP (run make)" >&2; exit 2; }
	TUI_TMP=$(mktemp -d "${TMPDIR:-/tmp}/billtop-$1.XXXXXX")
	trap tui_cleanup EXIT
	trap 'exit 130' INT TERM
	unset BILLTOP_NOW BILLTOP_DB
	# an idle session keeps the private server up between tests: a server
	# whose last session ends exits, racing the next new-session
	tmx new-session -d -s "$TUI_ID-anchor" "sleep 86400"
}

tui_demo_db() {
	env -u BILLTOP_NOW "$BILLTOP" --db "$1" demo --quiet >/dev/null
}

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# tui_start S COLS ROWS [VAR=VALUE...] [-- ARGS...]
tui_start() {
	local s="$TUI_ID-$1" cols=$2 rows=$3 envs=() args=() cmd q
	shift 3
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
	[ "${1:-}" = "--" ] && shift
	args=("$@")
	printf -v q '%q ' "${envs[@]}"
	cmd="env -u NO_COLOR -u BILLTOP_NOW -u BILLTOP_DB -u LC_ALL -u LC_CTYPE $q"
	printf -v q '%q ' "$BILLTOP" "${args[@]}"
	cmd="$cmd$q"
	# keep the pane after billtop ends, so a crash or an error stays readable
	tmx new-session -d -s "$s" -x "$cols" -y "$rows" -c "$TUI_TMP" \
		"$cmd; echo \"[billtop exited \$?]\"; sleep 60"
}

tui_stop() { tmx kill-session -t "$TUI_ID-$1" >/dev/null 2>&1; }
tui_keys() { local s="$TUI_ID-$1"; shift; tmx send-keys -t "$s" "$@"; }
tui_type() { tmx send-keys -t "$TUI_ID-$1" -l "$2"; }
tui_screen() { tmx capture-pane -p -t "$TUI_ID-$1"; }
tui_screen_e() { tmx capture-pane -p -e -t "$TUI_ID-$1"; }
tui_resize() { tmx resize-window -t "$TUI_ID-$1" -x "$2" -y "$3"; }

# tui_wait S TEXT [SECS]: once TEXT shows, also wait (at most 2 s) until
# two captures 50 ms apart agree. A redraw reaches tmux in several writes
# (a 132x43 colour screen is more than one stdio buffer), and a screen may
# draw its title before its query returns: under ASan on a loaded CI
# machine a check read "destinations  3d" with no table under it yet.
tui_wait() {
	local end=$(( $(now_ms) + ${3:-5} * 1000 )) scr prev settle
	while :; do
		scr=$(tui_screen "$1")
		case "$scr" in *"$2"*) break ;; esac
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.05
	done
	settle=$(( $(now_ms) + 2000 ))
	while [ "$(now_ms)" -lt "$settle" ]; do
		prev=$scr
		sleep 0.05
		scr=$(tui_screen "$1")
		[ "$scr" = "$prev" ] && break
	done
	return 0
}

tui_wait_gone() {
	local end=$(( $(now_ms) + ${3:-5} * 1000 ))
	while :; do
		case "$(tui_screen "$1")" in *"$2"*) ;; *) return 0 ;; esac
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.05
	done
}

# ---- checks -------------------------------------------------------------

ok() { TUI_PASS=$((TUI_PASS + 1)); }
fail() { TUI_FAIL=$((TUI_FAIL + 1)); printf 'FAIL: %s\n' "$*" >&2; }

expect_eq() {   # expect_eq NAME ACTUAL EXPECTED
	if [ "$2" = "$3" ]; then ok; else
		fail "$1"; printf '  got:      %s\n  expected: %s\n' "$2" "$3" >&2; fi
}

expect_contains() {   # expect_contains NAME HAYSTACK NEEDLE
	case "$2" in *"$3"*) ok ;; *) fail "$1"; printf '  lacks: %s\n' "$3" >&2 ;; esac
}

# expect_screen NAME S TEXT [SECS]: wait for TEXT; on failure show the screen
expect_screen() {
	if tui_wait "$2" "$3" "${4:-5}"; then ok; else
		fail "$1 (waited for \"$3\")"
		tui_screen "$2" | sed 's/^/  | /' >&2
	fi
}

# tui_clean NAME S: no raw escape sequences, no control characters and no
# error words on the screen (what a terminal shows when the wrong codes
# are sent for its TERM).
tui_clean() {
	local scr bad
	scr=$(tui_screen "$2")
	bad=$(printf '%s\n' "$scr" | LC_ALL=C grep -naE $'\x1b|\\^\\[|\\[[0-9;]*m|\\[\\?[0-9;]*[hlr]|\\(B|\\[[0-9]+;[0-9]+[Hf]|[\x01-\x08\x0e-\x1f\x7f]' | head -3)
	if [ -n "$bad" ]; then fail "$1: escape garbage on screen"; printf '  %s\n' "$bad" >&2; else ok; fi
	bad=$(printf '%s\n' "$scr" | grep -niE 'billtop exited|error|not on this screen|no such|failed' | head -3)
	if [ -n "$bad" ]; then fail "$1: error shown"; printf '  %s\n' "$bad" >&2; else ok; fi
}

# tui_ascii_only NAME S: every character on screen is ASCII
tui_ascii_only() {
	local bad
	bad=$(tui_screen "$2" | LC_ALL=C grep -naP '[^\x00-\x7f]' | head -2)
	if [ -n "$bad" ]; then fail "$1: non-ASCII on an ASCII screen"; printf '  %s\n' "$bad" >&2; else ok; fi
}

# tui_colours S: 1 when the screen carries colour (SGR 30-37/40-47/38;5/48;5)
tui_colours() {
	tui_screen_e "$1" | LC_ALL=C grep -qE $'\x1b\\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)(;[0-9;]*)?m' && echo 1 || echo 0
}

tui_report() {
	echo "$1: $TUI_PASS passed, $TUI_FAIL failed"
	[ "$TUI_FAIL" -eq 0 ]
}
