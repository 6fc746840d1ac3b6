#ifndef WETLINK_STORE_RECORD_CODEC_H_
#define WETLINK_STORE_RECORD_CODEC_H_

// Encodes catalog records as the protobuf messages of
// proto/wetlink/store/v1/records.proto, and decodes them back.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "catalog/site.h"
#include "catalog/species.h"

namespace wetlink::store {

std::string EncodeSite(const catalog::Site& site);
std::string EncodeComplex(const catalog::Complex& complex);
std::string EncodeSpecies(const catalog::Species& species);

// DataLoss naming the key when the bytes do not decode.
absl::StatusOr<catalog::Site> DecodeSite(std::string_view key, std::string_view bytes);
absl::StatusOr<catalog::Complex> DecodeComplex(std::string_view key, std::string_view bytes);
absl::StatusOr<catalog::Species> DecodeSpecies(std::string_view key, std::string_view bytes);

}  // namespace wetlink::store

#endif  // WETLINK_STORE_RECORD_CODEC_H_
