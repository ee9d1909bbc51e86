// gtest parameter names from free text: anything but letters and digits becomes '_'.
#pragma once

#include <cctype>
#include <string>

#include <gtest/gtest.h>

namespace ccm::testing {

// For INSTANTIATE_TEST_SUITE_P over a struct with a `name` member.
struct NameFromField {
  template <typename P>
  std::string operator()(const ::testing::TestParamInfo<P>& info) const {
    std::string n = info.param.name;
    for (char& c : n) {
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    return n;
  }
};

}  // namespace ccm::testing
