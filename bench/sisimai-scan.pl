#!/usr/bin/perl
# sisimai-scan.pl PATH...: parse every message with sisimai (Debian's
# libsisimai-perl), as its own `sisimai` command would; prints the count.
use strict;
use warnings;
use Sisimai;
my $n = 0;
for my $path (@ARGV) {
    my $v = Sisimai->make($path, 'delivered' => 1) || [];
    $n += scalar @$v;
}
print STDERR "sisimai: $n results\n";
