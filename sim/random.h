#ifndef WETLINK_SIM_RANDOM_H_
#define WETLINK_SIM_RANDOM_H_

// Portable random variates drawn from the raw std::mt19937_64 output. The
// standard library's distributions are implementation-defined, so the
// simulator never uses them: these helpers give the same numbers with any
// standard library (given a correctly rounded libm for log/sin/cos).

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace wetlink::sim {

using Rng = std::mt19937_64;

// SplitMix64 finaliser: turns (seed, stream ids) into well-spread engine
// seeds so each individual and purpose gets an independent stream.
inline std::uint64_t Mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Independent streams per individual, so that e.g. changing the duplicate
// rate leaves every position unchanged.
enum class RngStream : std::uint64_t {
  kPlan = 1,      // sites and timetable
  kGaps = 2,      // silent spans
  kPositions = 3, // per-fix movement and GPS error
  kDelivery = 4,  // upload batches, late fixes, duplicates
  kForage = 5,    // daily foraging points (keyed by day, not by fix)
};

inline Rng MakeRng(std::uint64_t seed, RngStream stream, std::uint64_t a, std::uint64_t b = 0) {
  const auto s = static_cast<std::uint64_t>(stream);
  return Rng(Mix64(Mix64(Mix64(Mix64(seed) ^ s) ^ a) ^ (b * 0x632be59bd9b4e019ULL)));
}

// A counter-based SplitMix64 generator for draws keyed by (stream, key):
// seeding an mt19937_64 (312 words) for every simulated day would cost more
// than generating that day's fixes. Same interface as an engine.
class KeyedRng {
 public:
  using result_type = std::uint64_t;
  explicit KeyedRng(std::uint64_t key) : state_(key) {}
  std::uint64_t operator()() { return Mix64(state_++); }

 private:
  std::uint64_t state_;
};

inline KeyedRng MakeKeyedRng(std::uint64_t seed, RngStream stream, std::uint64_t a, std::uint64_t b) {
  const auto s = static_cast<std::uint64_t>(stream);
  return KeyedRng(Mix64(Mix64(Mix64(Mix64(seed) ^ s) ^ a) ^ (b * 0x632be59bd9b4e019ULL)));
}

// The helpers below accept Rng or KeyedRng.

// Uniform in [0, 1) with 53 random bits.
template <class Engine>
inline double Uniform01(Engine& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

template <class Engine>
inline double Uniform(Engine& rng, double lo, double hi) { return lo + (hi - lo) * Uniform01(rng); }

// Uniform integer in [0, n); n > 0. The bias (n / 2^53) is negligible here.
template <class Engine>
inline std::uint64_t UniformIndex(Engine& rng, std::uint64_t n) {
  auto i = static_cast<std::uint64_t>(Uniform01(rng) * static_cast<double>(n));
  return i < n ? i : n - 1;
}

template <class Engine>
inline bool Bernoulli(Engine& rng, double p) { return p > 0 && Uniform01(rng) < p; }

// Standard normal by Box–Muller (one of the pair; the other is discarded so
// the number of engine draws per variate is fixed).
template <class Engine>
inline double StandardNormal(Engine& rng) {
  double u1 = 1.0 - Uniform01(rng);  // (0, 1]: log stays finite
  double u2 = Uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// Both Box–Muller variates: two independent standard normals.
template <class Engine>
inline void StandardNormalPair(Engine& rng, double* a, double* b) {
  const double r = std::sqrt(-2.0 * std::log(1.0 - Uniform01(rng)));
  const double phi = 2.0 * std::numbers::pi * Uniform01(rng);
  *a = r * std::cos(phi);
  *b = r * std::sin(phi);
}

template <class Engine>
inline double Normal(Engine& rng, double mean, double sigma) { return mean + sigma * StandardNormal(rng); }

// Exponential with the given mean.
template <class Engine>
inline double Exponential(Engine& rng, double mean) { return -mean * std::log(1.0 - Uniform01(rng)); }

// Standard Cauchy: heavy tails for GPS outliers.
template <class Engine>
inline double StandardCauchy(Engine& rng) {
  return std::tan(std::numbers::pi * (Uniform01(rng) - 0.5));
}

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_RANDOM_H_
