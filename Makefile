# backlash: the two commands at the top of README.md are `make demo` and
# `make test`; everything else here is for development.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build demo test test-short fuzz bench vet fmt clean deps deps-test

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/backlash ./cmd/backlash

deps:
	@scripts/install-deps.sh clickhouse

deps-test:
	@scripts/install-deps.sh clickhouse chromium

# The main job on the embedded default: a private ClickHouse, the built-in
# demo site, alerts to the console.
demo: deps build
	bin/backlash demo

# The whole suite against a real ClickHouse the tests start themselves.
test: deps-test
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

# Short runs of every fuzz target.
fuzz:
	scripts/fuzz.sh 10s

bench: build
	bin/backlash bench

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin .backlash
