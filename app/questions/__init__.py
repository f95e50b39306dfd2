"""The question bank: versioned questions of pluggable types, imported from files."""
