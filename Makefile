# backlash: the two commands at the top of README.md are `make demo` and
# `make test`; everything else here is for development.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build demo test test-short fuzz bench vet fmt clean deps deps-test eval-sentiment sentiment-model sentiment-model-zh drivers-background

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
	bin/backlash bench ingest

# README's sentiment table: validation-split figures per language (these
# splits were used to choose the recipe) and k-fold cross-validation on
# the train splits, from ../shared/data/sentiment.
SENTIMENT_DATA ?= ../shared/data/sentiment
eval-sentiment: build
	@echo "validation splits (used to choose the recipe):"
	@for l in ar de en es fr hi it pt; do \
		bin/backlash eval sentiment $(SENTIMENT_DATA)/umsab/$$l-val.jsonl | tail -n 1; \
	done
	$(GO) run ./internal/analyzer/sentiment/train -data $(SENTIMENT_DATA) -cv 5

# Rebuild the learned model from the train splits (deterministic): the
# committed file is exactly what this writes (TestModelRebuildsFromData).
# Experiment with -out /tmp/...
sentiment-model:
	$(GO) run ./internal/analyzer/sentiment/train -data $(SENTIMENT_DATA)

# Retrain only the model file's Chinese part, keeping its other parts
# (deterministic; for experiments on the Chinese recipe).
sentiment-model-zh:
	$(GO) run ./internal/analyzer/sentiment/train -data $(SENTIMENT_DATA) -zh-into internal/analyzer/sentiment/model/sentiment.gob.gz

# Rebuild the drivers' background table (how common each term is in each
# language) from the same train splits (deterministic).
drivers-background:
	$(GO) run ./internal/analyzer/drivers/learnbg -data $(SENTIMENT_DATA)

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin .backlash
