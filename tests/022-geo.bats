#!/usr/bin/env bats
# Countries as exports write them, and territories (common/geo.c).

load helpers/common

@test "a country is known by its code, its English name and its own name" {
	run lktest country US USA "United States" "U.S.A." Deutschland Germany DE "Vereinigtes Königreich" UK
	assert_output "$(printf 'US\nUS\nUS\nUS\nDE\nDE\nDE\nGB\nGB')"
}

@test "accented capitals and spacing do not matter" {
	run lktest country ÖSTERREICH Österreich "  united   states " "Dänemark"
	assert_output "$(printf 'AT\nAT\nUS\nDK')"
}

@test "an unknown or blank country has no code" {
	run lktest country Narnia "" "n/a"
	assert_output "$(printf -- '-\n-\n-')"
}

@test "a territory covers a country by code or name, a region, or a group" {
	[ "$(lktest territory US "United States")" = yes ]
	[ "$(lktest territory Germany DE)" = yes ]
	[ "$(lktest territory DACH Schweiz)" = yes ]
	[ "$(lktest territory EMEA "United Kingdom")" = yes ]
	[ "$(lktest territory NA Canada)" = yes ]
	[ "$(lktest territory West "United States" west)" = yes ]
	[ "$(lktest territory '*' Narnia)" = yes ]
}

@test "a territory does not cover what it does not name" {
	[ "$(lktest territory US Germany)" = no ]
	[ "$(lktest territory DACH France)" = no ]
	[ "$(lktest territory APAC Brazil)" = no ]
	[ "$(lktest territory US "")" = no ]
}
