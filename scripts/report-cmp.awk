# report-cmp.awk: two outputs of a report (TSV with a header), cell by
# cell, for scripts/bench and scripts/bench-pg:
#     awk -F'\t' -f scripts/report-cmp.awk TOOL SQL
# prints "rows-tool rows-sql cells equal last-digit differ", and the
# first differences on stderr.  A decimal cell that differs by one unit
# in its last place (the same number of decimals) is counted apart: a
# value that is a half in decimal (409.48 / 8 = 51.185) but a little less
# as a double (51.184999999999995, from a sum of costs) rounds down in
# lead-report, which rounds the double, and up in the hand SQL: the
# sqlite3 shell's printf() rounds at 15 or 16 significant digits,
# PostgreSQL's round() of a numeric the exact decimal.
function isdec(s) { return s ~ /^-?[0-9]+\.[0-9]+$/ }
function report(l, c, x, y) {
	if (++nd <= 5)
		printf "    line %d, column %s: lead-report \"%s\", SQL \"%s\"\n",
		    l, c, x, y >"/dev/stderr"
}
FNR == NR { t[FNR] = $0; nt = FNR; next }
{
	ns = FNR
	if (!(FNR in t)) { diff++; report(FNR, "-", "", $0); next }
	na = split(t[FNR], a, "\t")
	nb = split($0, b, "\t")
	if (na != nb) {
		diff += (na > nb ? na : nb)
		report(FNR, "(all)", t[FNR], $0)
		next
	}
	for (i = 1; i <= na; i++) {
		cells++
		if (a[i] == b[i]) { eq++; continue }
		if (isdec(a[i]) && isdec(b[i])) {
			da = length(a[i]) - index(a[i], ".")
			db = length(b[i]) - index(b[i], ".")
			u = 1.000001 * 10 ^ -da
			if (da == db && a[i] - b[i] <= u && b[i] - a[i] <= u) {
				half++
				if (++nh <= 2)
					printf "    last digit, line %d, column %d: lead-report %s, SQL %s\n",
					    FNR, i, a[i], b[i] >"/dev/stderr"
				continue
			}
		}
		diff++
		report(FNR, i, a[i], b[i])
	}
}
END {
	if (ns < nt)
		diff += nt - ns
	printf "%d %d %d %d %d %d\n", nt, ns, cells, eq, half, diff
}
