#ifndef NUMBERDESK_DOCUMENTS_PDF_INSPECTOR_H_
#define NUMBERDESK_DOCUMENTS_PDF_INSPECTOR_H_

#include <optional>
#include <string>
#include <string_view>

namespace numberdesk {

// Why uploaded bytes are not a usable PDF. Each has its own API code.
enum class PdfProblem {
  kEmpty,              // "empty_file": zero bytes
  kNotAPdf,            // "not_a_pdf": no PDF header, e.g. text or an image
  kDamaged,            // "damaged_pdf": truncated or structurally broken
  kPasswordProtected,  // "encrypted_pdf": cannot be opened without a password
};

std::string_view PdfProblemCode(PdfProblem problem);

struct PdfInspection {
  std::optional<int> page_count;  // set when the bytes are a PDF anyone can open
  PdfProblem problem{};           // meaningful only when page_count is empty
  std::string detail;
};

// InspectPdf parses `bytes` with qpdf, without its recovery of damaged files,
// and walks the page tree. Only the content decides: a declared content type
// or file name plays no part. A PDF encrypted with an owner password only
// opens without a password and is accepted.
PdfInspection InspectPdf(std::string_view bytes);

}  // namespace numberdesk

#endif  // NUMBERDESK_DOCUMENTS_PDF_INSPECTOR_H_
