# Tessera — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
GO    ?= go
NPM   ?= npm
BIN   := bin/tessera
export PATH := $(PATH):/usr/local/go/bin

SPA_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/tsconfig.json -type f 2>/dev/null)
GO_SOURCES  := $(shell find backend frontend/embed.go -name '*.go' -not -name '*_test.go' 2>/dev/null) go.mod go.sum

.PHONY: all build spa run test test-suites test-go test-go-race vet test-frontend test-e2e test-fuzz bench load perf perf-sync clean deps

all: build

# npm ci only when the lock file changed since the last install.
node_modules/.tessera-installed: package.json package-lock.json frontend/package.json
	$(NPM) ci --no-audit --no-fund
	@# A go.mod makes node_modules its own module, so ./... never wanders into a package's Go files.
	@printf 'module ignored\n' > node_modules/go.mod
	@touch $@

deps: node_modules/.tessera-installed
	$(GO) mod download

frontend/dist/index.html: node_modules/.tessera-installed $(SPA_SOURCES) api-spec/openapi.yaml
	$(NPM) run build

spa: frontend/dist/index.html

$(BIN): frontend/dist/index.html $(GO_SOURCES)
	@mkdir -p bin
	$(GO) build -trimpath -o $(BIN) ./backend/cmd/tessera

build: $(BIN)

# SQLite under ./data, http://localhost:8080 (a host name, so that passkeys work: browsers take no
# IP address as a WebAuthn relying party); the first start prints the admin's one-time password.
# The mail doors and LMTP listen on loopback (each overridable from the environment; an empty
# value turns one off), so a mail app on this machine connects at once.
run: build
	listen=$${TESSERA_LISTEN:-127.0.0.1:8080}; \
	TESSERA_LISTEN=$$listen TESSERA_PUBLIC_URL=$${TESSERA_PUBLIC_URL:-http://localhost:$${listen##*:}} \
	TESSERA_DATA_DIR=$${TESSERA_DATA_DIR:-./data} TESSERA_LOG_FORMAT=$${TESSERA_LOG_FORMAT:-text} \
	TESSERA_IMAP_LISTEN=$${TESSERA_IMAP_LISTEN-127.0.0.1:1143} TESSERA_IMAPS_LISTEN=$${TESSERA_IMAPS_LISTEN-127.0.0.1:1993} \
	TESSERA_SUBMISSION_LISTEN=$${TESSERA_SUBMISSION_LISTEN-127.0.0.1:1587} TESSERA_SUBMISSIONS_LISTEN=$${TESSERA_SUBMISSIONS_LISTEN-127.0.0.1:1465} \
	TESSERA_POP3_LISTEN=$${TESSERA_POP3_LISTEN-127.0.0.1:1110} TESSERA_POP3S_LISTEN=$${TESSERA_POP3S_LISTEN-127.0.0.1:1995} \
	TESSERA_LMTP_LISTEN=$${TESSERA_LMTP_LISTEN-127.0.0.1:2424} \
	./$(BIN) serve

vet:
	$(GO) vet ./...

# Go tests: SQLite always; MariaDB too when TESSERA_TEST_MYSQL_DSN is set (make test sets it).
test-go:
	$(GO) test -count=1 ./...

test-frontend: node_modules/.tessera-installed
	$(NPM) run check:api
	$(NPM) run typecheck
	$(NPM) run test:unit

# Browser tests drive the built binary in Debian's Chromium (skipped without it, except in
# strict mode: CI or TESSERA_TEST_STRICT=1).
test-e2e: build
	TESSERA_BIN=$(CURDIR)/$(BIN) NPM=$(NPM) scripts/test-e2e.sh

# A few seconds of each fuzz target in every run; longer by hand: make test-fuzz FUZZTIME=5m
FUZZTIME ?= 5s
test-fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzDecode ./backend/internal/eas/wbxml
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzParseXML ./backend/internal/eas/wbxml
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzCut ./backend/internal/text
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzHTMLText ./backend/internal/text
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzSearchQuery ./backend/internal/eas
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzFindQuery ./backend/internal/eas
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzParseRequest ./backend/internal/autodiscover
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzParseResponses ./backend/internal/passkey
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzSearchTerms ./backend/internal/store
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzSearchProof ./backend/internal/store
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzSession ./backend/internal/pop3 -fuzzminimizetime 20x
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzSession ./backend/internal/submission
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzSession ./backend/internal/imap
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzFront ./backend/internal/imap
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzICalendarToEvent ./backend/internal/dav
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzScheduling ./backend/internal/imip
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzDraft ./backend/internal/mailbox
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzVCardToContact ./backend/internal/dav
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzMatch ./backend/internal/device
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzBreachedLine ./backend/internal/password
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh FuzzParseEnabled ./backend/internal/notice

# The README's test command does its own set-up first (scripts/test-setup.sh: the Debian
# packages, MariaDB and Redis, a throw-away database dropped at the end), then every suite.
test:
	scripts/test.sh

test-suites: vet test-go test-fuzz test-frontend test-e2e

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./backend/...

# The EAS load figures (docs/benchmarks.md): 10,000 held Pings, wake latency, a 10,000-message sync.
load: build
	$(GO) build -o bin/easload ./backend/cmd/easload
	./backend/cmd/easload/run.sh

# The performance matrix (docs/performance.md): SQLite, MariaDB, two instances with Redis; builds
# its own binaries (no SPA needed), writes docs/performance-run.md. Sizes: see perf.sh.
perf:
	./backend/cmd/easload/perf.sh

# Only the Sync-scale figures (issue 17): BenchmarkEASSyncScale on 1,000/10,000/100,000 synced
# messages, SQLite and MariaDB; SYNC_BASE=<commit> measures that commit alongside, in one run.
perf-sync:
	./backend/cmd/easload/syncscale.sh

clean:
	rm -rf bin frontend/dist/assets frontend/dist/index.html
