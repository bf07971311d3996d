#ifndef NUMBERDESK_TESTS_SUPPORT_PDF_FACTORY_H_
#define NUMBERDESK_TESTS_SUPPORT_PDF_FACTORY_H_

#include <string>

namespace numberdesk::testing {

// Real PDF files made with qpdf, for tests that upload documents.

// MakePdf returns a valid PDF with `pages` pages, each showing `text`.
std::string MakePdf(int pages = 1, const std::string& text = "numberdesk test");

// MakeEncryptedPdf returns a PDF that needs the user password "secret" to open.
std::string MakeEncryptedPdf();

// MakeOwnerOnlyEncryptedPdf returns a PDF encrypted with an owner password
// only: anyone can open it without a password.
std::string MakeOwnerOnlyEncryptedPdf();

// MakeTruncatedPdf returns the first half of a valid PDF.
std::string MakeTruncatedPdf();

// A tiny valid PNG image, for "PNG renamed .pdf".
std::string MakePng();

}  // namespace numberdesk::testing

#endif  // NUMBERDESK_TESTS_SUPPORT_PDF_FACTORY_H_
