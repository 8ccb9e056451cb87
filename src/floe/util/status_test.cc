#include "floe/result.h"

#include <gtest/gtest.h>

namespace floe {
namespace {

Result<int> Half(int v) {
  if (v % 2) return Status::Invalid("value ", v, " is odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  FLOE_ASSIGN_OR_RAISE(int h, Half(v));
  FLOE_ASSIGN_OR_RAISE(int q, Half(h));
  return q;
}

Status CheckEven(int v) {
  FLOE_RETURN_NOT_OK(Half(v));
  return Status::OK();
}

TEST(Status, OkIsCheapAndPrintable) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.ToString(), "OK");
  Status bad = Status::NotFound("table ", "db.t", " does not exist");
  EXPECT_TRUE(bad.IsNotFound());
  EXPECT_EQ(bad.ToString(), "NotFound: table db.t does not exist");
  EXPECT_EQ(bad.WithContext("catalog.db").message(), "catalog.db: table db.t does not exist");
}

TEST(Result, EarlyReturnMacros) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "value 3 is odd");
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_TRUE(CheckEven(5).IsInvalid());
}

TEST(Result, FromOkStatusIsAnError) {
  Result<int> r{Status::OK()};
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace floe
