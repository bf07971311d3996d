#include "documents/pdf_inspector.h"

#include <exception>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

namespace numberdesk {
namespace {

// PDF readers accept the header anywhere in the first kilobyte.
constexpr std::size_t kHeaderWindow = 1024;

PdfInspection Refuse(PdfProblem problem, std::string detail) {
  return PdfInspection{std::nullopt, problem, std::move(detail)};
}

}  // namespace

std::string_view PdfProblemCode(PdfProblem problem) {
  switch (problem) {
    case PdfProblem::kEmpty:
      return "empty_file";
    case PdfProblem::kNotAPdf:
      return "not_a_pdf";
    case PdfProblem::kDamaged:
      return "damaged_pdf";
    case PdfProblem::kPasswordProtected:
      return "encrypted_pdf";
  }
  return "not_a_pdf";
}

PdfInspection InspectPdf(std::string_view bytes) {
  if (bytes.empty()) {
    return Refuse(PdfProblem::kEmpty, "The file is empty.");
  }
  if (bytes.substr(0, kHeaderWindow).find("%PDF-") == std::string_view::npos) {
    return Refuse(PdfProblem::kNotAPdf, "The file is not a PDF document.");
  }

  try {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.setAttemptRecovery(false);
    pdf.processMemoryFile("upload", bytes.data(), bytes.size());
    auto pages = QPDFPageDocumentHelper(pdf).getAllPages();
    if (pages.empty()) {
      return Refuse(PdfProblem::kDamaged, "The PDF has no pages.");
    }
    return PdfInspection{static_cast<int>(pages.size()), {}, {}};
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) {
      return Refuse(PdfProblem::kPasswordProtected,
                    "The PDF needs a password to open; upload it without one.");
    }
    return Refuse(PdfProblem::kDamaged, "The PDF is truncated or damaged and cannot be read.");
  } catch (const std::exception&) {
    return Refuse(PdfProblem::kDamaged, "The PDF is truncated or damaged and cannot be read.");
  }
}

}  // namespace numberdesk
