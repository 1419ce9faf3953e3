#!/usr/bin/env bats
# common/out.c: TSV, CSV, JSON Lines and table output, through
# "lktest out FMT", which re-writes TSV read from stdin.
load helpers/common

@test "TSV output starts with a header line and separates fields with tabs" {
	printf 'email\tcompany\nbob@acme.com\tAcme\n' > in.tsv
	run lktest out tsv < in.tsv
	assert_success
	assert_output "$(printf 'email\tcompany\nbob@acme.com\tAcme')"
}

@test "TSV escapes survive a round trip unchanged" {
	printf 'a\tb\nback\\\\slash\ttab\\there\nnew\\nline\tcr\\rhere\n' > in.tsv
	lktest out tsv < in.tsv > out.tsv
	cmp in.tsv out.tsv
}

@test "TSV with --no-header leaves the header line out" {
	printf 'a\tb\n1\t2\n' > in.tsv
	run lktest out tsv --no-header < in.tsv
	assert_success
	assert_output "$(printf '1\t2')"
}

@test "CSV quotes fields with commas, quotes and newlines" {
	printf 'name\tnote\nAcme, Inc.\tsay "hi"\nx\ttwo\\nlines\n' > in.tsv
	run lktest out csv < in.tsv
	assert_success
	assert_output "$(printf 'name,note\n"Acme, Inc.","say ""hi"""\nx,"two\nlines"')"
}

@test "CSV quotes fields with leading or trailing spaces" {
	printf 'a\tb\n lead\ttrail \n' > in.tsv
	run lktest out csv < in.tsv
	assert_success
	assert_line --index 1 '" lead","trail "'
}

@test "CSV leaves plain text and empty fields unquoted" {
	printf 'a\tb\tc\nplain\t\tx\n' > in.tsv
	run lktest out csv < in.tsv
	assert_success
	assert_line --index 1 'plain,,x'
}

@test "CSV neutralises a cell starting with '='" {
	printf 'f\n=SUM(A1)\n' > in.tsv
	run lktest out csv < in.tsv
	assert_success
	assert_line --index 1 "'=SUM(A1)"
}

@test "CSV neutralises a cell starting with '+'" {
	printf 'f\n+1+1\n' > in.tsv
	run lktest out csv < in.tsv
	assert_line --index 1 "'+1+1"
}

@test "CSV neutralises a cell starting with '-' that is not a number" {
	printf 'f\n-2+3\n' > in.tsv
	run lktest out csv < in.tsv
	assert_line --index 1 "'-2+3"
}

@test "CSV neutralises a cell starting with '@'" {
	printf 'f\n@cmd\n' > in.tsv
	run lktest out csv < in.tsv
	assert_line --index 1 "'@cmd"
}

@test "CSV neutralises a cell starting with a tab, and quotes nothing extra" {
	printf 'f\n\\t=1\n' > in.tsv
	run lktest out csv < in.tsv
	assert_line --index 1 "$(printf "'\\t=1")"
}

@test "CSV neutralises a cell starting with a carriage return inside quotes" {
	printf 'f\n\\r=1\n' > in.tsv
	lktest out csv < in.tsv > out.csv
	printf 'f\n"'"'"'\r=1"\n' > want.csv
	cmp out.csv want.csv
}

@test "CSV leaves signed and decimal numbers alone" {
	printf 'a\tb\tc\td\n-12.5\t+3\t-1e6\t0.5\n' > in.tsv
	run lktest out csv < in.tsv
	assert_success
	assert_line --index 1 '-12.5,+3,-1e6,0.5'
}

@test "CSV neutralises header cells too" {
	printf '=cmd\tok\n1\t2\n' > in.tsv
	run lktest out csv < in.tsv
	assert_line --index 0 "'=cmd,ok"
}

@test "CSV quotes a neutralised cell that needs quoting" {
	printf 'f\n=HYPERLINK("http://x",1)\n' > in.tsv
	run lktest out csv < in.tsv
	assert_line --index 1 "\"'=HYPERLINK(\"\"http://x\"\",1)\""
}

@test "CSV with --raw writes formulas as they are" {
	printf 'f\n=SUM(A1)\n' > in.tsv
	run lktest out csv --raw < in.tsv
	assert_success
	assert_line --index 1 '=SUM(A1)'
}

@test "JSON writes one object per row with keys in column order" {
	printf 'email\tcompany\nbob@acme.com\tAcme\n' > in.tsv
	run lktest out json < in.tsv
	assert_success
	assert_output '{"email":"bob@acme.com","company":"Acme"}'
}

@test "JSON writes numbers in numeric columns bare" {
	printf 'n\tm\n12\t-0.5e3\n' > in.tsv
	run lktest out json --num 0 --num 1 < in.tsv
	assert_output '{"n":12,"m":-0.5e3}'
}

@test "JSON quotes numbers in text columns" {
	printf 'zip\n02139\n' > in.tsv
	run lktest out json < in.tsv
	assert_output '{"zip":"02139"}'
}

@test "JSON writes what is not a JSON number in a numeric column as a string" {
	printf 'a\tb\tc\n+3\t007\tn/a\n' > in.tsv
	run lktest out json --num 0 --num 1 --num 2 < in.tsv
	assert_output '{"a":"+3","b":"007","c":"n/a"}'
}

@test "JSON writes an empty numeric value as null" {
	printf 'score\tname\n\tbob\n' > in.tsv
	run lktest out json --num 0 < in.tsv
	assert_output '{"score":null,"name":"bob"}'
}

@test "JSON keeps an empty text value as an empty string" {
	printf 'name\tscore\n\t1\n' > in.tsv
	run lktest out json --num 1 < in.tsv
	assert_output '{"name":"","score":1}'
}

@test "JSON escapes quotes, backslashes and control characters" {
	printf 'note\nsay "hi"\\\\\\t\\n\033x\n' > in.tsv
	run lktest out json < in.tsv
	assert_output '{"note":"say \"hi\"\\\t\n\u001bx"}'
}

@test "JSON replaces invalid UTF-8 with U+FFFD" {
	printf 'city\nK\xf6ln \xc3\n' > in.tsv
	run lktest out json < in.tsv
	assert_success
	assert_output "$(printf '{"city":"K\xef\xbf\xbdln \xef\xbf\xbd"}')"
}

@test "JSON ignores --no-header" {
	printf 'a\n1\n' > in.tsv
	run lktest out json --no-header < in.tsv
	assert_output '{"a":"1"}'
}

@test "table aligns columns and right-aligns numeric ones" {
	printf 'name\tscore\nbob\t5\nalexandra\t120\n' > in.tsv
	run lktest out table --num 1 < in.tsv
	assert_success
	assert_output "$(printf 'name       score\nbob            5\nalexandra    120')"
}

@test "table counts East Asian characters as two columns" {
	printf 'company\tcity\n日本電気\tTokyo\nACME\tOsaka\n' > in.tsv
	run lktest out table < in.tsv
	assert_success
	assert_output "$(printf 'company   city\n日本電気  Tokyo\nACME      Osaka')"
}

@test "table counts combining marks as no columns" {
	printf 'a\tb\nJose\xcc\x81\tx\nJosef\ty\n' > in.tsv
	run lktest out table < in.tsv
	assert_line --index 1 "$(printf 'Jose\xcc\x81   x')"
}

@test "table neutralises terminal escape sequences" {
	printf 'name\tnote\nbob\t\033[31mred\033[0m\n' > in.tsv
	run lktest out table < in.tsv
	assert_success
	assert_line --index 1 'bob   \x1b[31mred\x1b[0m'
	refute_output --partial "$(printf '\033')"
}

@test "table shows tabs and newlines in values as escapes" {
	printf 'note\ntwo\\nlines\\tand tab\n' > in.tsv
	run lktest out table < in.tsv
	assert_line --index 1 'two\nlines\tand tab'
}

@test "table neutralises bidi overrides" {
	printf 'file\nabc\xe2\x80\xaetxt.exe\n' > in.tsv
	run lktest out table < in.tsv
	assert_line --index 1 'abc\u202etxt.exe'
}

@test "table cuts a cell at 60 columns with an ellipsis" {
	long=$(printf 'x%.0s' $(seq 100))
	printf 'note\n%s\n' "$long" > in.tsv
	run lktest out table < in.tsv
	assert_line --index 1 "$(printf 'x%.0s' $(seq 59))…"
}

@test "table leaves no trailing spaces at line ends" {
	printf 'name\tnote\nalexandra\t\nbob\tx\n' > in.tsv
	lktest out table < in.tsv > out.txt
	run grep -c ' $' out.txt
	assert_output 0
}

@test "table with --no-header prints only the rows" {
	printf 'name\tn\nbob\t1\n' > in.tsv
	run lktest out table --no-header < in.tsv
	assert_output 'bob  1'
}

@test "output keeps every data format whole for long values" {
	long=$(printf 'y%.0s' $(seq 100))
	printf 'note\n%s\n' "$long" > in.tsv
	run lktest out tsv < in.tsv
	assert_line --index 1 "$long"
}

@test "a write error gives a non-zero status" {
	[ -w /dev/full ] || skip "no /dev/full"
	printf 'a\n1\n' > in.tsv
	for f in tsv csv json table; do
		# Inside bash -c: "run" itself would capture the output.
		run bash -c 'lktest out "$1" < in.tsv > /dev/full' _ "$f"
		[ "$status" -ne 0 ] || fail "$f: status 0"
	done
}
