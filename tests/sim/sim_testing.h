#ifndef WETLINK_TESTS_SIM_SIM_TESTING_H_
#define WETLINK_TESTS_SIM_SIM_TESTING_H_

// Shared helpers for the simulator tests: the bundled world, parsed once.

#include <memory>

#include <gtest/gtest.h>

#include "sim/sim_world.h"

namespace wetlink::sim::testing {

inline const SimWorld& World() {
  static const std::shared_ptr<const SimWorld> kWorld = [] {
    auto w = BundledWorld();
    EXPECT_TRUE(w.ok()) << w.status();
    return *w;
  }();
  return *kWorld;
}

}  // namespace wetlink::sim::testing

#endif  // WETLINK_TESTS_SIM_SIM_TESTING_H_
