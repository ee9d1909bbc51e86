// Unwraps a Result into `lhs` or returns its error: keeps field-by-field parsers readable.
#pragma once

#define CCM_OCI_CONCAT_INNER(a, b) a##b
#define CCM_OCI_CONCAT(a, b) CCM_OCI_CONCAT_INNER(a, b)
#define CCM_OCI_ASSIGN_OR_RETURN(lhs, expr)                        \
  auto CCM_OCI_CONCAT(ccm_oci_result_, __LINE__) = (expr);         \
  if (!CCM_OCI_CONCAT(ccm_oci_result_, __LINE__))                  \
    return ::ccm::Fail(CCM_OCI_CONCAT(ccm_oci_result_, __LINE__).error()); \
  lhs = std::move(*CCM_OCI_CONCAT(ccm_oci_result_, __LINE__))
