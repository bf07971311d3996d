// Runs the curl commands of README.md, as a user would paste them, against a
// real server: only the host and the token differ. The README is the
// published form of the requests, so a change that breaks it fails here.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "http/http_client.h"
#include "http/server_process.h"
#include "support/pdf_factory.h"

namespace numberdesk::testing {
namespace {

constexpr char kReadmeHost[] = "http://127.0.0.1:8080";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The ```sh blocks of the README that POST to `path`.
std::vector<std::string> ReadmeExamplesPosting(const std::string& path) {
  std::string readme = ReadFile(std::filesystem::path(NUMBERDESK_SOURCE_DIR) / "README.md");
  std::vector<std::string> blocks;
  std::size_t at = 0;
  while ((at = readme.find("```sh\n", at)) != std::string::npos) {
    std::size_t begin = at + 6;
    std::size_t end = readme.find("```", begin);
    std::string block = readme.substr(begin, end - begin);
    if (block.starts_with("curl -X POST \"" + std::string(kReadmeHost) + path + "\"")) {
      blocks.push_back(block);
    }
    at = end + 3;
  }
  return blocks;
}

// Runs `script` with bash in `folder`, with TOKEN set and the README's host
// replaced by the test server's, and returns what it printed on stdout.
std::string RunExample(std::string script, const ServerProcess& server,
                       const std::filesystem::path& folder) {
  for (std::size_t at; (at = script.find(kReadmeHost)) != std::string::npos;) {
    script.replace(at, sizeof kReadmeHost - 1, server.base_url());
  }
  std::ofstream(folder / "example.sh") << script;
  std::string command =
      "cd '" + folder.string() + "' && TOKEN='" + server.token() + "' bash example.sh 2>/dev/null";
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    out.append(buffer, n);
  pclose(pipe);
  return out;
}

class PublishedExamples : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = server_.data_dir().parent_path() / "examples";
    std::filesystem::create_directories(folder_);
  }

  // Runs the only README example posting to `path` and returns the created
  // request as the server answered it.
  nlohmann::json CreateFromReadme(const std::string& path) {
    std::vector<std::string> examples = ReadmeExamplesPosting(path);
    EXPECT_EQ(examples.size(), 1u) << "README should show one curl command for " << path;
    if (examples.empty()) return nullptr;
    return nlohmann::json::parse(RunExample(examples.front(), server_, folder_), nullptr, false);
  }

  ServerProcess server_;
  std::filesystem::path folder_;
};

TEST_F(PublishedExamples, NonTollFreeRequestIsCreatedAndReadsBack) {
  nlohmann::json created = CreateFromReadme("/api/numbers/add-new-number-request/non-toll-free");
  ASSERT_TRUE(created.is_object()) << created;
  EXPECT_EQ(created["type"], "non_toll_free");
  EXPECT_EQ(created["status"], "submitted");
  EXPECT_EQ(created["region"], "MA");
  EXPECT_EQ(created["city"], "Acton");
  EXPECT_EQ(created["area_code"], nlohmann::json::array({"978"}));
  EXPECT_EQ(created["assign_to_user"], nullptr);
  EXPECT_EQ(created["forward_from"], nullptr);

  HttpClient client(server_.base_url(), server_.token());
  HttpResult read = client.Get("/api/numbers/requests/" + created["id"].get<std::string>());
  ASSERT_EQ(read.status, 200);
  nlohmann::json stored = read.Json();
  for (const char* field : {"id", "type", "status", "country_code", "department_name",
                            "notify_email", "region", "city", "area_code", "created_at"}) {
    EXPECT_EQ(stored[field], created[field]) << field;
  }
}

TEST_F(PublishedExamples, TollFreeRequestIsCreatedAndReadsBack) {
  nlohmann::json created = CreateFromReadme("/api/numbers/add-new-number-request/toll-free");
  ASSERT_TRUE(created.is_object()) << created;
  EXPECT_EQ(created["type"], "toll_free");
  EXPECT_EQ(created["status"], "submitted");
  EXPECT_EQ(created["assign_to_user"], "s_smith");
  EXPECT_EQ(created["area_code"], nlohmann::json::array({"833", "888"}));

  HttpClient client(server_.base_url(), server_.token());
  HttpResult read = client.Get("/api/numbers/requests/" + created["id"].get<std::string>());
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.Json()["area_code"], created["area_code"]);
  EXPECT_EQ(read.Json()["assign_to_user"], "s_smith");
}

TEST_F(PublishedExamples, PortInIsCreatedAndItsLoaDownloadsByteForByte) {
  std::string loa = MakePdf(2, "letter of authorisation");
  std::string bill = MakePdf(1, "phone bill");
  std::ofstream(folder_ / "loa.pdf", std::ios::binary) << loa;
  std::ofstream(folder_ / "bill.pdf", std::ios::binary) << bill;

  nlohmann::json created = CreateFromReadme("/api/numbers/add-port-request");
  ASSERT_TRUE(created.is_object()) << created;
  EXPECT_EQ(created["type"], "port_in");
  EXPECT_EQ(created["status"], "submitted");
  EXPECT_EQ(created["number_to_port"], "+19782631234");
  EXPECT_EQ(created["toll_free"], false);
  ASSERT_EQ(created["documents"].size(), 2u);

  HttpClient client(server_.base_url(), server_.token());
  for (const nlohmann::json& document : created["documents"]) {
    HttpResult download = client.Get(document["href"].get<std::string>());
    ASSERT_EQ(download.status, 200);
    if (document["kind"] == "loa") {
      EXPECT_EQ(document["file_name"], "loa.pdf");
      EXPECT_EQ(document["page_count"], 2);
      EXPECT_TRUE(download.body == loa) << "the downloaded LOA differs from the upload";
    } else {
      EXPECT_EQ(document["kind"], "bill");
      EXPECT_TRUE(download.body == bill) << "the downloaded bill differs from the upload";
    }
  }
}

// The provider's own published port-in sends 14001231233, whose area code,
// 400, is not in service: it is refused, naming the field and the reason.
TEST_F(PublishedExamples, PublishedPortInNumberIsRefusedAsNotInService) {
  std::vector<std::string> examples = ReadmeExamplesPosting("/api/numbers/add-port-request");
  ASSERT_EQ(examples.size(), 1u);
  std::string script = examples.front();
  std::size_t at = script.find("19782631234");
  ASSERT_NE(at, std::string::npos);
  script.replace(at, 11, "14001231233");
  std::ofstream(folder_ / "loa.pdf", std::ios::binary) << MakePdf();
  std::ofstream(folder_ / "bill.pdf", std::ios::binary) << MakePdf();

  nlohmann::json problem =
      nlohmann::json::parse(RunExample(script, server_, folder_), nullptr, false);
  ASSERT_TRUE(problem.is_object());
  EXPECT_EQ(problem["status"], 400);
  EXPECT_EQ(problem["code"], "area_code_not_in_service");
  ASSERT_EQ(problem["errors"].size(), 1u);
  EXPECT_EQ(problem["errors"][0]["pointer"], "/number_to_port");
  EXPECT_NE(
      problem["errors"][0]["detail"].get<std::string>().find("Area code 400 is not in service"),
      std::string::npos);

  HttpClient client(server_.base_url(), server_.token());
  EXPECT_EQ(client.Get("/api/numbers/requests").Json()["requests"].size(), 0u)
      << "a refused port-in must store nothing";
}

}  // namespace
}  // namespace numberdesk::testing
