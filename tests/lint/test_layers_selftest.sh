#!/bin/bash
# The layer lint catches each kind of violation planted in a copy of the tree.
exec bash "$(dirname "$0")/test_layers.sh" --self-test
