# The CSV reader against an independent parser, Python's csv module, on
# large random files made from a seed by tests/helpers/csvdiff.py: quoted
# delimiters, doubled quotes, quoted line ends, short and long rows, UTF-8
# and control characters.  What the reader reads (lktest csv) must be what
# Python reads, but for the departures lead-csv(5) lists; and a stray
# opening quote must cost its own record, never the records after it.
load helpers/common

csvdiff() {
	python3 "$TOP/tests/helpers/csvdiff.py" "$@"
}

@test "a large CSV file with LF line ends reads as Python's csv module reads it" {
	run csvdiff same 1 20000 --eol lf
	assert_success
}

@test "a CSV file with CRLF line ends reads as Python's csv module reads it" {
	run csvdiff same 2 6000 --eol crlf
	assert_success
}

@test "a CSV file mixing LF, CRLF and CR line ends reads as Python's csv module reads it" {
	run csvdiff same 3 6000 --eol mixed
	assert_success
}

@test "blank lines and blank records are all the reader skips of what Python's csv module reads" {
	run csvdiff same 4 6000 --eol mixed --blank
	assert_success
}

@test "every line of a CSV file with stray quotes is read as a record or inside a quoted field" {
	run csvdiff stray 5 8000 40 lines
	assert_success
}

@test "records without a stray quote read as Python's csv module reads them, after stray quotes or not" {
	run csvdiff stray 6 8000 40 untouched
	assert_success
}

@test "each record with a stray quote is rejected alone, at its first line" {
	run csvdiff stray 7 8000 40 rejected
	assert_success
}
