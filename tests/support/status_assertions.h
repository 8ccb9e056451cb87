// GoogleTest assertions for Floe's Status and Result values.
#pragma once

#include <gtest/gtest.h>

#include <utility>

#include "floe/result.h"
#include "floe/status.h"

#define FLOE_EXPECT_OK(expr)                     \
  do {                                           \
    ::floe::Status _st = ::floe::ToStatus(expr); \
    EXPECT_TRUE(_st.ok()) << _st.ToString();     \
  } while (0)
#define FLOE_ASSERT_OK(expr)                     \
  do {                                           \
    ::floe::Status _st = ::floe::ToStatus(expr); \
    ASSERT_TRUE(_st.ok()) << _st.ToString();     \
  } while (0)
// Declares `lhs` from a Result, failing the test (and returning) on error.
#define FLOE_ASSERT_OK_AND_ASSIGN(lhs, rexpr)                \
  auto FLOE_CONCAT(_floe_r, __LINE__) = (rexpr);             \
  ASSERT_TRUE(FLOE_CONCAT(_floe_r, __LINE__).ok())           \
      << FLOE_CONCAT(_floe_r, __LINE__).status().ToString(); \
  lhs = std::move(FLOE_CONCAT(_floe_r, __LINE__)).value()
