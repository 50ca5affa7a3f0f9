package container

// Tail exposes tail to the tests.
var Tail = tail
