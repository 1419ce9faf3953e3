#!/usr/bin/env bats
# A signal that ends a command leaves no file of personal data behind
# under a temporary name, and a file size limit is an error with exit 3,
# like a full disk, not a core dump.

load helpers/common

# slow_list N: N records, every other one rejected (no '@').
slow_list() {
	awk -v n="$1" 'BEGIN { print "email,first_name"; for (i = 0; i < n; i++) printf "%s%d%sx.example,Name%d\n", "p", i, i % 2 ? "@" : "-", i }'
}

# term_after FILE SIG CMD...: run CMD in the background, send SIG once FILE
# exists (the command is under way), and wait for it; its status in $st.
term_after() {
	local f=$1 sig=$2
	shift 2
	"$@" > /dev/null 2>&1 &
	pid=$!
	for _ in $(seq 1 400); do
		[ -e "$f" ] && break
		sleep 0.01
	done
	kill -s "$sig" "$pid" 2> /dev/null || true
	st=0
	wait "$pid" || st=$?
}

@test "SIGTERM during an import with --reject leaves no temporary reject file" {
	slow_list 400000 > big.csv
	term_after bad.csv.tmp TERM lead-import --no-progress --reject bad.csv big.csv
	[ "$st" = 143 ]
	[ -z "$(ls -A | grep '\.tmp$')" ]
	[ ! -e bad.csv ]
}

@test "SIGHUP does the same" {
	slow_list 400000 > big.csv
	term_after bad.csv.tmp HUP lead-import --no-progress --reject bad.csv big.csv
	[ "$st" = 129 ]
	[ -z "$(ls -A | grep '\.tmp$')" ]
}

@test "an import stopped by SIGTERM changes nothing in the database" {
	lead-import -q "$FIX/bom-crlf.csv"
	slow_list 400000 > big.csv
	term_after bad.csv.tmp TERM lead-import --no-progress --reject bad.csv big.csv
	[ "$(sql "select count(*) from lead")" = 3 ]
	is_pg || [ "$(sql "pragma integrity_check")" = ok ]
}

@test "a file size limit is exit 3 with a message, not a core dump, and changes nothing" {
	sqlite_only "the size of the database file"
	lead-import -q "$FIX/bom-crlf.csv"
	slow_list 20000 > many.csv
	limit=$(( $(stat -c %s leads.db) / 512 + 20 ))
	run bash -c "ulimit -f $limit; lead-import many.csv"
	assert_failure 3
	assert_output --partial "could not write"
	[ "$(sql "select count(*) from lead")" = 3 ]
}
