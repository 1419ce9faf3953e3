#!/usr/bin/env bats
# lead-report: every number of every report against a hand-built database
# (tests/fixtures/report.sql, which says what each row is for), then the
# output formats, the charts and the refusals.
#
# The expected values are worked out by hand from .report-spec.md and the
# rows of report.sql; the comment above each assertion gives the working.
# Lead numbers (1 ann ... 22 vic) are the ids of report.sql.  Now is
# 2026-11-22T09:30:00Z, a Sunday.  Percentages round to one decimal, days
# and hours to one, money and lift to two; medians and p90 are nearest-rank
# (the ceil(n/2)-th and ceil(0.9n)-th of the sorted samples).

load helpers/common
bats_require_minimum_version 1.5.0

# One database for the file, copied for every test.
setup_file() {
	export LEAD_NOW=2026-11-22T09:30:00Z
	local db=$BATS_FILE_TMPDIR/report.db
	printf 'email\nseed@example.com\n' | LEAD_DB=$db lead-import -q -
	sqlite3 -batch "$db" < "$FIX/report.sql"
}

# On a server (scripts/test --pg), the fixture is loaded into the test's
# schema as into the file, so that every hand-worked number is checked
# there too.  It names a rep since deleted (#9), which the server's
# foreign key refuses: it is loaded as sqlite3 loads it, without the
# keys' checks (session_replication_role; the test server's user may).
setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db LEAD_NOW=2026-11-22T09:30:00Z
	unset LEAD_WAIT COLUMNS
	if [ -n "${LEAD_TEST_PG:-}" ]; then
		pg_setup || return 1
		printf 'email\nseed@example.com\n' | lead-import -q - || return 1
		psql -X -q -v ON_ERROR_STOP=1 -f "$FIX/report.sql" \
		    "$LEAD_DB%20-csession_replication_role%3Dreplica" || return 1
	else
		cp "$BATS_FILE_TMPDIR/report.db" "$LEAD_DB"
	fi
}

# tsv: the lines on stdin with '|' for each tab.
tsv() {
	tr '|' '\t'
}

# row TEXT: one line, '|' for each tab.
row() {
	printf '%s\n' "$1" | tsv
}

# expect: the whole output is the lines on stdin ('|' for a tab).
expect() {
	assert_output "$(tsv)"
}

# expect_rows: the lines on stdin ('|' for a tab) are in the output, one
# after the other.
expect_rows() {
	local want
	want=$(tsv)
	if [[ $'\n'"$output"$'\n' != *$'\n'"$want"$'\n'* ]]; then
		printf 'these lines, together:\n%s\n\nnot in the output:\n%s\n' "$want" "$output" | fail
	fi
}

# refute_grep PATTERN FILE: no line of FILE holds PATTERN.
refute_grep() {
	if grep -q -e "$1" "$2"; then
		fail "$2 holds '$1'"
	fi
}

FUNNEL_HEAD='stage|leads|pct_of_cohort|pct_of_previous'

# ---------------------------------------------------------------- funnel

@test "funnel counts each stage every lead ever reached, with stage-to-stage conversion" {
	run lead-report funnel
	assert_success
	# Cohort: all 22 leads.  Reached (by history, current stage or a
	# from_stage): mql all but eve, fay, max, pam, ray = 17; sal 1 2 3 7
	# 11 15 20 21 = 8 (tom 21 by his from_stage sql alone); sql 1 2 3 11
	# 15 20 21 = 7 (ben 2 skipped it, reached opportunity); opportunity 1
	# 2 3 11 15 = 5; won 1 2 15 = 3; nurture 4 8 9 10 = 4; lost 3 21 = 2;
	# disqualified 6 12 = 2.  Of cohort: 17/22 = 77.3, 8/22 = 36.4, 7/22 =
	# 31.8, 5/22 = 22.7, 3/22 = 13.6, 4/22 = 18.2, 2/22 = 9.1.  Of the
	# previous: 8/17 = 47.1, 7/8 = 87.5, 5/7 = 71.4, 3/5 = 60.0.
	expect <<-EOF
	$FUNNEL_HEAD
	new|22|100.0|
	mql|17|77.3|77.3
	sal|8|36.4|47.1
	sql|7|31.8|87.5
	opportunity|5|22.7|71.4
	won|3|13.6|60.0
	nurture|4|18.2|
	lost|2|9.1|
	disqualified|2|9.1|
	EOF
}

@test "funnel --by source gives each first-touch source its nine stages" {
	run lead-report funnel --by source
	assert_success
	# content 7-12: mql all 6; sal 7 11; sql, opportunity 11; nurture 8 9
	# 10; disqualified 12.  2/6 = 33.3, 1/6 = 16.7, 1/2 = 50.0.
	# tradeshow 13-17 22: mql 14 15 17 22; sal .. won 15.  4/6 = 66.7,
	# 1/6 = 16.7, 1/4 = 25.0.
	# webinar 1-6 21: mql 1 2 3 4 21; sal, sql 1 2 3 21; opportunity 1 2
	# 3; won 1 2; nurture 4; lost 3 21; disqualified 6.  5/7 = 71.4, 4/7
	# = 57.1, 3/7 = 42.9, 2/7 = 28.6, 1/7 = 14.3; 4/5 = 80.0, 3/4 = 75.0,
	# 2/3 = 66.7.
	# website 18-20: mql 19 20; sal, sql 20.  2/3 = 66.7, 1/3 = 33.3;
	# won/opportunity = 0/0: empty.
	expect <<-EOF
	source|$FUNNEL_HEAD
	content|new|6|100.0|
	content|mql|6|100.0|100.0
	content|sal|2|33.3|33.3
	content|sql|1|16.7|50.0
	content|opportunity|1|16.7|100.0
	content|won|0|0.0|0.0
	content|nurture|3|50.0|
	content|lost|0|0.0|
	content|disqualified|1|16.7|
	tradeshow|new|6|100.0|
	tradeshow|mql|4|66.7|66.7
	tradeshow|sal|1|16.7|25.0
	tradeshow|sql|1|16.7|100.0
	tradeshow|opportunity|1|16.7|100.0
	tradeshow|won|1|16.7|100.0
	tradeshow|nurture|0|0.0|
	tradeshow|lost|0|0.0|
	tradeshow|disqualified|0|0.0|
	webinar|new|7|100.0|
	webinar|mql|5|71.4|71.4
	webinar|sal|4|57.1|80.0
	webinar|sql|4|57.1|100.0
	webinar|opportunity|3|42.9|75.0
	webinar|won|2|28.6|66.7
	webinar|nurture|1|14.3|
	webinar|lost|2|28.6|
	webinar|disqualified|1|14.3|
	website|new|3|100.0|
	website|mql|2|66.7|66.7
	website|sal|1|33.3|50.0
	website|sql|1|33.3|100.0
	website|opportunity|0|0.0|0.0
	website|won|0|0.0|
	website|nurture|0|0.0|
	website|lost|0|0.0|
	website|disqualified|0|0.0|
	EOF
}

@test "funnel --by campaign splits a source's campaigns and puts no campaign last" {
	run lead-report funnel --by campaign
	assert_success
	assert_line --index 0 "$(row "campaign|$FUNNEL_HEAD")"
	# Groups: Expo 2026, Partner Webinar, Pipeline Webinar, Whitepaper
	# Q3, then the website leads (no campaign): 5 x 9 rows.
	[ "${#lines[@]}" -eq 46 ]
	assert_line --index 1 "$(row 'Expo 2026|new|6|100.0|')"
	# Partner Webinar: tom 21 alone, reached mql, sal, sql (from_stage)
	# and lost.
	# Pipeline Webinar 1-6: mql 1 2 3 4 = 4/6 = 66.7; sal, sql,
	# opportunity 1 2 3 (3/6 = 50.0, 3/4 = 75.0); won 1 2 (33.3, 66.7);
	# nurture 4, lost 3, disqualified 6 (1/6 = 16.7).
	expect_rows <<-EOF
	Partner Webinar|new|1|100.0|
	Partner Webinar|mql|1|100.0|100.0
	Partner Webinar|sal|1|100.0|100.0
	Partner Webinar|sql|1|100.0|100.0
	Partner Webinar|opportunity|0|0.0|0.0
	Partner Webinar|won|0|0.0|
	Partner Webinar|nurture|0|0.0|
	Partner Webinar|lost|1|100.0|
	Partner Webinar|disqualified|0|0.0|
	Pipeline Webinar|new|6|100.0|
	Pipeline Webinar|mql|4|66.7|66.7
	Pipeline Webinar|sal|3|50.0|75.0
	Pipeline Webinar|sql|3|50.0|100.0
	Pipeline Webinar|opportunity|3|50.0|100.0
	Pipeline Webinar|won|2|33.3|66.7
	Pipeline Webinar|nurture|1|16.7|
	Pipeline Webinar|lost|1|16.7|
	Pipeline Webinar|disqualified|1|16.7|
	EOF
	# The website leads 18-20, without a campaign, are the last group.
	assert_line --index 37 "$(row '|new|3|100.0|')"
	assert_line --index 45 "$(row '|disqualified|0|0.0|')"
}

@test "funnel --by owner groups by the current owner's name, the unowned last" {
	run lead-report funnel --by owner
	assert_success
	# alice owns 1 3 11 14: mql all 4; sal, sql, opportunity 1 3 11 (3/4
	# = 75.0); won 1 (25.0, 1/3 = 33.3); lost 3.
	expect_rows <<-EOF
	alice|new|4|100.0|
	alice|mql|4|100.0|100.0
	alice|sal|3|75.0|75.0
	alice|sql|3|75.0|100.0
	alice|opportunity|3|75.0|100.0
	alice|won|1|25.0|33.3
	alice|nurture|0|0.0|
	alice|lost|1|25.0|
	alice|disqualified|0|0.0|
	EOF
	# dave (inactive) owns sue 19: mql only.
	assert_line "$(row 'dave|mql|1|100.0|100.0')"
	# Nobody owns 4 5 6 9 10 12 13 16 18 20 21 22 = 12: mql 4 9 10 12 20
	# 21 22 = 7/12 = 58.3; sal, sql 20 21 (16.7, 2/7 = 28.6); nurture 4 9
	# 10 = 25.0; lost 21 = 8.3; disqualified 6 12 = 16.7.  Last group:
	# alice, bob, carol, dave, none = 5 x 9 rows.
	[ "${#lines[@]}" -eq 46 ]
	expect_rows <<-EOF
	|new|12|100.0|
	|mql|7|58.3|58.3
	|sal|2|16.7|28.6
	|sql|2|16.7|100.0
	|opportunity|0|0.0|0.0
	|won|0|0.0|
	|nurture|3|25.0|
	|lost|1|8.3|
	|disqualified|2|16.7|
	EOF
	assert_line --index 37 "$(row '|new|12|100.0|')"
}

@test "funnel --by month groups the leads by the month they were created" {
	run lead-report funnel --by month
	assert_success
	# 2026-09: 1-6 18 21 = 8; 2026-10: 7-12 19 = 7; 2026-11: 13-17 20 22 = 7.
	[ "${#lines[@]}" -eq 28 ]
	assert_line --index 10 "$(row '2026-10|new|7|100.0|')"
	# 2026-09: mql 1 2 3 4 21 = 5/8 = 62.5; sal, sql 1 2 3 21 (50.0,
	# 4/5 = 80.0); opportunity 1 2 3 (37.5, 75.0); won 1 2 (25.0, 66.7);
	# nurture 4 (12.5); lost 3 21; disqualified 6.
	expect_rows <<-EOF
	2026-09|new|8|100.0|
	2026-09|mql|5|62.5|62.5
	2026-09|sal|4|50.0|80.0
	2026-09|sql|4|50.0|100.0
	2026-09|opportunity|3|37.5|75.0
	2026-09|won|2|25.0|66.7
	2026-09|nurture|1|12.5|
	2026-09|lost|2|25.0|
	2026-09|disqualified|1|12.5|
	EOF
	# 2026-11: mql 14 15 17 20 22 = 5/7 = 71.4; sal, sql 15 20 (28.6,
	# 2/5 = 40.0); opportunity, won 15 (14.3; 50.0, 100.0).
	expect_rows <<-EOF
	2026-11|new|7|100.0|
	2026-11|mql|5|71.4|71.4
	2026-11|sal|2|28.6|40.0
	2026-11|sql|2|28.6|100.0
	2026-11|opportunity|1|14.3|50.0
	2026-11|won|1|14.3|100.0
	2026-11|nurture|0|0.0|
	2026-11|lost|0|0.0|
	2026-11|disqualified|0|0.0|
	EOF
}

@test "funnel --by week groups by the Monday of the ISO week, a Sunday with the days before" {
	run lead-report funnel --by week
	assert_success
	# Weeks: 08-31 (1-5: Tue 09-01 .. Sat 09-05), 09-07 (6), 09-14 (18,
	# Sun 09-20 tom), 09-28 (7 8), 10-05 (9 10), 10-12 (11), 10-19 (12,
	# Sun 10-25 sue), 10-26 (Sun 11-01: 20), 11-02 (13 14 15), 11-09 (16,
	# 22, Sun 11-15 quinn): 10 groups.
	[ "${#lines[@]}" -eq 91 ]
	assert_line "$(row '2026-09-14|new|2|100.0|')"
	assert_line "$(row '2026-10-19|new|2|100.0|')"
	assert_line "$(row '2026-10-26|new|1|100.0|')"
	# 2026-08-31, a week that starts in August: mql 1-4 = 4/5 = 80.0;
	# sal .. opportunity 1 2 3 (60.0, 75.0); won 1 2 (40.0, 66.7);
	# nurture 4; lost 3.
	expect_rows <<-EOF
	2026-08-31|new|5|100.0|
	2026-08-31|mql|4|80.0|80.0
	2026-08-31|sal|3|60.0|75.0
	2026-08-31|sql|3|60.0|100.0
	2026-08-31|opportunity|3|60.0|100.0
	2026-08-31|won|2|40.0|66.7
	2026-08-31|nurture|1|20.0|
	2026-08-31|lost|1|20.0|
	2026-08-31|disqualified|0|0.0|
	EOF
	# 2026-11-09: pam 16 (new), vic 22 and quinn 17 (mql): 2/3 = 66.7;
	# sal 0/2 = 0.0; sql and on 0/0: empty.
	expect_rows <<-EOF
	2026-11-09|new|3|100.0|
	2026-11-09|mql|2|66.7|66.7
	2026-11-09|sal|0|0.0|0.0
	2026-11-09|sql|0|0.0|
	2026-11-09|opportunity|0|0.0|
	2026-11-09|won|0|0.0|
	2026-11-09|nurture|0|0.0|
	2026-11-09|lost|0|0.0|
	2026-11-09|disqualified|0|0.0|
	EOF
}

@test "funnel --since a date and --until a date count the leads created in those whole days" {
	run lead-report funnel --since 2026-10-01 --until 2026-10-25
	assert_success
	# [10-01, 10-26): 7-12 and sue 19 (created 10-25T09:30) = 7.  mql all
	# 7; sal 7 11 (2/7 = 28.6); sql, opportunity 11 (14.3; 50.0, 100.0);
	# won 0/1 = 0.0; nurture 8 9 10 (42.9); disqualified 12 (14.3).
	expect <<-EOF
	$FUNNEL_HEAD
	new|7|100.0|
	mql|7|100.0|100.0
	sal|2|28.6|28.6
	sql|1|14.3|50.0
	opportunity|1|14.3|100.0
	won|0|0.0|0.0
	nurture|3|42.9|
	lost|0|0.0|
	disqualified|1|14.3|
	EOF
}

@test "funnel --until with a time of day ends the period there" {
	# [10-01, 10-25T00:00): sue, created 10-25T09:30, is out: 7-12 = 6.
	run lead-report funnel --since 2026-10-01 --until 2026-10-25T00:00:00Z
	assert_success
	assert_line --index 1 "$(row 'new|6|100.0|')"
}

@test "the period is half-open: a lead created at --since is in, one created at --until is out" {
	# oli 15 was created 2026-11-05T09:30:00Z.  From then: 15 16 17 22.
	run lead-report funnel --since 2026-11-05T09:30:00Z
	assert_success
	assert_line --index 1 "$(row 'new|4|100.0|')"
	# Until then, since 11-01: 20 (11-01), 13 (11-02), 14 (11-03).
	run lead-report funnel --since 2026-11-01 --until 2026-11-05T09:30:00Z
	assert_success
	assert_line --index 1 "$(row 'new|3|100.0|')"
}

@test "funnel --since 30d counts the leads created in the last thirty days" {
	run lead-report funnel --since 30d
	assert_success
	# From 2026-10-23T09:30: 19 (10-25), 20 (11-01), 13 14 15 16 17 22 =
	# 8.  mql 19 20 14 15 17 22 = 6 (75.0); sal, sql 15 20 (25.0, 2/6 =
	# 33.3); opportunity, won 15 (12.5; 50.0, 100.0).
	expect <<-EOF
	$FUNNEL_HEAD
	new|8|100.0|
	mql|6|75.0|75.0
	sal|2|25.0|33.3
	sql|2|25.0|100.0
	opportunity|1|12.5|50.0
	won|1|12.5|100.0
	nurture|0|0.0|
	lost|0|0.0|
	disqualified|0|0.0|
	EOF
	# From 2026-11-08T09:30 (2w): 16 (11-10), 22 (11-12), 17 (11-15).
	run lead-report funnel --since 2w
	assert_line --index 1 "$(row 'new|3|100.0|')"
}

@test "--since and --until take the time forms of lead(7), a date without ':' as its whole day" {
	# US and month-name dates: [10-01, 10-26), as in the test above: 7.
	run lead-report funnel --since 10/01/2026 --until 'Oct 25, 2026'
	assert_success
	assert_line --index 1 "$(row 'new|7|100.0|')"
}

@test "funnel of an empty cohort prints the nine stages with zeros and no percentages" {
	run lead-report funnel --since 2026-12-01
	assert_success
	expect <<-EOF
	$FUNNEL_HEAD
	new|0||
	mql|0||
	sal|0||
	sql|0||
	opportunity|0||
	won|0||
	nurture|0||
	lost|0||
	disqualified|0||
	EOF
}

@test "a forgotten lead still counts in the funnel" {
	# Created on 2026-11-01: only lead 20, forgotten after reaching sql.
	run lead-report funnel --since 2026-11-01 --until 2026-11-01
	assert_success
	expect <<-EOF
	$FUNNEL_HEAD
	new|1|100.0|
	mql|1|100.0|100.0
	sal|1|100.0|100.0
	sql|1|100.0|100.0
	opportunity|0|0.0|0.0
	won|0|0.0|
	nurture|0|0.0|
	lost|0|0.0|
	disqualified|0|0.0|
	EOF
}

# ---------------------------------------------------------- lead filters

@test "--stage keeps the leads now at that stage" {
	run lead-report funnel --stage mql
	assert_success
	# Now at mql: hal 8, ned 14, quinn 17, sue 19, vic 22 = 5.  hal was
	# in nurture once (1/5 = 20.0); none reached sal; sql and on 0/0.
	expect <<-EOF
	$FUNNEL_HEAD
	new|5|100.0|
	mql|5|100.0|100.0
	sal|0|0.0|0.0
	sql|0|0.0|
	opportunity|0|0.0|
	won|0|0.0|
	nurture|1|20.0|
	lost|0|0.0|
	disqualified|0|0.0|
	EOF
}

@test "--stage takes a comma list" {
	run lead-report funnel --stage won,lost
	assert_success
	# Won 1 2 15, lost 3 21 = 5.  All reached mql, sal and sql (ben by
	# his opportunity, tom by his from_stage); opportunity 1 2 3 15 (4/5
	# = 80.0); won 1 2 15 (60.0, 3/4 = 75.0); lost 3 21 (40.0).
	expect <<-EOF
	$FUNNEL_HEAD
	new|5|100.0|
	mql|5|100.0|100.0
	sal|5|100.0|100.0
	sql|5|100.0|100.0
	opportunity|4|80.0|80.0
	won|3|60.0|75.0
	nurture|0|0.0|
	lost|2|40.0|
	disqualified|0|0.0|
	EOF
}

@test "--owner keeps the leads of a rep named in any case" {
	run lead-report funnel --owner ALICE
	assert_success
	# alice's 1 3 11 14, as in the --by owner test.
	expect <<-EOF
	$FUNNEL_HEAD
	new|4|100.0|
	mql|4|100.0|100.0
	sal|3|75.0|75.0
	sql|3|75.0|100.0
	opportunity|3|75.0|100.0
	won|1|25.0|33.3
	nurture|0|0.0|
	lost|1|25.0|
	disqualified|0|0.0|
	EOF
}

@test "--owner naming no rep is a usage error" {
	run lead-report funnel --owner zed
	assert_failure 2
	assert_output --partial "zed"
}

@test "--source and --campaign match the first touch in any case" {
	# webinar: 1-6 and 21 = 7.
	run lead-report funnel --source WEBINAR
	assert_success
	assert_line --index 1 "$(row 'new|7|100.0|')"
	assert_line --index 2 "$(row 'mql|5|71.4|71.4')"
	# Pipeline Webinar: 1-6 = 6; mql 1 2 3 4.
	run lead-report funnel --campaign 'pipeline webinar'
	assert_success
	assert_line --index 1 "$(row 'new|6|100.0|')"
	assert_line --index 2 "$(row 'mql|4|66.7|66.7')"
}

@test "--where keeps the leads whose stored score meets it" {
	run lead-report funnel --where 'score >= 70'
	assert_success
	# 85.5 ann 1, 75 ben 2, 70 gus 7, 80 kim 11, 90 oli 15, 72 lead 20 =
	# 6.  sal: all 6; sql 1 2 11 15 20 = 5 (83.3); opportunity 1 2 11 15
	# (66.7, 4/5 = 80.0); won 1 2 15 (50.0, 3/4 = 75.0).
	expect <<-EOF
	$FUNNEL_HEAD
	new|6|100.0|
	mql|6|100.0|100.0
	sal|6|100.0|100.0
	sql|5|83.3|83.3
	opportunity|4|66.7|80.0
	won|3|50.0|75.0
	nurture|0|0.0|
	lost|0|0.0|
	disqualified|0|0.0|
	EOF
}

@test "--where reads attributes, behavior, grade and days in stage" {
	# attr.seats: ann 40, kim 120.
	run lead-report leads --columns id --where 'attr.seats >= 100'
	assert_success
	expect <<-EOF
	id
	11
	EOF
	# behavior = score - fit: ann 85.5 - 40 = 45.5, oli 90 - 45 = 45; ben,
	# kim and lead 20 have exactly 40.
	run lead-report leads --columns id --where 'behavior > 40'
	expect <<-EOF
	id
	1
	15
	EOF
	# Grade A: ann 52 days in won, ben 37, gus 50 in sal, kim 21, oli 2.
	run lead-report leads --columns id --where 'grade = A and days_in_stage > 45'
	expect <<-EOF
	id
	1
	7
	EOF
	# Touches: ann 5, kim 5, ned 6, oli 7, quinn 6 (lead 20 has 5, but
	# leads leaves it out); ben 2.
	run lead-report leads --columns id --where 'touches >= 5'
	expect <<-EOF
	id
	1
	11
	14
	15
	17
	EOF
	# The owner's name, in any case; the id.
	run lead-report leads --columns email --where 'owner = CAROL or id = 22'
	expect <<-EOF
	email
	hal@theta.example
	oli@pi.example
	vic@phi.example
	EOF
}

@test "a lead list file keeps the leads it names, in any case" {
	printf 'email\nann@acme.example\nBEN@beta.example\nmax@xi.example\n' > list.csv
	run lead-report funnel list.csv
	assert_success
	# ann, ben (won) and max (new): 2/3 = 66.7 reached every stage to won.
	expect <<-EOF
	$FUNNEL_HEAD
	new|3|100.0|
	mql|2|66.7|66.7
	sal|2|66.7|100.0
	sql|2|66.7|100.0
	opportunity|2|66.7|100.0
	won|2|66.7|100.0
	nurture|0|0.0|
	lost|0|0.0|
	disqualified|0|0.0|
	EOF
}

@test "a lead list on standard input may be lead-import -p output" {
	run sh -c "printf 'id\temail\tstatus\n7\tgus@eta.example\tnew\n16\tpam@rho.example\tunchanged\n' | lead-report leads --columns email,stage -"
	assert_success
	expect <<-EOF
	email|stage
	gus@eta.example|sal
	pam@rho.example|new
	EOF
}

@test "a list naming no lead is reported, exits 1, and the rest is counted" {
	printf 'email\nann@acme.example\nnobody@nowhere.example\n' > list.csv
	run --separate-stderr lead-report funnel list.csv
	assert_failure 1
	[[ $stderr == *"nobody@nowhere.example"* ]]
	assert_line --index 1 "$(row 'new|1|100.0|')"
	assert_line --index 6 "$(row 'won|1|100.0|100.0')"
}

# ------------------------------------------------------------- campaigns

CAMPAIGNS_HEAD='leads|new|mql|sal|opportunity|won|won_amount|cost|cost_per_lead|cost_per_mql|cost_per_won|roi_pct'

@test "campaigns gives each source and campaign its leads, conversions, cost and return" {
	run lead-report campaigns
	assert_success
	# content/Whitepaper Q3: new 7-12 = 6, + ann and ray named by batch 2
	# = 8 (undone batch 5 not); mql 6, sal 7 11, opportunity 11, won 0;
	# cost 1000 (not the undone 500): 1000/8 = 125.00, 1000/6 = 166.67,
	# per won 1000/0 empty, ROI 100 (0 - 1000)/1000 = -100.0.
	# tradeshow/Expo 2026: new 13-17 22 = 6, + ann, kim by batch 6 (ned is
	# new already) = 8; mql 14 15 17 22, sal/opportunity/won 15; won 5000;
	# cost 5000 + 1000 = 6000: 750.00, 1500.00, 6000.00, ROI 100 (5000 -
	# 6000)/6000 = -16.7.
	# webinar/Partner Webinar: tom 21; no batch, no cost: all empty.
	# webinar/Pipeline Webinar: new 1-6; mql 1-4, sal/opportunity 1 2 3,
	# won 1 2: 12000 + 8000 (not ann's 15000 quote) = 20000; cost 3000:
	# 500.00, 750.00, 1500.00, ROI 100 x 17000/3000 = 566.7.
	# website: 18-20; mql 19 20, sal 20; its batch has no cost.
	expect <<-EOF
	source|campaign|$CAMPAIGNS_HEAD
	content|Whitepaper Q3|8|6|6|2|1|0|0.00|1000.00|125.00|166.67||-100.0
	tradeshow|Expo 2026|8|6|4|1|1|1|5000.00|6000.00|750.00|1500.00|6000.00|-16.7
	webinar|Partner Webinar|1|1|1|1|0|0|0.00|||||
	webinar|Pipeline Webinar|6|6|4|3|3|2|20000.00|3000.00|500.00|750.00|1500.00|566.7
	website||3|3|2|1|0|0|0.00|||||
	EOF
}

@test "campaigns counts a lead an import created under another source among that import's leads" {
	# A CRM-style list: the record of lead 13, created by the trade show's
	# batch 3, gave it a source of its own.
	sql "update lead set source = 'crm', campaign = null where id = 13"
	run lead-report campaigns
	assert_success
	# crm: new 13 only; tradeshow/Expo 2026: new 14-17 22 = 5, and still 8
	# leads: 13 (created by batch 3), ann and kim (named by batch 6).
	assert_line "$(row 'crm||1|1|0|0|0|0|0.00|||||')"
	assert_line "$(row 'tradeshow|Expo 2026|8|5|4|1|1|1|5000.00|6000.00|750.00|1500.00|6000.00|-16.7')"
}

@test "campaigns sums money in cents, so a half cent goes away from zero" {
	# Two batches costing 0.01 and 0.06: 0.07 for 2 leads is 0.035 a lead,
	# 0.04 rounded (as doubles 0.01 + 0.06 is 0.06999..., which rounds
	# down).
	sql "insert into batch (id, command, source, campaign, cost, at) values
	    (100, 'lead-import', 'ads', 'Tiny', 0.01, '2026-11-01T00:00:00Z'),
	    (101, 'lead-import', 'ads', 'Tiny', 0.06, '2026-11-01T00:00:00Z');
	    insert into lead (email, source, campaign, first_batch, created_at,
	    updated_at) values
	    ('t1@tiny.example', 'ads', 'Tiny', 100, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z'),
	    ('t2@tiny.example', 'ads', 'Tiny', 101, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')"
	run lead-report campaigns --source ads
	assert_success
	assert_line "$(row 'ads|Tiny|2|2|0|0|0|0|0.00|0.07|0.04|||-100.0')"
}

@test "campaigns --by source adds up a source's campaigns" {
	run lead-report campaigns --by source
	assert_success
	# webinar = Pipeline + Partner: 7 leads, mql 5, sal 4, opportunity 3,
	# won 2, 20000, cost 3000: 3000/7 = 428.57, 3000/5 = 600.00, 1500.00.
	expect <<-EOF
	source|$CAMPAIGNS_HEAD
	content|8|6|6|2|1|0|0.00|1000.00|125.00|166.67||-100.0
	tradeshow|8|6|4|1|1|1|5000.00|6000.00|750.00|1500.00|6000.00|-16.7
	webinar|7|7|5|4|3|2|20000.00|3000.00|428.57|600.00|1500.00|566.7
	website|3|3|2|1|0|0|0.00|||||
	EOF
}

@test "campaigns --by campaign keys by campaign alone, no campaign last" {
	run lead-report campaigns --by campaign
	assert_success
	expect <<-EOF
	campaign|$CAMPAIGNS_HEAD
	Expo 2026|8|6|4|1|1|1|5000.00|6000.00|750.00|1500.00|6000.00|-16.7
	Partner Webinar|1|1|1|1|0|0|0.00|||||
	Pipeline Webinar|6|6|4|3|3|2|20000.00|3000.00|500.00|750.00|1500.00|566.7
	Whitepaper Q3|8|6|6|2|1|0|0.00|1000.00|125.00|166.67||-100.0
	|3|3|2|1|0|0|0.00|||||
	EOF
}

@test "campaigns in a period count the leads created and the batches imported in it" {
	run lead-report campaigns --since 2026-11-10
	assert_success
	# tradeshow: new pam 16, vic 22, quinn 17 = 3; batch 6 (11-15) names
	# ann, kim and ned (created 11-03: not new in the period) = 6; batch 3
	# (11-02) is out: cost 1000.  mql 17 22; 1000/6 = 166.67, 1000/2 =
	# 500.00, ROI -100.0.
	assert_line "$(row 'tradeshow|Expo 2026|6|3|2|0|0|0|0.00|1000.00|166.67|500.00||-100.0')"
}

@test "campaigns with a lead filter leaves out the rows with no lead kept" {
	run lead-report campaigns --stage won
	assert_success
	# Kept: ann 1, ben 2, oli 15.  content: ann named by batch 2: leads 1,
	# new 0; cost 1000: per lead 1000.00, per mql 1000/0 empty, ROI
	# -100.0.  tradeshow: oli new, ann named by batch 6: 2; won 5000;
	# 6000/2 = 3000.00, 6000/1.  Pipeline Webinar: ann, ben: 2; 20000;
	# 3000/2 = 1500.00.  Partner Webinar and website: no lead kept.
	expect <<-EOF
	source|campaign|$CAMPAIGNS_HEAD
	content|Whitepaper Q3|1|0|0|0|0|0|0.00|1000.00|1000.00|||-100.0
	tradeshow|Expo 2026|2|1|1|1|1|1|5000.00|6000.00|3000.00|6000.00|6000.00|-16.7
	webinar|Pipeline Webinar|2|2|2|2|2|2|20000.00|3000.00|1500.00|1500.00|1500.00|566.7
	EOF
}

# ------------------------------------------------------------------- sla

SLA_HEAD='assigned|accepted|rejected|touched|median_hours_to_touch|p90_hours_to_touch|within_sla_pct|overdue|never_touched|touches_without_context'

@test "sla gives every rep their hand-offs, times to first touch and SLA record" {
	run lead-report sla
	assert_success
	# #9 (a rep since deleted): hand-off 6, never touched, ended: within
	# 0/1 (past due), never touched 1, not overdue (ended).
	# alice: 1 (4h), 3 (48h, late), 8 (1h, rejected), 10 (6h), 13 (2h):
	# accepted 1 3 10; {1,2,4,6,48}: median 3rd = 4, p90 5th = 48; in
	# time 4/5 = 80.0.
	# bob: 2 (8h), 4 (2h, rejected), 5 (10h), 15 (untouched, due
	# tomorrow: not counted); {2,8,10}: 8, 10; 3/3 = 100.0.
	# carol: 7 (hal, untouched, open, past due: overdue), 9 (1h,
	# rejected), 11 (untouched, rejected: ended), 14 (36h, late); {1,36}:
	# median 1st = 1, p90 2nd = 36; in time 1 of 4 (7 and 11 past due)
	# = 25.0; never touched 7 11.
	# dave (inactive): 12, sue, untouched, open, past due: 0.0, overdue,
	# never touched.  erin: active, nothing assigned: a row of zeros.
	expect <<-EOF
	rep|$SLA_HEAD
	#9|1|0|0|0|||0.0|0|1|0
	alice|5|3|1|5|4.0|48.0|80.0|0|0|0
	bob|4|2|1|3|8.0|10.0|100.0|0|0|0
	carol|4|1|2|2|1.0|36.0|25.0|1|2|0
	dave|1|0|0|0|||0.0|1|1|0
	erin|0|0|0|0||||0|0|0
	EOF
}

@test "sla --by month groups the hand-offs by the month they were made" {
	run lead-report sla --by month
	assert_success
	# 2026-09: alice 1 3 (4h, 48h: 50.0); bob 2 4 ({2,8}: 2, 8).
	# 2026-10: #9 6; alice 8 10 ({1,6}); bob 5; carol 7 9 11 (1 of 3 in
	# time: 33.3).  2026-11: alice 13; bob 15 (not due yet: empty);
	# carol 14 (late: 0.0); dave 12.  No rows for reps without hand-offs.
	expect <<-EOF
	month|rep|$SLA_HEAD
	2026-09|alice|2|2|0|2|4.0|48.0|50.0|0|0|0
	2026-09|bob|2|1|1|2|2.0|8.0|100.0|0|0|0
	2026-10|#9|1|0|0|0|||0.0|0|1|0
	2026-10|alice|2|1|1|2|1.0|6.0|100.0|0|0|0
	2026-10|bob|1|1|0|1|10.0|10.0|100.0|0|0|0
	2026-10|carol|3|0|2|1|1.0|1.0|33.3|1|2|0
	2026-11|alice|1|0|0|1|2.0|2.0|100.0|0|0|0
	2026-11|bob|1|0|0|0||||0|0|0
	2026-11|carol|1|1|0|1|36.0|36.0|0.0|0|0|0
	2026-11|dave|1|0|0|0|||0.0|1|1|0
	EOF
}

@test "sla --by week groups the hand-offs by the Monday of their week" {
	run lead-report sla --by week
	assert_success
	assert_line --index 0 "$(row "week|rep|$SLA_HEAD")"
	# Hand-off 12 (dave) was made on Sunday 11-01: week 10-26; 15 (bob)
	# on Saturday 11-21: week 11-16.
	assert_line "$(row '2026-10-26|dave|1|0|0|0|||0.0|1|1|0')"
	assert_line "$(row '2026-11-16|bob|1|0|0|0||||0|0|0')"
	# Week 2026-11-02: alice 13 (2h), carol 14 (36h).
	assert_line "$(row '2026-11-02|alice|1|0|0|1|2.0|2.0|100.0|0|0|0')"
	assert_line "$(row '2026-11-02|carol|1|1|0|1|36.0|36.0|0.0|0|0|0')"
}

@test "sla in a period counts the hand-offs made in it, and still lists every active rep" {
	run lead-report sla --since 2026-11-01
	assert_success
	# Hand-offs 12-15; erin is active (a row of zeros); #9 had none.
	expect <<-EOF
	rep|$SLA_HEAD
	alice|1|0|0|1|2.0|2.0|100.0|0|0|0
	bob|1|0|0|0||||0|0|0
	carol|1|1|0|1|36.0|36.0|0.0|0|0|0
	dave|1|0|0|0|||0.0|1|1|0
	erin|0|0|0|0||||0|0|0
	EOF
}

@test "sla with a lead filter counts the hand-offs of the leads kept" {
	run lead-report sla --owner alice
	assert_success
	# alice's leads now: 1 3 11 14, hand-offs 1 (4h), 3 (48h), 10 (6h),
	# 13 (2h): accepted 1 3 10; {2,4,6,48}: median 2nd = 4, p90 4th =
	# 48; 3/4 = 75.0.  bob, carol, erin: active, none kept.
	expect <<-EOF
	rep|$SLA_HEAD
	alice|4|3|0|4|4.0|48.0|75.0|0|0|0
	bob|0|0|0|0||||0|0|0
	carol|0|0|0|0||||0|0|0
	erin|0|0|0|0||||0|0|0
	EOF
	run lead-report sla --source content
	assert_success
	# Leads 7-12: hand-offs 5 (bob), 6 (#9), 7 9 11 (carol), 8 10 (alice).
	expect <<-EOF
	rep|$SLA_HEAD
	#9|1|0|0|0|||0.0|0|1|0
	alice|2|1|1|2|1.0|6.0|100.0|0|0|0
	bob|1|1|0|1|10.0|10.0|100.0|0|0|0
	carol|3|0|2|1|1.0|1.0|33.3|1|2|0
	erin|0|0|0|0||||0|0|0
	EOF
}

@test "sla --by owner has a row per rep" {
	run lead-report sla --by owner
	assert_success
	# The rows of sla without --by: the rep is its key already.
	assert_line "$(row 'alice|5|3|1|5|4.0|48.0|80.0|0|0|0')"
	assert_line "$(row 'erin|0|0|0|0||||0|0|0')"
}

@test "sla's within-SLA share counts only the hand-offs with a due time" {
	sql "update assignment set due = null where id = 3"
	run lead-report sla
	assert_success
	# alice's late hand-off 3 has no due time now: 4 in time of 4.
	assert_line "$(row 'alice|5|3|1|5|4.0|48.0|100.0|0|0|0')"
}

@test "sla's overdue counts only the leads the rep still owns at an open stage" {
	sql "update lead set owner_id = 1 where id = 8"
	run lead-report sla
	assert_success
	# hal is alice's now: carol's untouched hand-off 7 is not overdue, but
	# is still never touched; alice's list does not take it over.
	assert_line "$(row 'carol|4|1|2|2|1.0|36.0|25.0|0|2|0')"
	assert_line "$(row 'alice|5|3|1|5|4.0|48.0|80.0|0|0|0')"
	sql "update lead set owner_id = 4, stage = 'won' where id = 19"
	run lead-report sla
	assert_success
	# sue is won: dave's hand-off is not overdue either.
	assert_line "$(row 'dave|1|0|0|0|||0.0|0|1|0')"
}

# --------------------------------------------------------------- scoring

SCORING_HEAD='by|band|leads|mql|sal|opportunity|won|pct_mql|pct_sal|pct_opportunity|pct_won'

@test "scoring gives the conversion of each score band, each grade, and of the MQLs" {
	run lead-report scoring
	assert_success
	# Bands of 10 by the stored score: 90 oli | 85.5 ann, 80 kim | 75 ben,
	# 70 gus, 72 (20) | 65 cat, 62 dan, 60 hal, 66 ned, 61 quinn, 64 vic |
	# 55 lee, 58 sue, 50 tom | 45 jay | 30 ivy | 20 eve | 15 fay |
	# unscored max, pam, ray.  60-70: sal/opportunity cat (1/6 = 16.7);
	# 70-80: sal all 3, opportunity/won ben (33.3); 50-60: sal tom (33.3).
	# Grades: A 1 2 7 11 15 20: sal all, opportunity 1 2 11 15 (66.7), won
	# 1 2 15 (50.0); B 3 4 8 12 14 17 19 22: sal/opportunity cat (1/8 =
	# 12.5); C 5 9 10 21: mql 9 10 21 (75.0), sal tom (25.0); D fay.
	# MQL yes = the 16 that were at the mql stage itself (now or in the
	# history): the 17 that reached mql but tom 21, whose only history is
	# "sql -> lost": sal 7 (43.75 -> 43.8), opportunity 5 (31.25 -> 31.3),
	# won 3 (18.75 -> 18.8).  no = eve, fay, max, pam, ray and tom: 6, of
	# whom tom reached mql and sal by his sql (1/6 = 16.7).
	expect <<-EOF
	$SCORING_HEAD
	score|90-100|1|1|1|1|1|100.0|100.0|100.0|100.0
	score|80-90|2|2|2|2|1|100.0|100.0|100.0|50.0
	score|70-80|3|3|3|1|1|100.0|100.0|33.3|33.3
	score|60-70|6|6|1|1|0|100.0|16.7|16.7|0.0
	score|50-60|3|3|1|0|0|100.0|33.3|0.0|0.0
	score|40-50|1|1|0|0|0|100.0|0.0|0.0|0.0
	score|30-40|1|1|0|0|0|100.0|0.0|0.0|0.0
	score|20-30|1|0|0|0|0|0.0|0.0|0.0|0.0
	score|10-20|1|0|0|0|0|0.0|0.0|0.0|0.0
	score||3|0|0|0|0|0.0|0.0|0.0|0.0
	grade|A|6|6|6|4|3|100.0|100.0|66.7|50.0
	grade|B|8|8|1|1|0|100.0|12.5|12.5|0.0
	grade|C|4|3|1|0|0|75.0|25.0|0.0|0.0
	grade|D|1|0|0|0|0|0.0|0.0|0.0|0.0
	grade||3|0|0|0|0|0.0|0.0|0.0|0.0
	mql|yes|16|16|7|5|3|100.0|43.8|31.3|18.8
	mql|no|6|1|1|0|0|16.7|16.7|0.0|0.0
	EOF
}

@test "scoring --band sets the width of the score bands" {
	run lead-report scoring --band 20
	assert_success
	# 80-100: oli, ann, kim (won ann, oli: 66.7).  60-80: ben, gus, 20,
	# cat, dan, hal, ned, quinn, vic = 9: sal ben gus 20 cat (44.4),
	# opportunity ben cat (22.2), won ben (11.1).  40-60: jay, lee, sue,
	# tom: sal tom.  20-40: ivy (mql), eve.  0-20: fay.
	expect_rows <<-EOF
	score|80-100|3|3|3|3|2|100.0|100.0|100.0|66.7
	score|60-80|9|9|4|2|1|100.0|44.4|22.2|11.1
	score|40-60|4|4|1|0|0|100.0|25.0|0.0|0.0
	score|20-40|2|1|0|0|0|50.0|0.0|0.0|0.0
	score|0-20|1|0|0|0|0|0.0|0.0|0.0|0.0
	score||3|0|0|0|0|0.0|0.0|0.0|0.0
	grade|A|6|6|6|4|3|100.0|100.0|66.7|50.0
	EOF
}

@test "scoring in a period looks at the leads created in it" {
	run lead-report scoring --since 2026-11-01
	assert_success
	# Created from 11-01: max, pam (unscored), ned 66, oli 90, quinn 61,
	# 20 72, vic 64.  A: oli, 20 (sal both, opportunity and won oli); B:
	# ned, quinn, vic.  MQL yes 14 15 17 20 22: sal 15 20 (40.0),
	# opportunity and won 15 (20.0).
	assert_line "$(row 'score|90-100|1|1|1|1|1|100.0|100.0|100.0|100.0')"
	assert_line "$(row 'score|70-80|1|1|1|0|0|100.0|100.0|0.0|0.0')"
	assert_line "$(row 'score|60-70|3|3|0|0|0|100.0|0.0|0.0|0.0')"
	expect_rows <<-EOF
	score||2|0|0|0|0|0.0|0.0|0.0|0.0
	grade|A|2|2|2|1|1|100.0|100.0|50.0|50.0
	grade|B|3|3|0|0|0|100.0|0.0|0.0|0.0
	grade||2|0|0|0|0|0.0|0.0|0.0|0.0
	mql|yes|5|5|2|1|1|100.0|40.0|20.0|20.0
	mql|no|2|0|0|0|0|0.0|0.0|0.0|0.0
	EOF
}

# ----------------------------------------------------------------- aging

AGING_HEAD='stage|leads|stuck|pct_stuck|median_days|p90_days|max_days'

@test "aging gives each open stage its leads, those stuck, and how long they have been there" {
	run lead-report aging
	assert_success
	# Days in stage at 11-22T09:30 (stage_at, else created_at):
	# new: pam 12, max 20, ray 68, eve 78: stuck (> 30) 2 = 50.0; median
	# 2nd = 20, p90 4th = 78.  nurture: jay 29, ivy 46, dan 71: 2 = 66.7;
	# 46, 71.  mql: quinn 1, vic 9, ned 17, sue 21, hal 48: 1 = 20.0; 3rd
	# = 17, 5th = 48.  sal: gus 50.  sql: lead 20, 12.  opportunity: kim
	# 21.
	expect <<-EOF
	$AGING_HEAD
	new|4|2|50.0|20.0|78.0|78.0
	nurture|3|2|66.7|46.0|71.0|71.0
	mql|5|1|20.0|17.0|48.0|48.0
	sal|1|1|100.0|50.0|50.0|50.0
	sql|1|0|0.0|12.0|12.0|12.0
	opportunity|1|0|0.0|21.0|21.0|21.0
	EOF
}

@test "aging --stuck counts the leads longer than that in their stage" {
	# More than 20 days: mql sue 21 and hal 48 (2/5 = 40.0), opportunity
	# kim 21; max's 20 is not more.
	run lead-report aging --stuck 20d
	assert_success
	assert_line "$(row 'new|4|2|50.0|20.0|78.0|78.0')"
	assert_line "$(row 'nurture|3|3|100.0|46.0|71.0|71.0')"
	assert_line "$(row 'mql|5|2|40.0|17.0|48.0|48.0')"
	assert_line "$(row 'opportunity|1|1|100.0|21.0|21.0|21.0')"
	# A bare number is days: more than 21 days leaves sue and kim out.
	run lead-report aging --stuck 21
	assert_success
	assert_line "$(row 'mql|5|1|20.0|17.0|48.0|48.0')"
	assert_line "$(row 'opportunity|1|0|0.0|21.0|21.0|21.0')"
}

@test "aging --by source prints the six open stages of every source, zeros included" {
	run lead-report aging --by source
	assert_success
	# content: ivy 46 and jay 29 in nurture ({29,46}: 29, 46), hal 48,
	# gus 50, kim 21.  tradeshow: max 20, pam 12 ({12,20}); quinn 1, vic
	# 9, ned 17.  webinar: eve 78, dan 71.  website: ray 68, sue 21, 20
	# 12.  An empty stage: 0 leads, nothing else.
	expect <<-EOF
	source|$AGING_HEAD
	content|new|0|0||||
	content|nurture|2|1|50.0|29.0|46.0|46.0
	content|mql|1|1|100.0|48.0|48.0|48.0
	content|sal|1|1|100.0|50.0|50.0|50.0
	content|sql|0|0||||
	content|opportunity|1|0|0.0|21.0|21.0|21.0
	tradeshow|new|2|0|0.0|12.0|20.0|20.0
	tradeshow|nurture|0|0||||
	tradeshow|mql|3|0|0.0|9.0|17.0|17.0
	tradeshow|sal|0|0||||
	tradeshow|sql|0|0||||
	tradeshow|opportunity|0|0||||
	webinar|new|1|1|100.0|78.0|78.0|78.0
	webinar|nurture|1|1|100.0|71.0|71.0|71.0
	webinar|mql|0|0||||
	webinar|sal|0|0||||
	webinar|sql|0|0||||
	webinar|opportunity|0|0||||
	website|new|1|1|100.0|68.0|68.0|68.0
	website|nurture|0|0||||
	website|mql|1|0|0.0|21.0|21.0|21.0
	website|sal|0|0||||
	website|sql|1|0|0.0|12.0|12.0|12.0
	website|opportunity|0|0||||
	EOF
}

@test "aging --by owner groups the open leads by their owner" {
	run lead-report aging --by owner
	assert_success
	# alice's open leads: ned (mql, 17), kim (opportunity, 21).
	expect_rows <<-EOF
	alice|new|0|0||||
	alice|nurture|0|0||||
	alice|mql|1|0|0.0|17.0|17.0|17.0
	alice|sal|0|0||||
	alice|sql|0|0||||
	alice|opportunity|1|0|0.0|21.0|21.0|21.0
	EOF
	# Unowned, last: new 5 13 16 18 (12 20 68 78), nurture 4 9 10 (29 46
	# 71), mql vic 9, sql lead 20 12.
	local n=${#lines[@]}
	assert_line --index $((n - 6)) "$(row '|new|4|2|50.0|20.0|78.0|78.0')"
	assert_line --index $((n - 5)) "$(row '|nurture|3|2|66.7|46.0|71.0|71.0')"
	assert_line --index $((n - 4)) "$(row '|mql|1|0|0.0|9.0|9.0|9.0')"
	assert_line --index $((n - 2)) "$(row '|sql|1|0|0.0|12.0|12.0|12.0')"
}

@test "aging --by month groups the open leads by the month they were created" {
	run lead-report aging --by month
	assert_success
	# November: max 20, pam 12; ned 17, quinn 1, vic 9 ({1,9,17}: 9, 17);
	# lead 20 at sql, 12.
	expect_rows <<-EOF
	2026-11|new|2|0|0.0|12.0|20.0|20.0
	2026-11|nurture|0|0||||
	2026-11|mql|3|0|0.0|9.0|17.0|17.0
	2026-11|sal|0|0||||
	2026-11|sql|1|0|0.0|12.0|12.0|12.0
	2026-11|opportunity|0|0||||
	EOF
}

@test "aging --by campaign puts the leads without a campaign last" {
	run lead-report aging --by campaign
	assert_success
	# website (no campaign): ray new 68, sue mql 21, 20 sql 12.
	local n=${#lines[@]}
	assert_line --index $((n - 6)) "$(row '|new|1|1|100.0|68.0|68.0|68.0')"
	assert_line --index $((n - 4)) "$(row '|mql|1|0|0.0|21.0|21.0|21.0')"
	assert_line --index $((n - 2)) "$(row '|sql|1|0|0.0|12.0|12.0|12.0')"
	assert_line "$(row 'Expo 2026|mql|3|0|0.0|9.0|17.0|17.0')"
}

@test "aging --by week groups the open leads by the Monday of the week they were created" {
	run lead-report aging --by week
	assert_success
	# Week 10-05: ivy (Mon 10-05) 46 and jay (Sat 10-10) 29, in nurture.
	expect_rows <<-EOF
	2026-10-05|new|0|0||||
	2026-10-05|nurture|2|1|50.0|29.0|46.0|46.0
	2026-10-05|mql|0|0||||
	2026-10-05|sal|0|0||||
	2026-10-05|sql|0|0||||
	2026-10-05|opportunity|0|0||||
	EOF
	# Week 11-09: pam new 12; vic 9 and quinn (Sun 11-15) 1 at mql.
	expect_rows <<-EOF
	2026-11-09|new|1|0|0.0|12.0|12.0|12.0
	2026-11-09|nurture|0|0||||
	2026-11-09|mql|2|0|0.0|1.0|9.0|9.0
	EOF
}

# -------------------------------------------------------------- velocity

VELOCITY_HEAD='from|to|leads|median_days|p90_days'

@test "velocity gives the days from each stage to the next, by first arrival" {
	run lead-report velocity
	assert_success
	# new->mql: 1 x9 (7 8 9 10 11 12 15 20 22), 2 (1 14), 4 (2), 6 (17), 7
	# (4 19), 8 (3): 16 samples, 8th = 1, 15th = 7.  tom 21 has none.
	# mql->sal: 1 (1 2 7 11 15 20), 2 (3): 4th = 1, 7th = 2.
	# sal->sql: oli 1, kim 3, ann 6, 20 7, cat 10 (ben skipped sql).
	# sql->opportunity: oli 2, ann 5, cat 9, kim 12: 2nd, 4th.
	# opportunity->won: oli 10, ann 16, ben 26.
	# new->opportunity: oli 5, ann 14, kim 17, ben 19, cat 29.
	# new->won: oli 15, ann 30, ben 45.
	expect <<-EOF
	$VELOCITY_HEAD
	new|mql|16|1.0|7.0
	mql|sal|7|1.0|2.0
	sal|sql|5|6.0|10.0
	sql|opportunity|4|5.0|12.0
	opportunity|won|3|16.0|26.0
	new|opportunity|5|17.0|29.0
	new|won|3|30.0|45.0
	EOF
}

@test "velocity --by source, a step without samples empty" {
	run lead-report velocity --by source
	assert_success
	# webinar: new->mql ann 2, ben 4, dan 7, cat 8 (2nd 4, 4th 8);
	# mql->sal 1 1 2; sal->sql ann 6, cat 10; sql->opportunity 5 9;
	# opportunity->won 16 26; new->opportunity 14 19 29; new->won 30 45.
	expect_rows <<-EOF
	webinar|new|mql|4|4.0|8.0
	webinar|mql|sal|3|1.0|2.0
	webinar|sal|sql|2|6.0|10.0
	webinar|sql|opportunity|2|5.0|9.0
	webinar|opportunity|won|2|16.0|26.0
	webinar|new|opportunity|3|19.0|29.0
	webinar|new|won|2|30.0|45.0
	EOF
	# website: sue 7 and lead 20 1 to mql; 20 on to sal (1), sql (7).
	expect_rows <<-EOF
	website|new|mql|2|1.0|7.0
	website|mql|sal|1|1.0|1.0
	website|sal|sql|1|7.0|7.0
	website|sql|opportunity|0||
	website|opportunity|won|0||
	website|new|opportunity|0||
	website|new|won|0||
	EOF
}

@test "velocity --by month groups by the month the leads were created" {
	run lead-report velocity --by month
	assert_success
	# November: oli 1, 20 1, vic 1, ned 2, quinn 6: 3rd = 1, 5th = 6.
	assert_line "$(row '2026-11|new|mql|5|1.0|6.0')"
}

@test "velocity --by campaign and --by owner" {
	run lead-report velocity --by campaign
	assert_success
	# Whitepaper Q3 7-12: each 1 day to mql; gus and kim 1 to sal; kim 3
	# to sql, 12 to opportunity, 17 from new.
	expect_rows <<-EOF
	Whitepaper Q3|new|mql|6|1.0|1.0
	Whitepaper Q3|mql|sal|2|1.0|1.0
	Whitepaper Q3|sal|sql|1|3.0|3.0
	Whitepaper Q3|sql|opportunity|1|12.0|12.0
	Whitepaper Q3|opportunity|won|0||
	Whitepaper Q3|new|opportunity|1|17.0|17.0
	Whitepaper Q3|new|won|0||
	EOF
	run lead-report velocity --by owner
	assert_success
	# alice's 1 3 11 14: to mql kim 1, ann 2, ned 2, cat 8 (2nd 2, 4th 8);
	# to sal 1 1 2; to sql kim 3, ann 6, cat 10; to opportunity ann 5,
	# cat 9, kim 12; won ann 16; new->opportunity 14 17 29; new->won 30.
	expect_rows <<-EOF
	alice|new|mql|4|2.0|8.0
	alice|mql|sal|3|1.0|2.0
	alice|sal|sql|3|6.0|10.0
	alice|sql|opportunity|3|9.0|12.0
	alice|opportunity|won|1|16.0|16.0
	alice|new|opportunity|3|17.0|29.0
	alice|new|won|1|30.0|30.0
	EOF
}

@test "velocity --by week groups by the week the leads were created" {
	run lead-report velocity --by week
	assert_success
	# Week 11-09: vic 1 and quinn 6 days to mql (1st 1, 2nd 6); pam none.
	assert_line "$(row '2026-11-09|new|mql|2|1.0|6.0')"
	assert_line "$(row '2026-11-09|mql|sal|0||')"
}

@test "velocity takes a lead's first arrival at a stage it came back to" {
	printf 'hal@theta.example\n' > hal.txt
	run lead-report velocity hal.txt
	assert_success
	# hal: created 10-02, mql 10-03, nurture 10-04, mql again 10-05: 1 day.
	assert_line --index 1 "$(row 'new|mql|1|1.0|1.0')"
	assert_line --index 2 "$(row 'mql|sal|0||')"
}

# ------------------------------------------------------------ rejections

REJ_TAIL='reason|rejected|pct_of_group|disqualified'

@test "rejections groups reasons written differently, most rejected first" {
	run lead-report rejections
	assert_success
	# Rejected: dan (webinar, "Student, no budget"), ivy (content,
	# "Already a customer"), jay (content, "Student, no budget"), lee
	# (content, "  student,   NO budget ", now disqualified).  content:
	# 2 of 3 = 66.7 (1 disqualified) before 1 of 3 = 33.3, though "A" <
	# "S".
	expect <<-EOF
	source|campaign|$REJ_TAIL
	content|Whitepaper Q3|Student, no budget|2|66.7|1
	content|Whitepaper Q3|Already a customer|1|33.3|0
	webinar|Pipeline Webinar|Student, no budget|1|100.0|0
	EOF
}

@test "rejections --by source and --by campaign key by that and the reason" {
	run lead-report rejections --by source
	assert_success
	expect <<-EOF
	source|$REJ_TAIL
	content|Student, no budget|2|66.7|1
	content|Already a customer|1|33.3|0
	webinar|Student, no budget|1|100.0|0
	EOF
	run lead-report rejections --by campaign
	assert_success
	expect <<-EOF
	campaign|$REJ_TAIL
	Pipeline Webinar|Student, no budget|1|100.0|0
	Whitepaper Q3|Student, no budget|2|66.7|1
	Whitepaper Q3|Already a customer|1|33.3|0
	EOF
}

@test "rejections --by owner groups by the rep who rejected" {
	run lead-report rejections --by owner
	assert_success
	# alice: ivy; bob: dan; carol: jay, lee.
	expect <<-EOF
	owner|$REJ_TAIL
	alice|Already a customer|1|100.0|0
	bob|Student, no budget|1|100.0|0
	carol|Student, no budget|2|100.0|1
	EOF
}

@test "rejections --by month and --by week group by the time of the rejection" {
	run lead-report rejections --by month
	assert_success
	# dan 09-12; ivy 10-07, jay 10-24, lee 10-25.
	expect <<-EOF
	month|$REJ_TAIL
	2026-09|Student, no budget|1|100.0|0
	2026-10|Student, no budget|2|66.7|1
	2026-10|Already a customer|1|33.3|0
	EOF
	run lead-report rejections --by week
	assert_success
	# Sat 09-12: 09-07; Wed 10-07: 10-05; Sat 10-24 and Sun 10-25: 10-19.
	expect <<-EOF
	week|$REJ_TAIL
	2026-09-07|Student, no budget|1|100.0|0
	2026-10-05|Already a customer|1|100.0|0
	2026-10-19|Student, no budget|2|100.0|1
	EOF
}

@test "rejections in a period count the rejections made in it" {
	run lead-report rejections --since 2026-10-01 --until 2026-10-24
	assert_success
	# [10-01, 10-25): ivy 10-07, jay 10-24T09:30; lee 10-25 is out.  1 and
	# 1: by reason.
	expect <<-EOF
	source|campaign|$REJ_TAIL
	content|Whitepaper Q3|Already a customer|1|50.0|0
	content|Whitepaper Q3|Student, no budget|1|50.0|0
	EOF
}

# --------------------------------------------------------------- content

CONTENT_HEAD='content|leads|progressed|not_progressed|pct_of_progressed|pct_of_not_progressed|pct_progressed|lift'

@test "content compares the assets seen by the leads that progressed and the rest" {
	run lead-report content
	assert_success
	# Progressed (reached opportunity): 1 2 3 11 15 = 5 of 22; 17 not.
	# Case Study: ann (twice), dan, 20, quinn: 1 and 3; 1/5 = 20.0, 3/17 =
	# 17.6, 1/4 = 25.0, lift 0.25/(5/22) = 1.10.  Pricing Guide: ann, ben,
	# kim; eve, max: 60.0, 2/17 = 11.8, 60.0, 0.6 x 4.4 = 2.64.  ROI
	# Calculator: cat, oli; gus, hal, ivy, jay: 40.0, 4/17 = 23.5, 2/6 =
	# 33.3, 4.4/3 = 1.47.  No row for touches without an asset.
	expect <<-EOF
	$CONTENT_HEAD
	Case Study|4|1|3|20.0|17.6|25.0|1.10
	Pricing Guide|5|3|2|60.0|11.8|60.0|2.64
	ROI Calculator|6|2|4|40.0|23.5|33.3|1.47
	EOF
}

@test "content --goal sets the stage that counts as progress" {
	run lead-report content --goal mql
	assert_success
	# Reached mql: 17 of 22; not: eve, fay, max, pam, ray.  Case Study
	# 4/17 = 23.5, lift 1/(17/22) = 1.29; Pricing Guide 3/17 = 17.6, eve
	# and max 2/5 = 40.0, 0.6 x 22/17 = 0.78; ROI Calculator 6/17 = 35.3.
	expect <<-EOF
	$CONTENT_HEAD
	Case Study|4|4|0|23.5|0.0|100.0|1.29
	Pricing Guide|5|3|2|17.6|40.0|60.0|0.78
	ROI Calculator|6|6|0|35.3|0.0|100.0|1.29
	EOF
	run lead-report content --goal nurture
	assert_failure 2
}

@test "content in a period looks at the leads created in it, and their touches at any time" {
	run lead-report content --since 2026-10-01
	assert_success
	# Cohort 7-17 19 20 22 = 14; progressed kim, oli = 2; 12 not.  Case
	# Study: 20, quinn: 2/12 = 16.7.  Pricing Guide: kim; max: 50.0, 1/12
	# = 8.3, 0.5/(2/14) = 3.50.  ROI Calculator: oli; gus, hal, ivy, jay:
	# 4/12 = 33.3, 1/5 = 20.0, 0.2 x 7 = 1.40.
	expect <<-EOF
	$CONTENT_HEAD
	Case Study|2|0|2|0.0|16.7|0.0|0.00
	Pricing Guide|2|1|1|50.0|8.3|50.0|3.50
	ROI Calculator|5|1|4|50.0|33.3|20.0|1.40
	EOF
}

@test "content with a lead filter: a share of no leads is empty" {
	run lead-report content --stage won
	assert_success
	# Kept: ann, ben, oli, all progressed: no lead did not (0/0 empty);
	# lift 1/(3/3) = 1.00.
	expect <<-EOF
	$CONTENT_HEAD
	Case Study|1|1|0|33.3||100.0|1.00
	Pricing Guide|2|2|0|66.7||100.0|1.00
	ROI Calculator|1|1|0|33.3||100.0|1.00
	EOF
}

@test "content rows are in byte order, lower case after upper" {
	sql "update activity set content = 'datasheet' where content = 'ROI Calculator'"
	run lead-report content
	assert_success
	assert_line --index 1 --partial "$(row 'Case Study|')"
	assert_line --index 2 --partial "$(row 'Pricing Guide|')"
	assert_line --index 3 "$(row 'datasheet|6|2|4|40.0|23.5|33.3|1.47')"
}

# --------------------------------------------------------------- fatigue

FATIGUE_HEAD='email|channel|touches|cap|status|last_touch|dnc'

@test "fatigue lists the leads at or over a contact cap now" {
	run lead-report fatigue --cap email=3/7d,call=2/7d,all=5/7d
	assert_success
	# Window (11-15T09:30, 11-22T09:30].  ned: emails 11-16 11-18 11-20 =
	# 3 = at (11-15T09:30 is not inside, 11-23 is to come); his call
	# makes all 4.  oli: call, voicemail, call = 3 > 2: over; all 3 + 2
	# emails = 5: at, last the email of 11-21T12:00.  kim's emails are
	# older; quinn's opens are no contact; lead 20 is forgotten.
	expect <<-EOF
	$FATIGUE_HEAD
	ned@omicron.example|email|3|email=3/7d|at|2026-11-20T09:00:00Z|
	oli@pi.example|call|3|call=2/7d|over|2026-11-21T10:00:00Z|
	oli@pi.example|all|5|all=5/7d|at|2026-11-21T12:00:00Z|
	EOF
}

@test "fatigue uses the stored caps when none are given" {
	lead-log --cap email=2/7d
	run lead-report fatigue
	assert_success
	# ned 3 > 2: over; oli 2 emails: at.
	expect <<-EOF
	$FATIGUE_HEAD
	ned@omicron.example|email|3|email=2/7d|over|2026-11-20T09:00:00Z|
	oli@pi.example|email|2|email=2/7d|at|2026-11-21T12:00:00Z|
	EOF
}

@test "fatigue counts the touches in the cap's own window" {
	run lead-report fatigue --cap all=5/30d
	assert_success
	# From 10-23T09:30: ned 4 emails (11-15 now inside) + call = 5; oli 5;
	# kim 3 emails + meeting = 4.
	expect <<-EOF
	$FATIGUE_HEAD
	ned@omicron.example|all|5|all=5/30d|at|2026-11-21T09:00:00Z|
	oli@pi.example|all|5|all=5/30d|at|2026-11-21T12:00:00Z|
	EOF
}

@test "fatigue lists a lead's caps in the order they are given, and takes lead filters" {
	run lead-report fatigue --cap all=5/7d,call=2/7d --owner carol
	assert_success
	# carol owns hal and oli; only oli is at a cap.
	expect <<-EOF
	$FATIGUE_HEAD
	oli@pi.example|all|5|all=5/7d|at|2026-11-21T12:00:00Z|
	oli@pi.example|call|3|call=2/7d|over|2026-11-21T10:00:00Z|
	EOF
}

@test "fatigue without caps is a usage error" {
	run lead-report fatigue
	assert_failure 2
}

# ----------------------------------------------------------------- leads

@test "leads prints the default columns of the leads kept, in id order" {
	printf 'email\nmax@xi.example\nann@acme.example\n' > list.csv
	run lead-report leads list.csv
	assert_success
	expect <<-EOF
	email|first_name|last_name|company|title|country|source|campaign|stage|owner|score|grade|created_at|dnc
	ann@acme.example|Ann|Archer|Acme|VP Marketing|US|webinar|Pipeline Webinar|won|alice|85.5|A|2026-09-01T09:30:00Z|
	max@xi.example|Max|Moss|Xi||US|tradeshow|Expo 2026|new||||2026-11-02T09:30:00Z|
	EOF
}

@test "leads --columns picks the columns" {
	run lead-report leads --columns email,owner --stage mql
	assert_success
	# At mql: hal, ned, quinn, sue (dave's, who left), vic (nobody's).
	expect <<-EOF
	email|owner
	hal@theta.example|carol
	ned@omicron.example|alice
	quinn@sigma.example|bob
	sue@nu.example|dave
	vic@phi.example|
	EOF
	run lead-report leads --columns email,shoe_size
	assert_failure 2
}

@test "leads in a period lists the leads created in it" {
	run lead-report leads --columns email --since 2026-11-10 --owner Bob
	assert_success
	# Created from 11-10: pam and vic (nobody's), quinn (bob's).
	expect <<-EOF
	email
	quinn@sigma.example
	EOF
}

@test "leads leaves forgotten leads out" {
	run lead-report leads --columns id
	assert_success
	# The header and 21 leads: all but 20.
	[ "${#lines[@]}" -eq 22 ]
	refute_line 20
	# Created on 11-01: lead 20 alone.
	run lead-report leads --since 2026-11-01 --until 2026-11-01
	assert_success
	[ "${#lines[@]}" -eq 1 ]
}

# ------------------------------------------------------- output formats

@test "--json writes numbers as numbers and empty cells as null" {
	run lead-report sla --json
	assert_success
	printf '%s\n' "$output" > sla.json
	run python3 - sla.json <<-'EOF'
	import json, sys
	rows = {r["rep"]: r for r in map(json.loads, open(sys.argv[1]))}
	a, e = rows["alice"], rows["erin"]
	assert list(a) == ["rep", "assigned", "accepted", "rejected", "touched",
	    "median_hours_to_touch", "p90_hours_to_touch", "within_sla_pct",
	    "overdue", "never_touched", "touches_without_context"], list(a)
	assert type(a["assigned"]) is int and a["assigned"] == 5, a
	assert type(a["median_hours_to_touch"]) is float and a["median_hours_to_touch"] == 4.0, a
	assert a["within_sla_pct"] == 80.0, a
	assert e["median_hours_to_touch"] is None and e["within_sla_pct"] is None, e
	assert e["assigned"] == 0 and type(e["assigned"]) is int, e
	EOF
	assert_success
	run lead-report leads --json --columns email,owner,score --stage mql
	assert_success
	printf '%s\n' "$output" > leads.json
	# vic has no owner: null; scores are numbers.
	run python3 - leads.json <<-'EOF'
	import json, sys
	rows = [json.loads(l) for l in open(sys.argv[1])]
	assert [r["email"] for r in rows][-1] == "vic@phi.example", rows
	assert rows[-1]["owner"] is None and rows[-1]["score"] == 64, rows[-1]
	assert rows[0]["owner"] == "carol" and type(rows[0]["score"]) in (int, float), rows[0]
	EOF
	assert_success
}

@test "--csv neutralises a formula in the data, but not a negative number" {
	sql "update lead set source = '=HYPERLINK(\"http://evil.example\",\"x\")' where source = 'website'"
	run lead-report funnel --by source --csv
	assert_success
	# '=' sorts before the letters: the first group.
	assert_line --index 1 "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",new,3,100.0,"
	run lead-report funnel --by source --csv --raw
	assert_line --index 1 "\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",new,3,100.0,"
	run lead-report campaigns --csv
	assert_line --index 2 "content,Whitepaper Q3,8,6,6,2,1,0,0.00,1000.00,125.00,166.67,,-100.0"
	# '@' (before the capitals) and '-' that is no number.
	sql "update lead set campaign = '@SUM(A1)' where id = 21; update lead set campaign = '-x' where campaign = 'Expo 2026'"
	run lead-report funnel --by campaign --csv
	assert_line --index 1 "'-x,new,6,100.0,"
	assert_line --index 10 "'@SUM(A1),new,1,100.0,"
}

@test "--no-header leaves the header out" {
	run lead-report funnel --no-header
	assert_success
	assert_line --index 0 "$(row 'new|22|100.0|')"
	[ "${#lines[@]}" -eq 9 ]
}

@test "--table never passes an escape sequence from the data to the terminal" {
	sql "update lead set campaign = 'Evil$(printf '\033')[31mRed' where id = 21"
	run lead-report funnel --by campaign --table
	assert_success
	[[ $output != *$'\e'* ]]
	assert_output --partial 'Evil\x1b[31mRed'
}

@test "--chart never passes an escape sequence from the data to the terminal" {
	sql "update lead set campaign = 'Evil$(printf '\033')[31mRed$(printf '\r')' where id = 21"
	run lead-report funnel --by campaign --chart
	assert_success
	[[ $output != *$'\e'* ]]
	[[ $output != *$'\r'* ]]
	assert_output --partial 'Evil'
}

@test "--chart --ascii draws the funnel in bars of '#' as wide as --width" {
	run lead-report funnel --stage won,lost --chart --ascii --width 60
	assert_success
	# The title, then each stage: its name in 12 columns (disqualified),
	# a space, a bar of up to 60 - 13 - 2 = 45 columns scaled to the
	# largest value (5), a space and the value: 5 -> 45, 4 -> 36, 3 ->
	# 27, 2 -> 18, 0 -> none.
	local b45 b36 b27 b18 sp
	b45=$(printf '%45s' '' | tr ' ' '#')
	b36=${b45:0:36} b27=${b45:0:27} b18=${b45:0:18} sp=$(printf '%45s' '')
	assert_line --index 0 --partial 'funnel'
	assert_line --index 1 "new          $b45 5"
	assert_line --index 4 "sql          $b45 5"
	assert_line --index 5 "opportunity  $b36${sp:36} 4"
	assert_line --index 6 "won          $b27${sp:27} 3"
	assert_line --index 7 "nurture      $sp 0"
	assert_line --index 8 "lost         $b18${sp:18} 2"
	assert_line --index 9 "disqualified $sp 0"
	[ "${#lines[@]}" -eq 10 ]
	# Without --ascii: the same bars in full blocks.
	run lead-report funnel --stage won,lost --chart --width 60
	assert_line --index 5 "opportunity  $(printf '█%.0s' $(seq 36))${sp:36} 4"
}

@test "--chart takes its width from COLUMNS without --width" {
	COLUMNS=60 run lead-report funnel --stage won,lost --chart --ascii
	assert_success
	assert_line --index 1 "new          $(printf '#%.0s' $(seq 45)) 5"
}

@test "--chart of more than 2000 rows is a usage error" {
	# 2000 more leads: ids 23-2022.
	sql "with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000)
	    insert into lead (email, source, created_at, updated_at, score)
	    select 'bulk' || i || '@example.com', 'bulk', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z', i % 100 from n"
	# 21 leads (not the forgotten one) + 23-2001 = 2000 rows: drawn.
	run lead-report leads --chart --ascii --where 'id <= 2001'
	assert_success
	run lead-report leads --chart --ascii --where 'id <= 2002'
	assert_failure 2
}

@test "--chart of a column that is not a number is a usage error naming the number columns" {
	run lead-report funnel --chart=stage
	assert_failure 2
	assert_output --partial "pct_of_cohort"
	run lead-report funnel --ascii
	assert_failure 2
}

@test "--svg writes a well-formed picture with the labels escaped" {
	sql "update lead set campaign = 'R&D <Beta>$(printf '\001')!' where id = 21"
	umask 022
	run lead-report funnel --by campaign --svg chart.svg
	assert_success
	# The table still goes to the standard output.
	assert_line --index 0 "$(row "campaign|$FUNNEL_HEAD")"
	[ "$(stat -c %a chart.svg)" = 644 ]
	# Nothing but the picture is left beside it.
	[ "$(ls | grep -v '^leads\.db')" = chart.svg ]
	grep -q 'R&amp;D &lt;Beta&gt;!' chart.svg
	refute_grep 'R&D' chart.svg
	refute_grep $'\x01' chart.svg
	if command -v xmllint > /dev/null; then
		xmllint --noout chart.svg
	else
		head -n 2 chart.svg | grep -q '<svg'
		tail -n 1 chart.svg | grep -q '</svg>'
	fi
}

@test "--svg of leads is readable by its owner only" {
	umask 022
	run lead-report leads --svg leads.svg
	assert_success
	[ "$(stat -c %a leads.svg)" = 600 ]
}

# ------------------------------------------------------------- refusals

@test "--where with SQL in it is refused, and the lead table is intact" {
	run lead-report leads --where 'score > 50; DROP TABLE lead'
	assert_failure 2
	assert_output --partial "--where:1:"
	run lead-report leads --columns email --where "email = '' OR 1=1 --"
	# Refused, or read as a condition no lead meets: never every lead.
	if [ "$status" -eq 0 ]; then
		[ "${#lines[@]}" -le 1 ]
	else
		assert_failure 2
	fi
	[ "$(sql "select count(*) from lead")" = 22 ]
}

@test "--where naming an unknown field is a usage error pointing at it" {
	run lead-report funnel --where 'shoe_size > 40'
	assert_failure 2
	assert_output --partial "--where:1:"
	assert_output --partial "shoe_size"
}

@test "a --by the report does not take is a usage error" {
	for r in 'campaigns --by owner' 'sla --by source' 'scoring --by grade' \
	    'content --by month' 'fatigue --cap email=3/7d --by source' 'leads --by source'; do
		run lead-report $r
		[ "$status" -eq 2 ] || fail "lead-report $r: exit $status"
	done
}

@test "an unknown report is a usage error" {
	run lead-report pipeline
	assert_failure 2
	assert_output --partial "pipeline"
}

@test "a missing database is an error naming it, and is not created" {
	run lead-report funnel -d missing.db
	assert_failure 3
	assert_output --partial "missing.db"
	[ ! -e missing.db ]
}

@test "--since not before --until is a usage error" {
	run lead-report funnel --since 2026-11-01 --until 2026-10-01
	assert_failure 2
	run lead-report funnel --since 2026-11-01T00:00:00Z --until 2026-11-01T00:00:00Z
	assert_failure 2
}

# pg_data: the rows of the test's schema on the server (pg_dump, less
# the key it draws for each dump).
pg_data() {
	pg_dump -a -n "$PG_SCHEMA" "$PG_URL" | grep -v '^\\\(un\)\{0,1\}restrict '
}

@test "reports never change the database" {
	local before dump
	if is_pg; then
		before=$(pg_data | sha256sum)
	else
		before=$(sha256sum < "$LEAD_DB")
		dump=$(sql .dump)
	fi
	for r in 'funnel --by week' 'campaigns --by source' 'sla --by month' \
	    scoring 'aging --by owner' 'velocity --by campaign' \
	    'rejections --by week' content leads 'fatigue --cap email=3/7d' \
	    'funnel --chart --svg c.svg'; do
		lead-report $r > /dev/null || fail "lead-report $r: exit $?"
	done
	if is_pg; then
		[ "$(pg_data | sha256sum)" = "$before" ]
	else
		[ "$(sha256sum < "$LEAD_DB")" = "$before" ]
		[ "$(sql .dump)" = "$dump" ]
	fi
}

@test "--bar names the column the SVG draws, and without a chart is a usage error" {
	run lead-report funnel --svg f.svg --bar pct_of_cohort
	assert_success
	grep -q 'funnel: pct_of_cohort' f.svg
	run lead-report funnel --bar leads
	assert_failure 2
	assert_output --partial "--bar goes with --chart or --svg"
	run lead-report leads --columns email,id --svg l.svg
	assert_failure 2
	assert_output --partial "--bar names one"
}

@test "--band, --stuck and --goal given to another report are usage errors" {
	run lead-report funnel --band 5
	assert_failure 2
	assert_output --partial "--band goes with the scoring report"
	run lead-report scoring --stuck 10d
	assert_failure 2
	assert_output --partial "--stuck goes with the aging report"
	run lead-report aging --goal won
	assert_failure 2
	assert_output --partial "--goal goes with the content report"
}

@test "--owner takes a rep's email as well as the name" {
	sql "update rep set email = 'alice@example.com' where name = 'alice'"
	run lead-report leads --owner alice --columns id
	assert_success
	by_name=$output
	run lead-report leads --owner ALICE@example.com --columns id
	assert_success
	assert_output "$by_name"
	[ "$(printf '%s\n' "$output" | wc -l)" -gt 1 ]
}
