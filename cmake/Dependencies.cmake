# Every dependency is a Debian 12 package; scripts/setup-deps.sh installs them.
include(GNUInstallDirs)

find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(RocksDB CONFIG REQUIRED)
find_package(GDAL CONFIG REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(tomlplusplus CONFIG REQUIRED)
# TLS for the HTTP pages (Boost.Asio SSL) and the start-up checks of wetlinkd's
# certificate and key (libssl-dev).
find_package(OpenSSL 3 REQUIRED)

# GeographicLib ships only a Find module outside CMake's default path.
find_path(GEOGRAPHICLIB_INCLUDE_DIR GeographicLib/Geodesic.hpp REQUIRED)
find_library(GEOGRAPHICLIB_LIBRARY NAMES GeographicLib REQUIRED)
add_library(GeographicLib::GeographicLib UNKNOWN IMPORTED)
set_target_properties(GeographicLib::GeographicLib PROPERTIES
  IMPORTED_LOCATION "${GEOGRAPHICLIB_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${GEOGRAPHICLIB_INCLUDE_DIR}")

find_program(WETLINK_PROTOC protoc REQUIRED)
find_program(WETLINK_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
