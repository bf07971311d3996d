# Writes one text file into a C++ header as a std::string_view constant, so
# that the binary carries it. Called at build time with -DINPUT=<file>
# -DOUTPUT=<header> -DNAME=<constant> -DNAMESPACE=<namespace>.
file(READ "${INPUT}" text)
string(FIND "${text}" ")numberdesk_text\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} holds the raw-string delimiter )numberdesk_text\"")
endif()
set(body "// Generated from ${INPUT}; edit that file instead.\n")
string(APPEND body "#include <string_view>\n\nnamespace ${NAMESPACE} {\n\n")
string(APPEND body "inline constexpr std::string_view ${NAME} = R\"numberdesk_text(${text})numberdesk_text\";\n")
string(APPEND body "\n}  // namespace ${NAMESPACE}\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
