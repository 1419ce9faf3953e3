# The columns leads.db(5) documents, one table.column a line: every
# ".Cm name" of a table's section (.Ss table).
/^\.Ss / { t = $2; next }
t {
	for (i = 1; i <= NF; i++) {
		if ($i != "Cm" && $i != ".Cm")
			continue
		for (j = i + 1; j <= NF; j++) {
			x = $j
			if (x == ",")
				continue
			gsub(/[,.;:()]+$/, "", x)
			if (x !~ /^[a-z_][a-z_0-9]*$/)
				break
			print t "." x
		}
	}
}
