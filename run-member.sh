#!/usr/bin/env bash
# Quick start, command 1: builds the modules the member example needs and runs the tutorial's member
# server and clients in one JVM, over real TCP on 127.0.0.1, from the module path (no registry).
# Extra arguments go to the demo, e.g. ./run-member.sh -addr 127.0.0.1:8972
exec "$(dirname "$0")/examples/run.sh" member MemberDemo "$@"
