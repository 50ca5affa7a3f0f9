# morcheck: a conformance kit for the MOR billing API call /api/cli_add.
# Every target is one line of intent; variables come from the command line or
# the environment (see README.md).

GO ?= go
TARGET_URL ?=
TARGET_PROFILE ?=
TARGET_IMAGE ?=
TAGS ?=
IMAGE ?= morcheck/refserver:dev
# testcontainers' reaper is an image pulled from a registry; morcheck removes
# its containers itself, so the reaper is off unless a registry is at hand:
# make conformance TARGET_IMAGE=... TESTCONTAINERS_RYUK_DISABLED=false
TESTCONTAINERS_RYUK_DISABLED ?= true
export TARGET_URL TARGET_PROFILE TARGET_IMAGE TAGS TESTCONTAINERS_RYUK_DISABLED

.PHONY: all test conformance refserver morcheck image bench fuzz lint clean

all: test

## test: every test, with the race detector (what .ci/run calls)
test:
	$(GO) test -race -count=1 ./...

## conformance: the suite against TARGET_URL, TARGET_IMAGE, or the embedded reference server
## (make reports morcheck's exit code as "Error 1" or "Error 2" and itself exits 2 on either)
conformance: morcheck
	bin/morcheck run

## refserver: a static reference server binary in bin/
refserver:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags='-s -w' -o bin/refserver ./cmd/refserver

## morcheck: a static morcheck binary in bin/
morcheck:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags='-s -w' -o bin/morcheck ./cmd/morcheck

## image: the reference server's image, $(IMAGE), FROM scratch (no registry needed)
image: refserver
	mkdir -p bin/data
	docker build -t $(IMAGE) .

## bench: the benchmarks, five runs each, for benchstat
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./...

## fuzz: a short fuzzing round of the reference server's parameter reader
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzReadParams -fuzztime 30s ./refserver

## lint: gofmt and go vet
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

clean:
	rm -rf bin reports
