#!/usr/bin/env bats
# lead-log: timelines, contact caps, the protocol and caps settings.

load helpers/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db LEAD_NOW=2026-11-22T09:30:00Z
	lead-import -q --source webinar --campaign W1 "$FIX/bom-crlf.csv"
	lead-log -q --at 2026-11-20T10:00:00Z bob@acme.com call --outcome connected --note "budget in Q1, wants a demo" --next "send quote" --due 3d --by alice
	lead-log -q --at 2026-11-21T10:00:00Z bob@acme.com quote --amount 12000 --by alice
}

@test "show prints a lead's timeline as TSV, oldest first" {
	run lead-log show bob@acme.com
	assert_success
	assert_line --index 0 "$(printf 'email\tat\tevent\tkind\tdetail\tby')"
	assert_line --index 1 --regexp "^bob@acme.com	2026-11-20T10:00:00Z	touch	call	call \[connected\] \"budget in Q1, wants a demo\" next: send quote due 2026-11-23T10:00:00Z	alice$"
	assert_line --index 3 --partial "	stage	opportunity	new -> opportunity"
	assert_line --index 4 --partial "	list		webinar / W1"
}

@test "show --table starts with who the lead is and what was promised" {
	run lead-log show --table bob@acme.com
	assert_success
	assert_line --index 0 --regexp "^email +bob@acme.com$"
	assert_output --partial "first campaign        W1"
	assert_output --partial "promised last         send quote (due 2026-11-23T10:00:00Z)"
}

@test "show reads emails from lead-import -p on stdin" {
	lead-import -q -p --force "$FIX/bom-crlf.csv" | lead-log show - > out.tsv
	[ "$(grep -c '^email' out.tsv)" = 1 ]
	[ "$(cut -f1 out.tsv | sort -u | grep -c @)" = 3 ]
}

@test "show of an unknown lead says so and exits 1" {
	run lead-log show nobody@acme.com
	assert_failure 1
	assert_output --partial "no lead 'nobody@acme.com'"
}

@test "show --json writes one object per event" {
	run lead-log show --json bob@acme.com
	assert_line --index 0 --regexp '^\{"email":"bob@acme.com","at":"2026-11-20T10:00:00Z","event":"touch"'
}

@test "may-contact answers yes with exit 0 under the caps" {
	lead-log --cap email=2/7d,all=3/7d
	run lead-log may-contact bob@acme.com --channel email
	assert_success
}

@test "may-contact answers no with exit 1 and the reason once a cap is reached" {
	lead-log --cap email=2/7d
	lead-log -q bob@acme.com email_sent --content one.pdf --at 2026-11-20T09:00:00Z
	lead-log -q bob@acme.com email_sent --content two.pdf --at 2026-11-21T09:00:00Z
	run lead-log may-contact bob@acme.com --channel email
	assert_failure 1
	assert_output --partial "over the contact cap email=2"
	run lead-log may-contact bob@acme.com --channel call
	assert_success
}

@test "inbound events such as opens and visits do not count toward caps" {
	lead-log --cap all=1/7d
	lead-log -q bob@acme.com email_open --at 2026-11-21T09:00:00Z
	lead-log -q bob@acme.com page_visit --at 2026-11-21T09:05:00Z
	run lead-log may-contact alice@beta.io
	assert_success
	run lead-log may-contact bob@acme.com --channel email
	assert_failure 1
}

@test "a touch over the cap warns, and --enforce refuses it" {
	lead-log --cap call=1/7d
	run lead-log bob@acme.com call --outcome voicemail --note "left a message about the trial"
	assert_success
	assert_output --partial "warning: over the contact cap call=1"
	run lead-log --enforce bob@acme.com call --outcome voicemail --note "second message about the trial" --at 2026-11-22T09:31:00Z
	assert_failure 1
}

@test "may-contact says no for a do-not-contact lead" {
	lead-import -q --suppress "$FIX/suppress.csv"
	run lead-log may-contact bob@acme.com
	assert_failure 1
	assert_output --partial "do-not-contact"
}

@test "caps are printed back, and a bad cap spec is a usage error" {
	lead-log --cap email=3/7d,call=2/7d,all=5/7d
	run lead-log cap
	assert_output "email=3/7d,call=2/7d,all=5/7d"
	run lead-log --cap email=three/7d
	assert_failure 2
	run lead-log --cap fax=1/1d
	assert_failure 2
}

@test "the default protocol is printed back, and a new one is adopted" {
	run lead-log protocol
	assert_output --partial "call           outcome note"
	printf '# ours\ncall outcome note next\nmin-note 5\n' > proto.txt
	lead-log --protocol proto.txt
	run lead-log protocol
	assert_output "$(cat proto.txt)"
	run lead-log alice@beta.io call --outcome connected --note "talked pricing"
	assert_failure 2
	assert_output --partial "a call needs --next"
}

@test "a protocol file with an error points to its line and column and changes nothing" {
	printf 'call outcome note\nmeeting note nxt\n' > bad.txt
	run lead-log --protocol bad.txt
	assert_failure 2
	assert_output --partial "bad.txt:2:14: unknown field"
	run lead-log protocol
	assert_output --partial "call           outcome note"
}

@test "a binary protocol file is refused" {
	head -c 100 /dev/urandom > bin.txt
	printf '\000' >> bin.txt
	run lead-log --protocol bin.txt
	assert_failure 2
}

@test "show --table lists what the lead has seen, latest first" {
	lead-log -q bob@acme.com download --content "Data Quality Playbook" --at 2026-11-10T10:00:00Z
	lead-log -q bob@acme.com webinar_attended --content "Pipeline Webinar" --at 2026-11-12T10:00:00Z
	run lead-log show --table bob@acme.com
	assert_output --partial "has seen              Pipeline Webinar; Data Quality Playbook"
}

@test "caps may be written with blanks after the commas, and messages quote them as written" {
	lead-log --cap 'email=1/7d, call=1/24h'
	lead-log -q bob@acme.com email_sent --content one.pdf --at 2026-11-21T09:00:00Z
	run lead-log may-contact bob@acme.com --channel email
	assert_failure 1
	assert_output --partial "over the contact cap email=1/7d:"
}

@test "--protocol and --cap are one change: a bad cap leaves the protocol as it was" {
	printf 'call outcome\n' > p.txt
	run lead-log --protocol p.txt --cap email=x/7d
	assert_failure 2
	run lead-log protocol
	assert_output --partial "call           outcome note"
}

@test "protocol kinds are written like touch kinds, so a second rule for one is an error" {
	printf 'Email-Sent content\nemail_sent note\n' > p.txt
	run lead-log --protocol p.txt
	assert_failure 2
	assert_output --partial "p.txt:2:1: a second rule for 'email_sent'"
}

@test "a touch logged again at the cap is reported as logged already, not refused" {
	lead-log --cap email=1/7d
	lead-log -q bob@acme.com email_sent --content one.pdf --at 2026-11-21T09:00:00Z
	run lead-log --enforce bob@acme.com email_sent --content one.pdf --at 2026-11-21T09:00:00Z
	assert_success
	assert_output --partial "logged already"
}
