#include "support/pdf_factory.h"

#include <functional>
#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

namespace numberdesk::testing {
namespace {

std::string Build(int pages, const std::string& text,
                  const std::function<void(QPDFWriter&)>& configure) {
  QPDF pdf;
  pdf.emptyPDF();
  QPDFPageDocumentHelper document(pdf);
  QPDFObjectHandle font = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"));
  for (int i = 0; i < pages; ++i) {
    std::string stream =
        "BT /F1 18 Tf 72 720 Td (" + text + " page " + std::to_string(i + 1) + ") Tj ET";
    QPDFObjectHandle contents = QPDFObjectHandle::newStream(&pdf, stream);
    QPDFObjectHandle resources = QPDFObjectHandle::parse("<< /Font << >> >>");
    resources.getKey("/Font").replaceKey("/F1", font);
    QPDFObjectHandle page = pdf.makeIndirectObject(
        QPDFObjectHandle::parse("<< /Type /Page /MediaBox [0 0 612 792] >>"));
    page.replaceKey("/Contents", contents);
    page.replaceKey("/Resources", resources);
    document.addPage(page, false);
  }
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.setStaticID(false);
  if (configure) configure(writer);
  writer.write();
  std::shared_ptr<Buffer> buffer(writer.getBufferSharedPointer());
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace

std::string MakePdf(int pages, const std::string& text) {
  return Build(pages, text, nullptr);
}

std::string MakeEncryptedPdf() {
  return Build(1, "locked", [](QPDFWriter& writer) {
    writer.setR6EncryptionParameters("secret", "owner", true, true, true, true, true, true,
                                     qpdf_r3p_full, true);
  });
}

std::string MakeOwnerOnlyEncryptedPdf() {
  return Build(1, "owner only", [](QPDFWriter& writer) {
    writer.setR6EncryptionParameters("", "owner", true, true, true, true, true, true, qpdf_r3p_full,
                                     true);
  });
}

std::string MakeTruncatedPdf() {
  std::string whole = MakePdf(3);
  return whole.substr(0, whole.size() / 2);
}

std::string MakePng() {
  static const unsigned char kPng[] = {
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
      0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78,
      0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
      0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(kPng), sizeof kPng);
}

}  // namespace numberdesk::testing
