#!/usr/bin/env bats
# lktest time and lktest duration: every accepted time form and duration,
# and many that are not.  Times print as stored (UTC ISO 8601), durations
# as seconds; anything rejected prints "invalid" and fails.

load helpers/common

@test "an ISO 8601 time in UTC is kept as it is" {
	run lktest time '2026-11-22T09:30:00Z'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "white space around a time is ignored" {
	run lktest time '  2026-11-22T09:30:00Z  '
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "a lower-case t and z are read as ISO 8601" {
	run lktest time '2026-11-22t09:30:00z'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "an ISO offset with a colon is taken off to give UTC" {
	run lktest time '2026-11-22T10:30:00+01:00'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "an ISO offset without a colon is taken off to give UTC" {
	run lktest time '2026-11-22T10:30:00+0100'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "an ISO offset in hours only is taken off to give UTC" {
	run lktest time '2026-11-22T10:30:00+01'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "a negative ISO offset is added to give UTC" {
	run lktest time '2026-11-22T04:30:00-05:00'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "an offset can carry a time across midnight" {
	run lktest time '2026-11-22T23:30:00-05:00'
	assert_success
	assert_output '2026-11-23T04:30:00Z'
}

@test "fractional seconds are dropped" {
	run lktest time '2026-11-22T09:30:00.123Z'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "many digits of fractional seconds are dropped" {
	run lktest time '2026-11-22T09:30:00.999999999Z'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "an ISO time without seconds has zero seconds" {
	run lktest time '2026-11-22T09:30Z'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "an ISO time without a zone is UTC" {
	run lktest time '2026-11-22T09:30:00'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "a date alone is midnight UTC" {
	run lktest time '2026-11-22'
	assert_success
	assert_output '2026-11-22T00:00:00Z'
}

@test "a space may separate an ISO date from its time" {
	run lktest time '2026-11-22 09:30:00'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "a space-separated ISO time may leave out seconds" {
	run lktest time '2026-11-22 09:30'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "a space-separated ISO time may carry an offset" {
	run lktest time '2026-11-22 10:30:00 +01:00'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "a year-first date with slashes is read" {
	run lktest time '2026/11/22'
	assert_success
	assert_output '2026-11-22T00:00:00Z'
}

@test "a year-first date with slashes may carry a time" {
	run lktest time '2026/11/22 09:30:15'
	assert_success
	assert_output '2026-11-22T09:30:15Z'
}

@test "a US date is month first" {
	run lktest time '11/22/2026'
	assert_success
	assert_output '2026-11-22T00:00:00Z'
}

@test "a US date may have one-digit month and day" {
	run lktest time '1/2/2026'
	assert_success
	assert_output '2026-01-02T00:00:00Z'
}

@test "a US date with a 24-hour time is UTC" {
	run lktest time '11/22/2026 14:05'
	assert_success
	assert_output '2026-11-22T14:05:00Z'
}

@test "a US date with a time may have seconds" {
	run lktest time '11/22/2026 14:05:09'
	assert_success
	assert_output '2026-11-22T14:05:09Z'
}

@test "a US date with AM is read as morning UTC" {
	run lktest time '11/22/2026 9:30 AM'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "a US date with PM is read as afternoon UTC" {
	run lktest time '11/22/2026 09:30:15 PM'
	assert_success
	assert_output '2026-11-22T21:30:15Z'
}

@test "AM and PM are read in any case" {
	run lktest time '11/22/2026 9:30 pm'
	assert_success
	assert_output '2026-11-22T21:30:00Z'
}

@test "12 AM is midnight" {
	run lktest time '11/22/2026 12:05 AM'
	assert_success
	assert_output '2026-11-22T00:05:00Z'
}

@test "12 PM is noon" {
	run lktest time '11/22/2026 12:05 PM'
	assert_success
	assert_output '2026-11-22T12:05:00Z'
}

@test "a month name first with a comma is read" {
	run lktest time 'Nov 22, 2026'
	assert_success
	assert_output '2026-11-22T00:00:00Z'
}

@test "a month name first may carry a 12-hour time" {
	run lktest time 'Nov 22, 2026 09:30 AM'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "a full month name with seconds and PM is read" {
	run lktest time 'November 22, 2026 9:30:00 PM'
	assert_success
	assert_output '2026-11-22T21:30:00Z'
}

@test "a month name first needs no comma and AM may touch the time" {
	run lktest time 'Nov 22 2026 9:30AM'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "month names are read in any case" {
	run lktest time 'NOV 22 2026 9:30am'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "Sept is read as September" {
	run lktest time 'Sept 22, 2026'
	assert_success
	assert_output '2026-09-22T00:00:00Z'
}

@test "a day before the month name is read" {
	run lktest time '22 Nov 2026'
	assert_success
	assert_output '2026-11-22T00:00:00Z'
}

@test "a day before a full month name may carry a 24-hour time" {
	run lktest time '22 November 2026 14:05'
	assert_success
	assert_output '2026-11-22T14:05:00Z'
}

@test "an RFC 2822 date is read" {
	run lktest time 'Sun, 22 Nov 2026 09:30:00 +0000'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "an RFC 2822 offset is taken off to give UTC" {
	run lktest time 'Sun, 22 Nov 2026 10:30:00 +0100'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "an RFC 2822 date may leave out the weekday" {
	run lktest time '22 Nov 2026 09:30:00 +0000'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "a full weekday name may lead a month-first date" {
	run lktest time 'Sunday, November 22, 2026 9:30 AM'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "a trailing UTC is accepted" {
	run lktest time 'Nov 22 2026 9:30AM UTC'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "a trailing GMT is accepted" {
	run lktest time '22 Nov 2026 09:30 GMT'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "a trailing Z after a space is accepted" {
	run lktest time '2026-11-22 09:30 Z'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "EST is five hours behind UTC" {
	run lktest time '11/22/2026 4:30 AM EST'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "EDT is four hours behind UTC" {
	run lktest time '11/22/2026 5:30 AM EDT'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "CST is six hours behind UTC" {
	run lktest time '11/22/2026 3:30 AM CST'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "CDT is five hours behind UTC" {
	run lktest time '11/22/2026 4:30 AM CDT'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "MST is seven hours behind UTC" {
	run lktest time '11/22/2026 2:30 AM MST'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "MDT is six hours behind UTC" {
	run lktest time '11/22/2026 3:30 AM MDT'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "PST is eight hours behind UTC" {
	run lktest time '11/22/2026 1:30 AM PST'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "PDT is seven hours behind UTC" {
	run lktest time '11/22/2026 2:30 AM PDT'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "US zone names are fixed offsets whatever the date" {
	run lktest time '07/01/2026 4:30 AM EST'
	assert_success
	assert_output '2026-07-01T09:30:00Z'
}

@test "ten digits are epoch seconds" {
	run lktest time '1795339800'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "nine digits are epoch seconds" {
	run lktest time '123456789'
	assert_success
	assert_output '1973-11-29T21:33:09Z'
}

@test "thirteen digits are epoch milliseconds" {
	run lktest time '1795339800999'
	assert_success
	assert_output '2026-11-22T09:30:00Z'
}

@test "February 29 is read in a leap year" {
	run lktest time '2024-02-29'
	assert_success
	assert_output '2024-02-29T00:00:00Z'
}

@test "February 29 is read in a year divisible by 400" {
	run lktest time '2000-02-29'
	assert_success
	assert_output '2000-02-29T00:00:00Z'
}

@test "a leap second folds to the second before it" {
	run lktest time '2026-12-31T23:59:60Z'
	assert_success
	assert_output '2026-12-31T23:59:59Z'
}

@test "the year 1900 is the earliest accepted" {
	run lktest time '1900-01-01'
	assert_success
	assert_output '1900-01-01T00:00:00Z'
}

@test "the year 9999 is the latest accepted" {
	run lktest time '9999-12-31T23:59:59Z'
	assert_success
	assert_output '9999-12-31T23:59:59Z'
}

@test "an empty time is rejected" {
	run lktest time ''
	assert_failure
	assert_output invalid
}

@test "a blank time is rejected" {
	run lktest time '   '
	assert_failure
	assert_output invalid
}

@test "a bare year is rejected" {
	run lktest time '2026'
	assert_failure
	assert_output invalid
}

@test "a word is not a time" {
	run lktest time 'yesterday'
	assert_failure
	assert_output invalid
}

@test "February 30 is rejected" {
	run lktest time '2026-02-30'
	assert_failure
	assert_output invalid
}

@test "February 29 is rejected outside a leap year" {
	run lktest time '2026-02-29'
	assert_failure
	assert_output invalid
}

@test "February 29 is rejected in a century not divisible by 400" {
	run lktest time '1900-02-29'
	assert_failure
	assert_output invalid
}

@test "November 31 is rejected" {
	run lktest time 'Nov 31, 2026'
	assert_failure
	assert_output invalid
}

@test "day zero is rejected" {
	run lktest time '2026-11-00'
	assert_failure
	assert_output invalid
}

@test "month thirteen is rejected" {
	run lktest time '2026-13-01'
	assert_failure
	assert_output invalid
}

@test "a slashed date whose first number is over 12 is read day first" {
	run lktest time '13/01/2026'
	assert_success
	assert_output 2026-01-13T00:00:00Z
}

@test "hour 24 is rejected" {
	run lktest time '2026-11-22T24:00:00Z'
	assert_failure
	assert_output invalid
}

@test "minute 60 is rejected" {
	run lktest time '2026-11-22T09:60:00Z'
	assert_failure
	assert_output invalid
}

@test "second 61 is rejected" {
	run lktest time '2026-11-22T09:30:61Z'
	assert_failure
	assert_output invalid
}

@test "junk after an ISO time is rejected" {
	run lktest time '2026-11-22T09:30:00Zjunk'
	assert_failure
	assert_output invalid
}

@test "junk after a date is rejected" {
	run lktest time '2026-11-22x'
	assert_failure
	assert_output invalid
}

@test "a second zone after the first is rejected" {
	run lktest time '2026-11-22T09:30:00Z UTC'
	assert_failure
	assert_output invalid
}

@test "junk after a US time is rejected" {
	run lktest time '11/22/2026 9:30 AM later'
	assert_failure
	assert_output invalid
}

@test "a two-digit year in a US date is read in this century" {
	run lktest time '11/22/26'
	assert_success
	assert_output 2026-11-22T00:00:00Z
}

@test "a two-digit year from 69 is read in the last century" {
	run lktest time '11/22/69'
	assert_success
	assert_output 1969-11-22T00:00:00Z
}

@test "a three-digit year is rejected" {
	run lktest time '11/22/026'
	assert_failure
	assert_output invalid
}

@test "a two-digit year after a month name is rejected" {
	run lktest time 'Nov 22, 26'
	assert_failure
	assert_output invalid
}

@test "a dashed date whose second number is over 12 is read month first" {
	run lktest time '11-22-2026'
	assert_success
	assert_output 2026-11-22T00:00:00Z
}

@test "a day and month name with a comma before the year are read" {
	run lktest time '15 Apr, 2021 00:03:00'
	assert_success
	assert_output 2021-04-15T00:03:00Z
}

@test "a dashed day, month name and year are read" {
	run lktest time '22-Nov-2026'
	assert_success
	assert_output 2026-11-22T00:00:00Z
}

@test "a month name first with a 12-hour time is read" {
	run lktest time 'Apr 15, 2021 12:03 AM'
	assert_success
	assert_output 2021-04-15T00:03:00Z
}

@test "a dashed day-first date and time are read" {
	run lktest time '28-08-2022 17:00'
	assert_success
	assert_output 2022-08-28T17:00:00Z
}

@test "a dotted date is read day first" {
	run lktest time '20.10.2026 14:03'
	assert_success
	assert_output 2026-10-20T14:03:00Z
}

@test "an ambiguous slashed date is read month first by default" {
	run lktest time '05/07/2024'
	assert_success
	assert_output 2024-05-07T00:00:00Z
}

@test "an ambiguous dashed date is read day first by default" {
	run lktest time '05-07-2024'
	assert_success
	assert_output 2024-07-05T00:00:00Z
}

@test "a date order given reads an ambiguous date that way" {
	run lktest time --dmy '05/07/2024'
	assert_output 2024-07-05T00:00:00Z
	run lktest time --mdy '05.07.2024'
	assert_output 2024-05-07T00:00:00Z
}

@test "a date the given order cannot read is invalid" {
	run lktest time --mdy '28/08/2022'
	assert_failure
	assert_output invalid
}

@test "a US short year with a comma before a seconds time is read" {
	run lktest time '4/17/23, 7:29:57 PM'
	assert_success
	assert_output 2023-04-17T19:29:57Z
}

@test "a US short year with a 24-hour time is read" {
	run lktest time '5/7/24 10:26'
	assert_success
	assert_output 2024-05-07T10:26:00Z
}

@test "ISO with milliseconds and Z is read" {
	run lktest time '2006-04-15T03:23:15.000Z'
	assert_success
	assert_output 2006-04-15T03:23:15Z
}

@test "a local time of a named zone is stored as UTC, summer and winter" {
	run lktest time --tz Europe/Berlin '2026-07-01 12:00' '2026-01-01 12:00'
	assert_success
	assert_output "$(printf '2026-07-01T10:00:00Z\n2026-01-01T11:00:00Z')"
}

@test "an explicit offset wins over the named zone" {
	run lktest time --tz America/New_York '2026-07-01T12:00:00Z' '2026-07-01 12:00 +02:00'
	assert_success
	assert_output "$(printf '2026-07-01T12:00:00Z\n2026-07-01T10:00:00Z')"
}

@test "a local time the clocks skipped reads with the offset before the change" {
	run lktest time --tz Europe/Berlin '2026-03-29 02:30'
	assert_output 2026-03-29T01:30:00Z
}

@test "a zone not in the zone database is refused" {
	run lktest time --tz Mars/Olympus '2026-07-01 12:00'
	assert_failure 2
	assert_output --partial "no zone 'Mars/Olympus'"
}

@test "a zone name that is a path is refused" {
	run lktest time --tz ../../../etc/passwd '2026-07-01 12:00'
	assert_failure 2
	assert_output --partial "not a zone name"
}

@test "an ISO date with one-digit month is rejected" {
	run lktest time '2026-1-05'
	assert_failure
	assert_output invalid
}

@test "an ISO time with a one-digit hour is rejected" {
	run lktest time '2026-11-22T9:30:00Z'
	assert_failure
	assert_output invalid
}

@test "a lone T after a date is rejected" {
	run lktest time '2026-11-22T'
	assert_failure
	assert_output invalid
}

@test "a zone after a date alone is rejected" {
	run lktest time '2026-11-22 UTC'
	assert_failure
	assert_output invalid
}

@test "a decimal point with no digits is rejected" {
	run lktest time '2026-11-22T09:30:00.Z'
	assert_failure
	assert_output invalid
}

@test "a one-digit offset is rejected" {
	run lktest time '2026-11-22T09:30:00+1'
	assert_failure
	assert_output invalid
}

@test "an offset of 24 hours is rejected" {
	run lktest time '2026-11-22T09:30:00+24:00'
	assert_failure
	assert_output invalid
}

@test "an unknown zone name is rejected" {
	run lktest time '11/22/2026 9:30 AM CET'
	assert_failure
	assert_output invalid
}

@test "a zone glued to AM is rejected" {
	run lktest time '11/22/2026 9:30 AMEST'
	assert_failure
	assert_output invalid
}

@test "hour 13 with PM is rejected" {
	run lktest time '11/22/2026 13:00 PM'
	assert_failure
	assert_output invalid
}

@test "hour 0 with AM is rejected" {
	run lktest time '11/22/2026 0:30 AM'
	assert_failure
	assert_output invalid
}

@test "AM after an ISO time is rejected" {
	run lktest time '2026-11-22 09:30 AM'
	assert_failure
	assert_output invalid
}

@test "an hour with no minutes is rejected" {
	run lktest time '11/22/2026 9 AM'
	assert_failure
	assert_output invalid
}

@test "an unknown month name is rejected" {
	run lktest time 'Foo 22, 2026'
	assert_failure
	assert_output invalid
}

@test "a weekday that does not match the date is rejected" {
	run lktest time 'Mon, 22 Nov 2026 09:30:00 +0000'
	assert_failure
	assert_output invalid
}

@test "a year before 1900 is rejected" {
	run lktest time '1899-12-31'
	assert_failure
	assert_output invalid
}

@test "eight digits are not epoch seconds" {
	run lktest time '20261122'
	assert_failure
	assert_output invalid
}

@test "eleven digits are not epoch seconds" {
	run lktest time '17953398000'
	assert_failure
	assert_output invalid
}

@test "a negative epoch is rejected" {
	run lktest time '-1795339800'
	assert_failure
	assert_output invalid
}

@test "a missing year is rejected" {
	run lktest time 'Nov 22'
	assert_failure
	assert_output invalid
}

# Durations.

@test "minutes are a duration" {
	run lktest duration '90m'
	assert_success
	assert_output '5400'
}

@test "hours are a duration" {
	run lktest duration '24h'
	assert_success
	assert_output '86400'
}

@test "days are a duration" {
	run lktest duration '3d'
	assert_success
	assert_output '259200'
}

@test "weeks are a duration" {
	run lktest duration '2w'
	assert_success
	assert_output '1209600'
}

@test "seconds are a duration" {
	run lktest duration '45s'
	assert_success
	assert_output '45'
}

@test "hours and minutes combine" {
	run lktest duration '1h30m'
	assert_success
	assert_output '5400'
}

@test "every unit combines, largest first" {
	run lktest duration '1w2d3h4m5s'
	assert_success
	assert_output '788645'
}

@test "a zero duration is allowed" {
	run lktest duration '0s'
	assert_success
	assert_output '0'
}

@test "white space around a duration is ignored" {
	run lktest duration ' 3d '
	assert_success
	assert_output '259200'
}

@test "a duration of 100 years is allowed" {
	run lktest duration '36525d'
	assert_success
	assert_output '3155760000'
}

@test "a bare number is not a duration" {
	run lktest duration '90'
	assert_failure
	assert_output invalid
}

@test "an empty duration is rejected" {
	run lktest duration ''
	assert_failure
	assert_output invalid
}

@test "a negative duration is rejected" {
	run lktest duration '-3d'
	assert_failure
	assert_output invalid
}

@test "a plus sign in a duration is rejected" {
	run lktest duration '+3d'
	assert_failure
	assert_output invalid
}

@test "an unknown duration unit is rejected" {
	run lktest duration '3y'
	assert_failure
	assert_output invalid
}

@test "an upper-case duration unit is rejected" {
	run lktest duration '3D'
	assert_failure
	assert_output invalid
}

@test "a unit without a number is rejected" {
	run lktest duration 'h'
	assert_failure
	assert_output invalid
}

@test "a fractional duration is rejected" {
	run lktest duration '1.5h'
	assert_failure
	assert_output invalid
}

@test "duration units out of order are rejected" {
	run lktest duration '30m1h'
	assert_failure
	assert_output invalid
}

@test "a repeated duration unit is rejected" {
	run lktest duration '1h1h'
	assert_failure
	assert_output invalid
}

@test "a space inside a duration is rejected" {
	run lktest duration '1h 30m'
	assert_failure
	assert_output invalid
}

@test "a duration over 100 years is rejected" {
	run lktest duration '36526d'
	assert_failure
	assert_output invalid
}

@test "a duration too long for any integer is rejected" {
	run lktest duration '99999999999999999999999s'
	assert_failure
	assert_output invalid
}

@test "one invalid time among several fails the run but the rest are read" {
	run lktest time 2026-11-22 bogus 11/22/2026
	assert_failure
	assert_line --index 0 2026-11-22T00:00:00Z
	assert_line --index 1 invalid
	assert_line --index 2 2026-11-22T00:00:00Z
}

@test "a day with an English ordinal ending is read" {
	run lktest time 'May 7th, 2024' '1st Jan 2025' '22nd Nov 2026 09:30'
	assert_success
	assert_output "$(printf '2024-05-07T00:00:00Z\n2025-01-01T00:00:00Z\n2026-11-22T09:30:00Z')"
}

@test "'at' between the date and the time is read" {
	run lktest time 'Tuesday, May 7th, 2024 at 10:26 PM'
	assert_success
	assert_output 2024-05-07T22:26:00Z
}

@test "'at' must stand as a word" {
	run lktest time 'May 7, 2024 at10:26'
	assert_failure
}

@test "a narrow no-break space before AM, as CLDR writes it, is read" {
	run lktest time "$(printf '5/7/2024, 10:26\342\200\257AM')"
	assert_success
	assert_output 2024-05-07T10:26:00Z
}
