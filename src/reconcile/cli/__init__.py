"""The command line: options parsed, one library call, its result printed."""
