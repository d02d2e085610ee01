# Writes a C++ file defining oracle::DefaultConfigText() with the contents of INPUT.
file(READ ${INPUT} CONTENT)
set(DELIM "ORACLE_CFG_")
file(WRITE ${OUTPUT}.tmp
"// Generated from feeds/default.textproto by src/config/embed_config.cmake. Do not edit.\n"
"#include <string_view>\n#include \"oracle/config/config.h\"\n"
"namespace oracle {\n"
"std::string_view DefaultConfigText() noexcept {\n"
"  static constexpr char kText[] = R\"${DELIM}(${CONTENT})${DELIM}\";\n"
"  return std::string_view(kText, sizeof(kText) - 1);\n"
"}\n}  // namespace oracle\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
