#include "server/access_setup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace wetlink::server {

absl::StatusOr<access::LocationPrivacy> LocationPrivacyOf(const Config& config,
                                                          const catalog::Catalog& catalog) {
  access::LocationPrivacy privacy;
  privacy.grid_deg = config.privacy_grid_deg;
  privacy.embargo_ms = std::int64_t{config.privacy_embargo_days} * 24 * 3600 * 1000;
  if (config.sensitive_species) {
    for (const std::string& name : *config.sensitive_species) {
      const catalog::Species* species = catalog.FindSpeciesByAnyName(name);
      if (species == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            "privacy.sensitive_species: '", name, "' is not a species of the catalog"));
      }
      privacy.sensitive_species.insert(species->id);
    }
  } else {
    for (const catalog::Species& species : catalog.species()) {
      const std::string& category = species.iucn_category;
      if (category == "CR" || category == "EN" || category == "VU") {
        privacy.sensitive_species.insert(species.id);
      }
    }
  }
  return privacy;
}

std::string AdminTokenPath(const Config& config) {
  if (!config.admin_token_file.empty()) return config.admin_token_file;
  return (std::filesystem::path(config.data_dir) / "admin.token").string();
}

absl::StatusOr<bool> EnsureAdminToken(access::AccessControl& access, const std::string& path) {
  if (access.HasUsableAdminToken()) return false;
  // Written before the token exists in the store would be useless; issued
  // before the file is written, a failed write leaves a token nobody holds,
  // which is harmless: the next start issues another.
  absl::StatusOr<access::IssuedToken> issued = access.Issue(
      access::TokenSpec{.holder = "admin",
                        .role = access::Role::kAdmin,
                        .studies = {},
                        .expires_ms = std::nullopt,
                        .note = "first admin token, written by wetlinkd to " + path},
      "wetlinkd");
  if (!issued.ok()) return issued.status();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot write the admin token file '", path, "': ", std::strerror(errno)));
  }
  const std::string text = issued->text + "\n";
  // An existing file keeps its mode on O_TRUNC: make it owner-only.
  const bool written = ::fchmod(fd, 0600) == 0 &&
                       ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!written) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot write the admin token file '", path, "': ", std::strerror(saved_errno)));
  }
  return true;
}

}  // namespace wetlink::server
