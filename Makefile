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
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./backend/internal/eas/wbxml/
	$(GO) test -run '^$$' -fuzz '^FuzzParseXML$$' -fuzztime $(FUZZTIME) ./backend/internal/eas/wbxml/
	$(GO) test -run '^$$' -fuzz '^FuzzCut$$' -fuzztime $(FUZZTIME) ./backend/internal/text/
	$(GO) test -run '^$$' -fuzz '^FuzzHTMLText$$' -fuzztime $(FUZZTIME) ./backend/internal/text/
	$(GO) test -run '^$$' -fuzz '^FuzzSearchQuery$$' -fuzztime $(FUZZTIME) ./backend/internal/eas/
	$(GO) test -run '^$$' -fuzz '^FuzzFindQuery$$' -fuzztime $(FUZZTIME) ./backend/internal/eas/
	$(GO) test -run '^$$' -fuzz '^FuzzParseRequest$$' -fuzztime $(FUZZTIME) ./backend/internal/autodiscover/
	$(GO) test -run '^$$' -fuzz '^FuzzParseResponses$$' -fuzztime $(FUZZTIME) ./backend/internal/passkey/
	$(GO) test -run '^$$' -fuzz '^FuzzSearchTerms$$' -fuzztime $(FUZZTIME) ./backend/internal/store/
	$(GO) test -run '^$$' -fuzz '^FuzzSearchProof$$' -fuzztime $(FUZZTIME) ./backend/internal/store/
	$(GO) test -run '^$$' -fuzz '^FuzzSession$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 20x ./backend/internal/pop3/
	$(GO) test -run '^$$' -fuzz '^FuzzSession$$' -fuzztime $(FUZZTIME) ./backend/internal/submission/
	$(GO) test -run '^$$' -fuzz '^FuzzSession$$' -fuzztime $(FUZZTIME) ./backend/internal/imap/
	$(GO) test -run '^$$' -fuzz '^FuzzFront$$' -fuzztime $(FUZZTIME) ./backend/internal/imap/
	$(GO) test -run '^$$' -fuzz '^FuzzICalendarToEvent$$' -fuzztime $(FUZZTIME) ./backend/internal/dav/
	$(GO) test -run '^$$' -fuzz '^FuzzScheduling$$' -fuzztime $(FUZZTIME) ./backend/internal/imip/
	$(GO) test -run '^$$' -fuzz '^FuzzDraft$$' -fuzztime $(FUZZTIME) ./backend/internal/mailbox/
	$(GO) test -run '^$$' -fuzz '^FuzzVCardToContact$$' -fuzztime $(FUZZTIME) ./backend/internal/dav/
	$(GO) test -run '^$$' -fuzz '^FuzzMatch$$' -fuzztime $(FUZZTIME) ./backend/internal/device/
	$(GO) test -run '^$$' -fuzz '^FuzzBreachedLine$$' -fuzztime $(FUZZTIME) ./backend/internal/password/
	$(GO) test -run '^$$' -fuzz '^FuzzParseEnabled$$' -fuzztime $(FUZZTIME) ./backend/internal/notice/

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
