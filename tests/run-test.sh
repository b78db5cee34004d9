#!/bin/sh
# Runs one test for automake's TAP driver: GTest binaries with --tap,
# shell tests with sh (they print TAP themselves through tests/tap.sh).
case "$1" in
  *.sh) exec "${SHELL:-/bin/sh}" "$@" ;;
  *) exec "$@" --tap ;;
esac
