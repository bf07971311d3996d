// Black-box tests of POST /api/numbers/add-port-request: a multipart body
// with the request as JSON (part "data") and two PDFs (loaFile, billFile).

#include <gtest/gtest.h>

#include <algorithm>
#include <qpdf/QPDFCryptoProvider.hh>
#include <qpdf/QUtil.hh>
#include <string>
#include <vector>

#include "http/http_client.h"
#include "http/server_process.h"
#include "support/pdf_factory.h"

namespace numberdesk::testing {
namespace {

using nlohmann::json;

std::string Sha256Hex(const std::string& bytes) {
  auto sha = QPDFCryptoProvider::getImpl();
  sha->SHA2_init(256);
  sha->SHA2_update(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  sha->SHA2_finalize();
  return QUtil::hex_encode(sha->SHA2_digest());
}

// Returns `parts` with the part called `name` replaced by `replacement`.
std::vector<FormPart> Replacing(std::vector<FormPart> parts, const std::string& name,
                                FormPart replacement) {
  for (FormPart& part : parts) {
    if (part.name == name) part = std::move(replacement);
  }
  return parts;
}

class PortInRequestTest : public ::testing::Test {
 protected:
  std::vector<FormPart> ValidParts() { return PortInParts(MinimalPortInData(), loa_, bill_); }

  std::vector<FormPart> PartsWithData(const json& data) { return PortInParts(data, loa_, bill_); }

  HttpResult Upload(const std::vector<FormPart>& parts) {
    return api_.PostMultipart(kPortInPath, parts);
  }

  void ExpectNothingCreated() {
    HttpResult list = api_.Get(kRequestsPath);
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.Json()["requests"].empty()) << list.body;
  }

  // Uploads `bytes` as the file part `part` and checks that it is refused
  // with `code` naming that part.
  void ExpectFileRefused(const std::string& part, const std::string& bytes, const std::string& code,
                         const std::string& content_type) {
    SCOPED_TRACE(part + " refused as " + code);
    FormPart file{part, part == "loaFile" ? "loa.pdf" : "bill.pdf", content_type, bytes};
    HttpResult result = Upload(Replacing(ValidParts(), part, file));
    EXPECT_TRUE(IsProblem(result, 400, code));
    EXPECT_TRUE(HasPartError(result, part, code));
    EXPECT_EQ(result.Json()["errors"].size(), 1u) << result.body;
  }

  const std::string loa_ = MakePdf(2, "letter of authorisation");
  const std::string bill_ = MakePdf(3, "phone bill");
  ServerProcess server_;
  HttpClient api_{server_.base_url(), server_.token()};
};

TEST_F(PortInRequestTest, CreatesAPortInWithBothDocuments) {
  json data = MinimalPortInData();
  data["number_to_port"] = "(978) 263-1234";
  data["department_name"] = "Front desk";
  data["assign_to_user"] = "s_smith";
  data["notify_email"] = {"jdoe@example.com", "JDoe@Example.com"};
  data["comment"] = "Port before the move";
  HttpResult result = Upload(PartsWithData(data));
  json created = ExpectCreated(result, "port_in");

  EXPECT_EQ(created["country_code"], "US");
  EXPECT_EQ(created["number_to_port"], "+19782631234");
  EXPECT_EQ(created["toll_free"], false);
  EXPECT_EQ(created["notify_email"], json({"jdoe@example.com"}));
  EXPECT_EQ(created["assign_to_user"], "s_smith");
  EXPECT_FALSE(created.contains("region"));
  EXPECT_FALSE(created.contains("forward_from"));

  const json& documents = created["documents"];
  ASSERT_EQ(documents.size(), 2u) << created.dump();
  for (const json& document : documents) {
    bool is_loa = document["kind"] == "loa";
    const std::string& bytes = is_loa ? loa_ : bill_;
    EXPECT_EQ(document["file_name"], is_loa ? "loa.pdf" : "bill.pdf");
    EXPECT_EQ(document["content_type"], "application/pdf");
    EXPECT_EQ(document["size_bytes"], bytes.size());
    EXPECT_EQ(document["sha256"], Sha256Hex(bytes));
    EXPECT_EQ(document["page_count"], is_loa ? 2 : 3);
    EXPECT_EQ(document["href"], "/api/numbers/requests/" + created["id"].get<std::string>() +
                                    "/documents/" + document["id"].get<std::string>());
  }
  EXPECT_NE(documents[0]["kind"], documents[1]["kind"]);
}

TEST_F(PortInRequestTest, KeepsUnicodeFileNamesAndDropsPathParts) {
  std::vector<FormPart> parts = ValidParts();
  parts[1].filename = "Lettre d\u2019autorisation \u00e9.pdf";
  parts[2].filename = "C:\\docs\\bill.pdf";
  json created = ExpectCreated(Upload(parts), "port_in");
  ASSERT_EQ(created["documents"].size(), 2u);
  for (const json& document : created["documents"]) {
    if (document["kind"] == "loa") {
      EXPECT_EQ(document["file_name"], "Lettre d\u2019autorisation \u00e9.pdf");
    } else {
      EXPECT_EQ(document["file_name"], "bill.pdf");
    }
  }
}

TEST_F(PortInRequestTest, KeepsQuotesInFileNames) {
  std::vector<FormPart> parts = ValidParts();
  parts[1].filename = "Signed \"final\" LOA.pdf";  // libcurl sends each quote as %22
  json created = ExpectCreated(Upload(parts), "port_in");
  ASSERT_EQ(created["documents"].size(), 2u);
  EXPECT_EQ(created["documents"][0]["file_name"], "Signed \"final\" LOA.pdf");
}

TEST_F(PortInRequestTest, DropsUnixPathPartsFromFileNames) {
  std::vector<FormPart> parts = ValidParts();
  parts[1].filename = "../../etc/loa.pdf";
  parts[2].filename = "/home/jdoe/scans/bill.pdf";
  json created = ExpectCreated(Upload(parts), "port_in");
  ASSERT_EQ(created["documents"].size(), 2u);
  for (const json& document : created["documents"]) {
    EXPECT_EQ(document["file_name"], document["kind"] == "loa" ? "loa.pdf" : "bill.pdf");
  }
}

TEST_F(PortInRequestTest, FindsPartsByNameInAnyOrder) {
  std::vector<FormPart> parts = ValidParts();
  std::vector<FormPart> reversed(parts.rbegin(), parts.rend());
  ExpectCreated(Upload(reversed), "port_in");

  parts = ValidParts();  // another number
  std::vector<FormPart> data_last = {parts[1], parts[2], parts[0]};
  ExpectCreated(Upload(data_last), "port_in");
}

TEST_F(PortInRequestTest, AcceptsTheDataPartSentAsAFile) {
  for (const FormPart& part :
       {FormPart{"data", "data.json", "application/json", MinimalPortInData().dump()},
        FormPart{"data", "data.json", std::nullopt, MinimalPortInData().dump()},
        FormPart{"data", std::nullopt, "application/json", MinimalPortInData().dump()},
        FormPart{"data", "data.json", "application/octet-stream", MinimalPortInData().dump()}}) {
    SCOPED_TRACE(part.content_type.value_or("no content type"));
    std::vector<FormPart> parts = Replacing(ValidParts(), "data", part);
    std::rotate(parts.begin(), parts.begin() + 1, parts.end());  // data last
    ExpectCreated(Upload(parts), "port_in");
  }
}

TEST_F(PortInRequestTest, NamesAMissingPartAndCreatesNothing) {
  std::vector<FormPart> parts = ValidParts();
  parts[2].name = "bilFile";
  HttpResult result = Upload(parts);
  ASSERT_EQ(result.status, 400) << result.body;
  EXPECT_TRUE(HasPartError(result, "billFile", "required"));
  EXPECT_TRUE(HasPartError(result, "bilFile", "unknown_part"));
  bool suggests = false;
  json problem = result.Json();
  for (const json& error : problem["errors"]) {
    if (error.value("part", "") == "bilFile") {
      suggests = error["detail"].get<std::string>().find("billFile") != std::string::npos;
    }
  }
  EXPECT_TRUE(suggests) << result.body;
  ExpectNothingCreated();
}

TEST_F(PortInRequestTest, RequiresEveryPart) {
  // A body with no parts at all is not a form; see RefusesABodyWithNoParts.
  for (std::size_t missing = 0; missing < 3; ++missing) {
    std::vector<FormPart> parts = ValidParts();
    std::string name = parts[missing].name;
    parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(missing));
    EXPECT_TRUE(HasPartError(Upload(parts), name, "required")) << name;
  }

  std::vector<FormPart> without_data = ValidParts();
  without_data.erase(without_data.begin());
  HttpResult no_data = Upload(without_data);
  EXPECT_TRUE(IsProblem(no_data, 400, "required"));
  EXPECT_TRUE(HasPartError(no_data, "data", "required"));
  ExpectNothingCreated();
}

TEST_F(PortInRequestTest, RefusesAPartSentTwice) {
  std::vector<FormPart> parts = ValidParts();
  parts.push_back(parts[1]);
  HttpResult result = Upload(parts);
  EXPECT_TRUE(HasPartError(result, "loaFile", "duplicate_part"));
  ExpectNothingCreated();
}

TEST_F(PortInRequestTest, RefusesFilesThatAreNotUsablePdfs) {
  ExpectFileRefused("loaFile", "", "empty_file", "application/pdf");
  ExpectFileRefused("billFile", "", "empty_file", "application/pdf");
  ExpectFileRefused("loaFile", "This is a letter, honest.\n", "not_a_pdf", "application/pdf");
  ExpectFileRefused("billFile", MakePng(), "not_a_pdf", "application/pdf");
  ExpectFileRefused("loaFile", MakeTruncatedPdf(), "damaged_pdf", "application/pdf");
  ExpectFileRefused("billFile", MakeEncryptedPdf(), "encrypted_pdf", "application/pdf");
  ExpectNothingCreated();
}

TEST_F(PortInRequestTest, ReportsBothBadFilesAndBadDataTogether) {
  json data = MinimalPortInData();
  data.erase("notify_email");
  std::vector<FormPart> parts = PortInParts(data, "", MakePng());
  HttpResult result = Upload(parts);
  EXPECT_TRUE(IsProblem(result, 400, "validation_failed"));
  EXPECT_TRUE(HasPartError(result, "loaFile", "empty_file"));
  EXPECT_TRUE(HasPartError(result, "billFile", "not_a_pdf"));
  EXPECT_TRUE(HasFieldError(result, "/notify_email", "required"));
  ExpectNothingCreated();
}

TEST_F(PortInRequestTest, LetsTheContentDecideNotTheDeclaredType) {
  std::vector<FormPart> parts = ValidParts();
  parts[1].content_type = "application/octet-stream";
  parts[2].content_type = std::nullopt;
  parts[2].filename = "scan";
  json created = ExpectCreated(Upload(parts), "port_in");
  for (const json& document : created["documents"]) {
    EXPECT_EQ(document["content_type"], "application/pdf");
  }

  // A PDF with only an owner password opens without one.
  ExpectCreated(Upload(PortInParts(MinimalPortInData(), MakeOwnerOnlyEncryptedPdf(), bill_)),
                "port_in");
}

TEST_F(PortInRequestTest, RefusesAFileOverTenMebibytesNamingThePart) {
  std::vector<FormPart> parts = ValidParts();
  parts[2].bytes = "%PDF-1.7\n" + std::string(11 * 1024 * 1024, 'x');
  HttpResult result = Upload(parts);
  ASSERT_TRUE(IsProblem(result, 413, "file_too_large"));
  json body = result.Json();
  EXPECT_EQ(body["part"], "billFile");
  EXPECT_EQ(body["limit_bytes"], 10 * 1024 * 1024);
  ExpectNothingCreated();
}

TEST_F(PortInRequestTest, RefusesATollFreeFlagThatContradictsTheNumber) {
  json data = MinimalPortInData();
  data["number_to_port"] = "18335550123";
  data["toll_free"] = false;
  HttpResult result = Upload(PartsWithData(data));
  EXPECT_TRUE(IsProblem(result, 400, "toll_free_mismatch"));
  EXPECT_TRUE(HasFieldError(result, "/toll_free", "toll_free_mismatch"));

  data["number_to_port"] = "+19782631234";
  data["toll_free"] = true;
  EXPECT_TRUE(HasFieldError(Upload(PartsWithData(data)), "/toll_free", "toll_free_mismatch"));
  ExpectNothingCreated();
}

TEST_F(PortInRequestTest, DerivesTollFreeFromTheNumber) {
  json data = MinimalPortInData();
  data["number_to_port"] = "18335550123";
  json derived = ExpectCreated(Upload(PartsWithData(data)), "port_in");
  EXPECT_EQ(derived["number_to_port"], "+18335550123");
  EXPECT_EQ(derived["toll_free"], true);

  data["number_to_port"] = "18335550124";
  data["toll_free"] = true;
  EXPECT_EQ(ExpectCreated(Upload(PartsWithData(data)), "port_in")["toll_free"], true);

  data["number_to_port"] = "978 263 1234";
  data["toll_free"] = false;
  EXPECT_EQ(ExpectCreated(Upload(PartsWithData(data)), "port_in")["toll_free"], false);
}

TEST_F(PortInRequestTest, StoresEveryWayOfWritingTheNumberInE164) {
  const std::pair<const char*, const char*> cases[] = {
      {"19782631234", "+19782631234"},
      {"978.263.1235", "+19782631235"},
      {" +1 978 263 1236 ", "+19782631236"},
      {"1 (978) 263-1237", "+19782631237"},
  };
  for (const auto& [written, e164] : cases) {
    SCOPED_TRACE(written);
    json data = MinimalPortInData();
    data["number_to_port"] = written;
    EXPECT_EQ(ExpectCreated(Upload(PartsWithData(data)), "port_in")["number_to_port"], e164);
  }
}

TEST_F(PortInRequestTest, RefusesNumbersThatCannotBePorted) {
  const std::pair<const char*, const char*> cases[] = {
      {"+119782631234", "phone_number_wrong_length"},
      {"+9782631234", "not_north_american_number"},
      {"978-263-1234 x45", "phone_number_has_extension"},
      {"+19782631234;ext=45", "phone_number_has_extension"},
      {"1-800-FAX-0123", "phone_number_has_letters"},
      {"+10405550123", "invalid_area_code"},
      {"+19780631234", "invalid_exchange"},
      {"+14115550123", "n11_area_code"},
  };
  for (const auto& [number, code] : cases) {
    SCOPED_TRACE(number);
    json data = MinimalPortInData();
    data["number_to_port"] = number;
    EXPECT_TRUE(HasFieldError(Upload(PartsWithData(data)), "/number_to_port", code));
  }
  json missing = MinimalPortInData();
  missing.erase("number_to_port");
  EXPECT_TRUE(HasFieldError(Upload(PartsWithData(missing)), "/number_to_port", "required"));
  ExpectNothingCreated();
}

TEST_F(PortInRequestTest, RefusesANumberOfAnotherCountry) {
  json data = MinimalPortInData();
  data["country_code"] = "CA";
  EXPECT_TRUE(
      HasFieldError(Upload(PartsWithData(data)), "/number_to_port", "number_not_in_country"));

  data["number_to_port"] = "+1 514 555 0123";  // Montréal
  EXPECT_EQ(ExpectCreated(Upload(PartsWithData(data)), "port_in")["country_code"], "CA");
}

TEST_F(PortInRequestTest, ChecksTheDataPartLikeAJsonBody) {
  std::vector<FormPart> broken =
      Replacing(ValidParts(), "data", FormPart{"data", std::nullopt, std::nullopt, "{\"oops\""});
  HttpResult syntax = Upload(broken);
  EXPECT_TRUE(IsProblem(syntax, 400, "malformed_json"));
  EXPECT_TRUE(HasPartError(syntax, "data", "malformed_json"));

  json misspelt = MinimalPortInData();
  misspelt["tollFree"] = true;
  EXPECT_TRUE(HasFieldError(Upload(PartsWithData(misspelt)), "/tollFree", "unknown_field"));

  json wrong_type = MinimalPortInData();
  wrong_type["toll_free"] = "yes";
  EXPECT_TRUE(HasFieldError(Upload(PartsWithData(wrong_type)), "/toll_free", "invalid_type"));

  json region = MinimalPortInData();
  region["region"] = "MA";
  EXPECT_TRUE(HasFieldError(Upload(PartsWithData(region)), "/region", "unknown_field"));

  std::vector<FormPart> array_data =
      Replacing(ValidParts(), "data", FormPart{"data", std::nullopt, std::nullopt, "[]"});
  EXPECT_TRUE(HasFieldError(Upload(array_data), "", "invalid_type"));
  ExpectNothingCreated();
}

TEST_F(PortInRequestTest, RefusesABodyWithoutItsCloseDelimiter) {
  MultipartBody body = BuildMultipart(ValidParts());
  std::size_t close = body.bytes.rfind("--numberdesk-test-boundary-5b8e1f0c--");
  ASSERT_NE(close, std::string::npos);

  HttpResult cut = api_.Post(kPortInPath, body.bytes.substr(0, close), body.content_type);

  EXPECT_TRUE(IsProblem(cut, 400, "malformed_multipart"));
  ExpectNothingCreated();
}

// Regression: every unknown part added an error, so a body of many small
// parts got an answer far larger than itself.
TEST_F(PortInRequestTest, CapsTheErrorsOfManyUnknownParts) {
  std::vector<FormPart> parts = PortInParts(MinimalPortInData(), MakePdf(1), MakePdf(1));
  for (int i = 0; i < 80; ++i)
    parts.push_back(FormPart{"extra" + std::to_string(i), {}, {}, "x"});
  HttpResult result = api_.PostMultipart(kPortInPath, parts);
  EXPECT_TRUE(IsProblem(result, 400, "unknown_part"));
  EXPECT_EQ(result.Json()["errors"].size(), 50u);
}

TEST_F(PortInRequestTest, RefusesABodyWithNoParts) {
  HttpResult result = Upload({});

  EXPECT_TRUE(IsProblem(result, 400, "malformed_multipart"));
  ExpectNothingCreated();
}

TEST_F(PortInRequestTest, RefusesAPartWithoutAFormDataName) {
  MultipartBody body = BuildMultipart(ValidParts());
  std::string odd =
      "--numberdesk-test-boundary-5b8e1f0c\r\nContent-Disposition: attachment\r\n\r\nx\r\n";

  HttpResult result = api_.Post(kPortInPath, odd + body.bytes, body.content_type);

  EXPECT_TRUE(IsProblem(result, 400, "malformed_multipart"));
  ExpectNothingCreated();
}

TEST_F(PortInRequestTest, RefusesDuplicateKeysInTheDataPart) {
  std::vector<FormPart> parts = Replacing(
      ValidParts(), "data",
      FormPart{"data", std::nullopt, std::nullopt, R"({"country_code":"US","country_code":"CA"})"});

  HttpResult result = Upload(parts);

  EXPECT_TRUE(IsProblem(result, 400, "malformed_json"));
  EXPECT_TRUE(HasPartError(result, "data", "malformed_json"));
  ExpectNothingCreated();
}

TEST_F(PortInRequestTest, RefusesABodyThatIsNotMultipart) {
  HttpResult json_body = api_.PostJson(kPortInPath, MinimalPortInData());
  EXPECT_TRUE(IsProblem(json_body, 415, "unsupported_media_type"));

  HttpResult no_boundary = api_.Post(kPortInPath, "--x\r\n", "multipart/form-data");
  EXPECT_EQ(no_boundary.status, 400) << no_boundary.body;
  ExpectNothingCreated();
}

}  // namespace
}  // namespace numberdesk::testing
