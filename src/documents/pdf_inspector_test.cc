#include "documents/pdf_inspector.h"

#include <gtest/gtest.h>

#include <string>

#include "support/pdf_factory.h"

namespace numberdesk {
namespace {

using testing::MakeEncryptedPdf;
using testing::MakeOwnerOnlyEncryptedPdf;
using testing::MakePdf;
using testing::MakePng;
using testing::MakeTruncatedPdf;

// The API code of the problem found, or "accepted".
std::string CodeOf(std::string_view bytes) {
  PdfInspection inspection = InspectPdf(bytes);
  if (inspection.page_count) return "accepted";
  return std::string(PdfProblemCode(inspection.problem));
}

TEST(PdfInspector, CountsPages) {
  EXPECT_EQ(InspectPdf(MakePdf(1)).page_count, 1);
  EXPECT_EQ(InspectPdf(MakePdf(3)).page_count, 3);
  EXPECT_EQ(InspectPdf(MakePdf(12)).page_count, 12);
}

TEST(PdfInspector, RefusesEmptyFile) {
  PdfInspection inspection = InspectPdf("");

  EXPECT_FALSE(inspection.page_count.has_value());
  EXPECT_EQ(PdfProblemCode(inspection.problem), "empty_file");
  EXPECT_FALSE(inspection.detail.empty());
}

TEST(PdfInspector, RefusesTextFile) {
  EXPECT_EQ(CodeOf("Letter of authorization\nI, J. Doe, authorize the port.\n"), "not_a_pdf");
}

TEST(PdfInspector, RefusesPngImage) {
  EXPECT_EQ(CodeOf(MakePng()), "not_a_pdf");
}

TEST(PdfInspector, RefusesHeaderAfterFirstKilobyte) {
  EXPECT_EQ(CodeOf(std::string(2048, ' ') + MakePdf(1)), "not_a_pdf");
}

TEST(PdfInspector, RefusesTruncatedPdf) {
  PdfInspection inspection = InspectPdf(MakeTruncatedPdf());

  EXPECT_FALSE(inspection.page_count.has_value());
  EXPECT_EQ(PdfProblemCode(inspection.problem), "damaged_pdf");
  EXPECT_FALSE(inspection.detail.empty());
}

TEST(PdfInspector, RefusesHeaderWithoutDocument) {
  EXPECT_EQ(CodeOf("%PDF-1.7\nnot really a PDF\n"), "damaged_pdf");
}

TEST(PdfInspector, RefusesPdfWithoutPages) {
  EXPECT_EQ(CodeOf(MakePdf(0)), "damaged_pdf");
}

TEST(PdfInspector, RefusesPdfThatNeedsAPassword) {
  PdfInspection inspection = InspectPdf(MakeEncryptedPdf());

  EXPECT_FALSE(inspection.page_count.has_value());
  EXPECT_EQ(PdfProblemCode(inspection.problem), "encrypted_pdf");
  EXPECT_FALSE(inspection.detail.empty());
}

TEST(PdfInspector, AcceptsPdfWithOwnerPasswordOnly) {
  EXPECT_EQ(InspectPdf(MakeOwnerOnlyEncryptedPdf()).page_count, 1);
}

TEST(PdfInspector, EveryProblemHasItsOwnCode) {
  EXPECT_EQ(PdfProblemCode(PdfProblem::kEmpty), "empty_file");
  EXPECT_EQ(PdfProblemCode(PdfProblem::kNotAPdf), "not_a_pdf");
  EXPECT_EQ(PdfProblemCode(PdfProblem::kDamaged), "damaged_pdf");
  EXPECT_EQ(PdfProblemCode(PdfProblem::kPasswordProtected), "encrypted_pdf");
}

}  // namespace
}  // namespace numberdesk
