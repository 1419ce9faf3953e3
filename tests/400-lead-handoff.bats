#!/usr/bin/env bats
# lead-handoff: the sales team, routing, the sheet, and the hand-off's life.

load helpers/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db LEAD_NOW=2026-11-22T09:30:00Z
	lead-import -q "$FIX/handoff-leads.csv"
	# Every lead sales-ready, best first in the order of the file.
	sql "update lead set stage = 'mql', score = 100 - id, grade = 'A'"
}

# owner EMAIL: the name of a lead's owner.
owner() {
	sql "select r.name from lead l join rep r on r.id = l.owner_id where l.email = '$1'"
}

reps() {
	lead-handoff -q reps "$FIX/handoff-reps.csv"
}

@test "a reps file is loaded and listed back with each rep's open leads" {
	run lead-handoff reps "$FIX/handoff-reps.csv"
	assert_success
	assert_output --partial "5 reps: 5 added, 0 changed, 0 no longer listed"
	run lead-handoff reps
	assert_line --index 0 "name	email	territory	capacity	open	weight	available	manager"
	assert_line --index 1 "alice	alice@example.com	US, CA	10	0	1.0	yes	mia"
	[ "$(sql "select count(*) from rep_version")" = 1 ]
}

@test "a reps file with an unknown column is refused and changes nothing" {
	printf 'name,email,quota\nalice,alice@example.com,10\n' > reps.csv
	run lead-handoff reps reps.csv
	assert_failure 2
	assert_output --partial "reps.csv:1: unknown column 'quota'"
	assert_output --partial "nothing changed"
	[ "$(sql "select count(*) from rep")" = 0 ]
}

@test "a rep listed twice is refused" {
	printf 'name,email\nalice,a@example.com\nAlice,b@example.com\n' > reps.csv
	run lead-handoff reps reps.csv
	assert_failure 2
	assert_output --partial "reps.csv:3: rep 'Alice' is listed twice"
}

@test "a capacity of zero is refused with what to write instead" {
	printf 'name,capacity\nalice,0\nbob,5\n' > reps.csv
	run lead-handoff reps reps.csv
	assert_failure 2
	assert_output --partial "reps.csv:2: capacity 0: a rep who takes no leads is available no"
}

@test "a reps file with no available rep is refused" {
	printf 'name,available\nalice,no\nbob,n\n' > reps.csv
	run lead-handoff reps reps.csv
	assert_failure 2
	assert_output --partial "no rep is available"
}

@test "a manager who is not in the reps file is refused" {
	printf 'name,manager\nalice,zoe\n' > reps.csv
	run lead-handoff reps reps.csv
	assert_failure 2
	assert_output --partial "alice's manager 'zoe' is not in the file"
}

@test "the reps file is versioned; a rep no longer listed is kept, inactive" {
	reps
	reps
	[ "$(sql "select count(*) from rep_version")" = 1 ]
	grep -v '^dave' "$FIX/handoff-reps.csv" | sed 's/^bob,\(.*\),1,1,yes,mia$/bob,\1,3,1,yes,mia/' > less.csv
	run lead-handoff reps less.csv
	assert_output --partial "4 reps: 0 added, 1 changed, 1 no longer listed"
	[ "$(sql "select count(*) from rep_version")" = 2 ]
	[ "$(sql "select active from rep where name = 'dave'")" = 0 ]
	[ "$(sql "select capacity from rep where name = 'bob'")" = 3 ]
}

@test "reps load from standard input too, in TSV" {
	printf 'name\temail\nalice\talice@example.com\n' | lead-handoff -q reps -
	[ "$(sql "select name from rep")" = alice ]
}

@test "assign gives every unowned mql an owner, with the reason and the SLA due time" {
	reps
	run lead-handoff assign
	assert_success
	assert_output --partial "7 assigned, 0 held back"
	[ "$(sql "select count(*) from lead where owner_id is null")" = 0 ]
	[ "$(sql "select due from assignment where lead_id = 1")" = 2026-11-23T09:30:00Z ]
	[ "$(sql "select reason from assignment where lead_id = 1")" = "territory United States, next in turn" ]
	[ "$(sql "select actor from assignment limit 1")" = lead-handoff ]
}

@test "a lead goes to the rep whose territory covers its country" {
	reps
	lead-handoff -q assign > /dev/null
	[ "$(owner a1@acme.com)" = alice ]
	[ "$(owner b1@globex.de)" = bob ]	# Deutschland is in EMEA
	[ "$(owner e1@umbrella.jp)" = carol ]	# nobody covers Japan: the generalist
}

@test "a lead of a company someone owns goes to that owner" {
	reps
	sql "update lead set stage = 'new' where email = 'a2@acme.com'"
	lead-handoff -q assign > /dev/null
	[ "$(owner a1@acme.com)" = alice ]
	sql "insert into rep (name, territory) values ('zed', 'US')"
	sql "update rep set rr_pass = -100 where name = 'zed'"
	sql "update lead set stage = 'mql' where email = 'a2@acme.com'"
	run lead-handoff assign
	assert_output --partial "account: alice owns acme.com"
	[ "$(owner a2@acme.com)" = alice ]
}

@test "free-mail domains never count as a company" {
	reps
	# alice takes a1, al c1; c2 is alice's turn again, not c1's owner's.
	sql "update lead set country = 'United States' where email = 'c2@gmail.com'"
	sql "update lead set stage = 'new' where email = 'a2@acme.com'"
	printf 'name,territory\nalice,US\nal,US\n' > two.csv
	lead-handoff -q reps two.csv
	lead-handoff -q assign > /dev/null
	[ "$(owner c1@gmail.com)" != "$(owner c2@gmail.com)" ]
}

@test "a rep's capacity is never exceeded" {
	reps
	run lead-handoff assign
	# bob takes one EMEA lead; the other goes to the generalist.
	[ "$(sql "select count(*) from lead l join rep r on r.id = l.owner_id where r.name = 'bob'")" = 1 ]
	[ "$(owner b2@hooli.de)" = carol ]
}

@test "a lead nobody can take is held back with a message" {
	printf 'name,territory,capacity\nalice,US,1\n' > one.csv
	lead-handoff -q reps one.csv
	run lead-handoff assign
	assert_success
	assert_output --partial "b1@globex.de: held back: no available rep with room covers Deutschland"
	assert_output --partial "1 assigned, 6 held back"
}

@test "turns are fair across runs and follow the weights" {
	printf 'name,territory,weight\nann,US,2\nben,US,1\n' > w.csv
	lead-handoff -q reps w.csv
	for i in $(seq 1 6); do echo "u$i@co$i.com,United States"; done | sed '1i email,country' > us.csv
	sql "update lead set stage = 'new'"
	lead-import -q us.csv
	sql "update lead set stage = 'mql', score = 1 where email like 'u%'"
	printf 'email\nu1@co1.com\nu2@co2.com\nu3@co3.com\n' > first.csv
	lead-handoff -q assign first.csv > /dev/null
	lead-handoff -q assign > /dev/null
	[ "$(sql "select count(*) from lead l join rep r on r.id = l.owner_id where r.name = 'ann'")" = 4 ]
	[ "$(sql "select count(*) from lead l join rep r on r.id = l.owner_id where r.name = 'ben'")" = 2 ]
}

@test "a do-not-contact lead is held back, not handed to a calling queue" {
	reps
	sql "update lead set dnc_phone = 1 where email = 'a1@acme.com'"
	run lead-handoff assign
	assert_output --partial "a1@acme.com: do-not-contact (phone); held back"
	assert_output --partial "held back (1 do-not-contact)"
	[ -z "$(owner a1@acme.com)" ]
}

@test "--sla sets the due time per grade" {
	reps
	sql "update lead set grade = 'B' where email = 'b1@globex.de'"
	lead-handoff -q assign --sla A=4h,B=2d,*=24h > /dev/null
	[ "$(sql "select due from assignment a join lead l on l.id = a.lead_id where l.email = 'a1@acme.com'")" = 2026-11-22T13:30:00Z ]
	[ "$(sql "select due from assignment a join lead l on l.id = a.lead_id where l.email = 'b1@globex.de'")" = 2026-11-24T09:30:00Z ]
	run lead-handoff assign --sla soon
	assert_failure 2
}

@test "--to assigns the listed leads by hand" {
	reps
	sql "update lead set stage = 'nurture' where email = 'e1@umbrella.jp'"
	run sh -c 'echo e1@umbrella.jp | lead-handoff assign --to bob -'
	assert_success
	[ "$(owner e1@umbrella.jp)" = bob ]
	[ "$(sql "select reason from assignment")" = "by hand" ]
	[ "$(sql "select count(*) from lead where owner_id is not null")" = 1 ]
}

@test "the sheet carries what a rep needs on the first call" {
	reps
	lead-log -q a1@acme.com webinar_attended --content "Pipeline Webinar" --at 2026-11-20T10:00:00Z
	printf 'fit +20 title matches "vp|cto|director"\nbehavior +30 webinar_attended\n' > rules.txt
	lead-score -q -n -r rules.txt > /dev/null
	lead-score -q -r rules.txt > /dev/null
	sql "update lead set stage = 'mql'"
	run lead-handoff assign
	assert_line --index 0 "rep	rep_email	due	email	name	company	title	phone	country	first_source	first_campaign	last_source	last_campaign	score	grade	reasons	last_touches	why	dnc	history	promises"
	assert_output --partial "alice	alice@example.com	2026-11-23T09:30:00Z	a1@acme.com	Ann Archer	Acme	VP Sales	+1 555 0101	United States"
	assert_output --partial 'behavior +30 webinar_attended (+30); fit +20 title matches "vp|cto|director" (+20)	2026-11-20 webinar_attended Pipeline Webinar'
}

@test "--sheet writes one private file per rep" {
	reps
	lead-handoff -q assign --sheet sheets > /dev/null
	[ -f sheets/alice.tsv ] && [ -f sheets/bob.tsv ] && [ -f sheets/carol.tsv ]
	[ "$(stat -c %a sheets)" = 700 ]
	[ "$(stat -c %a sheets/alice.tsv)" = 600 ]
	run cut -f4 sheets/bob.tsv
	assert_output "$(printf 'email\nb1@globex.de')"
}

@test "the owner accepts a lead: stage sal" {
	reps
	lead-handoff -q assign > /dev/null
	run lead-handoff accept a1@acme.com --by alice
	assert_success
	[ "$(sql "select stage from lead where email = 'a1@acme.com'")" = sal ]
	[ "$(sql "select accepted_at from assignment where lead_id = 1")" = 2026-11-22T09:30:00Z ]
	[ "$(sql "select actor, reason from stage_history where to_stage = 'sal'")" = "alice|accepted" ]
}

@test "only the owner accepts, unless --force" {
	reps
	lead-handoff -q assign > /dev/null
	run lead-handoff accept a1@acme.com --by bob
	assert_failure 1
	assert_output --partial "owned by alice, not bob"
	run lead-handoff accept a1@acme.com --by bob --force
	assert_success
}

@test "a rejected lead goes back to nurture with the reason, and loses its owner" {
	reps
	lead-handoff -q assign > /dev/null
	run lead-handoff reject a2@acme.com --reason "procurement, not a buyer"
	assert_success
	[ "$(sql "select stage, owner_id is null from lead where email = 'a2@acme.com'")" = "nurture|1" ]
	[ "$(sql "select reject_reason, end_reason from assignment where lead_id = 2")" = "procurement, not a buyer|rejected" ]
	[ "$(sql "select reason from stage_history where to_stage = 'nurture'")" = "procurement, not a buyer" ]
}

@test "reject needs a reason, and --disqualify is a dead end" {
	reps
	lead-handoff -q assign > /dev/null
	run lead-handoff reject a2@acme.com
	assert_failure 2
	assert_output --partial "give --reason"
	lead-handoff -q reject a2@acme.com --reason "competitor" --disqualify
	[ "$(sql "select stage from lead where email = 'a2@acme.com'")" = disqualified ]
}

@test "accept and reject read emails from standard input" {
	reps
	lead-handoff -q assign > /dev/null
	printf 'a1@acme.com\nc1@gmail.com\n' | lead-handoff -q accept -
	[ "$(sql "select count(*) from lead where stage = 'sal'")" = 2 ]
}

@test "overdue lists leads past their SLA that their owner has not touched" {
	reps
	lead-handoff -q assign > /dev/null
	lead-log -q a1@acme.com call --outcome connected --note "intro call, wants pricing" --by alice --at 2026-11-22T15:00:00Z
	run lead-handoff overdue --now 2026-11-23T12:00:00Z
	assert_success
	assert_line --index 0 "rep	email	assigned_at	due	late	late_s	score	grade	stage	what"
	assert_output --partial "alice	a2@acme.com	2026-11-22T09:30:00Z	2026-11-23T09:30:00Z	2h 30m	9000"
	refute_output --partial "a1@acme.com"
	run lead-handoff overdue
	assert_output "rep	email	assigned_at	due	late	late_s	score	grade	stage	what"
}

@test "escalate gives overdue leads to the rep's manager, and records it" {
	reps
	lead-handoff -q assign > /dev/null
	sed 's/^mia,mia@example.com,\*,,1,no,/mia,mia@example.com,*,,1,yes,/' "$FIX/handoff-reps.csv" > r.csv
	lead-handoff -q reps r.csv
	run lead-handoff escalate --now 2026-11-24T00:00:00Z
	assert_success
	assert_output --partial "a1@acme.com: escalated from alice to mia"
	[ "$(owner a1@acme.com)" = mia ]
	[ "$(sql "select end_reason from assignment where lead_id = 1 and rep_id = 1")" = escalated ]
	[ "$(sql "select reason from assignment where lead_id = 1 and ended_at is null")" = "escalated from alice: no first touch within the SLA" ]
}

@test "reassign moves a lead to another rep" {
	reps
	lead-handoff -q assign > /dev/null
	lead-handoff -q reassign a1@acme.com --to carol
	[ "$(owner a1@acme.com)" = carol ]
	[ "$(sql "select count(*) from assignment where lead_id = 1 and ended_at is null")" = 1 ]
	run lead-handoff reassign a1@acme.com --to nobody
	assert_failure 2
}

@test "recycle returns leads sales left untouched to nurture, with the reason" {
	reps
	lead-handoff -q assign > /dev/null
	lead-log -q b1@globex.de email_sent --content "Intro" --by bob --at 2026-12-20T10:00:00Z
	run lead-handoff recycle --idle 30d --now 2027-01-05T00:00:00Z
	assert_success
	assert_output --partial "6 recycled to nurture"
	[ "$(sql "select stage from lead where email = 'b1@globex.de'")" = mql ]
	[ "$(sql "select stage, owner_id is null from lead where email = 'a1@acme.com'")" = "nurture|1" ]
	[ "$(sql "select reason from stage_history where to_stage = 'nurture' limit 1")" = "recycled: no sales touch for 30d" ]
}

@test "-n prints the sheet and changes nothing" {
	reps
	run lead-handoff -n assign
	assert_success
	assert_output --partial "a1@acme.com"
	assert_output --partial "(dry run: nothing changed)"
	[ "$(sql "select count(*) from assignment")" = 0 ]
	[ "$(sql "select count(*) from lead where owner_id is not null")" = 0 ]
}

@test "assign without reps says how to load them" {
	run lead-handoff assign
	assert_failure 2
	assert_output --partial "no reps: load the sales team with lead-handoff reps FILE"
}

@test "two assign runs at once never give a lead two owners or a rep too many" {
	reps
	for i in $(seq 1 40); do echo "x$i@firm$i.com,United States"; done | sed '1i email,country' > many.csv
	lead-import -q many.csv
	sql "update lead set stage = 'mql' where owner_id is null"
	lead-handoff -q assign > a.out 2>&1 &
	lead-handoff -q assign > b.out 2>&1 &
	wait
	[ "$(sql "select count(*) from assignment")" = "$(sql "select count(distinct lead_id) from assignment")" ]
	[ "$(sql "select count(*) from (select rep_id from assignment group by rep_id having count(*) > (select coalesce(capacity, 1000000000) from rep where id = rep_id)) t")" = 0 ]
	[ "$(sql "select count(*) from lead l join assignment a on a.lead_id = l.id where a.rep_id <> l.owner_id")" = 0 ]
}

@test "the owner's touch stops the SLA clock whatever the case of the name" {
	reps
	lead-handoff -q assign > /dev/null
	lead-log -q a1@acme.com email_sent --content "Intro" --by ALICE --at 2026-11-22T12:00:00Z
	[ -n "$(sql "select first_touch_at from assignment where lead_id = 1")" ]
	run lead-handoff overdue --now 2026-11-24T00:00:00Z
	refute_output --partial "a1@acme.com"
}

@test "a lead that closes is no longer overdue for anyone" {
	reps
	lead-handoff -q assign > /dev/null
	lead-log -q a1@acme.com note --note "went with a competitor" --stage lost --reason "price"
	[ "$(sql "select end_reason from assignment where lead_id = 1")" = lost ]
	run lead-handoff overdue --now 2026-11-24T00:00:00Z
	refute_output --partial "a1@acme.com"
	run lead-handoff escalate --now 2026-11-24T00:00:00Z
	refute_output --partial "a1@acme.com"
}

@test "recycle counts any outbound touch, such as an sms, as a sales touch" {
	reps
	lead-handoff -q assign > /dev/null
	lead-log -q a1@acme.com sms --note "asked for a time to talk" --by carol --at 2026-12-20T10:00:00Z
	lead-handoff -q recycle --idle 30d --now 2027-01-05T00:00:00Z
	[ "$(sql "select stage from lead where email = 'a1@acme.com'")" = mql ]
	[ "$(sql "select end_reason from assignment where lead_id = 2")" = recycled ]
}

@test "a rep whose territory is * is a generalist, like one without a territory" {
	printf 'name,territory\nalice,US\nstar,*\n' > r.csv
	lead-handoff -q reps r.csv
	lead-handoff -q assign > /dev/null
	[ "$(owner a1@acme.com)" = alice ]
	[ "$(owner c1@gmail.com)" = alice ]
	[ "$(owner b1@globex.de)" = star ]
}

@test "a new rep joins the turns at the others' average place, not owed a backlog" {
	printf 'name,territory\nann,US\nben,US\n' > r.csv
	lead-handoff -q reps r.csv
	sql "update rep set rr_pass = 10 where name = 'ann'; update rep set rr_pass = 20 where name = 'ben'"
	printf 'name,territory\nann,US\nben,US\ncid,US\n' > r2.csv
	lead-handoff -q reps r2.csv
	[ "$(sql "select rr_pass from rep where name = 'cid'")" = 15.0 ]
}

@test "sheet files keep non-ASCII names apart, and -n writes none" {
	printf 'name\nMüller\nMöller\n' > r.csv
	lead-handoff -q reps r.csv
	lead-handoff -q -n assign --sheet dry > /dev/null
	[ ! -e dry ] || [ -z "$(ls dry)" ]
	lead-handoff -q assign --sheet sheets > /dev/null
	[ -f sheets/Müller.tsv ] && [ -f sheets/Möller.tsv ]
	[ -z "$(ls -A sheets | grep '^\.')" ]
}

@test "usage errors are found before the database is opened" {
	run lead-handoff -d none.db frob
	assert_failure 2
	assert_output --partial "unknown subcommand 'frob'"
	run lead-handoff -d none.db assign --sla soon
	assert_failure 2
}

@test "reassign refuses a closed lead or one who opted out of calls, and reject checks --by" {
	reps
	lead-handoff -q assign > /dev/null
	sql "update lead set dnc_phone = 1 where email = 'a2@acme.com'"
	run lead-handoff reassign a2@acme.com --to carol
	assert_failure 1
	assert_output --partial "do-not-contact"
	lead-log -q a1@acme.com note --note "signed the order form" --stage won --force --amount 1200
	run lead-handoff reassign a1@acme.com --to carol
	assert_failure 1
	assert_output --partial "won; not reassigned"
	run lead-handoff reject b1@globex.de --reason "no budget" --by alice
	assert_failure 1
	assert_output --partial "owned by bob, not alice"
}

@test "a do-not-contact lead handed over with --force says so on the sheet" {
	reps
	sql "update lead set dnc_phone = 1 where email = 'a1@acme.com'"
	run lead-handoff assign --force
	assert_output --partial "a1@acme.com: "
	assert_line --regexp "^alice	.*	a1@acme.com	.*	phone		$"
}

@test "the rep whose territory names the lead's country most closely comes first" {
	printf 'name,territory,capacity\nemea,EMEA,10\ndach,DACH,1\nde,Germany,1\n' > r.csv
	lead-handoff -q reps r.csv
	lead-handoff -q assign > /dev/null
	[ "$(owner b1@globex.de)" = de ]	# Germany before DACH
	[ "$(owner b2@hooli.de)" = dach ]	# de is full: DACH before EMEA
}

@test "a new lead handed over by hand becomes an mql with its SLA clock running" {
	reps
	sql "update lead set stage = 'new' where email = 'e1@umbrella.jp'"
	echo e1@umbrella.jp | lead-handoff -q assign --to carol - > /dev/null
	[ "$(sql "select stage from lead where email = 'e1@umbrella.jp'")" = mql ]
	[ "$(sql "select reason from stage_history where to_stage = 'mql'")" = "handed to carol (by hand)" ]
	run lead-handoff overdue --now 2026-11-24T00:00:00Z
	assert_output --partial "carol	e1@umbrella.jp"
}

@test "a lead moved back to nurture loses its owner and is handed off afresh later" {
	reps
	lead-handoff -q assign > /dev/null
	lead-log -q a1@acme.com note --note "not before next budget year" --stage nurture --reason "timing"
	[ "$(sql "select owner_id is null from lead where email = 'a1@acme.com'")" = 1 ]
	sql "update lead set stage = 'mql' where email = 'a1@acme.com'"
	run lead-handoff assign
	assert_output --partial "a1@acme.com"
	[ "$(sql "select count(*) from assignment where lead_id = 1")" = 2 ]
}

@test "a quote by the owner stops the SLA clock" {
	reps
	lead-handoff -q assign > /dev/null
	lead-log -q a1@acme.com quote --amount 5000 --note "three seats" --by alice --at 2026-11-22T15:00:00Z
	run lead-handoff overdue --now 2026-11-24T00:00:00Z
	refute_output --partial "a1@acme.com"
}

@test "a long list of held-back leads is cut short in the nightly mail, -v lists all" {
	printf 'name,territory,capacity\nalice,Japan,1\n' > one.csv
	lead-handoff -q reps one.csv
	for i in $(seq 1 30); do echo "h$i@firm$i.com,France"; done | sed '1i email,country' > many.csv
	lead-import -q many.csv
	sql "update lead set stage = 'mql' where owner_id is null"
	run lead-handoff -q assign
	[ "$(echo "$output" | grep -c 'held back: no available rep')" = 20 ]
	assert_output --partial "more leads held back (-v lists them all)"
	run lead-handoff -v -n assign
	[ "$(echo "$output" | grep -c 'held back: no available rep')" -gt 30 ]
}

@test "an account goes to the rep on the team who owns it, not to one who left" {
	printf 'name,territory\nold,US\nalice,EMEA\n' > r1.csv
	lead-handoff -q reps r1.csv
	sql "update lead set stage = 'new' where email <> 'a1@acme.com'"
	lead-handoff -q assign > /dev/null
	[ "$(owner a1@acme.com)" = old ]
	lead-handoff -q reassign a2@acme.com --to alice
	printf 'name,territory\nbob,US\nalice,EMEA\n' > r2.csv
	lead-handoff -q reps r2.csv
	printf 'email,country\na3@acme.com,United States\n' > a3.csv
	lead-import -q a3.csv
	sql "update lead set stage = 'mql' where email = 'a3@acme.com'"
	run lead-handoff assign
	assert_output --partial "account: alice owns acme.com"
	[ "$(owner a3@acme.com)" = alice ]
}

@test "a link planted in the sheet directory is not followed" {
	reps
	mkdir shared
	echo precious > victim.txt
	ln -s "$PWD/victim.txt" shared/.alice.tsv.tmp
	lead-handoff -q assign --sheet shared > /dev/null
	[ "$(cat victim.txt)" = precious ]
	[ ! -L shared/alice.tsv ] && [ "$(stat -c %a shared/alice.tsv)" = 600 ]
}

@test "a lead reassigned by hand from nurture becomes an mql" {
	reps
	sql "update lead set stage = 'nurture' where email = 'e1@umbrella.jp'"
	lead-handoff -q reassign e1@umbrella.jp --to alice
	[ "$(sql "select stage from lead where email = 'e1@umbrella.jp'")" = mql ]
}

@test "a weight too small to take turns with is refused" {
	printf 'name,weight\nann,1e-320\nben,1\n' > r.csv
	run lead-handoff reps r.csv
	assert_failure 2
	assert_output --partial "not a number from 0.001 to 1000"
}
