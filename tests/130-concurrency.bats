#!/usr/bin/env bats
# Every writing command at once on one database: an import, a bulk load,
# eight reps logging one touch at a time, scoring and assigning.  Each waits
# its turn inside --wait; nothing is lost, doubled or given two owners.

load helpers/common

# job NAME COMMAND...: run in the background; NAME.rc gets the exit status,
# NAME.out everything printed.
job() {
	local name=$1
	shift
	( set +e; "$@" > "$name.out" 2>&1; echo $? > "$name.rc" ) &
}

@test "an import, a bulk load, eight loggers, scoring and assigning at once lose and double nothing" {
	export LEAD_WAIT=120
	cat > rules.txt <<-'RULES'
	behavior +30 webinar_attended
	behavior +1 page_visit cap 20
	mql score >= 30
	RULES
	printf 'name,email,territory,capacity\n' > reps.csv
	for r in ann ben cat dan; do echo "$r,$r@sales.example,,5000"; done >> reps.csv
	awk 'BEGIN { print "email,company,country"; for (i = 0; i < 2000; i++) printf "b%d@base.example,Base %d,United States\n", i, i }' > base.csv
	lead-import -q base.csv
	lead-handoff -q reps reps.csv
	awk 'BEGIN { print "email,company,country"; for (i = 0; i < 3000; i++) printf "n%d@new.example,New %d,Germany\n", i, i }' > new.csv
	awk 'BEGIN { print "email,ts,kind,content"; for (i = 0; i < 3000; i++) printf "b%d@base.example,2026-11-01T%02d:%02d:%02dZ,page_visit,/p%d\n", i % 2000, int(i / 3600), int(i / 60) % 60, i % 60, i }' > visits.csv

	job import lead-import --source webinar --activity webinar_attended new.csv
	job bulk lead-log visits.csv
	for r in 1 2 3 4 5 6 7 8; do
		job "loop$r" sh -c 'for i in $(seq 10 24); do
			lead-log -q "b$1@base.example" note --at "2026-11-0$1T10:00:${i}Z" \
			    --note "loop $1 touch $i: asked about pricing" || exit
		done' sh "$r"
	done
	job score sh -c 'for i in 1 2 3; do lead-score -q -r rules.txt || exit; done'
	job assign sh -c 'for i in 1 2 3; do lead-handoff -q assign > /dev/null || exit; done'
	wait

	for f in *.rc; do
		echo "${f%.rc}: exit $(cat "$f"): $(cat "${f%.rc}.out")"
		[ "$(cat "$f")" = 0 ]
	done
	[ "$(ls *.rc | wc -l)" = 12 ]
	! grep -il 'locked\|busy' *.out
	# every touch stored, and stored once
	[ "$(sql "select count(*) from activity where kind = 'webinar_attended'")" = 3000 ]
	[ "$(sql "select count(*) from activity where kind = 'page_visit'")" = 3000 ]
	[ "$(sql "select count(*) from activity where kind = 'note'")" = 120 ]
	[ "$(sql "select count(*) from (select distinct lead_id, ts, kind from activity) t")" = 6120 ]
	[ "$(sql "select count(*) from lead")" = 5000 ]
	is_pg || [ "$(sql "PRAGMA integrity_check")" = ok ]
	is_pg || [ -z "$(sql "PRAGMA foreign_key_check")" ]
	# no lead with two owners, and every owner backed by one open assignment
	[ "$(sql "select count(*) from (select lead_id from assignment where ended_at is null group by lead_id having count(*) > 1) t")" = 0 ]
	[ "$(sql "select count(*) from lead l where owner_id is not null and owner_id is distinct from (select rep_id from assignment a where a.lead_id = l.id and a.ended_at is null)")" = 0 ]
	[ "$(sql "select count(*) from assignment where ended_at is null")" = "$(sql "select count(*) from lead where owner_id is not null")" ]
	# and the work was done: the webinar leads were scored and handed off
	# once the last score run and the last assign had seen them
	lead-score -q -r rules.txt
	lead-handoff -q assign > /dev/null
	[ "$(sql "select count(*) from lead where email like 'n%@new.example' and owner_id is null")" = 0 ]
}
