"""Certification and license-to-hold-post (持证上岗): certificate types (types.yaml), certificates that are
earned, expire, renew and can be verified by anyone, and the branch-head compliance view."""
