// The one way to pass an error up: `if (!x) return Fail(x.error());` written once, here.
#pragma once

#include <utility>

#include "pkg/base/error.h"

#define CCM_STATUS_CONCAT_INNER(a, b) a##b
#define CCM_STATUS_CONCAT(a, b) CCM_STATUS_CONCAT_INNER(a, b)

// Evaluates `expr` (a Result or Status) once and returns its error, unchanged, on failure.
#define RETURN_IF_ERROR(expr)                                                \
  do {                                                                       \
    auto&& ccm_status_macro_result = (expr);                                 \
    if (!ccm_status_macro_result) {                                          \
      return ::ccm::Fail(std::forward<decltype(ccm_status_macro_result)>(ccm_status_macro_result).error()); \
    }                                                                        \
  } while (false)

// Declares or assigns `lhs` from the value of `expr` (a Result), or returns its error unchanged.
// `lhs` stays in the enclosing scope: `ASSIGN_OR_RETURN(auto x, Parse(s));`.
#define ASSIGN_OR_RETURN(lhs, expr) \
  CCM_ASSIGN_OR_RETURN_IMPL(CCM_STATUS_CONCAT(ccm_status_macro_result_, __COUNTER__), lhs, expr)
#define CCM_ASSIGN_OR_RETURN_IMPL(result, lhs, expr)        \
  auto result = (expr);                                     \
  if (!result) return ::ccm::Fail(std::move(result).error()); \
  lhs = std::move(*result)
