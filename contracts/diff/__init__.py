"""`contracts diff`: the same generated request sequences sent to two targets, every difference
in their answers reported, and checked against a file of intended differences.

The suite's own run (Schemathesis phases and our scenarios, with one seed) is pointed at a
`Mirror`: a WSGI app that sends each request to the base target (the real vendor), then the
same request to the other target (the mock) with the base side's ids and credentials swapped
for the other side's, and hands the base answer back to the generator. Both targets so see the
same sequence and the same state evolution. `compare` turns each answer pair into
`Difference`s, `known` matches them against the intended ones, `report` prints and writes them.
"""
