#include "http/multipart.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/pdf_factory.h"

namespace numberdesk::http {
namespace {

constexpr std::string_view kBoundary = "----numberdesk7MA4YWxkTrZu0gW";
const std::string kContentType = "multipart/form-data; boundary=" + std::string(kBoundary);

// One part as a client writes it: its header lines and its bytes.
struct RawPart {
  std::string headers;
  std::string body;
};

std::string Body(const std::vector<RawPart>& parts) {
  std::string body;
  for (const RawPart& part : parts) {
    body += "--" + std::string(kBoundary) + "\r\n" + part.headers + "\r\n" + part.body + "\r\n";
  }
  body += "--" + std::string(kBoundary) + "--\r\n";
  return body;
}

RawPart DataPart(std::string json) {
  return {"Content-Disposition: form-data; name=\"data\"\r\n", std::move(json)};
}

RawPart FilePart(std::string name, std::string filename, std::string bytes) {
  return {"Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename +
              "\"\r\nContent-Type: application/pdf\r\n",
          std::move(bytes)};
}

// The parts of a body that must parse.
std::vector<FormPart> Parse(const std::vector<RawPart>& parts) {
  MultipartParse parse = ParseFormData(kContentType, Body(parts));
  EXPECT_TRUE(parse.parts.has_value());
  return parse.parts.value_or(std::vector<FormPart>{});
}

const FormPart* Named(const std::vector<FormPart>& parts, std::string_view name) {
  for (const FormPart& part : parts) {
    if (part.name == name) return &part;
  }
  return nullptr;
}

TEST(Multipart, SplitsPartsInBodyOrder) {
  std::vector<FormPart> parts =
      Parse({DataPart(R"({"country_code":"US"})"), FilePart("loaFile", "loa.pdf", "%PDF-loa"),
             FilePart("billFile", "bill.pdf", "%PDF-bill")});

  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].name, "data");
  EXPECT_FALSE(parts[0].filename.has_value());
  EXPECT_EQ(parts[0].body, R"({"country_code":"US"})");
  EXPECT_EQ(parts[1].name, "loaFile");
  EXPECT_EQ(parts[1].filename, "loa.pdf");
  EXPECT_EQ(parts[1].content_type, "application/pdf");
  EXPECT_EQ(parts[1].body, "%PDF-loa");
  EXPECT_EQ(parts[2].name, "billFile");
  EXPECT_EQ(parts[2].body, "%PDF-bill");
}

TEST(Multipart, FindsDataPartSentLastAfterBothFiles) {
  std::vector<FormPart> parts =
      Parse({FilePart("billFile", "bill.pdf", "%PDF-bill"),
             FilePart("loaFile", "loa.pdf", "%PDF-loa"), DataPart(R"({"toll_free":false})")});

  const FormPart* data = Named(parts, "data");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->body, R"({"toll_free":false})");
  EXPECT_EQ(parts.back().name, "data");
}

TEST(Multipart, DefaultsContentTypeToTextPlain) {
  std::vector<FormPart> parts = Parse({DataPart("{}")});

  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].content_type, "text/plain");
}

TEST(Multipart, FindsDataPartSentAsFile) {
  RawPart data{
      "Content-Disposition: form-data; name=\"data\"; filename=\"data.json\"\r\n"
      "Content-Type: application/json\r\n",
      R"({"number_to_port":"9782631234"})"};

  std::vector<FormPart> parts = Parse({FilePart("loaFile", "loa.pdf", "%PDF"), data});

  const FormPart* found = Named(parts, "data");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->filename, "data.json");
  EXPECT_EQ(found->content_type, "application/json");
  EXPECT_EQ(found->body, R"({"number_to_port":"9782631234"})");
}

TEST(Multipart, KeepsUtf8FileNames) {
  std::string name = "Lettre d\u2019autorisation \u00e9t\u00e9.pdf";

  std::vector<FormPart> parts = Parse({FilePart("loaFile", name, "%PDF")});

  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].filename, name);
}

// Browsers and curl send a Windows path with plain backslashes; they must
// reach the sanitiser intact so that the folder part can be dropped.
TEST(Multipart, KeepsBackslashesInFileNamesAsSent) {
  std::vector<FormPart> parts = Parse({FilePart("loaFile", "C:\\docs\\loa.pdf", "%PDF")});

  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].filename, "C:\\docs\\loa.pdf");
}

TEST(Multipart, DecodesPercentEncodedQuotesInFileNames) {
  std::vector<FormPart> parts = Parse({FilePart("loaFile", "the %22final%22 loa.pdf", "%PDF")});

  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].filename, "the \"final\" loa.pdf");
}

TEST(Multipart, DecodesRfc2231FileNames) {
  RawPart loa{
      "Content-Disposition: form-data; name=\"loaFile\"; "
      "filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf\r\n",
      "%PDF"};

  std::vector<FormPart> parts = Parse({loa});

  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].filename, "\u8acb\u6c42\u66f8.pdf");
}

TEST(Multipart, ReturnsBinaryBytesExactly) {
  std::string bytes("\x00\x01\r\n\r\n--\r\n\xff\xfe\n\r\x00", 15);
  bytes += "\r\n--" + std::string(kBoundary.substr(0, 10));  // a boundary look-alike
  bytes += std::string("\r\n \t\x00", 5);                    // ends in white space and NUL

  std::vector<FormPart> parts = Parse({FilePart("loaFile", "loa.pdf", bytes), DataPart("{}")});

  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].body, bytes);
  EXPECT_EQ(parts[1].body, "{}");
}

TEST(Multipart, ReturnsRealPdfExactly) {
  std::string pdf = numberdesk::testing::MakePdf(2);
  RawPart loa{
      "Content-Disposition: form-data; name=\"loaFile\"; filename=\"loa.pdf\"\r\n"
      "Content-Type: application/octet-stream\r\n",
      pdf};

  std::vector<FormPart> parts = Parse({loa});

  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].content_type, "application/octet-stream");
  EXPECT_EQ(parts[0].body, pdf);
}

TEST(Multipart, UndoesBase64TransferEncoding) {
  RawPart loa{
      "Content-Disposition: form-data; name=\"loaFile\"; filename=\"loa.pdf\"\r\n"
      "Content-Transfer-Encoding: base64\r\n",
      "JVBERi0xLjcK"};

  std::vector<FormPart> parts = Parse({loa});

  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].body, "%PDF-1.7\n");
}

TEST(Multipart, KeepsEmptyPart) {
  std::vector<FormPart> parts = Parse({FilePart("loaFile", "loa.pdf", "")});

  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].name, "loaFile");
  EXPECT_TRUE(parts[0].body.empty());
}

TEST(Multipart, RefusesPartsWithoutFormDataName) {
  for (const RawPart& odd : std::vector<RawPart>{
           {"Content-Disposition: attachment; name=\"x\"; filename=\"x.pdf\"\r\n", "x"},
           {"Content-Disposition: form-data; filename=\"y.pdf\"\r\n", "y"},
           {"Content-Type: text/plain\r\n", "z"}}) {
    SCOPED_TRACE(odd.headers);
    MultipartParse parse = ParseFormData(kContentType, Body({odd, DataPart("{}")}));

    EXPECT_FALSE(parse.parts.has_value());
    EXPECT_EQ(parse.error, MultipartError::kMalformed);
  }
}

TEST(Multipart, RefusesBodyWithoutCloseDelimiter) {
  std::string complete = Body({DataPart("{}"), FilePart("loaFile", "loa.pdf", "%PDF-loa")});
  std::string close = "--" + std::string(kBoundary) + "--\r\n";
  std::string cut = complete.substr(0, complete.size() - close.size());

  MultipartParse parse = ParseFormData(kContentType, cut);

  EXPECT_FALSE(parse.parts.has_value());
  EXPECT_EQ(parse.error, MultipartError::kMalformed);
  // Without its CRLF the close delimiter is still enough.
  EXPECT_TRUE(ParseFormData(kContentType, complete.substr(0, complete.size() - 2)).parts);
}

TEST(Multipart, RefusesCloseDelimiterOfAnotherBoundary) {
  std::string body = "--" + std::string(kBoundary) +
                     "\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{}\r\n--other--\r\n";

  EXPECT_EQ(ParseFormData(kContentType, body).error, MultipartError::kMalformed);
}

TEST(Multipart, RefusesBodyWithNoParts) {
  MultipartParse parse = ParseFormData(kContentType, Body({}));

  EXPECT_FALSE(parse.parts.has_value());
  EXPECT_EQ(parse.error, MultipartError::kMalformed);
}

TEST(Multipart, RefusesNestedMultipart) {
  std::string inner = "--inner\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nx\r\n--inner--";
  RawPart nested = {
      "Content-Disposition: form-data; name=\"files\"\r\n"
      "Content-Type: multipart/mixed; boundary=inner\r\n",
      inner};

  MultipartParse parse = ParseFormData(kContentType, Body({DataPart("{}"), nested}));

  EXPECT_FALSE(parse.parts.has_value());
  EXPECT_EQ(parse.error, MultipartError::kMalformed);
}

TEST(Multipart, AcceptsQuotedBoundaryAndAnyCase) {
  std::string type = "Multipart/Form-Data; boundary=\"" + std::string(kBoundary) + "\"";

  MultipartParse parse = ParseFormData(type, Body({DataPart("{}")}));

  ASSERT_TRUE(parse.parts.has_value());
  ASSERT_EQ(parse.parts->size(), 1u);
  EXPECT_EQ((*parse.parts)[0].body, "{}");
}

TEST(Multipart, RefusesMissingBoundary) {
  MultipartParse parse = ParseFormData("multipart/form-data", Body({DataPart("{}")}));

  EXPECT_FALSE(parse.parts.has_value());
  EXPECT_EQ(parse.error, MultipartError::kMissingBoundary);
}

TEST(Multipart, RefusesOtherContentTypes) {
  for (std::string_view type : {"application/json", "multipart/mixed; boundary=x", "text/plain", "",
                                "multipart/form-datax; boundary=x"}) {
    SCOPED_TRACE(type);
    MultipartParse parse = ParseFormData(type, Body({DataPart("{}")}));
    EXPECT_FALSE(parse.parts.has_value());
    EXPECT_EQ(parse.error, MultipartError::kNotMultipart);
  }
}

TEST(FormDataContentType, MatchesInAnyCaseWithParameters) {
  EXPECT_TRUE(IsFormDataContentType("multipart/form-data"));
  EXPECT_TRUE(IsFormDataContentType("MULTIPART/FORM-DATA; boundary=abc"));
  EXPECT_TRUE(IsFormDataContentType(" multipart/form-data ;boundary=abc"));
  EXPECT_FALSE(IsFormDataContentType("multipart/mixed; boundary=abc"));
  EXPECT_FALSE(IsFormDataContentType("application/x-www-form-urlencoded"));
}

}  // namespace
}  // namespace numberdesk::http
