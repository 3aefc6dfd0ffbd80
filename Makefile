# rota — make run starts the product; make test runs every test.
GO      ?= go
BIN     := bin/rota
# ROTA_TEST_MYSQL_DSN, when set, runs the storage and API tests against MySQL/MariaDB too.

.PHONY: run build test bench lint deps clean

deps:
	$(GO) mod download

build: deps
	$(GO) build -trimpath -ldflags="-s -w" -o $(BIN) ./cmd/rota

run: build
	./$(BIN) serve

test: deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint: deps
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

clean:
	rm -rf bin
