# The two commands a newcomer needs: `make demo` and `make test`.
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
FUZZ_DIR ?= build-fuzz
JOBS ?= 2
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
CTEST_FLAGS ?= --output-on-failure --timeout 900
ARGS ?=

.PHONY: all deps envtest build build-asan test test-unit test-asan demo bench fuzz fuzz-build fuzz-smoke format lint check-clock clean

all: build

deps:
	@bash hack/install-deps.sh

# kube-apiserver and etcd built from their Go modules, cached by version; Oracle's SDKs for
# the simulator fidelity tests.
envtest: deps
	@bash test/envtest/build.sh >/dev/null
	@bash test/sdk/install.sh >/dev/null

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

$(ASAN_DIR)/build.ninja: CMakeLists.txt
	cmake -S . -B $(ASAN_DIR) $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=Debug -DCCM_SANITIZE=ON -DCCM_UNIT_TESTS_ONLY=ON

build-asan: deps $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)

# Everything through ctest: unit, integration (real kube-apiserver + etcd, OCI simulator),
# SDK fidelity, then the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer,
# then the clang build (thread-safety analysis) with its fuzz smoke run.
test: check-clock build envtest build-asan
	ENVTEST_ASSETS=$$(bash test/envtest/build.sh) ctest --test-dir $(BUILD_DIR) $(CTEST_FLAGS) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_DIR) $(CTEST_FLAGS) -j $(JOBS) -L unit
	$(MAKE) fuzz-smoke

test-unit: build
	ctest --test-dir $(BUILD_DIR) $(CTEST_FLAGS) -j $(JOBS) -L unit

demo: build envtest
	@bash hack/demo.sh $(ARGS)

bench: build envtest
	@bash test/bench/run.sh $(ARGS)

# libFuzzer targets (clang-16): only the libraries and test/fuzz are built there.
$(FUZZ_DIR)/build.ninja: CMakeLists.txt
	@bash hack/install-deps.sh --fuzz
	CC=clang-16 CXX=clang++-16 cmake -S . -B $(FUZZ_DIR) $(CMAKE_FLAGS) -DCCM_FUZZ=ON

fuzz-build: $(FUZZ_DIR)/build.ninja
	@bash hack/install-deps.sh --fuzz
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_targets

# Every fuzz target for a few seconds over its checked-in seed corpus (part of `make test`).
fuzz-smoke: fuzz-build
	ctest --test-dir $(FUZZ_DIR) $(CTEST_FLAGS) -j $(JOBS) -L fuzz

# Long runs: `make fuzz ARGS="--seconds 60 --target kubeconfig"` (see test/fuzz/README.md).
fuzz:
	@bash hack/install-deps.sh --fuzz
	@FUZZ_DIR=$(FUZZ_DIR) JOBS=$(JOBS) bash test/fuzz/run.sh $(ARGS)

format:
	@bash hack/install-deps.sh --dev
	git ls-files '*.cc' '*.h' | xargs clang-format-16 -i

# clang before 19 under-reports C++20 concepts, which hides libstdc++'s <expected>: tell it.
TIDY_FLAGS = --quiet --extra-arg=-std=c++2b --extra-arg=-U__cpp_concepts --extra-arg=-D__cpp_concepts=202002L
lint: check-clock build
	@bash hack/install-deps.sh --dev
	git ls-files 'pkg/*.cc' 'cmd/*.cc' | xargs -P $(JOBS) -n 8 clang-tidy-16 -p $(BUILD_DIR) $(TIDY_FLAGS)

# Production code reads time only through the injected Clock (see the script).
check-clock:
	@bash hack/check-clock.sh

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR)
