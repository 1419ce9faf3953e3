#!/usr/bin/env bats
# lead-score: the rule language (lead-rules.5), its checks and its bounds.

load helpers/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db LEAD_NOW=2026-11-22T09:30:00Z
	lead-import -q "$FIX/score-leads.csv"
	lead-log -q "$FIX/score-events.csv"
}

# score EMAIL: the stored score of a lead.
score() {
	sql "select score from lead where email = '$1'"
}

# one RULES...: score with a rule file of these lines, quietly.
one() {
	printf '%s\n' "$@" > r.txt
	lead-score -q -r r.txt > /dev/null
}

@test "a valid rule file is stored as version 1 and every lead is scored" {
	run lead-score -r "$FIX/score-rules.txt"
	assert_success
	assert_output --partial "rules: version 1 stored"
	[ "$(sql "select count(*) from rule_set")" = 1 ]
	[ "$(sql "select count(*) from lead where score is not null")" = 5 ]
}

@test "every error in a rule file is reported as file:line:col and nothing changes" {
	printf 'fit +20 titel ~ "vp"\nbehavior +5 webinar_attended half-life soon\ngrade A fit >= 40\n' > bad.txt
	run lead-score -r bad.txt
	assert_failure 2
	assert_output --partial "bad.txt:1:9: unknown field 'titel' (did you mean 'title'?)"
	assert_output --partial "bad.txt:2:40: soon: expected a duration"
	assert_output --partial "invalid rules; nothing changed"
	[ "$(sql "select count(*) from rule_set")" = 0 ]
	[ "$(sql "select count(*) from score_run")" = 0 ]
}

@test "an empty rule file is refused" {
	: > empty.txt
	run lead-score -r empty.txt
	assert_failure 2
	assert_output --partial "no rules"
}

@test "a rule file of comments and grades only is refused: it scores nothing" {
	printf '# nothing yet\n\ngrade A fit >= 10\n' > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "r.txt: no rules"
}

@test "a binary rule file is refused" {
	printf 'fit +5 \000\001\002' > bin.txt
	run lead-score -r bin.txt
	assert_failure 2
	assert_output --partial "bin.txt: not a text file"
}

@test "a Latin-1 rule file is refused with the line to fix" {
	printf 'fit +5 title = "Gesch\344ftsf\374hrer"\n' > latin1.txt
	run lead-score -r latin1.txt
	assert_failure 2
	assert_output --partial "latin1.txt:1:1: not UTF-8 text"
}

@test "a rule file over 1 MiB is refused" {
	head -c 1100000 /dev/zero | tr '\0' '#' > huge.txt
	run lead-score -r huge.txt
	assert_failure 2
	assert_output --partial "larger than 1 MiB"
}

@test "a rule file with a BOM and CRLF line endings reads" {
	printf '\357\273\277fit +20 title matches "vp"\r\nfit +1 country = Canada\r\n' > crlf.txt
	run lead-score -q -r crlf.txt
	assert_success
	[ "$(score ann@acme.com)" = 20.0 ]
	[ "$(score dan@mid.io)" = 1.0 ]
}

@test "deeply nested parentheses are refused, not recursed into" {
	{ printf 'fit +1 '; for i in $(seq 200); do printf '('; done; printf 'title present'; for i in $(seq 200); do printf ')'; done; echo; } > deep.txt
	run lead-score -r deep.txt
	assert_failure 2
	assert_output --partial "nested too deeply (more than 32 levels)"
}

@test "a condition of thousands of terms is refused" {
	{ printf 'fit +1 title present'; for i in $(seq 3000); do printf ' or title = x%d' "$i"; done; echo; } > long.txt
	run lead-score -r long.txt
	assert_failure 2
	assert_output --partial "condition too long"
}

@test "more than 1000 rules are refused" {
	for i in $(seq 1001); do echo "fit +1 title = t$i"; done > many.txt
	run lead-score -r many.txt
	assert_failure 2
	assert_output --partial "many.txt:1001:1: more than 1000 rules"
}

@test "an unknown activity kind is refused with a suggestion" {
	echo "behavior +25 webinar_attendd" > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "r.txt:1:14: unknown activity kind 'webinar_attendd' (did you mean 'webinar_attended'?)"
}

@test "a new kind can be declared before any activity has it" {
	printf 'kind trade_show_visit\nbehavior +30 trade_show_visit\n' > r.txt
	run lead-score -q -r r.txt
	assert_success
}

@test "a kind the database has is accepted without a declaration" {
	printf 'email,ts,kind\nann@acme.com,2026-11-22T09:30:00Z,demo_request\n' | lead-log -q
	run lead-score -q -r <(echo "behavior +30 demo_request")
	assert_success
	[ "$(score ann@acme.com)" = 30.0 ]
}

@test "an imported attribute is usable by its name" {
	one "fit +5 seats >= 10"
	[ "$(score ann@acme.com)" = 5.0 ]
	[ "$(score cat@big.co)" = 0.0 ]
}

@test "an attribute no lead has yet needs attr.NAME" {
	echo "fit +5 budget >= 1000" > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "unknown field 'budget'"
	assert_output --partial "write attr.budget"
	run lead-score -q -r <(echo "fit +5 attr.budget >= 1000")
	assert_success
}

@test "an invalid regular expression is reported" {
	echo 'fit +5 title matches "(vp"' > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "r.txt:1:22: invalid regular expression '(vp'"
}

@test "back-references and huge repetitions in a regular expression are refused" {
	echo 'fit +5 title ~ "(a)\1"' > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "back-references"
	echo 'fit +5 title ~ "((a{100}){100}){100}"' > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "expand it past 10000 states"
	echo 'fit +5 title ~ "vp+++++++++++++++++++++++++++++++"' > r.txt
	run lead-score -r r.txt
	assert_failure 2
}

@test "an unmatched closing parenthesis in a regular expression is refused at once" {
	# TRE loops, taking gigabytes, on an escaped backslash then an
	# unmatched ')' (found by scripts/fuzz/fuzz-where).
	echo 'fit +5 title ~ "vp\\\\)"' > r.txt
	run timeout 20 lead-score -r r.txt
	assert_failure 2
	assert_output --partial "an unmatched ')'"
	run timeout 20 lead-report leads --where 'title matches "a\\\\).s"'
	assert_failure 2
	assert_output --partial "an unmatched ')'"
	echo 'fit +5 title ~ "vp\\)"' > r.txt
	run timeout 20 lead-score --check -r r.txt
	assert_success
}

@test "a pathological regular expression on a long value runs in bounded time" {
	title=$(head -c 20000 /dev/zero | tr '\0' a)
	printf 'email,title\nlong@acme.com,%s!\n' "$title" > long.csv
	lead-import -q long.csv
	echo 'fit +5 title ~ "^(a+)+$"' > r.txt
	run timeout 60 lead-score -q -r r.txt
	assert_success
	[ "$(score long@acme.com)" = 0.0 ]
}

@test "grades must go from the highest band down" {
	printf 'fit +5 title present\ngrade B fit >= 10\ngrade A fit >= 40\n' > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "r.txt:3:1: grade A can never apply"
}

@test "an mql line naming an undefined grade is refused" {
	printf 'fit +5 title present\ngrade A fit >= 40\nmql score >= 60 and grade in (A, X)\n' > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "r.txt:3:34: no grade 'X'"
}

@test "a fit rule cannot read the score it makes" {
	echo "fit +5 score >= 10" > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "a fit rule cannot read the score"
}

@test "points need a sign and at most two decimals" {
	echo "fit 20 title present" > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "r.txt:1:5: 20: expected points with a sign"
	echo "fit +2.555 title present" > r.txt
	run lead-score -r r.txt
	assert_failure 2
}

@test "a modifier given twice is refused" {
	echo "behavior +1 page_visit cap 5 cap 10" > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "'cap' given twice"
}

@test "an unknown statement gets a suggestion" {
	echo "behaviuor +1 page_visit" > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "unknown statement 'behaviuor' (did you mean 'behavior'?)"
}

@test "the British spelling behaviour is accepted" {
	run lead-score -q -r <(echo "behaviour +10 download")
	assert_success
	[ "$(score dan@mid.io)" = 10.0 ]
}

@test "--check validates a rule file and stores nothing" {
	run lead-score --check -r "$FIX/score-rules.txt"
	assert_success
	assert_output --partial "9 rules, 4 grades, 1 mql lines: valid"
	[ "$(sql "select count(*) from rule_set")" = 0 ]
	[ "$(sql "select count(*) from lead where score is not null")" = 0 ]
}

@test "in-lists and equality ignore case, and quoted values keep their spaces" {
	one 'fit +5 country in ("united states", CANADA)'
	[ "$(score ann@acme.com)" = 5.0 ]
	[ "$(score dan@mid.io)" = 5.0 ]
	[ "$(score cat@big.co)" = 0.0 ]
}

@test "numbers in field values are read as exports write them" {
	one "fit +1 company_size >= 200" "fit +2 company_size > 999"
	[ "$(score ann@acme.com)" = 1.0 ]	# 500
	[ "$(score cat@big.co)" = 3.0 ]		# 1,000+
	[ "$(score dan@mid.io)" = 1.0 ]		# 200-499
	[ "$(score eve@small.biz)" = 0.0 ]	# 11-50
}

@test "a missing value fails every test but != and missing" {
	one "fit +1 country = France" "fit +2 country != France" "fit +4 country missing" "fit +8 country contains a"
	[ "$(score bob@gmail.com)" = 9.0 ]	# France
	[ "$(score eve@small.biz)" = 6.0 ]	# no country
}

@test "and, or, not and parentheses combine tests" {
	one 'fit +10 (title contains vp or title contains head) and not country = Germany'
	[ "$(score ann@acme.com)" = 10.0 ]
	[ "$(score cat@big.co)" = 0.0 ]
}

@test "freemail and email_domain read the address" {
	one "fit -20 freemail" "fit +3 email_domain = acme.com"
	[ "$(score bob@gmail.com)" = -20.0 ]
	[ "$(score ann@acme.com)" = 3.0 ]
}

@test "a where clause reads the touch's fields" {
	one "behavior +15 page_visit where content contains pricing"
	[ "$(score ann@acme.com)" = 15.0 ]
	[ "$(score cat@big.co)" = 0.0 ]
}

@test "a where clause naming a lead field is refused" {
	echo "behavior +15 page_visit where title contains vp" > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "unknown activity field 'title'"
}

@test "hostile bytes in a rule file are reported, not echoed raw" {
	printf 'fit +5 title = "x\033[31m"\nfit +1 \033[2J\n' > r.txt
	run lead-score -r r.txt
	assert_failure 2
	assert_output --partial "r.txt:2:8: control character 0x1b"
	refute_output --partial $'\033'
}

@test "a where clause compares a touch's amount as a number" {
	lead-log -q ann@acme.com quote --amount 5000 --note "three year licence"
	lead-log -q dan@mid.io quote --amount 50 --note "one seat, monthly"
	run lead-score -q -r <(echo "behavior +30 quote where amount >= 1000")
	assert_success
	[ "$(score ann@acme.com)" = 30.0 ]
	[ "$(score dan@mid.io)" = 0.0 ]
}

@test "a # outside quotes starts a comment, even inside a word" {
	printf 'email,title\nc@dev.io,C# developer\n' > c.csv
	lead-import -q c.csv
	one 'fit +5 title contains "C#"' 'fit +1 title contains C# a comment'
	[ "$(score c@dev.io)" = 6.0 ]
	[ "$(score ann@acme.com)" = 0.0 ]
}

@test "decimal values compare as numbers every time" {
	printf 'email,revenue\nr@acme.com,$1.5M\n' > r.csv
	lead-import -q r.csv
	one "fit +1 revenue >= 1500000" "fit +2 revenue >= 1500000" "fit +4 revenue < 1600000"
	[ "$(score r@acme.com)" = 7.0 ]
}

@test "German thousands and decimal commas read as numbers" {
	printf 'email;company_size;rating\nd@firma.de;1.000-4.999;2,5\n' > de.csv
	lead-import -q de.csv
	one "fit +1 company_size >= 1000" "fit +2 rating > 2" "fit +4 rating < 3"
	[ "$(score d@firma.de)" = 7.0 ]
}
