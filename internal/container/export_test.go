package container

// Tail exposes tail to the tests.
var Tail = tail

// IsReaperFailure exposes isReaperFailure to the tests.
var IsReaperFailure = isReaperFailure
