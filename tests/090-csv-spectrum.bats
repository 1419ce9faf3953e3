# The CSV reader against the public csv-spectrum suite: scripts/csv-spectrum
# fetches it from the npm registry once (then uses its cache) and compares
# what `lktest spectrum` reads with the suite's expected records.
load helpers/common

@test "the csv reader reads every csv-spectrum case as the suite expects" {
	command -v npm >/dev/null 2>&1 ||
	    skip "npm is not installed: cannot fetch the csv-spectrum suite"
	run env LEAD_BIN="$LEAD_BIN" "$TOP/scripts/csv-spectrum"
	assert_success
}
