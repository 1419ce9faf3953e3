#!/usr/bin/env bats
# lktest sha256: the SHA-256 written in common/sha256.c, against the FIPS
# 180-4 examples and sha256sum.

load helpers/common

# same FILE: lktest and sha256sum agree on FILE.
same() {
	run lktest sha256 "$1"
	assert_success
	assert_output "$(sha256sum "$1" | cut -d' ' -f1)"
}

@test "the hash of an empty file is the known empty hash" {
	: >empty
	run lktest sha256 empty
	assert_success
	assert_output e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
}

@test "the hash of abc is the FIPS 180-4 example" {
	printf abc >abc
	run lktest sha256 abc
	assert_success
	assert_output ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
}

@test "the two-block FIPS 180-4 example hashes as published" {
	printf %s abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq >two
	run lktest sha256 two
	assert_success
	assert_output 248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1
}

@test "a 55-byte file, the most that pads into one block, matches sha256sum" {
	head -c 55 /dev/zero | tr '\0' x >f
	same f
}

@test "a 56-byte file, whose padding needs a second block, matches sha256sum" {
	head -c 56 /dev/zero | tr '\0' x >f
	same f
}

@test "a 64-byte file, exactly one block, matches sha256sum" {
	head -c 64 /dev/zero | tr '\0' x >f
	same f
}

@test "a 1 MB file matches sha256sum" {
	awk 'BEGIN { for (i = 0; i < 40000; i++)
	    printf "lead %07d,x@example.com\n", i }' |
	    head -c 1048576 >big
	[ "$(wc -c <big)" -eq 1048576 ]
	same big
}

@test "a file of every byte value matches sha256sum" {
	LC_ALL=C awk 'BEGIN { for (r = 0; r < 300; r++)
	    for (i = 0; i < 256; i++) printf "%c", i }' >bytes
	[ "$(wc -c <bytes)" -eq 76800 ]
	same bytes
}

@test "a file of a size that is no multiple of 64 matches sha256sum" {
	awk 'BEGIN { for (i = 0; i < 30000; i++) printf "%d\n", i * 7919 }' |
	    head -c 100003 >odd
	[ "$(wc -c <odd)" -eq 100003 ]
	same odd
}

@test "a missing file fails" {
	run lktest sha256 no-such-file
	assert_failure
}
