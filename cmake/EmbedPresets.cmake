# Writes OUT, a C++ source that holds every preset YAML in PRESET_DIR as a string, so the CLI
# and the GUI find their presets without the source tree. Run at build time by core/.
file(GLOB presets RELATIVE "${PRESET_DIR}" "${PRESET_DIR}/*.yaml")
list(SORT presets)
set(body "// Generated from configs/*.yaml by cmake/EmbedPresets.cmake; do not edit.\n")
string(APPEND body "#include \"core/config/Presets.h\"\n\nnamespace cvae {\n\n")
string(APPEND body "const std::vector<EmbeddedPreset>& embeddedPresets() {\n")
string(APPEND body "  static const std::vector<EmbeddedPreset> presets = {\n")
foreach(name IN LISTS presets)
  file(READ "${PRESET_DIR}/${name}" text)
  string(APPEND body "      {\"${name}\", R\"cvaepreset(${text})cvaepreset\"},\n")
endforeach()
string(APPEND body "  };\n  return presets;\n}\n\n}  // namespace cvae\n")
file(WRITE "${OUT}.tmp" "${body}")
# Only touch OUT when it changed, so an unchanged preset set does not rebuild core.
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
