# The two commands a new user needs are `make run` and `make test` (see README.md).
# Everything builds with Debian 12's own packages; scripts/install-deps.sh installs what is missing.

BUILD      ?= build
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
FUZZ_RUNS  ?= 1000000
JOBS       ?= 2
SPEED      ?= 1
PORT       ?= 50051
GENERATOR  := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
DEMO_TICKS := $(BUILD)/demo/ticks.jsonl

.PHONY: deps build run test test-unit test-tsan test-fuzz test-scenarios simulate bench clean demo-ticks format tidy

deps:
	@./scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(DEMO_TICKS): scripts/gen_demo_ticks.py feeds/default.textproto
	@mkdir -p $(dir $@)
	python3 scripts/gen_demo_ticks.py --config feeds/default.textproto --output $@

demo-ticks: $(DEMO_TICKS)

# Starts oracled on the default configuration, replaying the bundled synthetic log (2025-10-10
# model: Binance's USDe book dumps to 0.65 for 40 minutes) on the wall clock, looping forever.
run: build $(DEMO_TICKS)
	@echo ""
	@echo "oracled is starting on 127.0.0.1:$(PORT), replaying $(DEMO_TICKS) at speed $(SPEED)."
	@echo "In another terminal:"
	@if [ "$(PORT)" != "50051" ]; then echo "  export ORACLE_ADDR=127.0.0.1:$(PORT)"; fi
	@echo "  $(BUILD)/oraclectl get ETH-USD           # one mark with its per-venue provenance"
	@echo "  $(BUILD)/oraclectl watch USDE-USD        # stream; Binance's book dumps 6 minutes in"
	@echo "  $(BUILD)/oraclectl batch BTC-USD ETH-USD SOL-USD USDE-USD"
	@echo "  $(BUILD)/oraclectl venues                # venue health"
	@echo "  $(BUILD)/oraclectl instruments           # methodology and sources"
	@echo "  $(BUILD)/oraclectl history ETH-USD --from -1m   # stored marks (history in $(BUILD)/run/history)"
	@echo "  $(BUILD)/oraclectl verify ETH-USD --at -10s      # recompute a stored mark from stored events"
	@echo "Marks are signed with a development key ($(BUILD)/run/dev-signing-key.pem, made on first run);"
	@echo "production keys are made and kept outside the oracle."
	@echo "The demo follows 2025-10-10: Binance's USDe book falls to 0.65 from minute 6 to minute 46"
	@echo "of the log (make run SPEED=10 to see it sooner). Stop with Ctrl-C."
	@echo ""
	@mkdir -p $(BUILD)/run
	$(BUILD)/oracled --listen 127.0.0.1:$(PORT) --replay $(DEMO_TICKS) --speed $(SPEED) --loop \
		--data-dir $(BUILD)/run/history \
		--signing-key $(BUILD)/run/dev-signing-key.pem --generate-signing-key

# The whole suite: unit, property, manipulation, replay and integration tests (release build),
# then the ThreadSanitizer build (core, rings, replay, live adapters), then the fuzzers.
test: build $(DEMO_TICKS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600
	$(MAKE) test-scenarios
	$(MAKE) test-tsan
	$(MAKE) test-fuzz

# The scenario suite (tests/scenarios): 2025-10-10 dumps, manipulation, outages, a genuine crash
# and the real USDC depeg of March 2023, replayed through the core; prints a summary table.
test-scenarios: build
	python3 tests/scenarios/run_scenarios.py --oraclectl $(BUILD)/oraclectl --work $(BUILD)/scenarios

# Margin-book simulation (bench/margin): liquidations when collateral is marked at one venue's spot
# price vs at the oracle's marks, on the scenarios; writes bench/margin/results/ (table and plots).
simulate: build
	./bench/margin/run_all.sh $(BUILD) bench/margin/results

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE integration

# ThreadSanitizer: everything without gRPC in the process (see debian-build-notes: Debian's gRPC
# is not instrumented and would report false races).
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -G "$(GENERATOR)" -DORACLE_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	cd $(TSAN_BUILD) && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ctest --output-on-failure -j $(JOBS) -L tsan

# libFuzzer (clang) with ASan and UBSan: every venue parser, FUZZ_RUNS inputs each.
test-fuzz: deps
	CXX=clang++ CC=clang cmake -S . -B $(FUZZ_BUILD) -G "$(GENERATOR)" -DORACLE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	./tests/fuzz/run_fuzzers.sh $(FUZZ_BUILD) $(FUZZ_RUNS)

bench: build
	./bench/run_benchmarks.sh $(BUILD)
	$(BUILD)/bench/history_bench --benchmark_out=$(BUILD)/bench-results/history_bench.json --benchmark_out_format=json

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

tidy: build
	clang-tidy -p $(BUILD) --quiet $$(git ls-files 'src/*.cc')

clean:
	rm -rf $(BUILD) $(TSAN_BUILD) $(FUZZ_BUILD) tests/integration/node/node_modules
